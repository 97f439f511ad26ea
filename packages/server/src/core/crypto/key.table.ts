import { pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** Key material shared by every API node (SM2 login key pair, audit-chain HMAC key). */
export const sysKey = pgTable('sys_key', {
  name: text('name').primaryKey(),
  value: text('value').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
