import { REQUEST_KIND_LABELS, REQUEST_STATUS_LABELS, type AuditRequest } from '@cityops/contracts';
import { api } from '@/api/client';
import { shortTime } from '../../components/event-labels';

export type AuditBox = 'todo' | 'audited' | 'mine';
export type RequestKind = AuditRequest['kind'];
export type RequestStatus = AuditRequest['status'];

/** The three boxes of 事件审核 / 审核查询. */
export const BOXES: { value: AuditBox; label: string; empty: string }[] = [
  { value: 'todo', label: '待我审核', empty: '暂无待审核的申请' },
  { value: 'audited', label: '我已审核', empty: '暂无审核记录' },
  { value: 'mine', label: '我的申请', empty: '本单位暂未提交延期、退回或回复申请' },
];
export const isBox = (v: unknown): v is AuditBox => BOXES.some((b) => b.value === v);

export const KIND_OPTIONS = (Object.keys(REQUEST_KIND_LABELS) as RequestKind[]).map((k) => ({ value: k, label: REQUEST_KIND_LABELS[k] }));
/** Statuses a box can hold: pending requests are in 待我审核 only, audited ones are decided. */
export const statusOptions = (box: AuditBox) =>
  (box === 'audited' ? (['approved', 'refused'] as RequestStatus[]) : (Object.keys(REQUEST_STATUS_LABELS) as RequestStatus[])).map((s) => ({
    value: s,
    label: REQUEST_STATUS_LABELS[s],
  }));

export const KIND_TAGS: Record<RequestKind, 'primary' | 'danger' | 'success'> = { delay: 'primary', return: 'danger', reply: 'success' };

export interface AuditSearch {
  keyword: string;
  kind: '' | RequestKind;
  status: '' | RequestStatus;
  source: string;
  audited: [Date, Date] | null;
}

export const createSearch = (): AuditSearch => ({ keyword: '', kind: '', status: '', source: '', audited: null });

export function fetchRequests(box: AuditBox, s: AuditSearch, page: number, pageSize: number) {
  return api.eventRequests({
    query: {
      box,
      page,
      pageSize,
      keyword: s.keyword.trim() || undefined,
      kind: s.kind || undefined,
      // 待我审核 holds pending requests only; the other filters do not apply there.
      status: box === 'todo' ? undefined : s.status || undefined,
      source: s.source || undefined,
      auditedFrom: box === 'todo' ? undefined : s.audited?.[0]?.toISOString(),
      auditedTo: box === 'todo' ? undefined : s.audited?.[1]?.toISOString(),
    },
  });
}

/** How many requests each box holds (unfiltered): three count-only requests, made once per visit and after an audit. */
export async function fetchBoxCounts(): Promise<Record<AuditBox, number>> {
  const [todo, audited, mine] = await Promise.all(
    BOXES.map((b) => api.eventRequests({ query: { box: b.value, page: 1, pageSize: 1 } }, { showError: false })),
  );
  return { todo: todo!.total, audited: audited!.total, mine: mine!.total };
}

/** A deadline in a table cell: 'MM-DD HH:mm' within the current year, else with the year. */
export function compactTime(iso: string | null): string {
  const full = shortTime(iso);
  return iso && new Date(iso).getFullYear() === new Date().getFullYear() ? full.slice(5) : full;
}
