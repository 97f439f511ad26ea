import { NODE_STATUS_LABELS, EVENT_STATUS_LABELS } from '@cityops/contracts';
import type { EventRowDb } from './event.repository.js';
import type { NodeRow } from './node.repository.js';
import { OPEN_NODE_STATUSES, type NodeStatus } from './node.table.js';
import type { RequestKind } from './request.table.js';

/**
 * The event hub's state machine, as pure functions over an event and its nodes: which actions an
 * organisation may take now (the same rules refuse an operation and list the buttons of the detail
 * page), and how the tree settles after an action.
 */

/** The acting user, with what the rules need of their organisation. */
export interface Actor {
  userId: string;
  name: string;
  orgId: string;
  orgName: string;
  orgPath: string;
  orgLevel: string;
  isCityCentre: boolean;
  isTownCentre: boolean;
}

export interface Refusal {
  status: 403 | 409;
  message: string;
}

export const NODE_ACTIONS = ['handle', 'track', 'report', 'dispatch', 'assist', 'sign', 'delay', 'return', 'read'] as const;
export type NodeAction = (typeof NODE_ACTIONS)[number] | 'recall';
export const EVENT_ACTIONS = ['void', 'key', 'instruct', 'supervise', 'rework', 'close', 'force-close', 'reopen'] as const;
export type EventAction = (typeof EVENT_ACTIONS)[number];

const isOpen = (n: Pick<NodeRow, 'status'>) => OPEN_NODE_STATUSES.includes(n.status);
const handling = (n: Pick<NodeRow, 'role'>) => n.role !== 'cc';
const conflict = (message: string): Refusal => ({ status: 409, message });
const forbidden = (message: string): Refusal => ({ status: 403, message });
const statusText = (n: NodeRow) => `「${NODE_STATUS_LABELS[n.status]}」`;

/** The closing organisation's open node, the one nearest the root. */
export function ownerNode(event: Pick<EventRowDb, 'ownerOrgId'>, nodes: NodeRow[]): NodeRow | undefined {
  const mine = nodes.filter((n) => n.orgId === event.ownerOrgId && isOpen(n) && handling(n));
  return mine.sort((a, b) => depth(nodes, a) - depth(nodes, b))[0];
}

function depth(nodes: NodeRow[], n: NodeRow) {
  let d = 0;
  for (let p = n.parentId; p; p = nodes.find((x) => x.id === p)?.parentId ?? null) d++;
  return d;
}

function ancestorIds(nodes: NodeRow[], n: NodeRow) {
  const ids = new Set<string>();
  for (let p = n.parentId; p; p = nodes.find((x) => x.id === p)?.parentId ?? null) ids.add(p);
  return ids;
}

export const openChildren = (nodes: NodeRow[], n: NodeRow) =>
  nodes.filter((c) => c.parentId === n.id && handling(c) && isOpen(c));

/** Node id → the kind of its request waiting for audit (at most one per node). */
export type PendingRequests = ReadonlyMap<string, RequestKind>;
const PENDING = '已有待审核的申请，请等待审核结果';

/** Why `actor` may not take `action` on `node` now, or null when it may. */
export function refuseNodeAction(
  action: NodeAction,
  ctx: { event: EventRowDb; nodes: NodeRow[]; pending: PendingRequests },
  node: NodeRow,
  actor: Actor,
): Refusal | null {
  const { event, nodes } = ctx;
  if (action === 'recall') {
    const parent = nodes.find((n) => n.id === node.parentId);
    if (!parent || parent.orgId !== actor.orgId) return forbidden('只有交办单位可以撤回');
    if (node.via !== 'dispatch' && node.via !== 'assist') return conflict('上报的事件不能撤回');
    if (!isOpen(node)) return conflict(`该单位的待办当前为${statusText(node)}，不能撤回`);
  } else if (node.orgId !== actor.orgId) {
    return forbidden('该待办不属于您的单位');
  }
  if (event.status !== 'processing' && event.status !== 'handled') {
    return conflict(`事件${EVENT_STATUS_LABELS[event.status]}，不能再办理`);
  }
  const need = (...statuses: NodeStatus[]) =>
    statuses.includes(node.status) ? null : conflict(`该待办当前为${statusText(node)}，不能执行此操作`);
  // A handling result waiting for approval (回复申请) is the node's answer: nothing else moves it meanwhile.
  const needNoReply = (...statuses: NodeStatus[]) =>
    need(...statuses) ?? (ctx.pending.get(node.id) === 'reply' ? conflict(PENDING) : null);
  switch (action) {
    case 'handle':
      return handling(node) ? needNoReply('todo') : conflict('抄送的事件无需办理');
    case 'track':
      return handling(node) ? need('todo', 'waiting') : conflict('抄送的事件不能跟踪');
    case 'dispatch':
      return handling(node) ? needNoReply('todo', 'waiting') : conflict('抄送的事件不能交办');
    case 'assist':
      return handling(node) ? needNoReply('todo') : conflict('抄送的事件不能申请协助');
    case 'report': {
      const r = needNoReply('todo');
      if (r) return r;
      if (actor.isCityCentre) return conflict('市城运中心没有上级可以上报');
      if (ownerNode(event, nodes)?.id !== node.id) return conflict('上级交办的事件不能上报，如属错交请申请退回');
      return null;
    }
    case 'sign':
      if (!handling(node)) return conflict('抄送的事件只需阅知，无需签收');
      if (!node.fromCity) return conflict('只有市城运中心派发的事件需要签收');
      if (node.signedAt) return conflict('该事件已签收');
      return need('todo', 'waiting');
    case 'delay': {
      const r = handling(node) ? need('todo', 'waiting') : conflict('抄送的事件没有办理时限');
      if (r) return r;
      if (!node.deadline) return conflict('该待办没有办理时限，无需延期');
      return ctx.pending.has(node.id) ? conflict(PENDING) : null;
    }
    case 'return': {
      if (!handling(node)) return conflict('抄送的事件只需阅知，不能退回');
      if (node.via !== 'dispatch' && node.via !== 'assist') return conflict('只有上级交办或请求协助的事件可以退回');
      const r = need('todo');
      if (r) return r;
      return ctx.pending.has(node.id) ? conflict(PENDING) : null;
    }
    case 'read':
      return node.role === 'cc' ? need('todo') : conflict('只有抄送的事件需要阅知');
    case 'recall':
      return null;
  }
}

