import type { FastifyInstance } from 'fastify';
import type { Cache } from '../../core/cache.js';
import type { Config } from '../../core/config.js';
import type { Database } from '../../core/db.js';
import type { FieldCipher } from '../../core/crypto/field.js';
import type { ScopeService } from '../system/scope.service.js';
import { registerIotCore } from './iot-core.js';
import { registerOpenApi } from './open-api.js';
import { startConnectivity } from './connectivity.js';
import { connectionRoutes } from './connection.routes.js';
import type { FileService } from '../files/file.service.js';
import type { EventsModule } from '../events/index.js';
import type { MessageService } from '../messaging/message.service.js';
import { deviceScopes } from './device-scope.js';
import { registerRules } from './rule-module.js';
import { registerCommandsAndOta } from './commands-ota.js';

/** What the IoT platform is built from (app.ts provides it). */
export interface IotDeps {
  config: Config;
  database: Database;
  cache: Cache;
  fields: FieldCipher;
  /** Organisation scope: users see the devices of their 本级及下级 organisations. */
  scope: ScopeService;
  /** Firmware packages are stored through the files module. */
  files: FileService;
  /** The event hub: alarms become events through its intake. */
  events: EventsModule;
  /** Messaging: alarms notify the organisations' people. */
  messages: MessageService;
}

/**
 * Registers the IoT platform (物联感知): the device directory and ingest pipeline, the brokers and
 * device-facing endpoints, down-link and OTA, the rule engine, and the third-party API.
 */
export async function registerIotModule(app: FastifyInstance, d: IotDeps) {
  // [directory + ingest + product/device/telemetry/trace/overview routes]
  // core.directory, core.ingest, core.products, core.devices, core.telemetry (see IotCore).
  const core = registerIotCore(app, d);
  // [device auth + brokers + HTTP/CoAP access + connection routes]
  // connectivity.link: the DeviceLink down-link uses (commands, OTA); connectivity.auth: device authentication.
  const connectivity = await startConnectivity({ config: d.config, database: d.database, cache: d.cache, directory: core.directory, ingest: core.ingest, log: app.log, nodeId: core.nodeId, role: 'api' });
  // A disabled or deregistered device loses its connections at once, on whichever node holds them.
  core.devices.onRevoked((ids) => Promise.all(ids.map((id) => connectivity.link.disconnect(id))).then(() => {}));
  connectionRoutes(app, connectivity);
  // Devices are let go before the ingest writer commits its last batch (the core's onClose).
  app.addHook('preClose', async () => connectivity.close());
  // [commands + OTA]
  // Device replies close commands, OTA reports move upgrades on; a connecting device gets what waited for it.
  const downlink = await registerCommandsAndOta(app, { config: d.config, database: d.database, files: d.files, directory: core.directory, ingest: core.ingest, link: connectivity.link });
  // [rules + alarms]
  // Every accepted message is evaluated; alarms become events of the hub and messages to the device's organisation.
  const alarmScopes = deviceScopes(d.scope);
  await registerRules(app, {
    db: d.database.db, cache: d.cache, directory: core.directory, ingest: core.ingest, events: d.events, messages: d.messages,
    alarmScope: (user) => alarmScopes.of(user), log: app.log,
  });
  // [API keys + open API]
  // Third-party systems reach devices, values, commands and batch reports with API keys (/api/open/iot).
  registerOpenApi(app, {
    db: d.database.db, cache: d.cache, log: app.log, directory: core.directory, devices: core.devices, telemetry: core.telemetry,
    commands: downlink.commands, ingest: core.ingest,
  });
  void app;
  void d;
  void core;
}
