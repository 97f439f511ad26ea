import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { endpoints, PLATFORM_LOG_EXPORT_LIMIT } from '@cityops/contracts';
import type { AuditService } from '../audit/audit.service.js';
import { sendXlsx } from '../excel.js';
import { batchRoutes, route } from '../http.js';
import type { Principal } from '../principal.js';
import type { LogAlertService } from './log-alert.service.js';
import { logFileName, type PlatformLogService } from './platform-log.service.js';

/** 日志管理: 访问日志 and 系统日志 (lists, exports) and 告警策略. */
export function platformLogRoutes(app: FastifyInstance, d: { logs: PlatformLogService; alerts: LogAlertService; audit: AuditService }) {
  /** Sends an export and writes it to the operation log (the hook only sees writes; an export of a log is worth a row). */
  async function sendExport(
    o: { title: string; user: Principal; req: FastifyRequest; reply: FastifyReply; at: Date },
    result: { body: Buffer; rows: unknown[]; total: number; truncated: boolean; filterText: string },
  ) {
    const { user, req, reply, at } = o;
    await d.audit.record({
      at, userId: user.id, username: user.username, orgName: user.orgName, type: '导出', method: req.method,
      url: req.url.slice(0, 500), subjectType: o.title, subjectName: `${result.rows.length} 条`,
      content: `导出${o.title}，条件：${result.filterText}；符合 ${result.total}${result.truncated ? '+' : ''} 条，导出 ${result.rows.length} 条`,
      status: 200, durationMs: Math.round(Date.now() - at.getTime()), ip: req.ip, requestId: String(req.id),
    });
    reply.header('x-export-rows', String(result.rows.length)).header('x-export-truncated', String(result.truncated));
    return sendXlsx(reply, logFileName(o.title, at), result.body);
  }

  const exportedBy = (u: Principal) => `${u.name}（${u.username}）`;

  route(app, endpoints.accessLogs, ({ query }) => d.logs.accessLogs(query));
  route(app, endpoints.accessLogExport, async ({ query, user, req, reply }) => {
    const at = new Date();
    const r = await d.logs.exportAccess(query, { at, exportedBy: exportedBy(user), limit: PLATFORM_LOG_EXPORT_LIMIT });
    return sendExport({ title: '访问日志', user, req, reply, at }, r);
  });

  route(app, endpoints.systemLogs, ({ query }) => d.logs.systemLogs(query));
  route(app, endpoints.systemLogExport, async ({ query, user, req, reply }) => {
    const at = new Date();
    const r = await d.logs.exportSystem(query, { at, exportedBy: exportedBy(user), limit: PLATFORM_LOG_EXPORT_LIMIT });
    return sendExport({ title: '系统日志', user, req, reply, at }, r);
  });

  route(app, endpoints.logAlerts, () => d.alerts.list());
  route(app, endpoints.logAlertRoles, () => d.alerts.roles());
  route(app, endpoints.logAlertCreate, async ({ body, req }) => {
    req.audit = { subjectType: '日志告警策略', subjectName: body.name };
    return d.alerts.create(body);
  });
  route(app, endpoints.logAlertUpdate, async ({ params, body, req }) => {
    req.audit = { subjectType: '日志告警策略', subjectName: body.name };
    return d.alerts.update(params.id, body);
  });
  batchRoutes(app, { subjectType: '日志告警策略', names: (ids) => d.alerts.names(ids) }, [
    [endpoints.logAlertEnable, '启用', (ids) => d.alerts.setEnabled(ids, true)],
    [endpoints.logAlertDisable, '禁用', (ids) => d.alerts.setEnabled(ids, false)],
    [endpoints.logAlertDelete, '删除', (ids) => d.alerts.remove(ids)],
  ]);
}
