import { and, asc, count, eq, ilike, inArray, like, or, sql, type SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../core/db.js';
import { alias, type PgColumn, type PgTable } from 'drizzle-orm/pg-core';
import { sysOrg, sysOrgSuperior } from './org.table.js';
import { sysRegion } from './region.table.js';
import { sysRole, sysRoleOrgScope } from './role.table.js';
import { sysUser } from './user.table.js';
import { likeEscape } from '../../core/text.js';

export type OrgRow = typeof sysOrg.$inferSelect;
export type NewOrg = Omit<typeof sysOrg.$inferInsert, 'id' | 'path' | 'parentId'>;
export type OrgPatch = Partial<Omit<typeof sysOrg.$inferInsert, 'id' | 'path' | 'parentId' | 'createdAt'>>;

/** An organisation with what the tree shows beside it. */
export type OrgListRow = OrgRow & { regionName: string | null; childCount: number; userCount: number; userTotal: number };

/** Advanced-search conditions, all optional, combined with AND. */
export interface OrgFilter {
  keyword?: string;
  regionCode?: string;
  enabled?: boolean;
  type?: string;
  level?: string;
  orgCode?: string;
  tag?: string;
  /** Extra SQL condition (e.g. the caller's admin scope). */
  extra?: SQL;
}

// Correlated counts; the outer table is referred to by its name, the inner ones by aliases.
const childCountSql = sql<number>`(select count(*)::int from sys_org c where c.parent_id = "sys_org"."id")`;
const userCountSql = sql<number>`(select count(*)::int from sys_user u where u.org_id = "sys_org"."id")`;
const userTotalSql = sql<number>`(select count(*)::int from sys_user u join sys_org d on d.id = u.org_id where d.path like "sys_org"."path" || '%')`;

const listColumns = {
  org: sysOrg,
  regionName: sysRegion.name,
  childCount: childCountSql,
  userCount: userCountSql,
  userTotal: userTotalSql,
};

const flatten = (r: { org: OrgRow; regionName: string | null; childCount: number; userCount: number; userTotal: number }): OrgListRow => ({
  ...r.org,
  regionName: r.regionName,
  childCount: Number(r.childCount),
  userCount: Number(r.userCount),
  userTotal: Number(r.userTotal),
});

export function orgRepository(db: DbOrTx) {
  const filterSql = (f: OrgFilter): SQL | undefined => {
    const conds: SQL[] = [];
    const kw = f.keyword?.trim();
    if (kw) {
      const e = likeEscape(kw);
      conds.push(or(ilike(sysOrg.name, `%${e}%`), ilike(sysOrg.code, `${e}%`), like(sysOrg.pinyin, `${e.toLowerCase()}%`))!);
    }
    if (f.regionCode) {
      // The region itself and every region below it.
      conds.push(sql`${sysOrg.regionCode} in (
        with recursive r(code) as (
          select ${f.regionCode}::text
          union
          select s.code from sys_region s join r on s.parent_code = r.code
        ) select code from r)`);
    }
    if (f.enabled !== undefined) conds.push(eq(sysOrg.enabled, f.enabled));
    if (f.type) conds.push(eq(sysOrg.type, f.type));
    if (f.level) conds.push(eq(sysOrg.level, f.level as OrgRow['level']));
    if (f.orgCode) conds.push(ilike(sysOrg.orgCode, `${likeEscape(f.orgCode)}%`));
    if (f.tag) conds.push(sql`${sysOrg.tags} @> ${JSON.stringify([f.tag])}::jsonb`);
    if (f.extra) conds.push(f.extra);
    return conds.length ? and(...conds) : undefined;
  };

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

    /** Every organisation, in tree order (the table holds hundreds to a few thousand rows). */
    all() {
      return db.select().from(sysOrg).orderBy(asc(sysOrg.path));
    },

    async count() {
      const [r] = await db.select({ n: count() }).from(sysOrg);
      return r?.n ?? 0;
    },

    async byId(id: string) {
      const [r] = await db.select().from(sysOrg).where(eq(sysOrg.id, id));
      return r;
    },

    async byCode(code: string) {
      const [r] = await db.select().from(sysOrg).where(eq(sysOrg.code, code));
      return r;
    },

    byIds(ids: string[]) {
      if (!ids.length) return Promise.resolve([] as OrgRow[]);
      return db.select().from(sysOrg).where(inArray(sysOrg.id, ids));
    },

    /** One organisation with its counts and region name. */
    async listRow(id: string): Promise<OrgListRow | undefined> {
      const [r] = await db
        .select(listColumns)
        .from(sysOrg)
        .leftJoin(sysRegion, eq(sysRegion.code, sysOrg.regionCode))
        .where(eq(sysOrg.id, id));
      return r && flatten(r);
    },

    /** Direct children of `parentId` (roots when null), in display order, with counts. */
    async children(parentId: string | null): Promise<OrgListRow[]> {
      const rows = await db
        .select(listColumns)
        .from(sysOrg)
        .leftJoin(sysRegion, eq(sysRegion.code, sysOrg.regionCode))
        .where(parentId ? eq(sysOrg.parentId, parentId) : sql`${sysOrg.parentId} is null`)
        .orderBy(asc(sysOrg.sort), asc(sysOrg.name));
      return rows.map(flatten);
    },

    /** One page of organisations matching the filter: upper levels first, then display order. */
    async search(f: OrgFilter, page: number, pageSize: number) {
      const where = filterSql(f);
      const [total] = await db.select({ n: count() }).from(sysOrg).where(where);
      const rows = await db
        .select(listColumns)
        .from(sysOrg)
        .leftJoin(sysRegion, eq(sysRegion.code, sysOrg.regionCode))
        .where(where)
        .orderBy(sql`length(${sysOrg.path})`, asc(sysOrg.sort), asc(sysOrg.name), asc(sysOrg.id))
        .limit(pageSize)
        .offset((page - 1) * pageSize);
      return { items: rows.map(flatten), total: Number(total?.n ?? 0) };
    },

    /** id → name for the given ids (ancestors, superiors…). */
    async namesOf(ids: string[]) {
      if (!ids.length) return new Map<string, string>();
      const rows = await db.select({ id: sysOrg.id, name: sysOrg.name }).from(sysOrg).where(inArray(sysOrg.id, ids));
      return new Map(rows.map((r) => [r.id, r.name]));
    },

    async update(id: string, patch: OrgPatch) {
      const [r] = await db.update(sysOrg).set({ ...patch, updatedAt: new Date() }).where(eq(sysOrg.id, id)).returning();
      return r;
    },

    async remove(id: string) {
      await db.delete(sysOrgSuperior).where(eq(sysOrgSuperior.orgId, id));
      await db.delete(sysOrg).where(eq(sysOrg.id, id));
    },

    /**
     * Moves `org` with its whole subtree under `parent`: sets the parent and rewrites the path
     * prefix of every organisation below (call inside a transaction).
     */
    async moveSubtree(org: Pick<OrgRow, 'id' | 'path'>, parent: Pick<OrgRow, 'id' | 'path'>) {
      const newPath = `${parent.path}${org.id}/`;
      await db.update(sysOrg).set({ parentId: parent.id, updatedAt: new Date() }).where(eq(sysOrg.id, org.id));
      const moved = await db
        .update(sysOrg)
        .set({ path: sql`${newPath} || substr(${sysOrg.path}, ${org.path.length + 1})` })
        .where(like(sysOrg.path, `${org.path}%`))
        .returning({ id: sysOrg.id });
      return moved.length;
    },

    /** 业务上级 of an organisation, by name. */
    superiorsOf(id: string) {
      return db
        .select({ id: sysOrg.id, name: sysOrg.name })
        .from(sysOrgSuperior)
        .innerJoin(sysOrg, eq(sysOrg.id, sysOrgSuperior.superiorId))
        .where(eq(sysOrgSuperior.orgId, id))
        .orderBy(asc(sysOrg.path));
    },

    async setSuperiors(id: string, superiorIds: string[]) {
      await db.delete(sysOrgSuperior).where(eq(sysOrgSuperior.orgId, id));
      if (superiorIds.length) {
        await db.insert(sysOrgSuperior).values(superiorIds.map((superiorId) => ({ orgId: id, superiorId }))).onConflictDoNothing();
      }
    },

    /** Organisations of `orgIds` whose business superiors include one of `superiorIds`. */
    superiorLinks(orgIds: string[], superiorIds: string[]) {
      if (!orgIds.length || !superiorIds.length) return Promise.resolve([] as { orgId: string; superiorId: string }[]);
      return db
        .select()
        .from(sysOrgSuperior)
        .where(and(inArray(sysOrgSuperior.orgId, orgIds), inArray(sysOrgSuperior.superiorId, superiorIds)));
    },

    /** Every enabled organisation, id, parent and name only (pickers outside 组织机构, e.g. notice recipients). */
    async outline() {
      return db
        .select({ id: sysOrg.id, parentId: sysOrg.parentId, name: sysOrg.name })
        .from(sysOrg)
        .where(eq(sysOrg.enabled, true))
        .orderBy(asc(sysOrg.sort), asc(sysOrg.name));
    },

    /**
     * Enabled organisations matching `keyword` with their parent's name, upper levels first (pickers
     * of other modules, e.g. a device's 责任单位); `ids` limits them to a scope (absent: all).
     */
    async options(f: { keyword?: string; ids?: string[]; limit: number }) {
      if (f.ids && !f.ids.length) return [];
      const parent = alias(sysOrg, 'parent');
      return db
        .select({ id: sysOrg.id, name: sysOrg.name, code: sysOrg.code, parentName: parent.name })
        .from(sysOrg)
        .leftJoin(parent, eq(parent.id, sysOrg.parentId))
        .where(filterSql({ keyword: f.keyword, enabled: true, extra: f.ids ? inArray(sysOrg.id, f.ids) : undefined }))
        .orderBy(sql`length(${sysOrg.path})`, asc(sysOrg.sort), asc(sysOrg.name), asc(sysOrg.id))
        .limit(f.limit);
    },

    /** Ids of `org` and every organisation below it. */
    async subtreeIds(path: string) {
      const rows = await db.select({ id: sysOrg.id }).from(sysOrg).where(like(sysOrg.path, `${path}%`));
      return rows.map((r) => r.id);
    },

    /** Levels of the direct children (to keep them valid when the level changes). */
    async childLevels(id: string) {
      const rows = await db.selectDistinct({ level: sysOrg.level }).from(sysOrg).where(eq(sysOrg.parentId, id));
      return rows.map((r) => r.level);
    },

    /** What still points at an organisation; it cannot be deleted while any is non-zero. */
    async references(id: string) {
      // One statement: it runs inside the delete's transaction, whose single connection takes one query at a time.
      const n = (table: PgTable, column: PgColumn) => sql<number>`(select count(*) from ${table} where ${column} = ${id})::int`;
      const [r] = await db
        .select({
          children: n(sysOrg, sysOrg.parentId),
          users: n(sysUser, sysUser.orgId),
          subordinates: n(sysOrgSuperior, sysOrgSuperior.superiorId),
          adminScopes: n(sysRoleOrgScope, sysRoleOrgScope.orgId),
          roles: n(sysRole, sysRole.orgId),
        })
        .from(sysOrg)
        .where(eq(sysOrg.id, id));
      return r ?? { children: 0, users: 0, subordinates: 0, adminScopes: 0, roles: 0 };
    },

    async regionExists(code: string) {
      const [r] = await db.select({ code: sysRegion.code }).from(sysRegion).where(eq(sysRegion.code, code));
      return !!r;
    },
  };
}
export type OrgRepository = ReturnType<typeof orgRepository>;
