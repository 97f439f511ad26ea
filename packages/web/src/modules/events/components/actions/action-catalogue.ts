import { PERMISSIONS as P, type AvailableAction, type EventDetail, type TreeNode } from '@cityops/contracts';

/** Which dialog (or plain confirmation) an action opens. */
export type ActionDialog =
  | 'opinion' | 'report' | 'dispatch' | 'assist' | 'delay' | 'recall' | 'rework' | 'directive' | 'audit' | 'key' | 'read';

/** Button families, shown in this order: the work first, destructive ones last. */
export type ActionGroup = 'work' | 'apply' | 'finish' | 'lead' | 'danger';

export interface ActionSpec {
  label: string;
  permission: string;
  group: ActionGroup;
  dialog: ActionDialog;
  /** Filled button (the main thing to do on this page). */
  primary?: boolean;
  /** Asks again before it is carried out. */
  destructive?: boolean;
}

/**
 * Every action the server can offer (state-machine NODE_ACTIONS / EVENT_ACTIONS plus 审核), with the
 * permission its endpoint demands (as in server available-actions.ts), in display order.
 */
export const ACTION_SPECS: Record<string, ActionSpec> = {
  sign: { label: '签收', permission: P.eventHandle, group: 'work', dialog: 'opinion' },
  handle: { label: '办理', permission: P.eventHandle, group: 'work', dialog: 'opinion', primary: true },
  read: { label: '已阅', permission: P.eventHandle, group: 'work', dialog: 'read', primary: true },
  dispatch: { label: '交办', permission: P.eventDispatch, group: 'work', dialog: 'dispatch', primary: true },
  report: { label: '上报', permission: P.eventHandle, group: 'work', dialog: 'report' },
  assist: { label: '申请协助', permission: P.eventHandle, group: 'work', dialog: 'assist' },
  track: { label: '跟踪', permission: P.eventHandle, group: 'work', dialog: 'opinion' },
  delay: { label: '延期', permission: P.eventHandle, group: 'apply', dialog: 'delay' },
  return: { label: '退回', permission: P.eventHandle, group: 'apply', dialog: 'opinion' },
  audit: { label: '审核', permission: P.eventAudit, group: 'apply', dialog: 'audit', primary: true },
  close: { label: '结案', permission: P.eventClose, group: 'finish', dialog: 'opinion', primary: true },
  rework: { label: '核验退回', permission: P.eventClose, group: 'finish', dialog: 'rework' },
  reopen: { label: '重启', permission: P.eventClose, group: 'finish', dialog: 'opinion' },
  key: { label: '重点工单', permission: P.eventKey, group: 'lead', dialog: 'key' },
  instruct: { label: '批示', permission: P.eventInstruct, group: 'lead', dialog: 'directive' },
  supervise: { label: '督办', permission: P.eventSupervise, group: 'lead', dialog: 'directive' },
  recall: { label: '撤回', permission: P.eventDispatch, group: 'danger', dialog: 'recall', destructive: true },
  void: { label: '作废', permission: P.eventVoid, group: 'danger', dialog: 'opinion', destructive: true },
  'force-close': { label: '强制办结', permission: P.eventForceClose, group: 'danger', dialog: 'opinion', destructive: true },
};

const ORDER = Object.keys(ACTION_SPECS);
const GROUPS: ActionGroup[] = ['work', 'apply', 'finish', 'lead', 'danger'];

/** One button: an action with every place it applies (several for 撤回 and 审核, one otherwise). */
export interface ActionButton {
  action: string;
  spec: ActionSpec;
  label: string;
  /** The node the action runs on (node actions), null for event actions. */
  nodeId: string | null;
  /** Every offered entry of this action, e.g. each child organisation that may be recalled. */
  entries: AvailableAction[];
}

/**
 * The buttons of the actions the detail says are allowed now. On the handling page of one to-do
 * (`nodeId`), node actions are those of that node, 撤回 those of the organisations it sent the event
 * to and 审核 the requests of those organisations; event actions are always shown.
 */
export function actionButtons(detail: Pick<EventDetail, 'actions' | 'tree' | 'event'>, nodeId?: string | null): ActionButton[][] {
  const parentOf = new Map(detail.tree.map((n: TreeNode) => [n.id, n.parentId]));
  const applies = (a: AvailableAction) => {
    if (!nodeId || !a.nodeId) return true;
    if (a.action === 'recall' || a.action === 'audit') return parentOf.get(a.nodeId) === nodeId;
    return a.nodeId === nodeId;
  };
  const byAction = new Map<string, AvailableAction[]>();
  for (const a of detail.actions) {
    if (!ACTION_SPECS[a.action] || !applies(a)) continue;
    byAction.set(a.action, [...(byAction.get(a.action) ?? []), a]);
  }
  const buttons = [...byAction.entries()]
    .sort(([x], [y]) => ORDER.indexOf(x) - ORDER.indexOf(y))
    .map(([action, entries]): ActionButton => {
      const spec = ACTION_SPECS[action]!;
      let label = spec.label;
      if (action === 'key') label = detail.event.isKey ? '取消重点工单' : '标记重点工单';
      if ((action === 'audit' || action === 'recall') && entries.length > 1) label = `${spec.label}（${entries.length}）`;
      const own = entries[0]!;
      return { action, spec, label, nodeId: action === 'recall' || action === 'audit' ? null : own.nodeId, entries };
    });
  return GROUPS.map((g) => buttons.filter((b) => b.spec.group === g)).filter((g) => g.length > 0);
}
