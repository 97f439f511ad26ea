import { describe, expect, it } from 'vitest';
import type { AvailableAction, EventDetail, TargetOrg, TreeNode } from '@cityops/contracts';
import { actionButtons } from './action-catalogue';
import { buildTargetTree, type TargetTreeNode } from './target-tree';

const org = (id: string, name: string, level: string, parentId: string | null, parentName: string | null, relation: TargetOrg['relation'] = 'below'): TargetOrg => ({
  id, name, level, parentId, parentName, relation, recommended: false,
});
const labels = (list: TargetTreeNode[]): unknown[] => list.map((n) => (n.children.length ? [n.label, labels(n.children)] : n.label + (n.hint ? `·${n.hint}` : '')));

describe('buildTargetTree', () => {
  it('shows a city operator departments and towns, each town a folder with its 城运中心 first', () => {
    const tree = buildTargetTree([
      org('d2', '崇州市公安局', 'department', 'cz', '崇州市'),
      org('s1', '法制科', 'section', 'd2', '崇州市公安局'),
      org('c1', '汇蜀社区', 'community', 't1', '崇阳街道'),
      org('tc1', '崇阳街道城运中心', 'section', 't1', '崇阳街道'),
      org('d1', '崇州市综合行政执法局', 'department', 'cz', '崇州市'),
      org('c2', '北郊社区', 'community', 't1', '崇阳街道'),
      org('tc2', '羊马街道城运中心', 'section', 't2', '羊马街道'),
    ]);
    expect(labels(tree)).toEqual([
      ['部门（3）', [['崇州市公安局', ['法制科']], '崇州市综合行政执法局']],
      ['镇街（4）', [['崇阳街道', ['崇阳街道城运中心', '北郊社区', '汇蜀社区']], '羊马街道城运中心·羊马街道']],
    ]);
  });

  it('puts a town its own communities first, then other towns and the departments sideways', () => {
    const tree = buildTargetTree([
      org('up', '崇州市城市运行管理中心', 'department', 'cz', '崇州市', 'city'),
      org('d1', '崇州市综合行政执法局', 'department', 'cz', '崇州市', 'sideways'),
      org('tc2', '羊马街道城运中心', 'section', 't2', '羊马街道', 'sideways'),
      org('c1', '汇蜀社区', 'community', 't1', '崇阳街道'),
      org('c2', '北郊社区', 'community', 't1', '崇阳街道'),
    ]);
    expect(labels(tree)).toEqual([
      ['上级单位（1）', ['崇州市城市运行管理中心']],
      ['镇街（3）', [['崇阳街道', ['北郊社区', '汇蜀社区']], '羊马街道城运中心·羊马街道']],
      ['部门（1）', ['崇州市综合行政执法局']],
    ]);
  });
});

describe('actionButtons', () => {
  const tree = [
    { id: 'root', parentId: null },
    { id: 'a', parentId: 'root' },
    { id: 'b', parentId: 'root' },
    { id: 'deep', parentId: 'a' },
  ] as TreeNode[];
  const act = (action: string, nodeId: string | null = null, requestId: string | null = null): AvailableAction => ({ action, nodeId, requestId });
  const detail = (actions: AvailableAction[], isKey = false) =>
    ({ actions, tree, event: { isKey } }) as unknown as Pick<EventDetail, 'actions' | 'tree' | 'event'>;
  const shown = (groups: ReturnType<typeof actionButtons>) => groups.map((g) => g.map((b) => b.label));

  it('groups the work first and the destructive actions last, in a fixed order', () => {
    const groups = actionButtons(detail([act('void'), act('instruct'), act('handle', 'root'), act('delay', 'root'), act('dispatch', 'root'), act('close'), act('key')]));
    expect(shown(groups)).toEqual([['办理', '交办'], ['延期'], ['结案'], ['标记重点工单', '批示'], ['作废']]);
    expect(groups[4]![0]!.spec.destructive).toBe(true);
  });

  it('on one to-do shows that node\'s actions, 撤回 and 审核 of the organisations it sent to, and the event\'s', () => {
    const groups = actionButtons(
      detail([act('handle', 'root'), act('handle', 'a'), act('recall', 'a'), act('recall', 'b'), act('recall', 'deep'), act('audit', 'b', 'r1'), act('key')], true),
      'root',
    );
    expect(shown(groups)).toEqual([['办理'], ['审核'], ['取消重点工单'], ['撤回（2）']]);
    const recall = groups[3]![0]!;
    expect(recall.entries.map((e) => e.nodeId)).toEqual(['a', 'b']);
    expect(groups[0]![0]!.nodeId).toBe('root');
  });

  it('ignores actions it does not know and shows nothing when nothing is allowed', () => {
    expect(actionButtons(detail([act('plan')]))).toEqual([]);
  });
});
