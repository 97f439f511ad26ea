import type { EventDetail, NodeRole, NodeStatus } from '@cityops/contracts';

export interface SummaryNode {
  orgId: string;
  orgName: string;
  orgLevel: string;
  role: NodeRole;
  status: NodeStatus;
  handledAt: Date | null;
}

interface SummaryEvent {
  no: string | null;
  title: string;
  status: string;
  ownerOrgId: string | null;
}

const OPEN: NodeStatus[] = ['todo', 'waiting', 'closing'];

/**
 * 处置汇总: 处置中 = organisations with an open handling node (or the closing to-do); 已处置 =
 * organisations whose handling node was submitted (also once the event closed around it), and the
 * closing organisation of a closed event. An organisation still at work is only 处置中.
 */
export function summarise(event: SummaryEvent, nodes: SummaryNode[], levelLabel: (level: string) => string): EventDetail['summary'] {
  const handling = (n: SummaryNode) => n.role !== 'cc' || n.status === 'closing';
  const open = new Set(nodes.filter((n) => handling(n) && OPEN.includes(n.status)).map((n) => n.orgId));
  const handled = new Set(
    nodes.filter((n) => n.role !== 'cc' && (n.status === 'submitted' || (n.status === 'finished' && n.handledAt))).map((n) => n.orgId),
  );
  if (event.status === 'closed' && event.ownerOrgId) handled.add(event.ownerOrgId);

  // Each organisation once, in the order it joined the tree.
  const firstNodes = new Map<string, SummaryNode>();
  for (const n of nodes) if (!firstNodes.has(n.orgId)) firstNodes.set(n.orgId, n);
  const pick = (test: (orgId: string) => boolean) => [...firstNodes.values()].filter((n) => test(n.orgId));
  const inProgress = pick((id) => open.has(id));
  const done = pick((id) => handled.has(id) && !open.has(id));

  const entries = (list: SummaryNode[]) => list.map((n) => ({ orgName: n.orgName, level: levelLabel(n.orgLevel) }));
  const doneList = entries(done);
  const openList = entries(inProgress);
  // '镇（街道）' reads as '镇街道' inside the notice's own brackets.
  const names = (list: { orgName: string; level: string }[]) =>
    list.length ? list.map((o) => `${o.orgName}（${o.level.replace(/[（）()]/g, '')}）`).join('、') : '无';
  const text =
    `【处置汇总】事件编号：${event.no ?? '无'}；事件标题：${event.title}；` +
    `已处置单位（${doneList.length}）：${names(doneList)}；处置中单位（${openList.length}）：${names(openList)}。`;
  return { done: doneList, inProgress: openList, text };
}
