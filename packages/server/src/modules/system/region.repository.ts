import { sql } from 'drizzle-orm';
import type { DbOrTx } from '../../core/db.js';
import { sysRegion } from './region.table.js';

export type NewRegion = typeof sysRegion.$inferInsert;

export function regionRepository(db: DbOrTx) {
  return {
    /** Inserts or renames by code, in one statement per batch (idempotent). */
    async upsertMany(rows: NewRegion[]) {
      for (let i = 0; i < rows.length; i += 1000) {
        await db
          .insert(sysRegion)
          .values(rows.slice(i, i + 1000))
          .onConflictDoUpdate({
            target: sysRegion.code,
            set: { name: sql`excluded.name`, pinyin: sql`excluded.pinyin`, level: sql`excluded.level`, parentCode: sql`excluded.parent_code`, updatedAt: sql`now()` },
          });
      }
    },
  };
}
