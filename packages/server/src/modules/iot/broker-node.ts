import type { FastifyBaseLogger } from 'fastify';
import { accessVersion } from '../../core/access-version.js';
import { openCache } from '../../core/cache.js';
import type { Config } from '../../core/config.js';
import { fieldCipher } from '../../core/crypto/field.js';
import { loadKeys } from '../../core/crypto/keys.js';
import { openDatabase } from '../../core/db.js';
import { createLogger } from '../../core/logs/logger.js';
import { scopeService } from '../system/scope.service.js';
import { eventHub } from '../events/index.js';
import { messageService } from '../messaging/message.service.js';
import { startConnectivity, type Connectivity } from './connectivity.js';
import { createIotCore } from './iot-core.js';
import { startRules } from './rule-module.js';
import { downLinkHandlers } from './commands-ota.js';

/**
 * A broker-only node (`node packages/server/dist/iot-broker.js`): the embedded MQTT broker on
 * IOT_MQTT_PORT with what a device message needs — the database, the device directory, ingest and
 * the rule engine — and no HTTP. Several of them share one PostgreSQL with the application nodes;
 * down-link to a device held by one of them reaches it through `iot_downlink` (device-link.ts), and
 * 连接管理 lists them.
 */
export interface BrokerNode {
  connectivity: Connectivity;
  log: FastifyBaseLogger;
  close(): Promise<void>;
}

export async function startBrokerNode(config: Config, o: { log?: FastifyBaseLogger } = {}): Promise<BrokerNode> {
  const log = o.log ?? createLogger({ level: config.logLevel, redact: [], systemLevel: 'silent' });
  const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, poolSize: config.databasePoolSize });
  const cache = await openCache(config.redisUrl);
  const { db } = database;
  const keys = await loadKeys(db);
  // The sweeps (offline, retention) run on the application nodes.
  const core = createIotCore({
    config, database, cache, fields: fieldCipher(keys.fieldKey, keys.blindIndexKey), scope: scopeService(db, accessVersion(cache)), log, sweeps: false,
  });
  // Rules see every report this node accepts; their alarms start hub events and messages from here
  // too (the hub without its routes; alarms carry no attachments, so no file storage is needed).
  const scope = scopeService(db, accessVersion(cache));
  const messages = messageService(db);
  const events = eventHub({ database, cache, scope, messages, files: { describe: async () => [] } });
  const rules = await startRules({ db, cache, directory: core.directory, ingest: core.ingest, events, messages, log });
  const connectivity = await startConnectivity({ config, database, cache, directory: core.directory, ingest: core.ingest, log, nodeId: core.nodeId, role: 'broker', coap: false });
  // Replies and OTA reports reaching this node close commands and move upgrades on (the sweeps run on the application nodes).
  await downLinkHandlers({ config, database, directory: core.directory, ingest: core.ingest, link: connectivity.link, log, sweeps: false });
  return {
    connectivity,
    log,
    async close() {
      // Devices first (their last messages are committed), then the rules and the writer, then storage.
      await connectivity.close();
      await rules.close();
      await core.close();
      await cache.close();
      await database.close();
    },
  };
}
