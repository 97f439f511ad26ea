import type { DeviceRef, TraceRow } from './ports.js';

/**
 * What the connection side needs of the topic rules beyond `topic.ts` (the up-link kinds and the
 * ACL): the keys any device topic names, which topics go down (a consumer of every device topic
 * skips them), the trace kind of a topic, and the up-link topic of an HTTP/CoAP report. Topics are
 * taken with or without the leading '/', as `topic.ts` does.
 */

const bare = (topic: string) => (topic.startsWith('/') ? topic.slice(1) : topic);

/** The device keys a topic names, whoever sends it (`/sys/{pk}/{dk}/…`, `/ota/{pk}/{dk}/…`). */
export function topicKeys(topic: string): { productKey: string; deviceKey: string } | undefined {
  const m = /^(?:sys|ota)\/([^/+#]+)\/([^/+#]+)\/./.exec(bare(topic));
  return m ? { productKey: m[1]!, deviceKey: m[2]! } : undefined;
}

/** Topics the platform publishes to devices: replies to their posts, property set, service calls, OTA upgrade. */
export function isDownlinkTopic(topic: string): boolean {
  const t = bare(topic);
  if (t.startsWith('ota/')) return t.endsWith('/upgrade');
  if (!t.startsWith('sys/')) return false;
  if (t.endsWith('/post_reply') || t.endsWith('/thing/property/set')) return true;
  return /\/thing\/service\/[^/]+$/.test(t) && !t.endsWith('_reply');
}

export function traceKindOf(topic: string): TraceRow['kind'] {
  const t = bare(topic);
  if (t.startsWith('ota/')) return 'ota';
  if (t.endsWith('_reply')) return 'reply';
  if (t.includes('/thing/event/')) return 'event';
  if (t.includes('/thing/property/') || t.endsWith('/thing/sub/post')) return 'property';
  return 'other';
}

/** The up-link topic an HTTP/CoAP report stands for. */
export function reportTopic(d: Pick<DeviceRef, 'productKey' | 'deviceKey'>, kind: 'property' | 'event' | 'sub', identifier?: string): string {
  const base = `/sys/${d.productKey}/${d.deviceKey}/thing`;
  if (kind === 'event') return `${base}/event/${identifier}/post`;
  if (kind === 'sub') return `${base}/sub/post`;
  return `${base}/property/post`;
}
