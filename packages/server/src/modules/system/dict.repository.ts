import { and, asc, count, eq, ilike, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../core/db.js';
import { sysDictItem, sysDictType } from './dict.table.js';
import { likeContains } from '../../core/text.js';

export type DictTypeRow = typeof sysDictType.$inferSelect;
export type DictItemRow = typeof sysDictItem.$inferSelect;

export function dictRepository(db: DbOrTx) {
  return {
    /** Enabled labels of an enabled type, in display order. */
    async enabledItems(typeCode: string) {
      return db
        .select({ value: sysDictItem.value, label: sysDictItem.label, tagType: sysDictItem.tagType })
        .from(sysDictItem)
        .innerJoin(sysDictType, eq(sysDictType.code, sysDictItem.typeCode))
        .where(and(eq(sysDictItem.typeCode, typeCode), eq(sysDictItem.enabled, true), eq(sysDictType.enabled, true)))
        .orderBy(asc(sysDictItem.sort), asc(sysDictItem.value));
    },

    // --- administration (字典管理) ---------------------------------------------------------

    /** Types by part of name or code, with their label counts; in display order. */
    async pageTypes(f: { keyword?: string; enabled?: boolean; page: number; pageSize: number }) {
      const where: SQL[] = [];
      if (f.keyword) {
        const k = likeContains(f.keyword);
        where.push(or(ilike(sysDictType.name, k), ilike(sysDictType.code, k))!);
      }
      if (f.enabled !== undefined) where.push(eq(sysDictType.enabled, f.enabled));
      const cond = where.length ? and(...where) : undefined;
      const itemCount = sql<number>`(select count(*) from ${sysDictItem} where ${sysDictItem.typeCode} = ${sysDictType.code})`.mapWith(Number);
      const [items, [total]] = await Promise.all([
        db.select({ type: sysDictType, itemCount }).from(sysDictType).where(cond)
          .orderBy(asc(sysDictType.sort), asc(sysDictType.code)).limit(f.pageSize).offset((f.page - 1) * f.pageSize),
        db.select({ n: count() }).from(sysDictType).where(cond),
      ]);
      return { items: items.map((r) => ({ ...r.type, itemCount: r.itemCount })), total: total?.n ?? 0 };
    },

    async typeById(id: string) {
      const [row] = await db.select().from(sysDictType).where(eq(sysDictType.id, id));
      return row;
    },

    async typeByCode(code: string) {
      const [row] = await db.select().from(sysDictType).where(eq(sysDictType.code, code));
      return row;
    },

    async itemCount(typeCode: string) {
      const [r] = await db.select({ n: count() }).from(sysDictItem).where(eq(sysDictItem.typeCode, typeCode));
      return r?.n ?? 0;
    },

    async insertType(row: Pick<DictTypeRow, 'code' | 'name' | 'sort' | 'enabled'>) {
      const [r] = await db.insert(sysDictType).values(row).returning();
      return r!;
    },

    async updateType(id: string, patch: Partial<Pick<DictTypeRow, 'code' | 'name' | 'sort' | 'enabled'>>) {
      const [r] = await db.update(sysDictType).set({ ...patch, updatedAt: new Date() }).where(eq(sysDictType.id, id)).returning();
      return r;
    },

    async deleteType(id: string) {
      await db.delete(sysDictType).where(eq(sysDictType.id, id));
    },

    /** Moves the labels of a type to its new code. */
    async renameItemsType(from: string, to: string) {
      await db.update(sysDictItem).set({ typeCode: to, updatedAt: new Date() }).where(eq(sysDictItem.typeCode, from));
    },

    async deleteItemsOfType(typeCode: string) {
      await db.delete(sysDictItem).where(eq(sysDictItem.typeCode, typeCode));
    },

    /** Every label of a type, disabled ones included, in display order. */
    async itemsOf(typeCode: string) {
      return db.select().from(sysDictItem).where(eq(sysDictItem.typeCode, typeCode)).orderBy(asc(sysDictItem.sort), asc(sysDictItem.value));
    },

    async itemById(id: string) {
      const [row] = await db.select().from(sysDictItem).where(eq(sysDictItem.id, id));
      return row;
    },

    async itemsByIds(ids: string[]) {
      return ids.length ? db.select().from(sysDictItem).where(inArray(sysDictItem.id, ids)) : [];
    },

    async typesByIds(ids: string[]) {
      return ids.length ? db.select().from(sysDictType).where(inArray(sysDictType.id, ids)) : [];
    },

    async itemByValue(typeCode: string, value: string) {
      const [row] = await db.select().from(sysDictItem).where(and(eq(sysDictItem.typeCode, typeCode), eq(sysDictItem.value, value)));
      return row;
    },

    async insertItem(row: Pick<DictItemRow, 'typeCode' | 'label' | 'value' | 'tagType' | 'sort' | 'enabled'>) {
      const [r] = await db.insert(sysDictItem).values(row).returning();
      return r!;
    },

    async updateItem(id: string, patch: Partial<Pick<DictItemRow, 'label' | 'value' | 'tagType' | 'sort' | 'enabled'>>) {
      const [r] = await db.update(sysDictItem).set({ ...patch, updatedAt: new Date() }).where(eq(sysDictItem.id, id)).returning();
      return r;
    },

    async deleteItem(id: string) {
      await db.delete(sysDictItem).where(eq(sysDictItem.id, id));
    },

    /** Seeds a type and its labels when absent; labels an administrator changed are left alone. */
    async ensure(type: { code: string; name: string; sort: number }, items: { value: string; label: string; tagType?: string }[]) {
      await db.insert(sysDictType).values({ ...type, builtin: true }).onConflictDoNothing();
      if (items.length) {
        await db
          .insert(sysDictItem)
          .values(items.map((it, i) => ({ typeCode: type.code, value: it.value, label: it.label, tagType: it.tagType ?? null, sort: (i + 1) * 10 })))
          .onConflictDoNothing();
      }
    },
  };
}
export type DictRepository = ReturnType<typeof dictRepository>;
