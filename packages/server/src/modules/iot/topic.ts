/**
 * The device topics (Alibaba-style, see docs): what an up-link topic is, and the reply topic it has.
 * Topics are accepted with or without the leading '/', and replies keep the form they came in.
 */
export type UpTopic =
  | { kind: 'property'; pk: string; dk: string }
  | { kind: 'event'; pk: string; dk: string; identifier: string }
  | { kind: 'property-set-reply'; pk: string; dk: string }
  | { kind: 'service-reply'; pk: string; dk: string; identifier: string }
  | { kind: 'sub-post'; pk: string; dk: string }
  | { kind: 'ota-progress'; pk: string; dk: string }
  | { kind: 'ota-inform'; pk: string; dk: string };

/** Parses an up-link topic; undefined when it is none of the known ones. */
export function parseUpTopic(topic: string): UpTopic | undefined {
  const p = (topic.startsWith('/') ? topic.slice(1) : topic).split('/');
  const [root, pk, dk] = p;
  if (!pk || !dk) return undefined;
  if (root === 'ota' && p.length === 4) {
    if (p[3] === 'progress') return { kind: 'ota-progress', pk, dk };
    if (p[3] === 'inform') return { kind: 'ota-inform', pk, dk };
    return undefined;
  }
  if (root !== 'sys' || p[3] !== 'thing') return undefined;
  const rest = p.slice(4).join('/');
  if (rest === 'property/post') return { kind: 'property', pk, dk };
  if (rest === 'property/set_reply') return { kind: 'property-set-reply', pk, dk };
  if (rest === 'sub/post') return { kind: 'sub-post', pk, dk };
  if (p.length === 7 && p[4] === 'event' && p[6] === 'post' && p[5]) return { kind: 'event', pk, dk, identifier: p[5] };
  if (p.length === 6 && p[4] === 'service' && p[5]!.endsWith('_reply') && p[5]!.length > 6) {
    return { kind: 'service-reply', pk, dk, identifier: p[5]!.slice(0, -6) };
  }
  return undefined;
}

/** The reply topic of a report (…/post → …/post_reply); undefined for topics that get none. */
export function replyTopicOf(topic: string, t: UpTopic): string | undefined {
  return t.kind === 'property' || t.kind === 'event' || t.kind === 'sub-post' ? `${topic}_reply` : undefined;
}

/** True when a topic lies under the device's own branches (the ACL: /sys/{pk}/{dk}/… and /ota/{pk}/{dk}/…). */
export function topicBelongsTo(topic: string, pk: string, dk: string): boolean {
  const t = topic.startsWith('/') ? topic.slice(1) : topic;
  return t.startsWith(`sys/${pk}/${dk}/`) || t.startsWith(`ota/${pk}/${dk}/`);
}
