import { PLATE_LABELS, type AuditRequest, type EventStatus, type NodeRole, type NodeStatus, type Plate } from '@cityops/contracts';
import { formatDateTime } from '@/utils/format';

type TagType = 'primary' | 'success' | 'warning' | 'danger' | 'info';

/** Tag colours shared by the to-do list, the detail header and the handling tree. */
export const EVENT_STATUS_TAGS: Record<EventStatus, TagType> = {
  draft: 'info', processing: 'primary', handled: 'warning', closed: 'success', voided: 'info',
};
export const NODE_ROLE_TAGS: Record<NodeRole, TagType> = { main: 'danger', assist: 'warning', cc: 'info' };
export const NODE_STATUS_TAGS: Record<NodeStatus, TagType> = {
  todo: 'danger', waiting: 'primary', closing: 'warning', submitted: 'success', reported: 'primary',
  returned: 'info', recalled: 'info', read: 'success', finished: 'info',
};

/** Requests (延期、退回、回复) on the detail page and in 事件审核. */
export const REQUEST_STATUS_TAGS: Record<AuditRequest['status'], TagType> = {
  pending: 'warning', approved: 'success', refused: 'danger', withdrawn: 'info',
};

/** What each plate means: the hover of a plate and the legend of the to-do lists. */
export const PLATE_MEANINGS: Record<Plate, string> = {
  green: '绿牌：在办理时限内',
  yellow: '黄牌：临近办理时限，请尽快办理',
  red: '红牌：已超过办理时限',
};

/** The plates in order with their name and meaning (the legend above the to-do lists). */
export const PLATE_LEGEND = (['green', 'yellow', 'red'] as const).map((plate) => ({ plate, label: PLATE_LABELS[plate], explain: PLATE_MEANINGS[plate] }));

/** A node that is still someone's to-do (the handling page can act on it). */
export const OPEN_NODE_STATUSES: readonly NodeStatus[] = ['todo', 'waiting', 'closing'];

/** 'YYYY-MM-DD HH:mm' for tables and trees, where seconds only take room; '—' when empty. */
export const shortTime = (iso: string | null | undefined) => (iso ? formatDateTime(iso).slice(0, 16) : '—');
