import { MESSAGE_KIND_LABELS, NOTICE_KIND, type Message } from '@cityops/contracts';
import type { RouteLocationRaw } from 'vue-router';
import { formatDateTime } from '@/utils/format';

export type MessageTab = 'work' | 'notice' | 'chat';
export const MESSAGE_TABS: { name: MessageTab; label: string }[] = [
  { name: 'work', label: '待办消息' },
  { name: 'notice', label: '系统通知' },
  { name: 'chat', label: '私信' },
];

export const kindLabel = (kind: string) => MESSAGE_KIND_LABELS[kind] ?? '消息';

/** Tag colour of a kind: red for what is late or sent back, orange for what waits on the reader. */
export function kindTagType(kind: string): 'danger' | 'warning' | 'success' | 'info' | 'primary' {
  if (['overdue', 'rework', 'recall'].includes(kind)) return 'danger';
  if (['warn', 'audit', 'supervise', 'closing'].includes(kind)) return 'warning';
  if (['closed', 'audit_result', 'submit', 'sign'].includes(kind)) return 'success';
  if (kind === NOTICE_KIND) return 'info';
  return 'primary';
}

/** The kinds a 待办消息 list can be filtered by (notices have their own tab). */
export const WORK_KIND_OPTIONS = Object.entries(MESSAGE_KIND_LABELS)
  .filter(([k]) => k !== NOTICE_KIND)
  .map(([value, label]) => ({ value, label }));

/** Where a message leads: the event it is about, or the notice in the message centre. */
export function messageLink(m: Pick<Message, 'eventId' | 'noticeId'>): RouteLocationRaw | null {
  if (m.eventId) return { name: 'events-detail', params: { id: m.eventId } };
  if (m.noticeId) return { name: 'messages', query: { tab: 'notice', notice: m.noticeId } };
  return null;
}

export const chatLink = (peerId: string): RouteLocationRaw => ({ name: 'messages', query: { tab: 'chat', peer: peerId } });

/** 'HH:mm' today, 'MM-DD HH:mm' this year, the full date-time before. */
export function shortTime(iso: string): string {
  const full = formatDateTime(iso);
  const d = new Date(iso);
  const now = new Date();
  if (d.getFullYear() !== now.getFullYear()) return full.slice(0, 16);
  if (d.toDateString() === now.toDateString()) return full.slice(11, 16);
  return full.slice(5, 16);
}
