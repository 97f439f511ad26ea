import type { FastifyInstance } from 'fastify';
import { TooManyRequests } from '../../core/errors.js';
import '../../core/request-context.js';
import { presentedKey, type ApiKeyService } from './api-key.service.js';

/** Where third-party systems call with API keys. */
export const OPEN_API_PREFIX = '/api/open/';

/**
 * Resolves the API key of every /api/open request into `req.apiClient` (or tells the guard why it
 * was refused, `req.apiKeyProblem`), and holds a key to its calls per minute (429 with Retry-After).
 * The guard of core/http.ts then checks the endpoint's scope.
 */
export function registerApiKeyAuth(app: FastifyInstance, keys: Pick<ApiKeyService, 'verify' | 'admit'>) {
  app.addHook('onRequest', async (req, reply) => {
    if (!req.url.startsWith(OPEN_API_PREFIX)) return;
    const presented = presentedKey(req.headers);
    if (!presented) return;
    const check = await keys.verify(presented);
    if (!check.ok) {
      req.apiKeyProblem = check.message;
      return;
    }
    req.apiClient = check.client;
    // Written by the hook, not the route: a refused call still names its key in the operation log.
    req.audit = { username: `接口密钥：${check.client.name}` };
    try {
      await keys.admit(check.client, check.rateLimit);
    } catch (err) {
      if (err instanceof TooManyRequests) reply.header('retry-after', String((err.details as { retryAfter: number }).retryAfter));
      throw err;
    }
  });
}
