import { EVENT_LEVEL_LABELS, RULE_OPERATOR_LABELS, describeRuleCondition, type RuleKind, type RuleParams } from '@cityops/contracts';

/**
 * The rule engine's pure part: given a rule's parameters, what it remembers about one device, and
 * a report, does an alarm start or end? Edge-triggered: it fires when the condition becomes true and
 * clears when it is false again, so one episode makes one alarm.
 */

/** What a rule remembers per device (kept in the cache so that several ingest nodes agree). */
export interface RuleState {
  /** The condition held at the last evaluation (an alarm episode is running). */
  firing?: boolean;
  /** duration: since when (ms) the condition has held without interruption. */
  since?: number;
  /** rate: the last numeric value and its time (ms). */
  lastValue?: number;
  lastTs?: number;
}

export interface Verdict {
  state: RuleState;
  /** The state differs from the one given (worth writing back). */
  changed: boolean;
  /** An alarm starts, with what the alarm's detail records. */
  fire?: Record<string, unknown>;
  /** The running alarm ends, with why. */
  clear?: Record<string, unknown>;
}

type Operator = NonNullable<RuleParams['operator']>;

export function compare(op: Operator, a: number, b: number): boolean {
  switch (op) {
    case '>': return a > b;
    case '>=': return a >= b;
    case '<': return a < b;
    case '<=': return a <= b;
    case '==': return a === b;
    case '!=': return a !== b;
  }
}

/** A reported value as a number: numbers, booleans (1/0) and numeric strings; anything else is not comparable. */
export function numeric(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

const iso = (ms: number) => new Date(ms).toISOString();
const same = (a: RuleState, b: RuleState) =>
  a.firing === b.firing && a.since === b.since && a.lastValue === b.lastValue && a.lastTs === b.lastTs;
const round = (n: number) => Math.round(n * 1000) / 1000;

/**
 * A property report against a threshold / duration / rate rule. `undefined` when the report does
 * not carry the rule's property (a partial report changes nothing).
 */
export function evaluateReport(kind: RuleKind, p: RuleParams, prev: RuleState, values: Record<string, unknown>, ts: number): Verdict | undefined {
  if (kind !== 'threshold' && kind !== 'duration' && kind !== 'rate') return undefined;
  if (!p.property || !(p.property in values)) return undefined;
  const value = numeric(values[p.property]);
  if (value === undefined) return undefined;
  const base = { kind, condition: describeRuleCondition(kind, p), property: p.property, value, reportedAt: iso(ts) };
  let state: RuleState = { ...prev };
  let fire: Record<string, unknown> | undefined;
  let clear: Record<string, unknown> | undefined;

  if (kind === 'threshold') {
    if (!p.operator || p.value === undefined) return undefined;
    const holds = compare(p.operator, value, p.value);
    if (holds && !prev.firing) fire = { ...base, threshold: p.value, operator: p.operator };
    if (!holds && prev.firing) clear = { clearValue: value, clearedAt: iso(ts) };
    state.firing = holds;
  } else if (kind === 'duration') {
    if (!p.operator || p.value === undefined || !p.seconds) return undefined;
    const holds = compare(p.operator, value, p.value);
    if (holds) {
      const since = prev.since ?? ts;
      state.since = since;
      // Kept while the condition holds: the sweep's alarm says which value held.
      state.lastValue = value;
      if (!prev.firing && ts - since >= p.seconds * 1000) {
        fire = { ...base, threshold: p.value, operator: p.operator, since: iso(since), heldSeconds: Math.round((ts - since) / 1000) };
        state.firing = true;
      }
    } else {
      if (prev.firing) clear = { clearValue: value, clearedAt: iso(ts) };
      state = { firing: false };
    }
  } else {
    if (!p.perMinute) return undefined;
    // Out-of-order or same-instant reports say nothing about the rate.
    if (prev.lastTs !== undefined && ts <= prev.lastTs) return undefined;
    state.lastValue = value;
    state.lastTs = ts;
    if (prev.lastTs !== undefined && prev.lastValue !== undefined) {
      const minutes = (ts - prev.lastTs) / 60_000;
      const rate = Math.abs(value - prev.lastValue) / minutes;
      const holds = rate > p.perMinute;
      if (holds && !prev.firing) fire = { ...base, previousValue: prev.lastValue, previousAt: iso(prev.lastTs), ratePerMinute: round(rate), perMinute: p.perMinute };
      if (!holds && prev.firing) clear = { clearValue: value, clearRatePerMinute: round(rate), clearedAt: iso(ts) };
      state.firing = holds;
    }
  }
  return { state, changed: !same(prev, state), fire, clear };
}

/** A device event against an event rule. */
export function eventMatches(p: RuleParams, identifier: string, level: string): boolean {
  return !!p.event && p.event === identifier && (!p.eventLevel || p.eventLevel === level);
}

/**
 * duration, checked by the sweep: the condition held and the device fell silent before reporting
 * again, so no report would fire it.
 */
export function durationDue(p: RuleParams, s: RuleState, now: number): boolean {
  return !!p.seconds && s.since !== undefined && !s.firing && now - s.since >= p.seconds * 1000;
}

/** The sample of 规则测试. */
export interface RuleSample {
  value?: number;
  heldSeconds?: number;
  previousValue?: number;
  minutesBetween?: number;
  event?: string;
  eventLevel?: 'info' | 'alert' | 'error';
  silentMinutes?: number;
}

/** Would the rule fire for this sample? With the reason in Chinese, for the rule form's 测试 button. */
export function testRule(kind: RuleKind, p: RuleParams, s: RuleSample): { fires: boolean; message: string } {
  const verdict = (fires: boolean, why: string) => ({ fires, message: `${why}，${fires ? '触发告警' : '不触发'}` });
  const need = (what: string) => ({ fires: false, message: `请填写${what}` });
  switch (kind) {
    case 'threshold':
    case 'duration': {
      if (!p.operator || p.value === undefined) return need('规则的比较方式和阈值');
      if (s.value === undefined) return need('样本值');
      const holds = compare(p.operator, s.value, p.value);
      const why = `${s.value} ${holds ? '' : '不'}${RULE_OPERATOR_LABELS[p.operator]} ${p.value}`;
      if (kind === 'threshold' || !holds) return verdict(holds, why);
      if (!p.seconds) return need('规则的持续秒数');
      const held = s.heldSeconds ?? 0;
      return verdict(held >= p.seconds, `${why}，已持续 ${held} 秒（要求 ${p.seconds} 秒）`);
    }
    case 'rate': {
      if (!p.perMinute) return need('规则的每分钟变化量');
      if (s.value === undefined || s.previousValue === undefined || !s.minutesBetween) return need('样本值、上一次的值和两次间隔（分钟）');
      const rate = round(Math.abs(s.value - s.previousValue) / s.minutesBetween);
      return verdict(rate > p.perMinute, `每分钟变化 ${rate}（限值 ${p.perMinute}）`);
    }
    case 'event': {
      if (!p.event) return need('规则的设备事件');
      if (!s.event) return need('样本事件标识');
      return verdict(eventMatches(p, s.event, s.eventLevel ?? 'info'), `上报事件 ${s.event}${s.eventLevel ? `（${EVENT_LEVEL_LABELS[s.eventLevel]}）` : ''}`);
    }
    case 'offline': {
      if (!p.minutes) return need('规则的离线分钟数');
      if (s.silentMinutes === undefined) return need('离线时长（分钟）');
      return verdict(s.silentMinutes >= p.minutes, `已离线 ${s.silentMinutes} 分钟（限值 ${p.minutes} 分钟）`);
    }
  }
}
