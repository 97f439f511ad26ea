import { boolean, integer, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import type { AccessPolicy } from '@cityops/contracts';

/** Function resources 功能资源: the menu tree and the permission codes of pages and buttons. */
export const sysResource = pgTable('sys_resource', {
  id: uuid('id').primaryKey().defaultRandom(),
  parentId: uuid('parent_id'),
  /** directory: a menu folder; menu: a page; button: an action inside a page. */
  type: text('type').$type<'directory' | 'menu' | 'button'>().notNull(),
  name: text('name').notNull(),
  code: text('code').notNull().unique(),
  route: text('route'),
  icon: text('icon'),
  sort: integer('sort').notNull().default(0),
  access: text('access').$type<AccessPolicy>().notNull().default('authorized'),
  /** The permission code ('module:entity:action') that grants this resource. */
  permission: text('permission'),
  enabled: boolean('enabled').notNull().default(true),
});
