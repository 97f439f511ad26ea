import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import type { ErrorBody } from '@cityops/contracts';
import type { AuditService } from './audit/audit.service.js';
import { AppError } from './errors.js';
import './request-context.js';

/**
 * Maps every error to `{ code, message, details?, requestId }`. Validation failures become 400 with
 * the field paths; a 5xx never leaks internals and always lands in the exception log.
 */
export function registerErrorHandler(app: FastifyInstance, audit: AuditService) {
  app.setErrorHandler(async (error: FastifyError, req, reply) => {
    const requestId = String(req.id);
    let status: number;
    let body: ErrorBody;

    if (error instanceof AppError) {
      status = error.status;
      body = { code: error.code, message: error.message, details: error.details, requestId };
    } else if (hasZodFastifySchemaValidationErrors(error)) {
      const details = error.validation.map((v) => ({
        path: `${v.instancePath || '/'}`.replace(/^\//, '').replace(/\//g, '.') || error.validationContext || '',
        message: v.message ?? '格式不正确',
      }));
      status = 400;
      body = {
        code: 'INVALID',
        message: `请求参数有误：${details.map((d) => (d.path ? `${d.path} ${d.message}` : d.message)).join('；')}`,
        details,
        requestId,
      };
    } else if (!isResponseSerializationError(error) && error.statusCode && error.statusCode < 500) {
      // Fastify's own 4xx (malformed JSON, body too large, unsupported media type…).
      status = error.statusCode;
      const messages: Record<number, string> = { 413: '请求内容过大', 415: '不支持的请求格式', 404: '接口不存在' };
      body = { code: error.code ?? 'BAD_REQUEST', message: messages[status] ?? `请求无法处理：${error.message}`, requestId };
    } else {
      status = 500;
      let exceptionId: string | undefined;
      try {
        exceptionId = await audit.recordException({
          type: error.name || 'Error',
          method: req.method,
          url: req.url.slice(0, 500),
          message: error.message?.slice(0, 1000) ?? '',
          detail: error.stack ?? null,
          requestId,
          username: req.principal?.username ?? null,
        });
      } catch (logErr) {
        req.log.error({ err: logErr }, 'exception log write failed');
      }
      req.log.error({ err: error, exceptionId }, 'unhandled error');
      body = {
        code: 'INTERNAL',
        message: `服务器内部错误，请联系管理员（异常编号 ${exceptionId ?? requestId}）`,
        details: exceptionId ? { exceptionId } : undefined,
        requestId,
      };
    }
    req.failure = body.message;
    return reply.status(status).send(body);
  });
}
