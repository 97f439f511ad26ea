import type { ApiError } from '@/api/client';
import type { EventDetail, NodeRole } from '@cityops/contracts';
import { OPEN_NODE_STATUSES } from '../event-labels';

/** One chosen organisation of the dispatch or assist dialog, with what it is asked to do. */
export interface TargetRow {
  orgId: string;
  name: string;
  role: NodeRole;
  requirement: string;
  fileIds: string[];
  /** null: the event type's time limit (the server counts it from now). */
  deadline: Date | null;
  /** 回复需审核 (交办 only): its handling result waits for this organisation's approval. */
  replyAudit: boolean;
}

export const newRow = (org: { id: string; name: string }, role: NodeRole): TargetRow => ({
  orgId: org.id, name: org.name, role, requirement: '', fileIds: [], deadline: null, replyAudit: false,
});

/** Organisations with an open main or assist node: the server refuses to give them the event again. */
export function busyOrgIds(detail: Pick<EventDetail, 'tree'>): string[] {
  return detail.tree.filter((n) => n.role !== 'cc' && OPEN_NODE_STATUSES.includes(n.status)).map((n) => n.orgId);
}

/**
 * Puts a refusal of the server on the row it is about: a field issue `targets.<i>.<field>` on that
 * field, a message naming 「organisation」 on that organisation's row (on its deadline when it is
 * about the deadline). Returns whether it found a place.
 */
export function placeTargetError(e: ApiError, rows: TargetRow[], errors: Record<string, string>): boolean {
  let placed = false;
  for (const i of e.fieldIssues) {
    const m = /^targets\.(\d+)\.(\w+)/.exec(i.path);
    if (m) {
      errors[`targets.${m[1]}.${m[2] === 'orgId' ? 'orgId' : m[2]}`] = i.message;
      placed = true;
    } else if (i.path === 'targets' || i.path.startsWith('targets')) {
      errors.targets = i.message;
      placed = true;
    }
  }
  if (placed) return true;
  const index = rows.findIndex((r) => e.message.includes(`「${r.name}」`));
  if (index >= 0) {
    errors[`targets.${index}.${e.message.includes('期限') ? 'deadline' : 'orgId'}`] = e.message;
    return true;
  }
  if (e.status === 400 && e.message.includes('办结权限')) {
    errors.transferClose = e.message;
    return true;
  }
  if (e.status === 400 && /主办|单位/.test(e.message)) {
    errors.targets = e.message;
    return true;
  }
  return false;
}
