import type { FastifyInstance } from 'fastify';
import type { AuditService } from '../../core/audit/audit.service.js';
import type { Cache } from '../../core/cache.js';
import type { Config } from '../../core/config.js';
import type { Database } from '../../core/db.js';
import type { FieldCipher } from '../../core/crypto/field.js';
import type { JobService } from '../../core/jobs/job.service.js';
import type { AccessService } from './access.service.js';
import type { AuthService } from './auth.service.js';
import type { ScopeService } from './scope.service.js';
import type { DictService } from './dict.service.js';
import { authRoutes } from './auth.routes.js';
import { healthRoutes } from './health.routes.js';
import { logRoutes } from './log.routes.js';
import { dictReadRoutes } from './dict.routes.js';

/** What the system module's routes are built from (app.ts provides it). */
export interface SystemDeps {
  config: Config;
  database: Database;
  cache: Cache;
  audit: AuditService;
  access: AccessService;
  auth: AuthService;
  scope: ScopeService;
  dicts: DictService;
  jobs: JobService;
  fields: FieldCipher;
  sm2PublicKey: string;
  version: string;
}

/** Registers every route of the system module, explicitly. */
export function registerSystemModule(app: FastifyInstance, d: SystemDeps) {
  healthRoutes(app, { database: d.database, cache: d.cache, version: d.version });
  authRoutes(app, { auth: d.auth, access: d.access, sm2PublicKey: d.sm2PublicKey, cookieSecure: d.config.cookieSecure });
  logRoutes(app, { audit: d.audit });
  dictReadRoutes(app, { dicts: d.dicts });
}
