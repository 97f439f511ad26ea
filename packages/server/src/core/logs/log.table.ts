import { bigserial, boolean, index, integer, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import { ts } from '../columns.js';

/** 访问日志: every API request (reads too), written in batches behind the response. */
export const sysAccessLog = pgTable(
  'sys_access_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: ts('at').notNull(),
    ip: text('ip'),
    method: text('method').notNull(),
    path: text('path').notNull(),
    /** 访问说明: the endpoint's summary. */
    description: text('description').notNull().default(''),
    userId: uuid('user_id'),
    username: text('username'),
    status: integer('status').notNull(),
    durationMs: integer('duration_ms').notNull(),
  },
  (t) => [index('sys_access_log_at_idx').on(t.at), index('sys_access_log_user_idx').on(t.username, t.at)],
);

/** 系统日志: the server's own log lines (warn and above, or as configured), from every node. */
export const sysSystemLog = pgTable(
  'sys_system_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: ts('at').notNull(),
    /** Process id and worker thread, e.g. "1234/main". */
    thread: text('thread').notNull(),
    /** The logger's name (module). */
    logger: text('logger').notNull(),
    level: text('level').notNull(),
    content: text('content').notNull(),
    /** The node's service name (LOG_SERVICE_NAME, default host name). */
    service: text('service').notNull(),
  },
  (t) => [index('sys_system_log_at_idx').on(t.at), index('sys_system_log_level_idx').on(t.level, t.at)],
);

/** 告警策略: N lines of a level within M seconds warn the chosen roles' people once per quiet period. */
export const sysLogAlert = pgTable('sys_log_alert', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  level: text('level').notNull().default('error'),
  /** Only lines whose logger starts with this; '' = any. */
  logger: text('logger').notNull().default(''),
  threshold: integer('threshold').notNull().default(5),
  windowSeconds: integer('window_seconds').notNull().default(60),
  /** Role codes whose members are warned. */
  roleCodes: text('role_codes').array().notNull().default([]),
  enabled: boolean('enabled').notNull().default(true),
  lastFiredAt: ts('last_fired_at'),
  createdAt: ts('created_at').notNull().defaultNow(),
});
