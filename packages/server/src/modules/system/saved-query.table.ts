import { index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** Advanced-search conditions a user saved on a list page, to run again later. */
export const sysSavedQuery = pgTable(
  'sys_saved_query',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id').notNull(),
    /** The list the conditions belong to, e.g. 'system.org', 'system.user'. */
    page: text('page').notNull(),
    name: text('name').notNull(),
    conditions: jsonb('conditions').$type<Record<string, unknown>>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('sys_saved_query_user_idx').on(t.userId, t.page)],
);
