import { integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** Long-running work (imports…) whose progress a screen polls. */
export const sysJob = pgTable('sys_job', {
  id: uuid('id').primaryKey().defaultRandom(),
  type: text('type').notNull(),
  status: text('status').$type<'running' | 'succeeded' | 'failed'>().notNull().default('running'),
  total: integer('total').notNull().default(0),
  done: integer('done').notNull().default(0),
  message: text('message'),
  createdBy: uuid('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  finishedAt: timestamp('finished_at', { withTimezone: true, mode: 'date' }),
});
