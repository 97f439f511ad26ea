import { z } from 'zod';
import { defineEndpoint } from '../endpoint.js';
import { BatchBody, BatchResult, FileDownload, IdParams, IsoDateTime, PageQuery, pageOf } from '../common.js';
import { OPLOG_EXPORT_LIMIT, QueryDateTime } from '../logs.js';
import { PERMISSIONS } from '../permissions.js';

/**
 * 日志管理 of the platform (物联感知 > 日志管理): 访问日志 (every API request, reads too), 系统日志
 * (the server's own log lines from every node) and 告警策略 (a burst of log lines of a level warns
 * the people of chosen roles by in-app message).
 */

/** At most this many rows go into one export (the newest first); the rest is cut and said so. */
export const PLATFORM_LOG_EXPORT_LIMIT = OPLOG_EXPORT_LIMIT;

/** List totals are counted up to this many; beyond it `capped` is true (shown as “100000+”). */
export const PLATFORM_LOG_COUNT_CAP = 100_000;

export const ACCESS_STATUS_CLASSES = ['2xx', '3xx', '4xx', '5xx'] as const;
export const ACCESS_STATUS_CLASS_LABELS: Record<(typeof ACCESS_STATUS_CLASSES)[number], string> = {
  '2xx': '成功（2xx）', '3xx': '重定向（3xx）', '4xx': '请求错误（4xx）', '5xx': '服务器错误（5xx）',
};

export const AccessLog = z.object({
  id: z.number().int(),
  at: IsoDateTime,
  ip: z.string().nullable(),
  method: z.string(),
  /** The address without its query string's secrets. */
  path: z.string(),
  /** 访问说明: the endpoint's summary. */
  description: z.string(),
  userId: z.string().nullable(),
  /** The account, or the API key's name for a third-party call. */
  username: z.string().nullable(),
  status: z.number().int(),
  durationMs: z.number().int(),
});
export type AccessLog = z.infer<typeof AccessLog>;
export const AccessLogPage = pageOf(AccessLog).extend({ capped: z.boolean() });

export const AccessLogFilter = z.object({
  ip: z.string().trim().max(64).optional(),
  /** The address contains. */
  path: z.string().trim().max(200).optional(),
  username: z.string().trim().max(64).optional(),
  statusClass: z.enum(ACCESS_STATUS_CLASSES).optional(),
  from: QueryDateTime.optional(),
  to: QueryDateTime.optional(),
});
export const AccessLogQuery = PageQuery.extend(AccessLogFilter.shape);
export type AccessLogQuery = z.input<typeof AccessLogQuery>;

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export const LOG_LEVEL_LABELS: Record<LogLevel, string> = {
  fatal: '致命', error: '错误', warn: '警告', info: '信息', debug: '调试', trace: '跟踪',
};

export const SystemLog = z.object({
  id: z.number().int(),
  at: IsoDateTime,
  /** Process id and thread, e.g. "1234/main". */
  thread: z.string(),
  /** The logger (module) that wrote the line. */
  logger: z.string(),
  level: z.enum(LOG_LEVELS),
  content: z.string(),
  /** The node (service name or host name). */
  service: z.string(),
});
export type SystemLog = z.infer<typeof SystemLog>;
export const SystemLogPage = pageOf(SystemLog).extend({ capped: z.boolean() });

export const SystemLogFilter = z.object({
  level: z.enum(LOG_LEVELS).optional(),
  /** The logger starts with. */
  logger: z.string().trim().max(100).optional(),
  service: z.string().trim().max(100).optional(),
  /** The content contains. */
  keyword: z.string().trim().max(100).optional(),
  from: QueryDateTime.optional(),
  to: QueryDateTime.optional(),
});
export const SystemLogQuery = PageQuery.extend(SystemLogFilter.shape);
export type SystemLogQuery = z.input<typeof SystemLogQuery>;

export const LogAlert = z.object({
  id: z.string(),
  name: z.string(),
  level: z.enum(LOG_LEVELS),
  /** Only lines whose logger starts with this; '' = any. */
  logger: z.string(),
  threshold: z.number().int(),
  windowSeconds: z.number().int(),
  roleCodes: z.array(z.string()),
  /** The names of the roles, in the order of roleCodes (a deleted role shows its code). */
  roleNames: z.array(z.string()),
  enabled: z.boolean(),
  lastFiredAt: IsoDateTime.nullable(),
  createdAt: IsoDateTime,
});
export type LogAlert = z.infer<typeof LogAlert>;

