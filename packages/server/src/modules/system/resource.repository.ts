import { and, asc, count, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../core/db.js';
import { sysResource } from './resource.table.js';
import { sysRoleResource } from './role.table.js';

export type ResourceRow = typeof sysResource.$inferSelect;
export type NewResourceRow = typeof sysResource.$inferInsert;

/** Function resources 功能资源 for their maintenance screen (queries only). */
export function resourceRepository(db: DbOrTx) {
  return {
    /** Every resource, enabled or not, in display order. */
    async all() {
      return db.select().from(sysResource).orderBy(asc(sysResource.sort), asc(sysResource.name));
    },

    async byId(id: string) {
      const [row] = await db.select().from(sysResource).where(eq(sysResource.id, id));
      return row;
    },

    async byIds(ids: string[]) {
      if (!ids.length) return [];
      return db.select().from(sysResource).where(inArray(sysResource.id, ids));
    },

    async byCode(code: string) {
      const [row] = await db.select().from(sysResource).where(eq(sysResource.code, code));
      return row;
    },

    /** Children of a parent (null: top level), in display order. */
    async children(parentId: string | null) {
      return db
        .select()
        .from(sysResource)
        .where(parentId ? eq(sysResource.parentId, parentId) : isNull(sysResource.parentId))
        .orderBy(asc(sysResource.sort), asc(sysResource.name));
    },

    async childCount(id: string) {
      const [row] = await db.select({ n: count() }).from(sysResource).where(eq(sysResource.parentId, id));
      return Number(row?.n ?? 0);
    },

    /** Roles granted each resource (resource id → number). */
    async grantCounts() {
      const rows = await db
        .select({ id: sysRoleResource.resourceId, n: count() })
        .from(sysRoleResource)
        .groupBy(sysRoleResource.resourceId);
      return new Map(rows.map((r) => [r.id, Number(r.n)]));
    },

    async insert(r: NewResourceRow) {
      const [row] = await db.insert(sysResource).values(r).returning();
      return row!;
    },

    async update(id: string, patch: Partial<NewResourceRow>) {
      const [row] = await db.update(sysResource).set(patch).where(eq(sysResource.id, id)).returning();
      return row;
    },

    async setEnabled(id: string, enabled: boolean) {
      await db.update(sysResource).set({ enabled }).where(eq(sysResource.id, id));
    },

    async setSort(id: string, sort: number) {
      await db.update(sysResource).set({ sort }).where(eq(sysResource.id, id));
    },

    /** Deletes a resource and its grants to roles. */
    async delete(id: string) {
      await db.delete(sysRoleResource).where(eq(sysRoleResource.resourceId, id));
      await db.delete(sysResource).where(and(eq(sysResource.id, id)));
    },

    /** Serialises edits of the tree (sibling order, moves) across nodes. */
    async lockTree() {
      await db.execute(sql`select pg_advisory_xact_lock(${RESOURCE_TREE_LOCK})`);
    },
  };
}
export type ResourceRepository = ReturnType<typeof resourceRepository>;

const RESOURCE_TREE_LOCK = 73_100_201;
