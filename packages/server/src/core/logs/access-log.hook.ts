import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { LogBuffer } from './log-buffer.js';
import type { NewAccessLog } from './log.repository.js';
import '../request-context.js';

// Query parameters that may carry a credential never reach the log (e.g. ?token= of a download link).
const SECRET_PARAM = /^(token|access_token|pass(word)?|secret|sign(ature)?|api_?key|key)$/i;
const MAX_PATH = 500;

/** The address as logged: the query string without its secrets, cut to 500 characters. */
export function loggedPath(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url.slice(0, MAX_PATH);
  const params = new URLSearchParams(url.slice(q + 1));
  for (const name of [...params.keys()]) if (SECRET_PARAM.test(name)) params.delete(name);
  const rest = params.toString();
  return (rest ? `${url.slice(0, q)}?${rest}` : url.slice(0, q)).slice(0, MAX_PATH);
}

function rowOf(req: FastifyRequest, reply: FastifyReply, startedAt: number): NewAccessLog {
  const raw = reply.raw;
  // A client that went away before the answer was sent: 499, as proxies log it.
  const status = raw.headersSent || raw.writableFinished ? raw.statusCode : 499;
  const schema = req.routeOptions.schema as { summary?: string } | undefined;
  return {
    at: new Date(startedAt),
    ip: req.ip ?? null,
    method: req.method,
    path: loggedPath(req.url),
    description: schema?.summary ?? '',
    userId: req.principal?.id ?? req.audit?.userId ?? null,
    // A login has no session yet: the account it named (as the operation log has it).
    username: req.principal?.username ?? req.audit?.username ?? (req.apiClient ? `接口密钥：${req.apiClient.name}` : null),
    status,
    durationMs: Math.max(0, Math.round(Date.now() - startedAt)),
  };
}

/**
 * 访问日志: one row per API request, reads included, handed to a buffer when the response is over
 * (so the request never waits for it). A live message stream is one row, stamped when it opened.
 * Static files and the API documentation's assets are not API requests.
 */
export function registerAccessLog(app: FastifyInstance, buffer: Pick<LogBuffer<NewAccessLog>, 'push'>) {
  app.addHook('onRequest', async (req, reply) => {
    if (!req.url.startsWith('/api/') || req.url.startsWith('/api/docs/static/')) return;
    const startedAt = Date.now();
    // 'close' comes after a normal finish and after an aborted or hijacked (server-sent events) response alike.
    reply.raw.once('close', () => buffer.push(rowOf(req, reply, startedAt)));
  });
}
