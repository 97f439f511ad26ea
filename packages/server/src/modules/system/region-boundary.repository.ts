import { and, asc, eq, isNotNull, isNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../core/db.js';
import { sysOrg } from './org.table.js';
import { sysRegion, sysRegionBoundary } from './region.table.js';

export type RegionBoundaryRow = typeof sysRegionBoundary.$inferSelect;
export type NewRegionBoundary = typeof sysRegionBoundary.$inferInsert;

/** Region outlines, and the few region look-ups the pickers of ordinary users need. */
export function regionBoundaryRepository(db: DbOrTx) {
  return {
    async get(code: string): Promise<RegionBoundaryRow | undefined> {
      const [row] = await db.select().from(sysRegionBoundary).where(eq(sysRegionBoundary.regionCode, code));
      return row;
    },

    async exists(code: string): Promise<boolean> {
      const [row] = await db.select({ code: sysRegionBoundary.regionCode }).from(sysRegionBoundary).where(eq(sysRegionBoundary.regionCode, code));
      return !!row;
    },

    /** Replaces the outline of a region. */
    async upsert(row: NewRegionBoundary): Promise<RegionBoundaryRow> {
      const [r] = await db
        .insert(sysRegionBoundary)
        .values(row)
        .onConflictDoUpdate({
          target: sysRegionBoundary.regionCode,
          set: { geojson: row.geojson, fileName: row.fileName, importedBy: row.importedBy, importedAt: sql`now()` },
        })
        .returning();
      return r!;
    },

    /** Stores the outline unless the region has one already (another node may have seeded it). */
    async insertIfAbsent(row: NewRegionBoundary): Promise<boolean> {
      const inserted = await db.insert(sysRegionBoundary).values(row).onConflictDoNothing().returning({ code: sysRegionBoundary.regionCode });
      return inserted.length > 0;
    },

    async region(code: string) {
      const [r] = await db
        .select({ code: sysRegion.code, name: sysRegion.name, parentCode: sysRegion.parentCode })
        .from(sysRegion)
        .where(eq(sysRegion.code, code));
      return r;
    },

    /** Enabled children of a region, each saying whether it has enabled children itself. */
    enabledChildren(parentCode: string) {
      const hasChildren = sql<boolean>`exists (select 1 from sys_region c where c.parent_code = "sys_region"."code" and c.enabled)`;
      return db
        .select({ code: sysRegion.code, name: sysRegion.name, level: sysRegion.level, hasChildren })
        .from(sysRegion)
        .where(and(eq(sysRegion.parentCode, parentCode), eq(sysRegion.enabled, true)))
        .orderBy(asc(sysRegion.sort), asc(sysRegion.code));
    },

    /** The region of the top organisation (the platform's area, e.g. 崇州市); the first by sort when there are several. */
    async topOrgRegion(): Promise<string | undefined> {
      const [r] = await db
        .select({ code: sysOrg.regionCode })
        .from(sysOrg)
        .where(and(isNull(sysOrg.parentId), isNotNull(sysOrg.regionCode)))
        .orderBy(asc(sysOrg.sort), asc(sysOrg.name))
        .limit(1);
      return r?.code ?? undefined;
    },

    async orgRegion(orgId: string): Promise<string | undefined> {
      const [r] = await db.select({ code: sysOrg.regionCode }).from(sysOrg).where(eq(sysOrg.id, orgId));
      return r?.code ?? undefined;
    },
  };
}
export type RegionBoundaryRepository = ReturnType<typeof regionBoundaryRepository>;
