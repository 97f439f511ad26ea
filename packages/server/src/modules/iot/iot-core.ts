import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { Cache } from '../../core/cache.js';
import type { Config } from '../../core/config.js';
import type { Database } from '../../core/db.js';
import type { FieldCipher } from '../../core/crypto/field.js';
import type { ScopeService } from '../system/scope.service.js';
import { newNodeId } from './broker-nodes.js';
import { deviceDirectory, type LocalDirectory } from './device-directory.js';
import { deviceScopes } from './device-scope.js';
import { deviceRepository } from './device.repository.js';
import { deviceRoutes } from './device.routes.js';
import { deviceService, type DeviceService } from './device.service.js';
import { ingestService, type IngestService } from './ingest.service.js';
import { ingestWriter } from './ingest-writer.js';
import { startMaintenance } from './maintenance.js';
import { overviewService } from './overview.service.js';
import { productRoutes } from './product.routes.js';
import { productService, type ProductService } from './product.service.js';
import { telemetryRoutes } from './telemetry.routes.js';
import { telemetryService, type TelemetryService } from './telemetry.service.js';
import { traceService } from './trace.service.js';

/**
 * What the other parts of the IoT platform are built on: the cached device directory, the ingest
 * pipeline every channel feeds, and the registry's services (the open API reads through them).
 */
export interface IotCore {
  /** This node (this run of this process); brokers and presence use it. */
  nodeId: string;
  /** Products and devices by key or id, cached per node (DeviceDirectory + noteStatus + protocolOf). */
  directory: LocalDirectory;
  /** accept / onAccepted / trace / presence / onPresence / flush (+ stats). */
  ingest: IngestService;
  products: ProductService;
  /** Registry and lifecycle; `onRevoked(ids => …)` tells the brokers which connections to drop. */
  devices: DeviceService;
  telemetry: TelemetryService;
  /** Stops the sweeps and commits what is queued (the app's onClose does it). */
  close(): Promise<void>;
}

export interface IotCoreDeps {
  config: Config;
  database: Database;
  cache: Cache;
  fields: FieldCipher;
  scope: Pick<ScopeService, 'eventScope'>;
  log?: FastifyBaseLogger;
  /** Run the offline and retention sweeps (default true). */
  sweeps?: boolean;
}

/** Builds the core without HTTP (a broker-only node uses it as it is). */
export function createIotCore(d: IotCoreDeps): IotCore {
  const db = d.database.db;
  const nodeId = newNodeId();
  const directory = deviceDirectory({ db, cache: d.cache, fields: d.fields });
  const writer = ingestWriter({ db, flushMs: d.config.iot.flushMs, log: d.log });
  const ingest = ingestService({ directory, writer, nodeId, log: d.log });
  const scopes = deviceScopes(d.scope);
  const products = productService({ db, fields: d.fields, directory });
  const devices = deviceService({ db, fields: d.fields, directory, scopes, log: d.log });
  const telemetry = telemetryService({ db, directory, devices });
  const stop = d.sweeps === false
    ? () => {}
    : startMaintenance({
      db, directory, ingest, externalBroker: d.config.iot.broker === 'external', traceDays: d.config.iot.traceDays, historyDays: d.config.iot.historyDays, log: d.log,
      // PGlite is one process's: any other node in its rows is a past run of this one.
      nodeId, onlyNode: d.database.driver !== 'postgres', nodeTimeoutSeconds: d.config.iot.nodeTimeoutSeconds,
    });
  return {
    nodeId,
    directory,
    ingest,
    products,
    devices,
    telemetry,
    async close() {
      stop();
      await writer.flush();
    },
  };
}

/** The core plus its routes: 产品, 设备, 设备数据, 消息追踪, 物联概览. */
export function registerIotCore(app: FastifyInstance, d: IotCoreDeps): IotCore {
  const core = createIotCore({ ...d, log: d.log ?? app.log });
  const db = d.database.db;
  const scopes = deviceScopes(d.scope);
  productRoutes(app, { products: core.products });
  deviceRoutes(app, { devices: core.devices, directory: core.directory, orgIdsByCode: (codes) => deviceRepository(db).orgIdsByCode(codes) });
  telemetryRoutes(app, { telemetry: core.telemetry, trace: traceService({ db, scopes }), overview: overviewService({ db, scopes }) });
  app.addHook('onClose', async () => core.close());
  return core;
}
