import { bigserial, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** Operation log: one row per mutating request, chained by SM3-HMAC (`hash` covers `prevHash`). */
export const sysOplog = pgTable(
  'sys_oplog',
  {
    seq: bigserial('seq', { mode: 'number' }).primaryKey(),
    id: uuid('id').notNull().defaultRandom().unique(),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull(),
    userId: uuid('user_id'),
    username: text('username'),
    orgName: text('org_name'),
    type: text('type').notNull(),
    method: text('method').notNull(),
    url: text('url').notNull(),
    subjectType: text('subject_type'),
    subjectName: text('subject_name'),
    content: text('content'),
    status: integer('status').notNull(),
    durationMs: integer('duration_ms').notNull(),
    ip: text('ip'),
    requestId: text('request_id').notNull(),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [index('sys_oplog_at_idx').on(t.at), index('sys_oplog_username_idx').on(t.username)],
);

/** Exception log: every 5xx, with the detail the client never sees. */
export const sysExceptionLog = pgTable(
  'sys_exception_log',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    type: text('type').notNull(),
    method: text('method').notNull(),
    url: text('url').notNull(),
    message: text('message').notNull(),
    detail: text('detail'),
    requestId: text('request_id').notNull(),
    username: text('username'),
  },
  (t) => [index('sys_exception_log_at_idx').on(t.at)],
);
