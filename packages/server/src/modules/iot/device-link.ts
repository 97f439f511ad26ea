import crypto from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import type { Database } from '../../core/db.js';
import { iotDevice } from './device.table.js';
import type { EmbeddedBroker } from './mqtt-broker.js';
import type { DeviceLink, DeviceRef } from './ports.js';

/**
 * The way to a device connected to an embedded broker — this node's, or another node's sharing the
 * PostgreSQL database. A device held elsewhere is reached through NOTIFY on `iot_downlink`: the
 * node holding it delivers and answers, so `publish` fails when no node holds the device.
 */
export const DOWNLINK_CHANNEL = 'iot_downlink';
/** PostgreSQL refuses NOTIFY payloads from 8000 bytes on. */
const NOTIFY_MAX = 7900;
const ANSWER_TIMEOUT_MS = 3_000;

type BusMessage =
  /** Deliver to the device, if you hold it, and answer. */
  | { k: 'd'; id: string; from: string; deviceId: string; topic: string; payload: string; qos: 0 | 1 }
  /** Delivered (to the node that asked). */
  | { k: 'a'; id: string; to: string }
  /** Close the device's connections (disabled, deregistered). */
  | { k: 'x'; deviceId: string };

export class DeviceNotConnected extends Error {
  constructor(device: Pick<DeviceRef, 'productKey' | 'deviceKey'>) {
    super(`device ${device.productKey}/${device.deviceKey} is not connected`);
  }
}

export interface EmbeddedDeviceLink extends DeviceLink {
  start(): Promise<void>;
  /** Closes the device's connections on every node. */
  disconnect(deviceId: string): Promise<void>;
  stop(): Promise<void>;
}

export function embeddedDeviceLink(d: { database: Database; broker: EmbeddedBroker | undefined; nodeId: string; log: FastifyBaseLogger }): EmbeddedDeviceLink {
  const { db } = d.database;
  // Only PostgreSQL has other nodes; PGlite lives in this process alone.
  const shared = d.database.driver === 'postgres';
  const waiting = new Map<string, () => void>();
  let unlisten: (() => Promise<void>) | undefined;

  const notify = (m: BusMessage) => db.execute(sql`select pg_notify(${DOWNLINK_CHANNEL}, ${JSON.stringify(m)})`);

  const onMessage = (raw: string) => {
    let m: BusMessage;
    try {
      m = JSON.parse(raw) as BusMessage;
    } catch {
      return;
    }
    if (m.k === 'a') {
      if (m.to === d.nodeId) waiting.get(m.id)?.();
    } else if (m.k === 'd') {
      if (m.from === d.nodeId || !d.broker?.isConnected(m.deviceId)) return;
      d.broker.deliver(m.deviceId, m.topic, Buffer.from(m.payload), m.qos).then(
        (ok) => (ok ? notify({ k: 'a', id: m.id, to: m.from }) : undefined),
        (err) => d.log.warn({ err }, 'down-link delivery for another node failed'),
      );
    } else if (m.k === 'x') {
      d.broker?.disconnect(m.deviceId);
    }
  };

  return {
    async start() {
      if (shared) unlisten = await d.database.listen(DOWNLINK_CHANNEL, onMessage);
    },

    async publish(device, topic, payload, qos = 1) {
      const body = JSON.stringify(payload);
      if (d.broker && (await d.broker.deliver(device.id, topic, Buffer.from(body), qos))) return;
      if (!shared) throw new DeviceNotConnected(device);
      const message: BusMessage = { k: 'd', id: crypto.randomUUID(), from: d.nodeId, deviceId: device.id, topic, payload: body, qos };
      if (JSON.stringify(message).length > NOTIFY_MAX) throw new Error(`down-link payload too large to pass between nodes (${body.length} bytes)`);
      let timer: NodeJS.Timeout | undefined;
      const delivered = new Promise<boolean>((resolve) => {
        waiting.set(message.id, () => resolve(true));
        timer = setTimeout(() => resolve(false), ANSWER_TIMEOUT_MS);
      });
      try {
        await notify(message);
        if (!(await delivered)) throw new DeviceNotConnected(device);
      } finally {
        clearTimeout(timer);
        waiting.delete(message.id);
      }
    },

    async isOnline(device) {
      if (d.broker?.isConnected(device.id)) return true;
      if (!shared) return false;
      const [row] = await db.select({ status: iotDevice.status }).from(iotDevice).where(eq(iotDevice.id, device.id));
      return row?.status === 'online';
    },

    async disconnect(deviceId) {
      d.broker?.disconnect(deviceId);
      if (shared) await notify({ k: 'x', deviceId });
    },

    async stop() {
      await unlisten?.();
      unlisten = undefined;
    },
  };
}
