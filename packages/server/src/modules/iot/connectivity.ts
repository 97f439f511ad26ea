import type { FastifyBaseLogger } from 'fastify';
import { TOPIC_CONVENTIONS, type BrokerSyncResult, type ConnectedClient, type ConnectionStatus } from '@cityops/contracts';
import type { Cache } from '../../core/cache.js';
import type { Config } from '../../core/config.js';
import type { Database } from '../../core/db.js';
import { Conflict } from '../../core/errors.js';
import { brokerNodes } from './broker-nodes.js';
import { coapAccess, type CoapAccess } from './coap-server.js';
import { deviceAccessService, type DeviceAccessService } from './device-access.service.js';
import { deviceAuthService, type DeviceAuthService } from './device-auth.service.js';
import { embeddedDeviceLink } from './device-link.js';
import { reclaimDevices } from './maintenance.js';
import { mosquittoDynsec } from './mosquitto-dynsec.js';
import { embeddedBroker, type EmbeddedBroker } from './mqtt-broker.js';
import { externalConsumer, type ExternalConsumer } from './mqtt-consumer.js';
import type { LocalDirectory } from './device-directory.js';
import type { DeviceLink, Ingest } from './ports.js';
import { trafficStats } from './traffic-stats.js';

/**
 * How devices reach this node, put together from the configuration: the embedded broker (and the
 * down-link between nodes) or the consumer of an external broker, CoAP, the device-facing HTTP
 * service, and the figures of 连接管理. The application and the broker-only process
 * (`broker-node.ts`) both start it; only the application adds HTTP routes.
 */
export interface Connectivity {
  nodeId: string;
  auth: DeviceAuthService;
  access: DeviceAccessService;
  /** The way to devices for down-link (commands, OTA). */
  link: DeviceLink & {
    /** Closes the device's connections wherever they are (after it is disabled or deregistered); external brokers keep theirs. */
    disconnect(deviceId: string): Promise<void>;
  };
  status(): ConnectionStatus;
  clients(q: { keyword?: string; page: number; pageSize: number }): { items: ConnectedClient[]; total: number; page: number; pageSize: number };
  /** 同步到外部 Broker (Mosquitto dynamic security). */
  syncExternalBroker(): Promise<BrokerSyncResult>;
  close(): Promise<void>;
}

export async function startConnectivity(d: {
  config: Config;
  database: Database;
  cache: Cache;
  directory: LocalDirectory;
  ingest: Ingest;
  log: FastifyBaseLogger;
  /** This node (the core's: presence marks the devices its broker holds with it). */
  nodeId: string;
  role: 'api' | 'broker';
  /** CoAP on this node (the application's default; a broker-only node has no CoAP). */
  coap?: boolean;
}): Promise<Connectivity> {
  const iot = d.config.iot;
  const { nodeId } = d;
  const stats = trafficStats();
  const auth = deviceAuthService({ directory: d.directory, ingest: d.ingest, cache: d.cache, signSkewSeconds: iot.signSkewSeconds });
  const access = deviceAccessService({
    auth, ingest: d.ingest, directory: d.directory, stats,
    platform: iot.broker === 'external' ? { username: iot.brokerUsername, password: iot.brokerPassword } : undefined,
  });

  let broker: EmbeddedBroker | undefined;
  // The node beats before its broker takes a connection: no device is ever held by a node without a beat.
  const nodes = brokerNodes({
    database: d.database, nodeId, role: d.role, log: d.log, timeoutSeconds: iot.nodeTimeoutSeconds,
    figures: () => ({
      mqttPort: broker?.status().state === 'listening' ? iot.mqttPort : null,
      clients: broker?.clientCount() ?? 0,
      messagesInPerMinute: stats.in.perMinute(),
      messagesOutPerMinute: stats.out.perMinute(),
    }),
    onRejoin: async () => broker && reclaimDevices({ db: d.database.db, directory: d.directory, ingest: d.ingest, nodeId, deviceIds: broker.deviceIds() }),
  });
  await nodes.start();
  let consumer: ExternalConsumer | undefined;
  let link: Connectivity['link'];
  let stopLink = async () => {};
  if (iot.broker === 'external') {
    consumer = externalConsumer({
      url: iot.brokerUrl!, username: iot.brokerUsername, password: iot.brokerPassword, shareGroup: iot.shareGroup, nodeId,
      db: d.database.db, directory: d.directory, ingest: d.ingest, stats, log: d.log,
    });
    await consumer.start();
    link = { ...consumer.link, disconnect: async () => {} };
  } else {
    broker = embeddedBroker({ host: iot.mqttHost, port: iot.mqttPort, auth, ingest: d.ingest, stats, log: d.log });
    await broker.start();
    const embedded = embeddedDeviceLink({ database: d.database, broker, nodeId, log: d.log });
    await embedded.start();
    link = embedded;
    stopLink = () => embedded.stop();
    await nodes.announce();
  }

  let coap: CoapAccess | undefined;
  if (d.coap ?? d.role === 'api') {
    coap = coapAccess({ host: iot.mqttHost, port: iot.coapPort, auth, ingest: d.ingest, stats, log: d.log });
    await coap.start();
  }

  const dynsec =
    iot.broker === 'external'
      ? mosquittoDynsec({ url: iot.brokerUrl!, username: iot.brokerUsername, password: iot.brokerPassword, shareGroup: iot.shareGroup, nodeId, db: d.database.db, directory: d.directory })
      : undefined;

  return {
    nodeId,
    auth,
    access,
    link,

    status() {
      const mqtt = broker?.status() ?? { state: 'off' as const, host: iot.mqttHost, port: iot.mqttPort, error: null };
      const c = coap?.status() ?? { state: 'off' as const, port: iot.coapPort, error: null };
      return {
        mode: iot.broker,
        mqtt: {
          ...mqtt,
          brokerUrl: consumer ? iot.brokerUrl!.replace(/\/\/[^@/]*@/, '//') : null,
          consumerConnected: consumer ? consumer.connected() : null,
          shareGroup: consumer ? iot.shareGroup : null,
        },
        coap: { state: c.state, port: c.port, error: c.error },
        clients: broker?.clientCount() ?? 0,
        messagesInPerMinute: stats.in.perMinute(),
        messagesOutPerMinute: stats.out.perMinute(),
        nodes: nodes.list(),
        signSkewSeconds: iot.signSkewSeconds,
        topics: TOPIC_CONVENTIONS,
      };
    },

    clients(q) {
      const r = broker?.clients(q) ?? { items: [], total: 0 };
      return { ...r, page: q.page, pageSize: q.pageSize };
    },

    async syncExternalBroker() {
      if (!dynsec) throw new Conflict('当前使用内置 Broker，无需同步到外部 Broker');
      return dynsec.sync();
    },

    async close() {
      await nodes.stop();
      await coap?.close();
      await consumer?.close();
      await stopLink();
      await broker?.close();
    },
  };
}
