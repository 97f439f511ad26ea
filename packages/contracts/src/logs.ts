import { z } from 'zod';
import { defineEndpoint } from './endpoint.js';
import { FileDownload, IsoDateTime, PageQuery, pageOf } from './common.js';
import { PERMISSIONS } from './permissions.js';

export const OpLog = z.object({
  id: z.string(),
  at: IsoDateTime,
  userId: z.string().nullable(),
  username: z.string().nullable(),
  orgName: z.string().nullable(),
  type: z.string().describe('operation type: 新增/修改/删除/登录/…'),
  method: z.string(),
  url: z.string(),
  subjectType: z.string().nullable(),
  subjectName: z.string().nullable(),
  content: z.string().nullable(),
  status: z.number().int(),
  durationMs: z.number().int(),
  ip: z.string().nullable(),
  requestId: z.string(),
});
export type OpLog = z.infer<typeof OpLog>;

/** A time filter: any date-time `Date.parse` understands (the web sends ISO 8601). */
export const QueryDateTime = z.string().max(64).refine((s) => !Number.isNaN(Date.parse(s)), '时间格式不正确').describe('ISO 8601 date-time');

export const OpLogQuery = PageQuery.extend({
  username: z.string().trim().max(64).optional(),
  type: z.string().max(32).optional(),
  from: QueryDateTime.optional(),
  to: QueryDateTime.optional(),
});

/** The list's filters without paging: what the export takes. */
export const OpLogExportQuery = OpLogQuery.omit({ page: true, pageSize: true });

/** At most this many rows go into one export (the newest first); the rest is cut and said so. */
export const OPLOG_EXPORT_LIMIT = 50_000;

/** One series of a chart: a count per bucket (day or hour), in the order of the buckets. */
export const CountSeries = z.object({ name: z.string(), data: z.array(z.number().int()) });
export type CountSeries = z.infer<typeof CountSeries>;

/** Counts of the last 7 days (Asia/Shanghai calendar days, oldest first, today last; empty days 0). */
export const OpLogStats = z.object({
  days: z.array(z.string()).describe("'YYYY-MM-DD', 7 entries"),
  byType: z.array(CountSeries).describe('one series per operation type'),
  bySubjectType: z.array(CountSeries).describe('one series per affected subject type (未标注 when none)'),
  total: z.number().int(),
});
export type OpLogStats = z.infer<typeof OpLogStats>;

export const OpLogChain = z.object({
  checked: z.number().int(),
  intact: z.boolean(),
  firstBrokenId: z.string().nullable(),
});

export const ExceptionLog = z.object({
  id: z.string(),
  at: IsoDateTime,
  type: z.string(),
  method: z.string(),
  url: z.string(),
  message: z.string(),
  detail: z.string().nullable(),
  requestId: z.string(),
  username: z.string().nullable(),
});
export type ExceptionLog = z.infer<typeof ExceptionLog>;

export const ExceptionLogQuery = PageQuery.extend({
  id: z.string().max(64).optional(),
  from: QueryDateTime.optional(),
  to: QueryDateTime.optional(),
});

export const ExceptionStats = z.object({
  days: z.array(z.string()).describe("last 7 days, 'YYYY-MM-DD' (Asia/Shanghai), oldest first"),
  daily: z.array(z.number().int()),
  hours: z.array(z.string()).describe("last 24 hours, 'YYYY-MM-DD HH:00' (Asia/Shanghai), oldest first, the current hour last"),
  hourly: z.array(z.number().int()),
});
export type ExceptionStats = z.infer<typeof ExceptionStats>;

export const logEndpoints = {
  oplogs: defineEndpoint({
    method: 'GET', path: '/api/system/oplogs', summary: '操作日志查询', tags: ['system'],
    access: 'authorized', permission: PERMISSIONS.oplogList, query: OpLogQuery, response: pageOf(OpLog),
  }),
  oplogChain: defineEndpoint({
    method: 'GET', path: '/api/system/oplogs/chain', summary: '操作日志防篡改校验（SM3-HMAC 链）', tags: ['system'],
    access: 'authorized', permission: PERMISSIONS.oplogList, response: OpLogChain,
  }),
  oplogStats: defineEndpoint({
    method: 'GET', path: '/api/system/oplogs/stats', summary: '近 7 日操作日志统计（按操作类型、按影响主体类型）', tags: ['system'],
    access: 'authorized', permission: PERMISSIONS.oplogList, response: OpLogStats,
  }),
  oplogExport: defineEndpoint({
    method: 'GET', path: '/api/system/oplogs/export', summary: `导出操作日志（Excel，条件同列表，最多 ${OPLOG_EXPORT_LIMIT} 条）`, tags: ['system'],
    access: 'authorized', permission: PERMISSIONS.oplogExport, file: true, query: OpLogExportQuery, response: FileDownload,
  }),
  exceptions: defineEndpoint({
    method: 'GET', path: '/api/system/exception-logs', summary: '系统异常日志查询', tags: ['system'],
    access: 'authorized', permission: PERMISSIONS.exceptionList, query: ExceptionLogQuery, response: pageOf(ExceptionLog),
  }),
  exceptionStats: defineEndpoint({
    method: 'GET', path: '/api/system/exception-logs/stats', summary: '系统异常统计（近 7 日按天、近 24 小时按小时）', tags: ['system'],
    access: 'authorized', permission: PERMISSIONS.exceptionList, response: ExceptionStats,
  }),
};
