import { z } from 'zod';

/**
 * 规则引擎 types shared by server and web. A rule watches one product's reports:
 * threshold — a property compared with a value; duration — the same held for N seconds;
 * rate — a property's change per minute beyond a limit; offline — no message for N minutes;
 * event — a device event (optionally of one level).
 */
export const RULE_KINDS = ['threshold', 'duration', 'rate', 'offline', 'event'] as const;
export type RuleKind = (typeof RULE_KINDS)[number];
export const RULE_KIND_LABELS: Record<RuleKind, string> = {
  threshold: '阈值', duration: '持续时长', rate: '变化率', offline: '离线时长', event: '设备事件',
};

export const RULE_OPERATORS = ['>', '>=', '<', '<=', '==', '!='] as const;

export const RuleParams = z.object({
  /** threshold / duration / rate: the property. */
  property: z.string().max(50).optional(),
  operator: z.enum(RULE_OPERATORS).optional(),
  value: z.number().optional(),
  /** duration: seconds the condition must hold. */
  seconds: z.number().int().min(1).max(86_400).optional(),
  /** rate: absolute change per minute that fires. */
  perMinute: z.number().positive().optional(),
  /** offline: minutes without a message. */
  minutes: z.number().int().min(1).max(10_080).optional(),
  /** event: the device event identifier, and optionally its level. */
  event: z.string().max(50).optional(),
  eventLevel: z.enum(['info', 'alert', 'error']).optional(),
});
export type RuleParams = z.infer<typeof RuleParams>;

export const RULE_ACTION_TYPES = ['alarm', 'event', 'notify', 'http', 'mqtt'] as const;
export const RULE_ACTION_LABELS = { alarm: '产生告警', event: '生成事件', notify: '通知人员', http: 'HTTP 转发', mqtt: 'MQTT 转发' } as const;

export const RuleAction = z.discriminatedUnion('type', [
  z.object({ type: z.literal('alarm') }),
  /** An event in the event hub, as a to-do of the device's organisation (or `orgId`). */
  z.object({ type: z.literal('event'), typeCode: z.string().max(64).optional(), orgId: z.string().uuid().optional(), title: z.string().max(100).optional() }),
  /** An in-app message to the people of these organisations (default: the device's). */
  z.object({ type: z.literal('notify'), orgIds: z.array(z.string().uuid()).max(50).default([]) }),
  z.object({ type: z.literal('http'), url: z.string().url('请填写完整的 http(s) 地址').max(500), headers: z.record(z.string(), z.string()).default({}) }),
  z.object({ type: z.literal('mqtt'), url: z.string().max(500).optional(), topic: z.string().min(1).max(200) }),
]);
export type RuleAction = z.infer<typeof RuleAction>;
