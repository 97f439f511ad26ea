import { and, asc, count, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../core/db.js';
import { sysApiResource } from './resource.table.js';

export type ApiResourceRow = typeof sysApiResource.$inferSelect;
export type NewApiResourceRow = typeof sysApiResource.$inferInsert;

const API_RESOURCE_LOCK = 73_100_202;

/** 接口服务网址资源: namespaces and their services (queries only). */
export function apiResourceRepository(db: DbOrTx) {
  return {
    async all() {
      return db.select().from(sysApiResource).orderBy(asc(sysApiResource.sort), asc(sysApiResource.createdAt), asc(sysApiResource.name));
    },

    async byId(id: string) {
      const [row] = await db.select().from(sysApiResource).where(eq(sysApiResource.id, id));
      return row;
    },

    async byIds(ids: string[]) {
      if (!ids.length) return [];
      return db.select().from(sysApiResource).where(inArray(sysApiResource.id, ids));
    },

    /** Rows of one type with this address (addresses are unique per type). */
    async byUrl(type: ApiResourceRow['type'], url: string) {
      return db.select().from(sysApiResource).where(and(eq(sysApiResource.type, type), eq(sysApiResource.url, url)));
    },

    async childCount(id: string) {
      const [row] = await db.select({ n: count() }).from(sysApiResource).where(eq(sysApiResource.parentId, id));
      return Number(row?.n ?? 0);
    },

    async insert(r: NewApiResourceRow) {
      const [row] = await db.insert(sysApiResource).values(r).returning();
      return row!;
    },

    async insertMany(rows: NewApiResourceRow[]) {
      if (rows.length) await db.insert(sysApiResource).values(rows);
    },

    async update(id: string, patch: Partial<NewApiResourceRow>) {
      const [row] = await db.update(sysApiResource).set(patch).where(eq(sysApiResource.id, id)).returning();
      return row;
    },

    async setEnabled(id: string, enabled: boolean) {
      await db.update(sysApiResource).set({ enabled }).where(eq(sysApiResource.id, id));
    },

    async delete(id: string) {
      await db.delete(sysApiResource).where(eq(sysApiResource.id, id));
    },

    /** Serialises seeding and address checks across nodes (the table has no unique constraint). */
    async lock() {
      await db.execute(sql`select pg_advisory_xact_lock(${API_RESOURCE_LOCK})`);
    },
  };
}
export type ApiResourceRepository = ReturnType<typeof apiResourceRepository>;
