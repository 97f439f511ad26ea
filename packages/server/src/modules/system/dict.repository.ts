import { and, asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../core/db.js';
import { sysDictItem, sysDictType } from './dict.table.js';

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
