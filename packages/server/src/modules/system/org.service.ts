import {
  DICT,
  type BatchResult,
  type OrgCreate,
  type OrgDetail,
  type OrgLevel,
  type OrgNode,
  type OrgSearchItem,
  type OrgSearchQuery,
  type OrgUpdate,
} from '@cityops/contracts';
import { runBatch } from '../../core/batch.js';
import type { Db, DbOrTx } from '../../core/db.js';
import { Conflict, Forbidden, Invalid, NotFound } from '../../core/errors.js';
import type { Principal } from '../../core/principal.js';
import type { DictService } from './dict.service.js';
import { orgRepository, type OrgListRow, type OrgRow } from './org.repository.js';
import { sysOrg } from './org.table.js';
import { canReportToCity, levelRuleBroken } from './org.rules.js';
import { pathInScope, scopeService } from './scope.service.js';
import { pinyinInitials } from '../../core/pinyin.js';
import { isUuid } from '../../core/ids.js';
import { isUniqueViolation } from '../../core/db-errors.js';


/** Ids of the ancestors in a path '/a/b/c/' (root first, without the organisation itself). */
const ancestorIds = (path: string) => path.split('/').filter(Boolean).slice(0, -1);


export interface OrgServiceDeps {
  db: Db;
  dicts: Pick<DictService, 'options'>;
}

/**
 * 组织机构: the tree, smart and advanced search, and maintenance within the editor's admin scope
 * (super administrators everywhere). Level rules keep the tree sensible; deletion is refused while
 * anything still refers to the organisation.
 */
