import { boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

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
    /** 自定义编码, unique. */
    code: text('code').notNull().unique(),
    /** 组织机构代码 (e.g. the unified social credit code). */
    orgCode: text('org_code'),
    /** 组织类型, a key of the dictionary 'org_type'. */
    type: text('type'),
    level: text('level').$type<OrgLevel>().notNull(),
    tags: jsonb('tags').$type<string[]>().notNull().default([]),
    regionCode: text('region_code'),
    leader: text('leader'),
    contact: text('contact'),
    phone: text('phone'),
    address: text('address'),
    pinyin: text('pinyin').notNull().default(''),
    sort: integer('sort').notNull().default(0),
    enabled: boolean('enabled').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('sys_org_parent_idx').on(t.parentId), index('sys_org_path_idx').on(t.path)],
);

/** 业务上级: an organisation may answer to several business superiors besides its parent. */
export const sysOrgSuperior = pgTable(
  'sys_org_superior',
  {
    orgId: uuid('org_id').notNull(),
    superiorId: uuid('superior_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.superiorId] }), index('sys_org_superior_sup_idx').on(t.superiorId)],
);
