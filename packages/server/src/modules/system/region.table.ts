import { boolean, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Administrative regions, keyed by the national statistical code (NBS): province (1) → city (2) →
 * county (3) → town/street (4) → village/community (5) → grid (6).
 */
export const sysRegion = pgTable(
  'sys_region',
  {
    code: text('code').primaryKey(),
    name: text('name').notNull(),
    level: integer('level').notNull(),
    parentCode: text('parent_code'),
    /** Pinyin initials of the name, lower case ('cyjd' for 崇阳街道), for smart search. */
    pinyin: text('pinyin').notNull().default(''),
    sort: integer('sort').notNull().default(0),
    enabled: boolean('enabled').notNull().default(true),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('sys_region_parent_idx').on(t.parentCode), index('sys_region_name_idx').on(t.name)],
);

/**
 * A region's map outline (GeoJSON FeatureCollection, WGS-84 / GCJ-02 as imported), shown by the map
 * pickers and the cockpit. Imported by an administrator or, for the demo, from the reference data.
 */
export const sysRegionBoundary = pgTable('sys_region_boundary', {
  regionCode: text('region_code').primaryKey(),
  geojson: jsonb('geojson').$type<Record<string, unknown>>().notNull(),
  fileName: text('file_name').notNull().default(''),
  importedBy: text('imported_by').notNull().default(''),
  importedAt: timestamp('imported_at', { withTimezone: true }).notNull().defaultNow(),
});
