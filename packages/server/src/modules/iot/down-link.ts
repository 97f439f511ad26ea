import { randomInt } from 'node:crypto';
import type { Channel, DeviceLink, DeviceRef, Ingest, TraceRow } from './ports.js';

/**
 * Messages the platform sends down to devices (property set, service call, OTA upgrade): their
 * topics, their `id`, and one way to publish them that leaves a trace row either way.
 */

/** A message id as Alibaba-style devices expect it: a decimal string within 32 bits. */
export const newMsgId = () => String(randomInt(1, 0xffff_ffff));

const base = (d: Pick<DeviceRef, 'productKey' | 'deviceKey'>) => `${d.productKey}/${d.deviceKey}`;

export const downTopics = {
  propertySet: (d: Pick<DeviceRef, 'productKey' | 'deviceKey'>) => `/sys/${base(d)}/thing/property/set`,
  service: (d: Pick<DeviceRef, 'productKey' | 'deviceKey'>, identifier: string) => `/sys/${base(d)}/thing/service/${identifier}`,
  otaUpgrade: (d: Pick<DeviceRef, 'productKey' | 'deviceKey'>) => `/ota/${base(d)}/upgrade`,
};

/** Trace payloads are kept to 4 KB. */
const PAYLOAD_MAX = 4096;

export interface DownMessage {
  id: string;
  params: Record<string, unknown>;
  [key: string]: unknown;
}

export function downLink(d: { link: DeviceLink; ingest: Pick<Ingest, 'trace'>; channel: Channel }) {
  /** A down-link trace row of the device (on the link's channel unless another is named). */
  const trace = (device: DeviceRef, row: Omit<TraceRow, 'deviceId' | 'productKey' | 'deviceKey' | 'direction' | 'channel'> & { channel?: Channel }) =>
    d.ingest.trace({ deviceId: device.id, productKey: device.productKey, deviceKey: device.deviceKey, direction: 'down', channel: d.channel, ...row });

  return {
    trace,

    /**
     * Publishes (QoS 1) and traces the message; returns the Chinese reason when the device could not
     * be reached, so the caller marks its command or upgrade failed instead of waiting for a reply.
     */
    async send(device: DeviceRef, kind: 'command' | 'ota', topic: string, message: DownMessage): Promise<string | undefined> {
      const payload = JSON.stringify(message).slice(0, PAYLOAD_MAX);
      try {
        await d.link.publish(device, topic, message, 1);
        trace(device, { kind, topic, payload, result: 'ok', msgId: message.id });
        return undefined;
      } catch {
        // The link's own error is technical (and English); the trace says what it means.
        const reason = '下发失败：设备连接不可用';
        trace(device, { kind, topic, payload, result: 'error', reason, msgId: message.id });
        return reason;
      }
    },
  };
}
export type DownLink = ReturnType<typeof downLink>;
