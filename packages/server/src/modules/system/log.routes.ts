import type { FastifyInstance } from 'fastify';
import { endpoints, OPLOG_EXPORT_LIMIT, PARAM } from '@cityops/contracts';
import type { AuditService } from '../../core/audit/audit.service.js';
import { describeOplogFilter, oplogFileName, oplogWorkbook } from '../../core/audit/oplog-export.js';
import { sendXlsx } from '../../core/excel.js';
import { route } from '../../core/http.js';
import type { ParamService } from './param.service.js';

export function logRoutes(app: FastifyInstance, d: { audit: AuditService; params: ParamService }) {
  route(app, endpoints.oplogs, ({ query }) => d.audit.oplogs(query));
  route(app, endpoints.oplogChain, () => d.audit.verifyChain());
  route(app, endpoints.oplogStats, () => d.audit.oplogStats());

  route(app, endpoints.oplogExport, async ({ query, user, req, reply }) => {
    const at = new Date();
    const result = await d.audit.exportOplogs(query, OPLOG_EXPORT_LIMIT);
    const body = await oplogWorkbook(result, {
      systemName: await d.params.get(PARAM.systemName),
      exportedBy: `${user.name}（${user.username}）`,
      filter: query,
      at,
      limit: OPLOG_EXPORT_LIMIT,
    });
    // An export of the log is itself an operation worth recording (the hook only sees writes).
    await d.audit.record({
      at, userId: user.id, username: user.username, orgName: user.orgName, type: '导出', method: req.method,
      url: req.url.slice(0, 500), subjectType: '操作日志', subjectName: `${result.rows.length} 条`,
      content: `导出操作日志，条件：${describeOplogFilter(query)}；符合 ${result.total} 条，导出 ${result.rows.length} 条${result.truncated ? `（超过上限 ${OPLOG_EXPORT_LIMIT} 条，已截断）` : ''}`,
      status: 200, durationMs: Math.round(Date.now() - at.getTime()), ip: req.ip, requestId: String(req.id),
    });
    reply
      .header('x-export-total', String(result.total))
      .header('x-export-rows', String(result.rows.length))
      .header('x-export-truncated', String(result.truncated));
    return sendXlsx(reply, oplogFileName(at), body);
  });

  route(app, endpoints.exceptions, ({ query }) => d.audit.exceptions(query));
  route(app, endpoints.exceptionStats, () => d.audit.exceptionStats());
}