export const LogAlertBody = z.object({
  name: z.string().trim().min(1, '请输入策略名称').max(50, '策略名称不能超过 50 个字'),
  level: z.enum(LOG_LEVELS, { message: '请选择日志级别' }),
  logger: z.string().trim().max(100, '日志来源不能超过 100 个字符').default(''),
  threshold: z.number({ message: '请输入次数' }).int('次数应为整数').min(1, '次数至少为 1').max(100_000, '次数最大 100000'),
  windowSeconds: z.number({ message: '请输入时间窗口' }).int('时间窗口应为整数秒').min(10, '时间窗口至少 10 秒').max(86_400, '时间窗口最长 86400 秒（1 天）'),
  roleCodes: z.array(z.string().min(1).max(64)).min(1, '请至少选择一个通知角色').max(20, '最多选择 20 个角色').transform((c) => [...new Set(c)]),
  enabled: z.boolean().default(true),
});
export type LogAlertBody = z.input<typeof LogAlertBody>;

export const LogAlertRole = z.object({ code: z.string(), name: z.string() });

export const platformLogEndpoints = {
  accessLogs: defineEndpoint({
    method: 'GET', path: '/api/iot/logs/access', summary: '访问日志查询', tags: ['iot'],
    access: 'authorized', permission: PERMISSIONS.iotLogList, query: AccessLogQuery, response: AccessLogPage,
  }),
  accessLogExport: defineEndpoint({
    method: 'GET', path: '/api/iot/logs/access/export', summary: `导出访问日志（Excel，条件同列表，最多 ${PLATFORM_LOG_EXPORT_LIMIT} 条）`, tags: ['iot'],
    access: 'authorized', permission: PERMISSIONS.iotLogList, file: true, query: AccessLogFilter, response: FileDownload,
  }),
  systemLogs: defineEndpoint({
    method: 'GET', path: '/api/iot/logs/system', summary: '系统日志查询', tags: ['iot'],
    access: 'authorized', permission: PERMISSIONS.iotLogList, query: SystemLogQuery, response: SystemLogPage,
  }),
  systemLogExport: defineEndpoint({
    method: 'GET', path: '/api/iot/logs/system/export', summary: `导出系统日志（Excel，条件同列表，最多 ${PLATFORM_LOG_EXPORT_LIMIT} 条）`, tags: ['iot'],
    access: 'authorized', permission: PERMISSIONS.iotLogList, file: true, query: SystemLogFilter, response: FileDownload,
  }),
  logAlerts: defineEndpoint({
    method: 'GET', path: '/api/iot/logs/alerts', summary: '日志告警策略列表', tags: ['iot'],
    access: 'authorized', permission: PERMISSIONS.iotLogList, response: z.array(LogAlert),
  }),
  logAlertRoles: defineEndpoint({
    method: 'GET', path: '/api/iot/logs/alerts/roles', summary: '日志告警可通知的角色', tags: ['iot'],
    access: 'authorized', permission: PERMISSIONS.iotLogAlertEdit, response: z.array(LogAlertRole),
  }),
  logAlertCreate: defineEndpoint({
    method: 'POST', path: '/api/iot/logs/alerts', summary: '新增日志告警策略', tags: ['iot'],
    access: 'authorized', permission: PERMISSIONS.iotLogAlertEdit, body: LogAlertBody, response: LogAlert,
  }),
  logAlertUpdate: defineEndpoint({
    method: 'PUT', path: '/api/iot/logs/alerts/:id', summary: '修改日志告警策略', tags: ['iot'],
    access: 'authorized', permission: PERMISSIONS.iotLogAlertEdit, params: IdParams, body: LogAlertBody, response: LogAlert,
  }),
  logAlertEnable: defineEndpoint({
    method: 'POST', path: '/api/iot/logs/alerts/batch/enable', summary: '批量启用日志告警策略', tags: ['iot'],
    access: 'authorized', permission: PERMISSIONS.iotLogAlertEdit, body: BatchBody, response: BatchResult,
  }),
  logAlertDisable: defineEndpoint({
    method: 'POST', path: '/api/iot/logs/alerts/batch/disable', summary: '批量停用日志告警策略', tags: ['iot'],
    access: 'authorized', permission: PERMISSIONS.iotLogAlertEdit, body: BatchBody, response: BatchResult,
  }),
  logAlertDelete: defineEndpoint({
    method: 'POST', path: '/api/iot/logs/alerts/batch/delete', summary: '批量删除日志告警策略', tags: ['iot'],
    access: 'authorized', permission: PERMISSIONS.iotLogAlertEdit, body: BatchBody, response: BatchResult,
  }),
};
