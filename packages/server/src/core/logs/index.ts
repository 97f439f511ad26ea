import type { FastifyInstance } from 'fastify';
import type { AuditService } from '../audit/audit.service.js';
import type { Config } from '../config.js';
import type { Db, DbOrTx } from '../db.js';
import { registerAccessLog } from './access-log.hook.js';
import { LOG_ALERT_MESSAGE_KIND, logAlertService, type LogAlertNotifier } from './log-alert.service.js';
import { logBuffer } from './log-buffer.js';
import { logRepository, type NewAccessLog } from './log.repository.js';
import { platformLogRoutes } from './log.routes.js';
import type { SystemLogSink } from './system-log.sink.js';
import { platformLogService } from './platform-log.service.js';

/** What the alerts need from the rest of the platform (the system module's roles, the messaging module). */
export interface LogAlertPeople {
  roles: {
    options(): Promise<{ code: string; name: string }[]>;
    names(codes: string[]): Promise<Map<string, string>>;
    userIds(codes: string[]): Promise<string[]>;
  };
  messages: { notifyUsers(tx: DbOrTx, userIds: string[], m: { kind: string; title: string; content: string }): Promise<void> };
}

/**
 * 日志管理 for the whole platform: the 访问日志 hook (unless ACCESS_LOG=false), the 系统日志 sink
 * starting to write, the 告警策略 evaluated on its lines, and their routes. Everything waiting is
 * written when the server closes.
 */
export async function registerPlatformLogs(
  app: FastifyInstance,
  d: { config: Config; db: Db; audit: AuditService; systemLog: SystemLogSink; people: LogAlertPeople },
) {
  const repo = logRepository(d.db);
  const notifier: LogAlertNotifier = {
    roles: () => d.people.roles.options(),
    roleNames: (codes) => d.people.roles.names(codes),
    async notify(roleCodes, m) {
      const ids = await d.people.roles.userIds(roleCodes);
      if (ids.length) await d.db.transaction((tx) => d.people.messages.notifyUsers(tx, ids, { kind: LOG_ALERT_MESSAGE_KIND, ...m }));
      return ids.length;
    },
  };
  const alerts = logAlertService(repo, notifier);
  await alerts.start();
  d.systemLog.attach((rows) => repo.insertSystem(rows), (row) => alerts.observe(row));

  const access = logBuffer<NewAccessLog>({
    write: (rows) => repo.insertAccess(rows),
    // Not through the logger: a database that refuses rows would fill 系统日志 with the same complaint.
    onError: (err, n) => process.stderr.write(`access log: ${n} rows not written: ${(err as Error)?.message ?? err}\n`),
  });
  if (d.config.logs.access) registerAccessLog(app, access);

  platformLogRoutes(app, { logs: platformLogService(repo), alerts, audit: d.audit });

  app.addHook('onClose', async () => {
    alerts.stop();
    await Promise.all([access.close(), d.systemLog.close()]);
  });
  return {
    /** Writes what is waiting now (tests). */
    flush: () => Promise.all([access.flush(), d.systemLog.flush()]).then(() => undefined),
  };
}
