import { connect, type MqttClient } from 'mqtt';
import { eq } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../../core/db.js';
import { iotDevice } from './device.table.js';
import { isDownlinkTopic, topicKeys, traceKindOf } from './device-topics.js';
import type { DeviceDirectory, DeviceLink, Ingest } from './ports.js';
import type { TrafficStats } from './traffic-stats.js';

/**
 * External broker mode: the platform consumes every device topic from an MQTT cluster (EMQX,
 * VerneMQ, Mosquitto) through an MQTT 5 shared subscription, so any number of platform nodes split
 * the stream, and acknowledges each QoS 1 message only after ingest has committed it
 * (`customHandleAcks`). Down-link goes out through the same connections.
 *
 * mqtt.js handles a connection's messages one after the other (the next waits for the PUBACK of the
 * previous), so one connection would ingest one message per commit; the node opens `connections`
 * members of the shared group to ingest that many at once.
 */
export interface ExternalConsumer {
  start(): Promise<void>;
  connected(): boolean;
  link: DeviceLink;
  close(): Promise<void>;
}

/** The filters consumed: device topics, with or without the leading '/'. */
export const consumedFilters = (group: string) => ['/sys/+/+/#', '/ota/+/+/#', 'sys/+/+/#', 'ota/+/+/#'].map((f) => `$share/${group}/${f}`);

const PAYLOAD_TRACE_MAX = 4096;

export function externalConsumer(d: {
  url: string;
  username?: string;
  password?: string;
  shareGroup: string;
  nodeId: string;
  /** Members of the shared group on this node (messages ingested at once). */
  connections?: number;
  db: Db;
  directory: DeviceDirectory;
  ingest: Ingest;
  stats: TrafficStats;
  log: FastifyBaseLogger;
}): ExternalConsumer {
  const clients: MqttClient[] = [];

  const handle = async (client: MqttClient, topic: string, payload: Buffer) => {
    // The platform's own down-link comes back through the subscription: not a report.
    if (isDownlinkTopic(topic)) return;
    const keys = topicKeys(topic);
    const device = keys && (await d.directory.device(keys.productKey, keys.deviceKey));
    const refusal = !keys ? '主题不属于任何设备' : !device ? '设备不存在' : device.deregistered ? '设备已注销' : device.status === 'disabled' ? '设备已禁用' : undefined;
    if (refusal || !device) {
      d.ingest.trace({
        deviceId: device?.id ?? null, productKey: keys?.productKey ?? null, deviceKey: keys?.deviceKey ?? null,
        direction: 'up', channel: 'broker', kind: traceKindOf(topic), topic,
        payload: payload.subarray(0, PAYLOAD_TRACE_MAX).toString(), result: 'denied', reason: refusal,
      });
      return;
    }
    d.stats.in.add();
    const result = await d.ingest.accept({ device, channel: 'broker', topic, payload, receivedAt: Date.now() });
    if (result.replyTopic) {
      const reply = { id: result.msgId ?? '', code: result.code, message: result.message ?? 'success' };
      client.publish(result.replyTopic, JSON.stringify(reply), { qos: 0 }, (err) => (err ? undefined : d.stats.out.add()));
    }
  };

  /** Connects one member of the group; resolves once it is subscribed (or failed to be, logged). */
  const open = (index: number) =>
    new Promise<void>((resolve) => {
      const client: MqttClient = connect(d.url, {
        protocolVersion: 5,
        clientId: `cityops-${d.nodeId}-${index}`,
        username: d.username,
        password: d.password,
        // Messages in flight survive a reconnect: what was not acknowledged comes again.
        clean: false,
        properties: { sessionExpiryInterval: 600 },
        resubscribe: false,
        reconnectPeriod: 2_000,
        connectTimeout: 10_000,
        customHandleAcks: (topic, message, _packet, done) => {
          handle(client, topic, message).then(
            () => done(0),
            (err: Error) => {
              // Not acknowledged: dropping the connection makes the broker send it again.
              d.log.error({ err, topic }, 'ingest of an external broker message failed');
              client.stream?.destroy();
            },
          );
        },
      });
      clients.push(client);
      // QoS 0 messages have no acknowledgement to hold back (QoS 1 ones also pass here, after their PUBACK).
      client.on('message', (topic, message, packet) => {
        if (packet.qos === 0) handle(client, topic, message).catch((err: Error) => d.log.error({ err, topic }, 'ingest of an external broker message failed'));
      });
      client.on('error', (err) => {
        d.log.warn({ err: err.message }, 'external MQTT broker connection error');
        resolve();
      });
      client.on('connect', (connack) => {
        if (connack.sessionPresent) return resolve();
        client.subscribe(consumedFilters(d.shareGroup), { qos: 1 }, (err, granted) => {
          const refused = granted?.filter((g) => g.qos >= 0x80) ?? [];
          if (err || refused.length) d.log.error({ err, refused }, 'the external MQTT broker refused the platform\'s subscriptions');
          resolve();
        });
      });
    });

  return {
    async start() {
      const n = Math.max(1, d.connections ?? 8);
      // Waits for the first attempt of each; an unreachable broker is retried in the background.
      await Promise.all(Array.from({ length: n }, (_, i) => open(i)));
      d.log.info(`consuming device topics from ${d.url.replace(/\/\/[^@/]*@/, '//')} (shared group ${d.shareGroup}, ${n} connections)`);
    },

    connected: () => clients.length > 0 && clients.some((c) => c.connected),

    link: {
      async publish(device, topic, payload, qos = 1) {
        const client = clients.find((c) => c.connected);
        if (!client) throw new Error('not connected to the external MQTT broker');
        await client.publishAsync(topic, JSON.stringify(payload), { qos });
        d.stats.out.add();
      },
      async isOnline(device) {
        // Only the broker knows the connections; the platform knows who reported lately.
        const [row] = await d.db.select({ status: iotDevice.status }).from(iotDevice).where(eq(iotDevice.id, device.id));
        return row?.status === 'online';
      },
    },

    async close() {
      await Promise.all(clients.splice(0).map((c) => c.endAsync().catch(() => {})));
    },
  };
}