export function orgService({ db, dicts }: OrgServiceDeps) {
  const repo = orgRepository(db);
  const scope = scopeService(db);

  const toNode = (r: OrgListRow, adminPaths: string[]): OrgNode => ({
    id: r.id,
    parentId: r.parentId,
    path: r.path,
    name: r.name,
    code: r.code,
    orgCode: r.orgCode,
    type: r.type,
    level: r.level,
    tags: r.tags ?? [],
    regionCode: r.regionCode,
    regionName: r.regionName,
    leader: r.leader,
    contact: r.contact,
    phone: r.phone,
    address: r.address,
    sort: r.sort,
    enabled: r.enabled,
    hasChildren: r.childCount > 0,
    childCount: r.childCount,
    userCount: r.userCount,
    userTotal: r.userTotal,
    canManage: pathInScope(adminPaths, r.path),
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  });

  /** The organisation or 404 (an id that is not even a uuid cannot exist). */
  const mustGet = async (r: ReturnType<typeof orgRepository>, id: string, what = '组织机构') => {
    const row = isUuid(id) ? await r.byId(id) : undefined;
    if (!row) throw new NotFound(`${what}不存在或已删除`);
    return row;
  };

  const assertManage = async (user: Principal, org: Pick<OrgRow, 'path' | 'name'>, paths?: string[]) => {
    const mine = paths ?? (await scope.adminPaths(user));
    if (!pathInScope(mine, org.path)) throw new Forbidden(`「${org.name}」不在您的管理范围内`, 'OUT_OF_SCOPE');
  };

  /** Type and tags must be known dictionary keys (unless the organisation already had them). */
  async function checkDicts(input: { type: string | null; tags: string[] }, before?: Pick<OrgRow, 'type' | 'tags'>) {
    if (input.type && input.type !== before?.type) {
      const types = new Set((await dicts.options(DICT.orgType)).map((o) => o.value));
      if (!types.has(input.type)) throw new Invalid(`组织类型「${input.type}」不存在`);
    }
    const newTags = input.tags.filter((t) => !(before?.tags ?? []).includes(t));
    if (newTags.length) {
      const tags = new Set((await dicts.options(DICT.orgTag)).map((o) => o.value));
      const unknown = newTags.filter((t) => !tags.has(t));
      if (unknown.length) throw new Invalid(`组织标签「${unknown.join('、')}」不存在`);
    }
  }

  async function checkRegion(r: ReturnType<typeof orgRepository>, code: string | null, before?: string | null) {
    if (code && code !== before && !(await r.regionExists(code))) throw new Invalid(`行政区划「${code}」不存在`);
  }

  async function checkCodeFree(r: ReturnType<typeof orgRepository>, code: string, selfId?: string) {
    const other = await r.byCode(code);
    if (other && other.id !== selfId) throw new Conflict(`自定义编码「${code}」已被「${other.name}」使用`);
  }

  /** Business superiors must exist and be neither the organisation itself nor below it. */
  async function checkSuperiors(r: ReturnType<typeof orgRepository>, ids: string[], self?: Pick<OrgRow, 'id' | 'path' | 'name'>) {
    const unique = [...new Set(ids)];
    if (!unique.length) return unique;
    const rows = await r.byIds(unique);
    if (rows.length !== unique.length) throw new Invalid('所选业务上级中有组织不存在或已删除');
    if (self) {
      if (unique.includes(self.id)) throw new Invalid('业务上级不能是组织本身');
      const below = rows.filter((o) => o.path.startsWith(self.path));
      if (below.length) throw new Invalid(`业务上级不能是本组织的下级：${below.map((o) => `「${o.name}」`).join('、')}`);
    }
    return unique;
  }

  async function detailOf(r: ReturnType<typeof orgRepository>, id: string, adminPaths: string[]): Promise<OrgDetail> {
    const row = isUuid(id) ? await r.listRow(id) : undefined;
    if (!row) throw new NotFound('组织机构不存在或已删除');
    const ancestors = ancestorIds(row.path);
    const [names, superiors] = await Promise.all([r.namesOf(ancestors), r.superiorsOf(id)]);
    return {
      ...toNode(row, adminPaths),
      parentName: row.parentId ? (names.get(row.parentId) ?? null) : null,
      pathNames: ancestors.map((a) => names.get(a) ?? '').filter(Boolean),
      superiors,
    };
  }

  async function setEnabled(user: Principal, id: string, enabled: boolean, paths: string[]) {
    const org = await mustGet(repo, id);
    await assertManage(user, org, paths);
    if (org.enabled !== enabled) await repo.update(id, { enabled });
  }

  async function removeOne(user: Principal, id: string, paths?: string[]) {
    return db.transaction(async (tx) => {
      const r = orgRepository(tx);
      const org = await mustGet(r, id);
      await assertManage(user, org, paths ?? (await scopeService(tx).adminPaths(user)));
      const refs = await r.references(id);
      const why: string[] = [];
      if (refs.children) why.push(`还有 ${refs.children} 个下级组织`);
      if (refs.users) why.push(`还有 ${refs.users} 名人员`);
      if (refs.subordinates) why.push(`是 ${refs.subordinates} 个组织的业务上级`);
      if (refs.adminScopes) why.push(`是 ${refs.adminScopes} 个管理员角色的管理范围`);
      if (refs.roles) why.push(`有 ${refs.roles} 个所属角色`);
      if (why.length) throw new Conflict(`「${org.name}」${why.join('，')}，不能删除`, refs);
      await r.remove(id);
      return org;
    });
  }

  return {
    /** Children of `parentId` (roots when absent) with counts, for the lazy tree. */
    async children(user: Principal, parentId?: string): Promise<OrgNode[]> {
      if (parentId) await mustGet(repo, parentId, '上级组织');
      const [rows, paths] = await Promise.all([repo.children(parentId ?? null), scope.adminPaths(user)]);
      return rows.map((r) => toNode(r, paths));
    },

    /** Smart search (keyword) and advanced search, paged, each hit with its ancestors' names. */
    async search(user: Principal, q: OrgSearchQuery) {
      const paths = await scope.adminPaths(user);
      const { items, total } = await repo.search(
        {
          keyword: q.keyword,
          regionCode: q.regionCode,
          enabled: q.enabled,
          type: q.type,
          level: q.level,
          orgCode: q.orgCode,
          tag: q.tag,
          extra: q.manageable ? scope.adminCondition(paths, sysOrg.path) : undefined,
        },
        q.page,
        q.pageSize,
      );
      const names = await repo.namesOf([...new Set(items.flatMap((i) => ancestorIds(i.path)))]);
      const out: OrgSearchItem[] = items.map((i) => ({
        ...toNode(i, paths),
        pathNames: ancestorIds(i.path).map((a) => names.get(a) ?? '').filter(Boolean),
      }));
      return { items: out, total, page: q.page, pageSize: q.pageSize };
    },

    async detail(user: Principal, id: string) {
      return detailOf(repo, id, await scope.adminPaths(user));
    },

    async create(user: Principal, input: OrgCreate): Promise<OrgDetail> {
      const paths = await scope.adminPaths(user);
      await checkDicts(input);
      const id = await db
        .transaction(async (tx) => {
          const r = orgRepository(tx);
          const parent = input.parentId ? await mustGet(r, input.parentId, '上级组织') : null;
          if (parent) await assertManage(user, parent, paths);
          else if (!paths.includes('/')) throw new Forbidden('只有超级管理员可以新增根组织', 'OUT_OF_SCOPE');
          const broken = levelRuleBroken((parent?.level as OrgLevel) ?? null, input.level, parent?.name);
          if (broken) throw new Invalid(broken);
          await checkCodeFree(r, input.code);
          await checkRegion(r, input.regionCode);
          const superiors = await checkSuperiors(r, input.superiorIds);
          const { parentId: _p, superiorIds: _s, ...fields } = input;
          const row = await r.insertUnder(parent, { ...fields, pinyin: pinyinInitials(input.name) });
          await r.setSuperiors(row.id, superiors);
          return row.id;
        })
        .catch((e: unknown) => {
          if (isUniqueViolation(e)) throw new Conflict(`自定义编码「${input.code}」已被使用`);
          throw e;
        });
      return detailOf(repo, id, paths);
    },

    async update(user: Principal, id: string, input: OrgUpdate): Promise<OrgDetail> {
      const paths = await scope.adminPaths(user);
      const before = await mustGet(repo, id);
      await assertManage(user, before, paths);
      await checkDicts(input, before);
      await db
        .transaction(async (tx) => {
          const r = orgRepository(tx);
          const org = await mustGet(r, id);
          if (input.level !== org.level) {
            const parent = org.parentId ? await r.byId(org.parentId) : undefined;
            const broken = levelRuleBroken((parent?.level as OrgLevel) ?? null, input.level, parent?.name);
            if (broken) throw new Invalid(`不能改为该层级：${broken}`);
            for (const childLevel of await r.childLevels(id)) {
              const childBroken = levelRuleBroken(input.level, childLevel as OrgLevel, input.name);
              if (childBroken) throw new Invalid(`不能改为该层级：现有下级组织不符合层级规则（${childBroken}）`);
            }
          }
          await checkCodeFree(r, input.code, id);
          await checkRegion(r, input.regionCode, org.regionCode);
          const superiors = await checkSuperiors(r, input.superiorIds, org);
          const { superiorIds: _s, ...fields } = input;
          await r.update(id, { ...fields, pinyin: pinyinInitials(input.name) });
          await r.setSuperiors(id, superiors);
        })
        .catch((e: unknown) => {
          if (isUniqueViolation(e)) throw new Conflict(`自定义编码「${input.code}」已被使用`);
          throw e;
        });
      return detailOf(repo, id, paths);
    },

    /** Moves an organisation with everything below it under another parent, in one transaction. */
    async move(user: Principal, id: string, parentId: string): Promise<OrgDetail> {
      const paths = await scope.adminPaths(user);
      await db.transaction(async (tx) => {
        const r = orgRepository(tx);
        const org = await mustGet(r, id);
        const parent = await mustGet(r, parentId, '目标上级组织');
        await assertManage(user, org, paths);
        await assertManage(user, parent, paths);
        if (parent.id === org.id) throw new Invalid('不能移动到组织本身下面');
        if (parent.path.startsWith(org.path)) throw new Invalid(`不能移动到本组织的下级「${parent.name}」下面`);
        if (org.parentId === parent.id) return;
        const broken = levelRuleBroken(parent.level as OrgLevel, org.level as OrgLevel, parent.name);
        if (broken) throw new Invalid(broken);
        // After the move, the new ancestors must not have anything of this subtree as business superior.
        const subtree = await r.subtreeIds(org.path);
        const links = await r.superiorLinks([...ancestorIds(parent.path), parent.id], subtree);
        if (links.length) {
          const names = await r.namesOf([links[0]!.orgId, links[0]!.superiorId]);
          throw new Invalid(`「${names.get(links[0]!.orgId)}」以「${names.get(links[0]!.superiorId)}」为业务上级，不能把「${org.name}」移到它下面`);
        }
        await r.moveSubtree(org, parent);
      });
      return detailOf(repo, id, paths);
    },

    /** Deletes one organisation; refused (409, saying what and how many) while anything refers to it. */
    remove: (user: Principal, id: string) => removeOne(user, id),

    async batchEnable(user: Principal, ids: string[], enabled: boolean): Promise<BatchResult> {
      const paths = await scope.adminPaths(user);
      return runBatch(ids, (id) => setEnabled(user, id, enabled, paths));
    },

    async batchDelete(user: Principal, ids: string[]): Promise<BatchResult> {
      const paths = await scope.adminPaths(user);
      return runBatch(ids, async (id) => {
        await removeOne(user, id, paths);
      });
    },

    /** Whether the organisation may report events up to the city centre (only a 镇街城运中心). */
    async canReportToCity(orgId: string, tx: DbOrTx = db): Promise<boolean> {
      const org = isUuid(orgId) ? await orgRepository(tx).byId(orgId) : undefined;
      return !!org && canReportToCity(org);
    },

    /** Names of organisations for the operation log: '「甲」、「乙」等 12 个'. */
    async describe(ids: string[]) {
      const valid = [...new Set(ids)].filter((i) => isUuid(i));
      const names = [...(await repo.namesOf(valid.slice(0, 5))).values()].map((n) => `「${n}」`).join('、');
      return ids.length > 5 ? `${names}等 ${ids.length} 个` : names || ids.join(',');
    },

    /** Name of an organisation, for the operation log (null when it does not exist). */
    async nameOf(id: string) {
      return isUuid(id) ? ((await repo.byId(id))?.name ?? null) : null;
    },
  };
}
export type OrgService = ReturnType<typeof orgService>;
