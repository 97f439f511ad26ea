import { boolean, index, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/** Roles sharing features are grouped; a group can be granted functions as a unit. */
export const sysRoleGroup = pgTable('sys_role_group', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull().unique(),
  sort: integer('sort').notNull().default(0),
});

export const sysRole = pgTable('sys_role', {
  id: uuid('id').primaryKey().defaultRandom(),
  code: text('code').notNull().unique(),
  name: text('name').notNull(),
  groupId: uuid('group_id'),
  /** 所属组织; with visibleToChildren the role can be assigned in its descendants too. */
  orgId: uuid('org_id'),
  visibleToChildren: boolean('visible_to_children').notNull().default(false),
  validFrom: timestamp('valid_from', { withTimezone: true, mode: 'date' }),
  validTo: timestamp('valid_to', { withTimezone: true, mode: 'date' }),
  description: text('description'),
  /** A super role holds every permission and sees every menu. */
  isSuper: boolean('is_super').notNull().default(false),
  /** 管理员角色: its holders manage people and grant roles inside the role's organisation scope. */
  isAdmin: boolean('is_admin').notNull().default(false),
  builtin: boolean('builtin').notNull().default(false),
  enabled: boolean('enabled').notNull().default(true),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Function resources (menus, pages, buttons) granted to a role, each grant with an optional expiry. */
export const sysRoleResource = pgTable(
  'sys_role_resource',
  {
    roleId: uuid('role_id').notNull(),
    resourceId: uuid('resource_id').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }),
  },
  (t) => [primaryKey({ columns: [t.roleId, t.resourceId] }), index('sys_role_resource_res_idx').on(t.resourceId)],
);

/** The organisation scope of an admin role: each org and all below it. */
export const sysRoleOrgScope = pgTable(
  'sys_role_org_scope',
  {
    roleId: uuid('role_id').notNull(),
    orgId: uuid('org_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.roleId, t.orgId] })],
);
