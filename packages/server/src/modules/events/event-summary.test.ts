import { describe, expect, it } from 'vitest';
import { summarise, type SummaryNode } from './event-summary.js';

const LEVELS: Record<string, string> = { town: '镇（街道）', community: '村（社区）', department: '部门' };
const label = (l: string) => LEVELS[l] ?? l;
const node = (orgId: string, orgName: string, orgLevel: string, role: SummaryNode['role'], status: SummaryNode['status'], handledAt: Date | null = null): SummaryNode =>
  ({ orgId, orgName, orgLevel, role, status, handledAt });

describe('处置汇总', () => {
  it('lists each organisation once, in tree order; one still at work is only in progress; CC is neither', () => {
    const s = summarise({ no: 'RX20260301000001', title: '道路破损', status: 'processing', ownerOrgId: 'a' }, [
      node('a', '崇阳街道', 'town', 'main', 'waiting'),
      node('b', '汇蜀社区', 'community', 'main', 'submitted', new Date()),
      node('c', '执法局', 'department', 'assist', 'submitted', new Date()),
      node('c', '执法局', 'department', 'assist', 'todo'),
      node('d', '公安局', 'department', 'cc', 'todo'),
    ], label);
    expect(s.done).toEqual([{ orgName: '汇蜀社区', level: '村（社区）' }]);
    expect(s.inProgress.map((o) => o.orgName)).toEqual(['崇阳街道', '执法局']);
    expect(s.text).toBe('【处置汇总】事件编号：RX20260301000001；事件标题：道路破损；已处置单位（1）：汇蜀社区（村社区）；处置中单位（2）：崇阳街道（镇街道）、执法局（部门）。');
  });

  it('counts the closing organisation once the event is closed', () => {
    const s = summarise({ no: null, title: '噪声', status: 'closed', ownerOrgId: 'a' }, [
      node('a', '崇阳街道', 'town', 'main', 'finished'),
      node('b', '汇蜀社区', 'community', 'main', 'finished', new Date()),
      node('c', '执法局', 'department', 'assist', 'recalled'),
    ], label);
    expect(s.done.map((o) => o.orgName)).toEqual(['崇阳街道', '汇蜀社区']);
    expect(s.inProgress).toEqual([]);
    expect(s.text).toContain('事件编号：无；');
    expect(s.text).toContain('处置中单位（0）：无。');
  });
});
