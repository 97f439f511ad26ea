import { and, asc, count, eq, ilike, inArray, isNull, like, ne, or, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../core/db.js';
import { sysOrg } from './org.table.js';
import { sysRegion } from './region.table.js';
import { likeEscape } from '../../core/text.js';

export type NewRegion = typeof sysRegion.$inferInsert;
export type RegionRow = typeof sysRegion.$inferSelect;
export type RegionWithChildren = RegionRow & { hasChildren: boolean };

/** Escapes LIKE wildcards so that a keyword matches literally. */

export interface RegionFilter {
  keyword?: string;
  level?: number;
  enabled?: boolean;
}

export function regionRepository(db: DbOrTx) {
  // Spelled out: inside the sub-select an unqualified "code" would be the child's.
  const hasChildren = sql<boolean>`exists (select 1 from sys_region c where c.parent_code = "sys_region"."code")`.as('has_children');
  const withChildren = { ...columns(), hasChildren };
  const order = [asc(sysRegion.sort), asc(sysRegion.code)];

  return {
    /**
     * Inserts or updates by code, in one statement per batch of 1000 (idempotent). Existing rows
     * keep their sort and status; a row whose name, level and parent are unchanged is not written.
     */
    async upsertMany(rows: NewRegion[]) {
      for (let i = 0; i < rows.length; i += 1000) {
        await db
          .insert(sysRegion)
          .values(rows.slice(i, i + 1000))
          .onConflictDoUpdate({
            target: sysRegion.code,
            set: { name: sql`excluded.name`, pinyin: sql`excluded.pinyin`, level: sql`excluded.level`, parentCode: sql`excluded.parent_code`, updatedAt: sql`now()` },
            setWhere: sql`(${sysRegion.name}, ${sysRegion.pinyin}, ${sysRegion.level}, ${sysRegion.parentCode}) is distinct from (excluded.name, excluded.pinyin, excluded.level, excluded.parent_code)`,
          });
      }
    },

    /** Children of `parentCode` (roots when null), each saying whether it has children itself. */
    children(parentCode: string | null): Promise<RegionWithChildren[]> {
      return db
        .select(withChildren)
        .from(sysRegion)
        .where(parentCode === null ? isNull(sysRegion.parentCode) : eq(sysRegion.parentCode, parentCode))
        .orderBy(...order);
    },

    /** Name contains / code starts with / pinyin initials start with the keyword; level; status. */
    async search(f: RegionFilter, page: number, pageSize: number) {
      const conds: SQL[] = [];
      if (f.keyword) {
        const k = likeEscape(f.keyword);
        conds.push(or(ilike(sysRegion.name, `%${k}%`), like(sysRegion.code, `${k}%`), like(sysRegion.pinyin, `${k.toLowerCase()}%`))!);
      }
      if (f.level !== undefined) conds.push(eq(sysRegion.level, f.level));
      if (f.enabled !== undefined) conds.push(eq(sysRegion.enabled, f.enabled));
      const where = conds.length ? and(...conds) : undefined;
      const [total] = await db.select({ n: count() }).from(sysRegion).where(where);
      const items = await db
        .select(withChildren)
        .from(sysRegion)
        .where(where)
        .orderBy(asc(sysRegion.level), ...order)
        .limit(pageSize)
        .offset((page - 1) * pageSize);
      return { items, total: total?.n ?? 0 };
    },

    async get(code: string): Promise<RegionWithChildren | undefined> {
      const [row] = await db.select(withChildren).from(sysRegion).where(eq(sysRegion.code, code));
      return row;
    },

    /** Code, name, level and parent of the given codes (those that exist). */
    async refs(codes: string[]) {
      if (!codes.length) return [];
      return db
        .select({ code: sysRegion.code, name: sysRegion.name, level: sysRegion.level, parentCode: sysRegion.parentCode })
        .from(sysRegion)
        .where(inArray(sysRegion.code, codes));
    },

    /** Code, name and parent of every child of the given parents. */
    async namesUnder(parentCodes: string[]) {
      if (!parentCodes.length) return [];
      return db
        .select({ code: sysRegion.code, name: sysRegion.name, parentCode: sysRegion.parentCode })
        .from(sysRegion)
        .where(inArray(sysRegion.parentCode, parentCodes));
    },

    async insert(row: NewRegion) {
      const [r] = await db.insert(sysRegion).values(row).returning();
      return r!;
    },

    async update(code: string, set: Partial<Pick<RegionRow, 'name' | 'pinyin' | 'sort' | 'enabled'>>) {
      const [r] = await db.update(sysRegion).set({ ...set, updatedAt: new Date() }).where(eq(sysRegion.code, code)).returning();
      return r;
    },

    async remove(code: string) {
      await db.delete(sysRegion).where(eq(sysRegion.code, code));
    },

    async childCount(code: string) {
      const [r] = await db.select({ n: count() }).from(sysRegion).where(eq(sysRegion.parentCode, code));
      return r?.n ?? 0;
    },

    /** A sibling (same parent) with this name, other than `exceptCode`. */
    async siblingNamed(parentCode: string | null, name: string, exceptCode?: string) {
      const [r] = await db
        .select({ code: sysRegion.code })
        .from(sysRegion)
        .where(
          and(
            parentCode === null ? isNull(sysRegion.parentCode) : eq(sysRegion.parentCode, parentCode),
            eq(sysRegion.name, name),
            exceptCode ? ne(sysRegion.code, exceptCode) : undefined,
          ),
        )
        .limit(1);
      return r;
    },

    /** Organisations whose region is `code`: how many, and the names of the first few. */
    async orgsUsing(code: string, sample = 3) {
      const [total] = await db.select({ n: count() }).from(sysOrg).where(eq(sysOrg.regionCode, code));
      const n = total?.n ?? 0;
      const names = n
        ? (await db.select({ name: sysOrg.name }).from(sysOrg).where(eq(sysOrg.regionCode, code)).orderBy(asc(sysOrg.sort), asc(sysOrg.name)).limit(sample)).map((r) => r.name)
        : [];
      return { count: n, names };
    },

    async count() {
      const [r] = await db.select({ n: count() }).from(sysRegion);
      return r?.n ?? 0;
    },
  };
}
export type RegionRepository = ReturnType<typeof regionRepository>;

function columns() {
  return {
    code: sysRegion.code,
    name: sysRegion.name,
    level: sysRegion.level,
    parentCode: sysRegion.parentCode,
    pinyin: sysRegion.pinyin,
    sort: sysRegion.sort,
    enabled: sysRegion.enabled,
    updatedAt: sysRegion.updatedAt,
  };
}
