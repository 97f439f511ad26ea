import { boolean, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

export const ORG_LEVELS = ['district', 'department', 'town', 'section', 'community', 'grid'] as const;
export type OrgLevel = (typeof ORG_LEVELS)[number];

/**
 * Organisations. `path` is the chain of ids from the root ('/a/b/c/'), so "本级及下级" is one
 * prefix match instead of a recursive walk.
 */
export const sysOrg = pgTable(
  'sys_org',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    parentId: uuid('parent_id'),
    path: text('path').notNull(),
    name: text('name').notNull(),
    code: text('code').notNull().unique(),
    level: text('level').$type<OrgLevel>().notNull(),
    tags: jsonb('tags').$type<string[]>().notNull().default([]),
    regionCode: text('region_code'),
    leader: text('leader'),
    phone: text('phone'),
    sort: integer('sort').notNull().default(0),
    enabled: boolean('enabled').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('sys_org_parent_idx').on(t.parentId), index('sys_org_path_idx').on(t.path)],
);
