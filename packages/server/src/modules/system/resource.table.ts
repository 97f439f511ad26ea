import { boolean, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
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
  /** 后台服务地址: the API path pattern the page calls. */
  serviceUrl: text('service_url'),
  icon: text('icon'),
  sort: integer('sort').notNull().default(0),
  access: text('access').$type<AccessPolicy>().notNull().default('authorized'),
  /** 安全认证级别: 1 password, 2 password + second factor, 3 certificate. */
  securityLevel: integer('security_level').notNull().default(1),
  /** The permission code ('module:entity:action') that grants this resource. */
  permission: text('permission'),
  builtin: boolean('builtin').notNull().default(false),
  enabled: boolean('enabled').notNull().default(true),
});

/** 接口服务网址资源: API namespaces and the services under them. */
export const sysApiResource = pgTable('sys_api_resource', {
  id: uuid('id').primaryKey().defaultRandom(),
  parentId: uuid('parent_id'),
  type: text('type').$type<'namespace' | 'service'>().notNull(),
  name: text('name').notNull(),
  url: text('url').notNull(),
  sort: integer('sort').notNull().default(0),
  enabled: boolean('enabled').notNull().default(true),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
