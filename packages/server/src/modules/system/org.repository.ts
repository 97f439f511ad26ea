import { count } from 'drizzle-orm';
import type { DbOrTx } from '../../core/db.js';
import { sysOrg } from './org.table.js';

export type OrgRow = typeof sysOrg.$inferSelect;
export type NewOrg = Omit<typeof sysOrg.$inferInsert, 'id' | 'path' | 'parentId'>;

export function orgRepository(db: DbOrTx) {
  return {
    /** Inserts under `parent` (or as a root), deriving the scope path. */
    async insertUnder(parent: Pick<OrgRow, 'id' | 'path'> | null, org: NewOrg) {
      const id = crypto.randomUUID();
      const [row] = await db
        .insert(sysOrg)
        .values({ ...org, id, parentId: parent?.id ?? null, path: `${parent?.path ?? '/'}${id}/` })
        .returning();
      return row!;
    },

    async count() {
      const [r] = await db.select({ n: count() }).from(sysOrg);
      return r?.n ?? 0;
    },
  };
}
