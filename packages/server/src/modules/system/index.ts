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
import { roleRoutes } from './role.routes.js';
import { roleService } from './role.service.js';
import { healthRoutes } from './health.routes.js';
import { logRoutes } from './log.routes.js';
import { dictAdminRoutes, dictReadRoutes } from './dict.routes.js';
import { dictAdminService } from './dict-admin.service.js';
import { paramRoutes } from './param.routes.js';
import { paramRepository } from './param.repository.js';
import { paramService } from './param.service.js';
import { resourceRoutes } from './resource.routes.js';
import { resourceService } from './resource.service.js';
import { apiResourceRoutes } from './api-resource.routes.js';
import { apiResourceService } from './api-resource.service.js';
import { userRoutes } from './user.routes.js';
import { userService } from './user.service.js';
import { savedQueryRoutes } from './saved-query.routes.js';
import { savedQueryService } from './saved-query.service.js';
import { orgRoutes } from './org.routes.js';
import { orgService } from './org.service.js';
import { regionRoutes } from './region.routes.js';
import { regionService } from './region.service.js';
import { regionBoundaryRoutes } from './region-boundary.routes.js';
import { regionBoundaryService } from './region-boundary.service.js';

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
  roleRoutes(app, { roles: roleService({ db: d.database.db, scope: d.scope, fields: d.fields }) });
  // Other modules read parameters the same way: paramService(paramRepository(db), cache).get(code).
  const params = paramService(paramRepository(d.database.db), d.cache);
  logRoutes(app, { audit: d.audit, params });
  dictReadRoutes(app, { dicts: d.dicts });
  dictAdminRoutes(app, { dictAdmin: dictAdminService(d.database.db, d.dicts) });
  paramRoutes(app, { params });
  resourceRoutes(app, { resources: resourceService(d.database.db) });
  apiResourceRoutes(app, { apiResources: apiResourceService(d.database.db) });
  userRoutes(app, { users: userService({ db: d.database.db, scope: d.scope, fields: d.fields, dicts: d.dicts, policy: d.auth.policy, kdfIterations: d.config.security.kdfIterations }) });
  savedQueryRoutes(app, { savedQueries: savedQueryService(d.database.db) });
  orgRoutes(app, { orgs: orgService({ db: d.database.db, dicts: d.dicts }) });
  regionRoutes(app, { regions: regionService({ db: d.database.db, jobs: d.jobs, regionDataDir: d.config.regionDataDir }) });
  regionBoundaryRoutes(app, { boundaries: regionBoundaryService({ db: d.database.db }), demoGeoDir: d.config.demoData ? d.config.geoDataDir : undefined });
}
