import { PERMISSIONS as P, type AvailableAction } from '@cityops/contracts';
import { hasPermission, type Principal } from '../../core/principal.js';
import type { ActionRows } from './event-detail.service.js';
import type { HubDeps } from './hub.js';
import { EVENT_ACTIONS, NODE_ACTIONS, refuseEventAction, refuseNodeAction, type EventAction, type NodeAction } from './state-machine.js';

const NODE_PERMISSION: Record<NodeAction, string> = {
  handle: P.eventHandle, track: P.eventHandle, report: P.eventHandle, assist: P.eventHandle, sign: P.eventHandle,
  delay: P.eventHandle, return: P.eventHandle, read: P.eventHandle, dispatch: P.eventDispatch, recall: P.eventDispatch,
};
const EVENT_PERMISSION: Record<EventAction, string> = {
  void: P.eventVoid, key: P.eventKey, instruct: P.eventInstruct, supervise: P.eventSupervise,
  rework: P.eventClose, close: P.eventClose, reopen: P.eventClose, 'force-close': P.eventForceClose,
};

/**
 * What the user may do on an event now — the same state machine that refuses operations, asked
 * for every action, filtered by the user's permissions. The detail page shows these as buttons;
 * it passes the event, tree and requests it has read, so that nothing is read twice.
 */
export function availableActionService(d: Pick<HubDeps, 'runner'>) {
  return async function actionsFor(user: Principal, { event, nodes, requests }: ActionRows): Promise<AvailableAction[]> {
    if (!user.orgId) return [];
    const actor = await d.runner.actor(user).catch(() => undefined);
    if (!actor) return [];
    const pending = requests.filter((r) => r.status === 'pending');
    const ctx = { event, nodes, pending: new Map(pending.map((p) => [p.nodeId, p.kind])) };
    const out: AvailableAction[] = [];
    for (const node of nodes) {
      const candidates: NodeAction[] = node.orgId === actor.orgId ? [...NODE_ACTIONS] : [];
      if (nodes.some((p) => p.id === node.parentId && p.orgId === actor.orgId)) candidates.push('recall');
      for (const a of candidates) {
        if (hasPermission(user, NODE_PERMISSION[a]) && !refuseNodeAction(a, ctx, node, actor)) out.push({ action: a, nodeId: node.id, requestId: null });
      }
    }
    for (const a of EVENT_ACTIONS) {
      if (hasPermission(user, EVENT_PERMISSION[a]) && !refuseEventAction(a, ctx, actor)) out.push({ action: a, nodeId: null, requestId: null });
    }
    if (hasPermission(user, P.eventAudit)) {
      for (const r of pending) if (r.auditorOrgId === actor.orgId) out.push({ action: 'audit', nodeId: r.nodeId, requestId: r.id });
    }
    return out;
  };
}
