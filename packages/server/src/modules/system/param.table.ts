import { pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** System parameters, editable at run time. */
export const sysParam = pgTable('sys_param', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  value: text('value').notNull(),
  defaultValue: text('default_value').notNull(),
  description: text('description'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
