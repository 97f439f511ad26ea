import { EVENT_SOURCES, EVENT_STATUS_LABELS, PLATE_LABELS, type EventListQuery, type EventRow } from '@cityops/contracts';
import { shanghaiDateTime } from '../../core/audit/buckets.js';
import { toXlsx, type ExcelColumn } from '../../core/excel.js';

/** Rows per export; beyond it the file says the result was cut. */
export const EVENT_EXPORT_LIMIT = 10_000;

const VIEW_NAMES: Record<EventListQuery['view'], string> = {
  processing: '处置中事件', done: '已完成事件', mine: '我参与的事件', city: '市级下派事件', all: '全部事件', key: '重点工单',
};
const SCOPE_NAMES: Record<EventListQuery['scope'], string> = { self: '本级', children: '下级', selfAndChildren: '本级及下级' };

const sourceLabel = (v: string) => EVENT_SOURCES.find((s) => s.value === v)?.label ?? v;
const time = (s: string | null) => (s ? shanghaiDateTime(new Date(s)) : '');

/** The columns of the query screens, in their order. */
export const EVENT_COLUMNS: ExcelColumn<EventRow>[] = [
  { header: '事件编号', width: 20, value: (r) => r.no },
  { header: '事件标题', width: 40, value: (r) => r.title },
  { header: '事件来源', width: 12, value: (r) => sourceLabel(r.source) },
  { header: '是否重点工单', width: 12, value: (r) => (r.isKey ? '是' : '否') },
  { header: '事件类型', width: 20, value: (r) => r.typeName },
  { header: '事发区域', width: 20, value: (r) => r.regionName ?? r.regionCode },
  { header: '事件状态', width: 10, value: (r) => EVENT_STATUS_LABELS[r.status] },
  { header: '灯牌', width: 8, value: (r) => (r.plate ? PLATE_LABELS[r.plate] : '') },
  { header: '创建时间', width: 20, value: (r) => time(r.createdAt) },
  { header: '更新时间', width: 20, value: (r) => time(r.updatedAt) },
];

/** The view, scope and filters in words, for the notes sheet. */
export function describeEventFilter(q: EventListQuery): string {
  const parts = [`${VIEW_NAMES[q.view]}`];
  if (q.view !== 'mine') parts.push(`范围：${SCOPE_NAMES[q.scope]}`);
  if (q.keyword) parts.push(`标题或编号包含“${q.keyword}”`);
  if (q.createdFrom || q.createdTo) parts.push(`创建时间 ${q.createdFrom ? time(q.createdFrom) : '不限'} 至 ${q.createdTo ? time(q.createdTo) : '不限'}`);
  if (q.source) parts.push(`事件来源：${sourceLabel(q.source)}`);
  if (q.isKey !== undefined) parts.push(q.isKey ? '重点工单' : '非重点工单');
  if (q.status) parts.push(`事件状态：${EVENT_STATUS_LABELS[q.status]}`);
  if (q.typeCode) parts.push(`事件类型编码：${q.typeCode}`);
  if (q.regionCode) parts.push(`事发区域编码：${q.regionCode}`);
  if (q.supervised !== undefined) parts.push(q.supervised ? '已督办' : '未督办');
  if (q.orgName) parts.push(`事件组织包含“${q.orgName}”`);
  return parts.join('；');
}

/** 事件查询_YYYYMMDD_HHmm.xlsx, in Shanghai time. */
export function eventExportFileName(now: Date): string {
  const s = shanghaiDateTime(now);
  return `事件查询_${s.slice(0, 10).replaceAll('-', '')}_${s.slice(11, 13)}${s.slice(14, 16)}.xlsx`;
}

/** Sheet 事件 with the rows; sheet 导出说明 with who, when, which filters, and a note when cut. */
export function eventWorkbook(result: { rows: EventRow[]; total: number; truncated: boolean }, meta: { exportedBy: string; query: EventListQuery; at: Date }) {
  const notes: [string, string][] = [
    ['导出内容', VIEW_NAMES[meta.query.view]],
    ['导出时间', shanghaiDateTime(meta.at)],
    ['导出人', meta.exportedBy],
    ['查询条件', describeEventFilter(meta.query)],
    ['符合条件', result.truncated ? `超过 ${EVENT_EXPORT_LIMIT} 条` : `${result.total} 条`],
    ['已导出', `${result.rows.length} 条`],
  ];
  if (result.truncated) {
    notes.push(['提示', `符合条件的事件超过单次导出上限 ${EVENT_EXPORT_LIMIT} 条，仅导出前 ${EVENT_EXPORT_LIMIT} 条，请缩小查询范围后分批导出。`]);
  }
  return toXlsx('事件', EVENT_COLUMNS, result.rows, { notes });
}
