import { and, count, desc, eq, ilike, inArray, or, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../core/db.js';
import { likeContains } from '../../core/text.js';
import { iotApiKey } from './api-key.table.js';

export type ApiKeyRow = typeof iotApiKey.$inferSelect;
export type NewApiKey = typeof iotApiKey.$inferInsert;

/** 第三方接口 keys. */
export function apiKeyRepository(db: DbOrTx) {
  return {
    async page(f: { keyword?: string; enabled?: boolean }, page: number, pageSize: number) {
      const c: (SQL | undefined)[] = [];
      if (f.keyword) c.push(or(ilike(iotApiKey.name, likeContains(f.keyword)), ilike(iotApiKey.keyId, likeContains(f.keyword))));
      if (f.enabled !== undefined) c.push(eq(iotApiKey.enabled, f.enabled));
      const where = and(...c);
      const [items, [total]] = await Promise.all([
        db.select().from(iotApiKey).where(where).orderBy(desc(iotApiKey.createdAt), desc(iotApiKey.id)).limit(pageSize).offset((page - 1) * pageSize),
        db.select({ n: count() }).from(iotApiKey).where(where),
      ]);
      return { items, total: total?.n ?? 0 };
    },
    async byId(id: string) {
      const [r] = await db.select().from(iotApiKey).where(eq(iotApiKey.id, id));
      return r;
    },
    async byKeyId(keyId: string) {
      const [r] = await db.select().from(iotApiKey).where(eq(iotApiKey.keyId, keyId));
      return r;
    },
    async byIds(ids: string[]) {
      return ids.length ? db.select().from(iotApiKey).where(inArray(iotApiKey.id, ids)) : [];
    },
    async insert(row: NewApiKey) {
      const [r] = await db.insert(iotApiKey).values(row).returning();
      return r!;
    },
    async update(id: string, patch: Partial<NewApiKey>) {
      const [r] = await db.update(iotApiKey).set(patch).where(eq(iotApiKey.id, id)).returning();
      return r;
    },
    async remove(id: string) {
      await db.delete(iotApiKey).where(eq(iotApiKey.id, id));
    },
  };
}
export type ApiKeyRepository = ReturnType<typeof apiKeyRepository>;
