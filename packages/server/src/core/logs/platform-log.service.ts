import {
  ACCESS_STATUS_CLASS_LABELS, LOG_LEVEL_LABELS, PLATFORM_LOG_COUNT_CAP,
  type AccessLog, type AccessLogFilter, type LogLevel, type SystemLog, type SystemLogFilter,
} from '@cityops/contracts';
import type { z } from 'zod';
import { shanghaiDateTime } from '../audit/buckets.js';
import { toXlsx, type ExcelColumn } from '../excel.js';
import type { AccessLogRow, LogRepository, SystemLogRow } from './log.repository.js';

type AccessFilter = z.output<typeof AccessLogFilter>;
type SystemFilter = z.output<typeof SystemLogFilter>;

const date = (s?: string) => (s ? new Date(s) : undefined);
const withDates = <F extends { from?: string; to?: string }>(f: F) => ({ ...f, from: date(f.from), to: date(f.to) });

const toAccess = (r: AccessLogRow): AccessLog => ({
  id: r.id, at: r.at.toISOString(), ip: r.ip, method: r.method, path: r.path, description: r.description,
  userId: r.userId, username: r.username, status: r.status, durationMs: r.durationMs,
});
const toSystem = (r: SystemLogRow): SystemLog => ({
  id: r.id, at: r.at.toISOString(), thread: r.thread, logger: r.logger, level: r.level as LogLevel, content: r.content, service: r.service,
});

const ACCESS_COLUMNS: ExcelColumn<AccessLog>[] = [
  { header: '访问时间', width: 20, value: (r) => shanghaiDateTime(new Date(r.at)) },
  { header: 'IP', width: 16, value: (r) => r.ip },
  { header: '方法', width: 8, value: (r) => r.method },
  { header: '地址', width: 50, value: (r) => r.path },
  { header: '访问说明', width: 30, value: (r) => r.description },
  { header: '用户', width: 16, value: (r) => r.username },
  { header: '状态', width: 8, value: (r) => r.status },
  { header: '耗时(ms)', width: 10, value: (r) => r.durationMs },
];
const SYSTEM_COLUMNS: ExcelColumn<SystemLog>[] = [
  { header: '时间', width: 20, value: (r) => shanghaiDateTime(new Date(r.at)) },
  { header: '级别', width: 8, value: (r) => LOG_LEVEL_LABELS[r.level] },
  { header: '日志来源', width: 16, value: (r) => r.logger },
  { header: '线程', width: 14, value: (r) => r.thread },
  { header: '服务节点', width: 18, value: (r) => r.service },
  { header: '内容', width: 100, value: (r) => r.content },
];

const timeRange = (f: { from?: string; to?: string }) =>
  f.from || f.to ? `时间 ${f.from ? shanghaiDateTime(new Date(f.from)) : '不限'} 至 ${f.to ? shanghaiDateTime(new Date(f.to)) : '不限'}` : undefined;

/** The filters in words, for the file and the operation log ('全部' when there are none). */
export function describeAccessFilter(f: AccessFilter): string {
  const parts = [
    f.ip && `IP 以“${f.ip}”开头`, f.path && `地址包含“${f.path}”`, f.username && `用户包含“${f.username}”`,
    f.statusClass && `状态为${ACCESS_STATUS_CLASS_LABELS[f.statusClass]}`, timeRange(f),
  ].filter(Boolean);
  return parts.length ? parts.join('；') : '全部';
}
export function describeSystemFilter(f: SystemFilter): string {
  const parts = [
    f.level && `级别为“${LOG_LEVEL_LABELS[f.level]}”`, f.logger && `来源以“${f.logger}”开头`, f.service && `节点包含“${f.service}”`,
    f.keyword && `内容包含“${f.keyword}”`, timeRange(f),
  ].filter(Boolean);
  return parts.length ? parts.join('；') : '全部';
}

/** <title>_YYYYMMDD_HHmm.xlsx, in Shanghai time. */
export const logFileName = (title: string, at: Date) => {
  const s = shanghaiDateTime(at);
  return `${title}_${s.slice(0, 10).replaceAll('-', '')}_${s.slice(11, 13)}${s.slice(14, 16)}.xlsx`;
};

/** The rows on one sheet (newest first, like the screen) and who exported what on 导出说明. */
function workbook<T>(title: string, columns: ExcelColumn<T>[], r: { rows: T[]; total: number; truncated: boolean }, meta: ExportMeta) {
  const notes: [string, string][] = [
    ['导出内容', title],
    ['导出时间', shanghaiDateTime(meta.at)],
    ['导出人', meta.exportedBy],
    ['查询条件', meta.filterText],
    ['符合条件', `${r.total}${r.truncated ? '+' : ''} 条`],
    ['已导出', `${r.rows.length} 条（按时间倒序）`],
  ];
  if (r.truncated) notes.push(['提示', `符合条件的记录超过单次导出上限 ${meta.limit} 条，仅导出最新的 ${meta.limit} 条，请缩小时间范围后分批导出。`]);
  return toXlsx(title, columns, r.rows, { notes });
}

export interface ExportMeta {
  at: Date;
  exportedBy: string;
  filterText: string;
  limit: number;
}

/** The read side of 访问日志 and 系统日志: paged lists (totals capped) and Excel exports. */
export function platformLogService(repo: LogRepository) {
  return {
    async accessLogs(q: AccessFilter & { page: number; pageSize: number }) {
      const r = await repo.pageAccess(withDates(q), { page: q.page, pageSize: q.pageSize, cap: PLATFORM_LOG_COUNT_CAP });
      return { items: r.items.map(toAccess), total: r.total, capped: r.capped, page: q.page, pageSize: q.pageSize };
    },

    async systemLogs(q: SystemFilter & { page: number; pageSize: number }) {
      const r = await repo.pageSystem(withDates(q), { page: q.page, pageSize: q.pageSize, cap: PLATFORM_LOG_COUNT_CAP });
      return { items: r.items.map(toSystem), total: r.total, capped: r.capped, page: q.page, pageSize: q.pageSize };
    },

    /** The newest `limit` rows of the filter as a workbook, and how many there were. */
    async exportAccess(f: AccessFilter, meta: Omit<ExportMeta, 'filterText'>) {
      const r = await repo.accessUpTo(withDates(f), meta.limit);
      const result = { rows: r.items.map(toAccess), total: r.total, truncated: r.capped, filterText: describeAccessFilter(f) };
      return { ...result, body: await workbook('访问日志', ACCESS_COLUMNS, result, { ...meta, filterText: result.filterText }) };
    },

    async exportSystem(f: SystemFilter, meta: Omit<ExportMeta, 'filterText'>) {
      const r = await repo.systemUpTo(withDates(f), meta.limit);
      const result = { rows: r.items.map(toSystem), total: r.total, truncated: r.capped, filterText: describeSystemFilter(f) };
      return { ...result, body: await workbook('系统日志', SYSTEM_COLUMNS, result, { ...meta, filterText: result.filterText }) };
    },
  };
}
export type PlatformLogService = ReturnType<typeof platformLogService>;
