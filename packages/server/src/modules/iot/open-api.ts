import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { Cache } from '../../core/cache.js';
import type { DbOrTx } from '../../core/db.js';
import { registerApiKeyAuth } from './api-key.hook.js';
import { apiKeyService } from './api-key.service.js';
import { openApiService } from './open-api.service.js';
import { apiKeyRoutes, openApiRoutes } from './open-api.routes.js';

/**
 * 第三方接口: the API keys (their screen's routes), the key check of /api/open requests, and the
 * open API itself over the module's device, telemetry, command and ingest services.
 */
export function registerOpenApi(
  app: FastifyInstance,
  d: { db: DbOrTx; cache: Cache; log: FastifyBaseLogger } & Parameters<typeof openApiService>[0],
) {
  const keys = apiKeyService({ db: d.db, cache: d.cache, onError: (err) => d.log.warn({ err, module: 'iot.open-api' }, 'API key last-use stamp failed') });
  registerApiKeyAuth(app, keys);
  apiKeyRoutes(app, { keys });
  openApiRoutes(app, { open: openApiService(d) });
  return { keys };
}
