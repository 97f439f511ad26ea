import type { Plate, TodoListQuery, TodoSummary } from '@cityops/contracts';

export type TodoBox = TodoListQuery['box'];

/** The tabs of 我的待办 (交办后任务 is its own page with the one box). */
export const TODO_BOXES: { box: TodoBox; label: string; empty: string; action: string }[] = [
  { box: 'handle', label: '待处理', empty: '暂无待处理的事件', action: '办理' },
  { box: 'closing', label: '待结案', empty: '暂无待结案的事件', action: '结案' },
  { box: 'cc', label: '抄送', empty: '暂无抄送给本单位的事件', action: '查阅' },
];
export const DISPATCHED_BOX = { box: 'dispatched' as const, label: '交办后任务', empty: '暂无交办后等待反馈的事件', action: '跟踪' };

export const boxCount = (s: TodoSummary | null, box: TodoBox) => (s ? s[box] : 0);

export interface TodoSearch {
  keyword: string;
  plate: Plate | '';
  typeCode: string;
  source: string;
  received: [Date, Date] | null;
  deadlineBefore: Date | null;
}

export const createSearch = (): TodoSearch => ({ keyword: '', plate: '', typeCode: '', source: '', received: null, deadlineBefore: null });

/** The search as the query of GET /api/events/todos (without the page). */
export function todoFilter(box: TodoBox, s: TodoSearch) {
  return {
    box,
    keyword: s.keyword.trim() || undefined,
    plate: s.plate || undefined,
    typeCode: s.typeCode || undefined,
    source: s.source || undefined,
    createdFrom: s.received?.[0]?.toISOString(),
    createdTo: s.received?.[1]?.toISOString(),
    deadlineBefore: s.deadlineBefore?.toISOString(),
  };
}

/** How many advanced conditions are set (shown on the 高级搜索 button). */
export const advancedCount = (s: TodoSearch) => [s.typeCode, s.source, s.received, s.deadlineBefore].filter(Boolean).length;
