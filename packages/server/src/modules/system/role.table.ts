import { boolean, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const sysRole = pgTable('sys_role', {
  id: uuid('id').primaryKey().defaultRandom(),
  code: text('code').notNull().unique(),
  name: text('name').notNull(),
  /** A super role holds every permission and sees every menu. */
  isSuper: boolean('is_super').notNull().default(false),
  enabled: boolean('enabled').notNull().default(true),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Function resources (menus, pages, buttons) granted to a role. */
export const sysRoleResource = pgTable(
  'sys_role_resource',
  {
    roleId: uuid('role_id').notNull(),
    resourceId: uuid('resource_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.roleId, t.resourceId] })],
);
