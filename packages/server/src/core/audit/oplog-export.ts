import type { OpLog } from '@cityops/contracts';
import { toXlsx, type ExcelColumn } from '../excel.js';
import { shanghaiDateTime } from './buckets.js';

/** The columns of the 操作日志 screen, in its order. */
export const OPLOG_COLUMNS: ExcelColumn<OpLog>[] = [
  { header: '操作时间', width: 20, value: (r) => shanghaiDateTime(new Date(r.at)) },
  { header: '操作人', width: 14, value: (r) => r.username },
  { header: '机构', width: 24, value: (r) => r.orgName },
  { header: '操作类型', width: 10, value: (r) => r.type },
  { header: '请求', width: 44, value: (r) => `${r.method} ${r.url}` },
  { header: '影响主体类型', width: 14, value: (r) => r.subjectType },
  { header: '影响主体名称', width: 24, value: (r) => r.subjectName },
  { header: '操作内容', width: 60, value: (r) => r.content },
  { header: '状态', width: 8, value: (r) => r.status },
  { header: '耗时(ms)', width: 10, value: (r) => r.durationMs },
  { header: 'IP', width: 16, value: (r) => r.ip },
  { header: '请求ID', width: 38, value: (r) => r.requestId },
];

export interface OplogFilterText {
  username?: string;
  type?: string;
  from?: string;
  to?: string;
}

/** The filters in words, for the file and the operation log ('全部' when there are none). */
export function describeOplogFilter(q: OplogFilterText): string {
  const parts: string[] = [];
  if (q.username) parts.push(`操作人包含“${q.username}”`);
  if (q.type) parts.push(`操作类型为“${q.type}”`);
  if (q.from || q.to) {
    const t = (s?: string) => (s ? shanghaiDateTime(new Date(s)) : '不限');
    parts.push(`操作时间 ${t(q.from)} 至 ${t(q.to)}`);
  }
  return parts.length ? parts.join('；') : '全部';
}

/** 操作日志_YYYYMMDD_HHmm.xlsx, in Shanghai time. */
export function oplogFileName(now: Date): string {
  const s = shanghaiDateTime(now); // 'YYYY-MM-DD HH:mm:ss'
  return `操作日志_${s.slice(0, 10).replaceAll('-', '')}_${s.slice(11, 13)}${s.slice(14, 16)}.xlsx`;
}

/**
 * The workbook: the rows on sheet 操作日志 (header row first, newest first, like the screen) and on
 * sheet 导出说明 who exported what, with a clear note when the rows were cut at `limit`.
 */
export function oplogWorkbook(
  result: { rows: OpLog[]; total: number; truncated: boolean },
  meta: { systemName?: string; exportedBy: string; filter: OplogFilterText; at: Date; limit: number },
) {
  const notes: [string, string][] = [
    ['系统', meta.systemName || '城运平台'],
    ['导出内容', '操作日志'],
    ['导出时间', shanghaiDateTime(meta.at)],
    ['导出人', meta.exportedBy],
    ['查询条件', describeOplogFilter(meta.filter)],
    ['符合条件', `${result.total} 条`],
    ['已导出', `${result.rows.length} 条（按操作时间倒序）`],
  ];
  if (result.truncated) {
    notes.push(['提示', `符合条件的记录超过单次导出上限 ${meta.limit} 条，仅导出最新的 ${meta.limit} 条，请缩小时间范围后分批导出。`]);
  }
  return toXlsx('操作日志', OPLOG_COLUMNS, result.rows, { notes });
}
