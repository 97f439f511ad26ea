import type { AuditRequest, FileInfo, TimelineEntry } from '@cityops/contracts';
import { api } from '@/api/client';

/** How much later the requested deadline is, in words ('延长 3 天 4 小时'). */
export function extension(r: Pick<AuditRequest, 'oldDeadline' | 'newDeadline'>): string {
  if (!r.oldDeadline || !r.newDeadline) return '';
  const hours = Math.round((Date.parse(r.newDeadline) - Date.parse(r.oldDeadline)) / 3_600_000);
  if (hours <= 0) return '';
  const days = Math.floor(hours / 24);
  const rest = hours % 24;
  return `延长 ${days ? `${days} 天` : ''}${days && rest ? ' ' : ''}${rest ? `${rest} 小时` : ''}`;
}

type RequestRef = Pick<AuditRequest, 'id' | 'eventId' | 'nodeId' | 'kind' | 'createdAt'>;

/**
 * The files of a return or reply request: they are attached to its timeline entry (申请退回 /
 * 申请回复审核 of the same to-do, written in the same operation).
 */
export function requestFilesIn(timeline: readonly TimelineEntry[], r: RequestRef): FileInfo[] {
  const at = Date.parse(r.createdAt);
  const action = `${r.kind}_request`;
  const entry = timeline.find((e) => e.action === action && e.nodeId === r.nodeId && Date.parse(e.createdAt) === at);
  return entry?.attachments ?? [];
}

/** The same, read from the event's detail when someone looks (once per request). */
const filesCache = new Map<string, Promise<FileInfo[]>>();
export function loadRequestFiles(r: RequestRef): Promise<FileInfo[]> {
  let p = filesCache.get(r.id);
  if (!p) {
    p = api.eventDetail({ params: { id: r.eventId } }, { showError: false }).then((d) => requestFilesIn(d.timeline, r));
    p.catch(() => filesCache.delete(r.id));
    filesCache.set(r.id, p);
  }
  return p;
}