/** Why `actor` may not take `action` on the event now, or null when it may. */
export function refuseEventAction(action: EventAction, ctx: { event: EventRowDb; nodes: NodeRow[] }, actor: Actor): Refusal | null {
  const { event, nodes } = ctx;
  const inProgress = event.status === 'processing' || event.status === 'handled';
  const isOwner = event.ownerOrgId === actor.orgId;
  const state = `事件当前为「${EVENT_STATUS_LABELS[event.status]}」`;
  switch (action) {
    case 'void': {
      if (event.creatorOrgId !== actor.orgId) return forbidden('只有发起单位可以作废事件');
      if (event.status !== 'processing') return conflict(`${state}，不能作废`);
      const root = nodes.find((n) => !n.parentId);
      const busy = root?.status !== 'todo' || nodes.some((n) => n.id !== root.id && isOpen(n));
      return busy ? conflict('事件处于交办、上报等处置中状态，不能作废') : null;
    }
    case 'key':
      if (!actor.isCityCentre && !actor.isTownCentre) return forbidden('只有城运中心人员可以标记重点工单');
      if (event.status === 'closed' || event.status === 'voided' || event.status === 'draft') return conflict(`${state}，不能修改重点工单标记`);
      if (!actor.isCityCentre && event.fromCity) return conflict('市级派发的事件以市级的重点工单标记为准，不能修改');
      if (!actor.isCityCentre && event.reportedToCity) return conflict('已上报市城运中心的事件不能修改重点工单标记');
      return null;
    case 'instruct':
      return event.status === 'draft' ? conflict('草稿不能批示') : null;
    case 'supervise':
      return inProgress ? null : conflict(`只有办理中的事件才能督办，${state}`);
    case 'rework':
    case 'close': {
      if (!isOwner) return forbidden('只有结案单位可以' + (action === 'close' ? '结案' : '核验退回'));
      const owner = ownerNode(event, nodes);
      return owner?.status === 'closing' ? null : conflict(`各办理单位尚未全部提交办理结果，${state}`);
    }
    case 'force-close':
      if (!isOwner) return forbidden('只有结案单位可以强制办结');
      return inProgress ? null : conflict(`${state}，不能强制办结`);
    case 'reopen':
      if (!isOwner) return forbidden('只有结案单位可以重启事件');
      return event.status === 'closed' ? null : conflict(`只有已办结的事件可以重启，${state}`);
  }
}

export interface NodeChange {
  id: string;
  status: NodeStatus;
  endedAt?: Date | null;
}

/**
 * After an action: every waiting node whose handling children are all done moves on — the closing
 * organisation's node to `closing` (once nothing else is open), a node that already submitted its
 * own handling to `submitted`, a node that only dispatched back to `todo` (to submit, or to handle
 * itself when everything it sent was recalled or returned). Mutates `nodes` and
 * returns the changes plus whether the event is ready to close.
 */
export function settle(event: Pick<EventRowDb, 'ownerOrgId'>, nodes: NodeRow[], now: Date): { changes: NodeChange[]; handled: boolean } {
  const changes = new Map<string, NodeChange>();
  const set = (n: NodeRow, status: NodeStatus) => {
    n.status = status;
    n.endedAt = isOpen(n) ? null : now;
    changes.set(n.id, { id: n.id, status, endedAt: n.endedAt });
  };
  for (let moved = true; moved; ) {
    moved = false;
    const owner = ownerNode(event, nodes);
    const shielded = owner ? new Set([owner.id, ...ancestorIds(nodes, owner)]) : new Set<string>();
    const blocked = nodes.some((n) => handling(n) && (n.status === 'todo' || n.status === 'waiting') && !shielded.has(n.id));
    const waiting = nodes.filter((n) => n.status === 'waiting').sort((a, b) => depth(nodes, b) - depth(nodes, a));
    for (const n of waiting) {
      if (openChildren(nodes, n).length) continue;
      // Everything it sent down was recalled or returned and it did not handle itself: its to-do again.
      const worked = !!n.handledAt || nodes.some((c) => c.parentId === n.id && handling(c) && c.status === 'submitted');
      if (!worked) {
        set(n, 'todo');
      } else if (n.id === owner?.id) {
        if (blocked) continue;
        set(n, 'closing');
      } else {
        set(n, n.handledAt ? 'submitted' : 'todo');
      }
      moved = true;
      break;
    }
  }
  const owner = ownerNode(event, nodes);
  return { changes: [...changes.values()], handled: owner?.status === 'closing' };
}
