import { describe, expect, it } from 'vitest';
import type { RuleParams } from '@cityops/contracts';
import { compare, durationDue, evaluateReport, eventMatches, numeric, testRule, type RuleState } from './rule-evaluate.js';

const T0 = Date.parse('2026-11-24T08:00:00Z');
const s = (n: number) => T0 + n * 1000;

/** Feeds reports one after the other, as the engine does, and lists what happened. */
function run(kind: 'threshold' | 'duration' | 'rate', p: RuleParams, reports: [at: number, values: Record<string, unknown>][]) {
  let state: RuleState = {};
  const seen: string[] = [];
  for (const [at, values] of reports) {
    const v = evaluateReport(kind, p, state, values, at);
    if (!v) {
      seen.push('-');
      continue;
    }
    state = v.state;
    seen.push(v.fire ? 'fire' : v.clear ? 'clear' : '.');
  }
  return { seen, state };
}

describe('rule evaluation', () => {
  it('compares with every operator, and reads numbers, booleans and numeric text', () => {
    expect([compare('>', 2, 1), compare('>=', 1, 1), compare('<', 1, 2), compare('<=', 2, 2), compare('==', 3, 3), compare('!=', 3, 4)]).toEqual([true, true, true, true, true, true]);
    expect([compare('>', 1, 1), compare('<', 1, 1), compare('==', 1, 2), compare('!=', 2, 2)]).toEqual([false, false, false, false]);
    expect([numeric(3.5), numeric(true), numeric(false), numeric('12'), numeric('abc'), numeric(null), numeric(Number.NaN)]).toEqual([3.5, 1, 0, 12, undefined, undefined, undefined]);
  });

  it('threshold: fires once when the value crosses, clears when it is back, fires again on the next episode', () => {
    const p: RuleParams = { property: 'gas_concentration', operator: '>=', value: 20 };
    const { seen } = run('threshold', p, [
      [s(0), { gas_concentration: 5 }],
      [s(1), { gas_concentration: 25 }],
      [s(2), { gas_concentration: 30 }],
      [s(3), { valve_state: 1 }],
      [s(4), { gas_concentration: 12 }],
      [s(5), { gas_concentration: 12 }],
      [s(6), { gas_concentration: 20 }],
    ]);
    expect(seen).toEqual(['.', 'fire', '.', '-', 'clear', '.', 'fire']);
  });

  it('threshold: the alarm says what crossed what, when', () => {
    const v = evaluateReport('threshold', { property: 'gas_concentration', operator: '>', value: 20 }, {}, { gas_concentration: 35.5 }, s(0))!;
    expect(v.fire).toMatchObject({ kind: 'threshold', property: 'gas_concentration', value: 35.5, threshold: 20, operator: '>', condition: 'gas_concentration 大于 20', reportedAt: '2026-11-24T08:00:00.000Z' });
    expect(v.changed).toBe(true);
  });

  it('duration: fires at the first report once the condition has held long enough, and not before', () => {
    const p: RuleParams = { property: 'level', operator: '>', value: 2.5, seconds: 60 };
    const { seen, state } = run('duration', p, [
      [s(0), { level: 2.8 }],
      [s(30), { level: 2.9 }],
      [s(59), { level: 3 }],
      [s(61), { level: 3.1 }],
      [s(90), { level: 3.2 }],
    ]);
    expect(seen).toEqual(['.', '.', '.', 'fire', '.']);
    expect(state).toMatchObject({ firing: true, since: s(0) });
  });

  it('duration: an interruption starts the clock again; falling back clears a fired alarm', () => {
    const p: RuleParams = { property: 'level', operator: '>', value: 2.5, seconds: 60 };
    expect(run('duration', p, [
      [s(0), { level: 3 }],
      [s(50), { level: 2 }],
      [s(70), { level: 3 }],
      [s(100), { level: 3 }],
      [s(131), { level: 3 }],
      [s(140), { level: 1 }],
    ]).seen).toEqual(['.', '.', '.', '.', 'fire', 'clear']);
  });

  it('duration: the sweep finds a condition that held while the device fell silent', () => {
    const p: RuleParams = { property: 'level', operator: '>', value: 2.5, seconds: 60 };
    const { state } = run('duration', p, [[s(0), { level: 3 }]]);
    expect(state).toMatchObject({ since: s(0), lastValue: 3 });
    expect(durationDue(p, state, s(59))).toBe(false);
    expect(durationDue(p, state, s(60))).toBe(true);
    expect(durationDue(p, { ...state, firing: true }, s(120))).toBe(false);
    expect(durationDue(p, {}, s(120))).toBe(false);
  });

  it('rate: compares the change per minute between the last two reports', () => {
    const p: RuleParams = { property: 'tilt', perMinute: 10 };
    const { seen } = run('rate', p, [
      [s(0), { tilt: 1 }],
      [s(60), { tilt: 5 }], // 4 per minute
      [s(90), { tilt: 12 }], // 14 per minute
      [s(120), { tilt: 14 }], // 4 per minute
      [s(120), { tilt: 40 }], // same instant: nothing to say
      [s(110), { tilt: 40 }], // out of order: ignored
    ]);
    expect(seen).toEqual(['.', '.', 'fire', 'clear', '-', '-']);
    const v = evaluateReport('rate', p, { lastValue: 1, lastTs: s(0) }, { tilt: 31 }, s(60))!;
    expect(v.fire).toMatchObject({ ratePerMinute: 30, previousValue: 1, perMinute: 10, value: 31 });
  });

  it('a report without the property, or with a value that is not a number, changes nothing', () => {
    const p: RuleParams = { property: 'gas_concentration', operator: '>', value: 20 };
    expect(evaluateReport('threshold', p, { firing: true }, { valve_state: 0 }, s(0))).toBeUndefined();
    expect(evaluateReport('threshold', p, { firing: true }, { gas_concentration: 'high' }, s(0))).toBeUndefined();
    expect(evaluateReport('threshold', { property: 'x' }, {}, { x: 1 }, s(0))).toBeUndefined();
  });

  it('event: the identifier, and the level when the rule names one', () => {
    expect(eventMatches({ event: 'fire_alarm' }, 'fire_alarm', 'info')).toBe(true);
    expect(eventMatches({ event: 'fire_alarm' }, 'self_test', 'alert')).toBe(false);
    expect(eventMatches({ event: 'fire_alarm', eventLevel: 'alert' }, 'fire_alarm', 'alert')).toBe(true);
    expect(eventMatches({ event: 'fire_alarm', eventLevel: 'alert' }, 'fire_alarm', 'info')).toBe(false);
    expect(eventMatches({}, 'fire_alarm', 'alert')).toBe(false);
  });

  it('规则测试 answers for each kind, in Chinese', () => {
    expect(testRule('threshold', { property: 'gas_concentration', operator: '>=', value: 20 }, { value: 35 })).toEqual({ fires: true, message: '35 大于等于 20，触发告警' });
    expect(testRule('threshold', { property: 'gas_concentration', operator: '>=', value: 20 }, { value: 5 })).toEqual({ fires: false, message: '5 不大于等于 20，不触发' });
    expect(testRule('duration', { property: 'level', operator: '>', value: 2.5, seconds: 300 }, { value: 3, heldSeconds: 120 }).fires).toBe(false);
    expect(testRule('duration', { property: 'level', operator: '>', value: 2.5, seconds: 300 }, { value: 3, heldSeconds: 300 }).fires).toBe(true);
    expect(testRule('rate', { property: 'tilt', perMinute: 10 }, { value: 30, previousValue: 5, minutesBetween: 2 })).toEqual({ fires: true, message: '每分钟变化 12.5（限值 10），触发告警' });
    expect(testRule('event', { event: 'fire_alarm', eventLevel: 'alert' }, { event: 'fire_alarm', eventLevel: 'alert' })).toEqual({ fires: true, message: '上报事件 fire_alarm（告警），触发告警' });
    expect(testRule('offline', { minutes: 30 }, { silentMinutes: 10 }).fires).toBe(false);
    expect(testRule('threshold', { property: 'gas_concentration', operator: '>=', value: 20 }, {})).toEqual({ fires: false, message: '请填写样本值' });
  });
});
