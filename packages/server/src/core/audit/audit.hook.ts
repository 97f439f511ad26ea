import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuditService } from './audit.service.js';
import '../request-context.js';

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const DEFAULT_TYPE: Record<string, string> = { POST: '新增', PUT: '修改', PATCH: '修改', DELETE: '删除' };
// Secrets and personal fields (等保: no plain ID number or mobile in logs) never reach the log.
const SECRET = /pass(word)?|secret|token|cipher|idNumber|mobile/i;
const MAX_CONTENT = 2000;

/** The request body as logged: secrets masked, long bodies cut. */
export function redact(body: unknown): string | null {
  if (body === undefined || body === null) return null;
  const text = JSON.stringify(body, (k, v) => (k && SECRET.test(k) ? '******' : v));
  return text.length > MAX_CONTENT ? `${text.slice(0, MAX_CONTENT)}…` : text;
}

function contentOf(req: FastifyRequest) {
  const base = req.audit?.content ?? redact(req.body);
  return req.failure ? `${base ?? ''}${base ? '；' : ''}失败：${req.failure}` : base;
}

/**
 * Writes the operation log for every mutating API request before the response leaves, so that no
 * acknowledged change goes unlogged.
 */
export function registerAuditHooks(app: FastifyInstance, audit: AuditService) {
  app.decorateRequest('audit', undefined);
  app.decorateRequest('failure', undefined);
  app.addHook('onSend', async (req, reply, payload) => {
    if (!MUTATING.has(req.method) || !req.url.startsWith('/api/') || req.audit?.skip) return payload;
    const p = req.principal;
    try {
      await audit.record({
        at: new Date(),
        userId: req.audit?.userId ?? p?.id ?? null,
        username: req.audit?.username ?? p?.username ?? null,
        orgName: p?.orgName ?? null,
        type: req.audit?.type ?? DEFAULT_TYPE[req.method] ?? '其他',
        method: req.method,
        url: req.url.slice(0, 500),
        subjectType: req.audit?.subjectType ?? null,
        subjectName: req.audit?.subjectName ?? null,
        content: contentOf(req),
        status: reply.statusCode,
        durationMs: Math.round(reply.elapsedTime),
        ip: req.ip,
        requestId: String(req.id),
      });
    } catch (err) {
      req.log.error({ err }, 'operation log write failed');
    }
    return payload;
  });
}
