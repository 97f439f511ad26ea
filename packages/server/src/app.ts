import crypto from 'node:crypto';
import os from 'node:os';
import fastify, { type FastifyInstance } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { PasswordPolicy } from '@cityops/contracts';
import type { Config } from './core/config.js';
import { openDatabase, type Database } from './core/db.js';
import { openCache, type Cache } from './core/cache.js';
import { loadKeys } from './core/crypto/keys.js';
import { sessionStore } from './core/session.js';
import { registerAuthentication } from './core/authenticate.js';
import { registerErrorHandler } from './core/error-handler.js';
import { registerOpenApi } from './core/openapi.js';
import { registerWeb, defaultWebDist } from './core/web.js';
import { auditRepository } from './core/audit/audit.repository.js';
import { auditService } from './core/audit/audit.service.js';
import { registerAuditHooks } from './core/audit/audit.hook.js';
import { accessVersion, registerAccessVersionHook } from './core/access-version.js';
import { accessRepository } from './modules/system/access.repository.js';
import { accessService } from './modules/system/access.service.js';
import { userRepository } from './modules/system/user.repository.js';
import { authService } from './modules/system/auth.service.js';
import { registerSystemModule } from './modules/system/index.js';
import { scopeService } from './modules/system/scope.service.js';
import { dictRepository } from './modules/system/dict.repository.js';
import { dictService } from './modules/system/dict.service.js';
import { seedDicts } from './modules/system/seed/dicts.js';
import { seedParams } from './modules/system/seed/params.js';
import { fieldCipher } from './core/crypto/field.js';
import { jobService } from './core/jobs/job.service.js';
import { defaultDivisionDir } from './modules/system/division-source.js';
import { seedAccess, seedAdmin } from './modules/system/seed/bootstrap.js';
import { seedApiResources } from './modules/system/seed/api-resources.js';
import { seedDemo } from './modules/system/seed/demo.js';
import { registerFilesModule } from './modules/files/index.js';
import { registerMessagingModule } from './modules/messaging/index.js';
import { registerEventsModule } from './modules/events/index.js';
import { seedEvents } from './modules/events/seed/index.js';
import { seedDemoEvents } from './modules/events/seed/demo-events.js';
import { registerIotModule } from './modules/iot/index.js';
import { seedDemoIot } from './modules/iot/seed/demo-iot.js';
import { seedDemoRules } from './modules/iot/seed/rule-models.js';
import { createLogger } from './core/logs/logger.js';
import { systemLogSink } from './core/logs/system-log.sink.js';
import { registerPlatformLogs } from './core/logs/index.js';
import { roleDirectory } from './modules/system/role-directory.js';

export const VERSION = '0.1.0';

export interface App {
  app: FastifyInstance;
  database: Database;
  cache: Cache;
  /** Writes the 访问日志 and 系统日志 rows still waiting in their buffers (tests). */
  flushLogs(): Promise<void>;
  close(): Promise<void>;
}

/** Wires config → storage → services → routes. Every module is registered here, explicitly. */
export async function buildApp(config: Config): Promise<App> {
  // 系统日志: the logger's lines also go to the database (from the moment the database is there).
  const systemLog = systemLogSink(config.logs.serviceName ?? os.hostname());
  const app = fastify({
    loggerInstance: createLogger({
      level: config.logLevel,
      redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-api-key"]', 'res.headers["set-cookie"]'],
      systemLevel: config.logs.systemLevel,
      systemStream: systemLog.stream,
    }),
    genReqId: (req) => (req.headers['x-request-id'] as string | undefined)?.slice(0, 64) || crypto.randomUUID(),
    requestIdHeader: false,
    bodyLimit: 1024 * 1024,
    trustProxy: true,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.addHook('onSend', async (req, reply) => void reply.header('x-request-id', req.id));

  const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, poolSize: config.databasePoolSize });
  const cache = await openCache(config.redisUrl);
  const { db } = database;
  const keys = await loadKeys(db);

  const policy: PasswordPolicy = {
    minLength: config.security.minLength,
    minClasses: config.security.minClasses,
    forbidUsername: config.security.forbidUsername,
    maxFailures: config.security.maxFailures,
    lockMinutes: config.security.lockMinutes,
    expiryDays: config.security.expiryDays,
    idleTimeoutMinutes: config.security.idleTimeoutMinutes,
  };
  const audit = auditService(auditRepository(db), keys.auditKey);
  const accessChanges = accessVersion(cache);
  // Permissions are cached with the account behind each session (authService), not on their own.
  const access = accessService(accessRepository(db));
  const sessions = sessionStore(cache, config.security.idleTimeoutMinutes * 60);
  const auth = authService({
    users: userRepository(db),
    access,
    sessions,
    policy,
    kdfIterations: config.security.kdfIterations,
    sm2PrivateKey: keys.sm2.privateKey,
    version: accessChanges,
  });

  await seedAccess(db);
  await seedApiResources(db);
  await seedDicts(db);
  await seedParams(db);
  await seedEvents(db);
  await seedAdmin(db, { dataDir: config.dataDir, initialPassword: config.adminInitialPassword, kdfIterations: config.security.kdfIterations, log: app.log });
  if (config.demoData) {
    await seedDemo(db, { divisionDir: config.regionDataDir ?? defaultDivisionDir(), kdfIterations: config.security.kdfIterations, log: app.log });
  }

  await app.register(fastifyCookie);
  // The seeds may have changed menus and grants: derived permissions are recomputed.
  await accessChanges.bump();
  await registerOpenApi(app, VERSION);
  registerAuthentication(app, auth.resolve);
  registerAuditHooks(app, audit);
  registerAccessVersionHook(app, accessChanges);
  registerErrorHandler(app, audit);

  registerSystemModule(app, {
    config, database, cache, audit, access, auth,
    scope: scopeService(db, accessChanges),
    dicts: dictService(dictRepository(db), cache),
    jobs: jobService(db, app.log),
    fields: fieldCipher(keys.fieldKey, keys.blindIndexKey),
    sm2PublicKey: keys.sm2.publicKey,
    version: VERSION,
  });

  const files = registerFilesModule(app, { config, database });
  const messages = await registerMessagingModule(app, { database, files, sessions });
  const platformLogs = await registerPlatformLogs(app, { config, db, audit, systemLog, people: { roles: roleDirectory(db), messages } });
  const events = registerEventsModule(app, { config, database, cache, scope: scopeService(db, accessChanges), dicts: dictService(dictRepository(db), cache), files, messages });
  // Demo events go through the hub's services, so they come after the demo organisations and the messaging module.
  if (config.demoData && config.demoEvents) await seedDemoEvents(db, { cache, messages, files, log: app.log });
  await registerIotModule(app, { config, database, cache, fields: fieldCipher(keys.fieldKey, keys.blindIndexKey), scope: scopeService(db, accessChanges), files, events, messages });
  // Demo devices after the IoT module; their history goes through its batched writer.
  if (config.demoData && config.iot.demo) {
    await seedDemoIot(db, { fields: fieldCipher(keys.fieldKey, keys.blindIndexKey), log: app.log });
    // Rules on the demo products (the built-in models: gas, smoke, water level, manhole; offline for each).
    await seedDemoRules(db);
  }

  await registerWeb(app, config.webDist ?? defaultWebDist);

  return {
    app,
    database,
    cache,
    flushLogs: platformLogs.flush,
    async close() {
      await app.close();
      await cache.close();
      await database.close();
    },
  };
}
