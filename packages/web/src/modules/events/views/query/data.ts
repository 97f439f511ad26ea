import { EVENT_STATUS_LABELS, type EventListQuery, type EventRow, type EventStatus, type EventView } from '@cityops/contracts';
import { api } from '@/api/client';

/** Key of this page's saved queries (常用查询). */
export const SAVED_QUERY_PAGE = 'events.query';

export type { EventView };
export type EventScope = EventListQuery['scope'];
export type EventSort = EventListQuery['sort'];

/** The tabs of 事件查询, in the tender's order (审核查询 is its own page). */
export const VIEWS: { value: EventView; label: string; hint: string }[] = [
  { value: 'processing', label: '处置中', hint: '处置中、已处置待结案的事件' },
  { value: 'done', label: '已完成', hint: '已办结的事件' },
  { value: 'mine', label: '我参与', hint: '我本人办理过的事件（不区分本级、下级）' },
  { value: 'city', label: '市级下派', hint: '市城运中心派发的事件' },
  { value: 'all', label: '全部事件', hint: '除草稿外的全部事件' },
  { value: 'key', label: '重点工单', hint: '标记为重点工单的事件' },
];
export const isView = (v: unknown): v is EventView => VIEWS.some((x) => x.value === v);

export const SCOPES: { value: EventScope; label: string }[] = [
  { value: 'selfAndChildren', label: '本级及下级' },
  { value: 'self', label: '本级' },
  { value: 'children', label: '下级' },
];

/** Statuses a view can hold (the status filter offers only these). */
const VIEW_STATUSES: Record<EventView, EventStatus[]> = {
  processing: ['processing', 'handled'],
  done: ['closed'],
  mine: ['processing', 'handled', 'closed', 'voided'],
  city: ['processing', 'handled', 'closed', 'voided'],
  all: ['processing', 'handled', 'closed', 'voided'],
  key: ['processing', 'handled', 'closed', 'voided'],
};
export const statusOptions = (view: EventView) => VIEW_STATUSES[view].map((s) => ({ value: s, label: EVENT_STATUS_LABELS[s] }));

/** The search conditions; saved as 常用查询 (dates travel as ISO strings). */
export interface EventSearch {
  view: EventView;
  scope: EventScope;
  keyword: string;
  created: [Date, Date] | null;
  source: string;
  isKey: '' | 'true' | 'false';
  status: '' | EventStatus;
  typeCode: string;
  regionCode: string;
  supervised: '' | 'true' | 'false';
  orgName: string;
  sort: EventSort;
  order: 'asc' | 'desc';
}

export const createSearch = (view: EventView = 'processing'): EventSearch => ({
  view,
  scope: 'selfAndChildren',
  keyword: '',
  created: null,
  source: '',
  isKey: '',
  status: '',
  typeCode: '',
  regionCode: '',
  supervised: '',
  orgName: '',
  sort: 'createdAt',
  order: 'desc',
});

/** How many advanced conditions are set (shown on the 高级搜索 button). */
export const advancedCount = (s: EventSearch) =>
  [s.created, s.source, s.isKey, s.status, s.typeCode, s.regionCode, s.supervised, s.orgName.trim()].filter((v) => v !== null && v !== '').length;

/** A saved condition back into the model: unknown keys dropped, the date range made Dates again. */
export function fromSaved(saved: Record<string, unknown>, current: EventView): EventSearch {
  const base = createSearch(isView(saved.view) ? saved.view : current);
  const out = { ...base } as Record<string, unknown>;
  for (const key of Object.keys(base)) if (key in saved && key !== 'created') out[key] = saved[key];
  const c = saved.created;
  if (Array.isArray(c) && c.length === 2) {
    const range = c.map((x) => new Date(String(x)));
    if (range.every((d) => !Number.isNaN(d.getTime()))) out.created = range;
  }
  return out as unknown as EventSearch;
}

/** The search as the API's filters (the list and the export take the same). */
export function eventFilter(s: EventSearch) {
  const t = (v: string) => v.trim() || undefined;
  return {
    view: s.view,
    scope: s.scope,
    keyword: t(s.keyword),
    createdFrom: s.created?.[0]?.toISOString(),
    createdTo: s.created?.[1]?.toISOString(),
    source: s.source || undefined,
    isKey: s.isKey || undefined,
    status: s.status || undefined,
    typeCode: s.typeCode || undefined,
    regionCode: s.regionCode || undefined,
    supervised: s.supervised || undefined,
    orgName: t(s.orgName),
    sort: s.sort,
    order: s.order,
  };
}

/** One page of the list: a single request (rows, total and `capped` come together). */
export function fetchEvents(s: EventSearch, page: number, pageSize: number) {
  return api.eventList({ query: { page, pageSize, ...eventFilter(s) } });
}

/** Downloads the rows matching the search as Excel (the browser saves 事件查询_YYYYMMDD_HHmm.xlsx). */
export function exportEvents(s: EventSearch) {
  return api.eventExport({ query: eventFilter(s) });
}

/** The table columns that sort on the server, by column key. */
export const SORTABLE: Record<string, EventSort> = {
  createdAt: 'createdAt',
  updatedAt: 'updatedAt',
  deadline: 'deadline',
  cityDispatchedAt: 'cityDispatchedAt',
};

/**
 * Events still being handled: only these can be supervised (督办) or have their key-order mark
 * changed; the server checks the rest (who may, city-dispatched, reported to the city).
 */
export const inProgress = (row: Pick<EventRow, 'status'>) => row.status === 'processing' || row.status === 'handled';
