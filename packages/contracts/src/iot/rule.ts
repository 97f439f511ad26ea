import { z } from 'zod';
import { EVENT_LEVEL_LABELS } from './thing-model.js';

/**
 * 规则引擎 types shared by server and web. A rule watches one product's reports:
 * threshold — a property compared with a value; duration — the same held for N seconds;
 * rate — a property's change per minute beyond a limit; offline — no message for N minutes;
 * event — a device event (optionally of one level).
 */
export const RULE_KINDS = ['threshold', 'duration', 'rate', 'offline', 'event'] as const;
export const RuleKind = z.enum(RULE_KINDS, { message: '请选择规则类型' });
export type RuleKind = z.infer<typeof RuleKind>;
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

/**
 * What a rule does when it fires. Every firing is recorded as an alarm (告警记录: one open per rule and
 * device, which is how repeats are suppressed), so `alarm` is implied; the others hang off that alarm
 * and their outcomes are recorded on it.
 */
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

export const RULE_LEVELS = ['info', 'warning', 'critical'] as const;
export const RuleLevel = z.enum(RULE_LEVELS, { message: '请选择告警级别' });
export type RuleLevel = z.infer<typeof RuleLevel>;
export const RULE_LEVEL_LABELS: Record<RuleLevel, string> = { info: '提示', warning: '一般', critical: '严重' };

export const RULE_OPERATOR_LABELS: Record<(typeof RULE_OPERATORS)[number], string> = {
  '>': '大于', '>=': '大于等于', '<': '小于', '<=': '小于等于', '==': '等于', '!=': '不等于',
};

/** A problem with a rule's parameters for its kind: the field and the Chinese message (forms put it on the field). */
export interface RuleParamsProblem { path: string; message: string }

/** What each kind needs beyond the zod shape (which leaves every field optional so one column holds them all). */
export function ruleParamsProblems(kind: RuleKind, p: RuleParams): RuleParamsProblem[] {
  const out: RuleParamsProblem[] = [];
  const need = (ok: unknown, path: string, message: string) => { if (ok === undefined || ok === '') out.push({ path, message }); };
  if (kind === 'threshold' || kind === 'duration') {
    need(p.property, 'property', '请选择属性');
    need(p.operator, 'operator', '请选择比较方式');
    need(p.value, 'value', '请输入阈值');
  }
  if (kind === 'duration') need(p.seconds, 'seconds', '请输入持续秒数');
  if (kind === 'rate') {
    need(p.property, 'property', '请选择属性');
    need(p.perMinute, 'perMinute', '请输入每分钟变化量');
  }
  if (kind === 'offline') need(p.minutes, 'minutes', '请输入离线分钟数');
  if (kind === 'event') need(p.event, 'event', '请选择设备事件');
  return out;
}

/** One line describing the condition, e.g. 「gas_concentration 大于 20」 (lists, alarm details). */
export function describeRuleCondition(kind: RuleKind, p: RuleParams): string {
  const op = p.operator ? RULE_OPERATOR_LABELS[p.operator] : '';
  switch (kind) {
    case 'threshold': return `${p.property ?? ''} ${op} ${p.value ?? ''}`.trim();
    case 'duration': return `${p.property ?? ''} ${op} ${p.value ?? ''} 持续 ${p.seconds ?? ''} 秒`.trim();
    case 'rate': return `${p.property ?? ''} 每分钟变化超过 ${p.perMinute ?? ''}`.trim();
    case 'offline': return `离线超过 ${p.minutes ?? ''} 分钟`;
    case 'event': return `上报事件 ${p.event ?? ''}${p.eventLevel ? `（${EVENT_LEVEL_LABELS[p.eventLevel]}）` : ''}`;
  }
}
