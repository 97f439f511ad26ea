import { and, eq, or, sql, type SQL } from 'drizzle-orm';
import {
  PERMISSIONS,
  SUPER_PERMISSION,
  type BatchResult,
  type Role,
  type RoleAddMembersBody,
  type RoleGroupBody,
  type RoleKind,
  type RolePerson,
  type RoleResourceNode,
} from '@cityops/contracts';
import type { Db, DbOrTx } from '../../core/db.js';
import { runBatch } from '../../core/batch.js';
import type { FieldCipher } from '../../core/crypto/field.js';
import { Conflict, Forbidden, Invalid, NotFound } from '../../core/errors.js';
import { hasPermission, type Principal } from '../../core/principal.js';
import { accessRepository, type ResourceRow } from './access.repository.js';
import { sysOrg } from './org.table.js';
import { roleRepository, type GrantRow, type PageArgs, type RoleListRow, type RoleRow } from './role.repository.js';
import { sysRole } from './role.table.js';
import { pathInScope, type ScopeService } from './scope.service.js';
import { isUuid } from '../../core/ids.js';
import { listNames } from '../../core/text.js';

export interface RoleServiceDeps {
  db: Db;
  scope: ScopeService;
  fields: FieldCipher;
}

/** The role body after validation (defaults applied). */
export interface RoleInput {
  code: string;
  name: string;
  groupId: string | null;
  orgId: string | null;
  visibleToChildren: boolean;
  validFrom: string | null;
  validTo: string | null;
  description: string | null;
}

const noun = (kind: RoleKind) => (kind === 'admin' ? '管理员角色' : '角色');
const date = (s: string | null | undefined) => (s ? new Date(s) : null);
const iso = (d: Date | null) => (d ? d.toISOString() : null);

/**
 * Scope rules for administrators whose rights come from admin roles (anyone without the super
 * permission `*:*:*`; super users may do everything). Their scope is the organisation trees of their
 * valid admin roles (`scope.adminPaths`); without an admin role it is empty and they manage nothing.
 *
 * - People: they may add/remove role members and assign/remove roles only for people whose
 *   organisation lies in their scope (403 OUT_OF_SCOPE); people without an organisation, super
 *   users only.
 * - Roles they may **assign** (and see in the lists): a role owned by (所属组织) an organisation in
 *   their scope; or a role marked 对子组织可见 that is either platform-wide (no owner) or owned by
 *   an organisation above their scope (a city role shared down to the towns).
 * - Roles they may **manage** (edit, copy, enable/disable, delete, grant functions, set scope):
 *   only those owned by an organisation in their scope — a shared city role is used, not changed.
 * - Never super roles; and an admin role only when its whole 管理范围 lies inside theirs, so that no
 *   one can hand out more than they hold.
 * - Functions: they may grant or revoke only function resources whose permission code they hold
 *   themselves (folders and pages open to every logged-in user are free); other grants of a role
 *   are left as they are.
 */
export function roleCondition(paths: string[], mode: 'assign' | 'manage'): SQL {
  if (paths.includes('/')) return sql`true`;
  if (!paths.length) return sql`false`;
  const under = (col: SQL) => sql.join(paths.map((p) => sql`${col} like ${`${p}%`}`), sql` or `);
  const owned = sql`(${under(sql`${sysOrg.path}`)})`;
  const sharedDown = sql`(${sysRole.visibleToChildren} and (${sysRole.orgId} is null or ${sql.join(
    paths.map((p) => sql`${p} like ${sysOrg.path} || '%'`),
    sql` or `,
  )}))`;
  const scopeInside = sql`not exists (select 1 from sys_role_org_scope s join sys_org o on o.id = s.org_id
    where s.role_id = ${sysRole.id} and not (${under(sql`o.path`)}))`;
  return and(eq(sysRole.isSuper, false), mode === 'manage' ? owned : or(owned, sharedDown), scopeInside)!;
}

/** The function-resource tree (folders, pages, buttons) in display order. */
export function resourceTree(resources: ResourceRow[]): RoleResourceNode[] {
  const sorted = [...resources].sort((a, b) => a.sort - b.sort);
  const build = (parentId: string | null): RoleResourceNode[] =>
    sorted
      .filter((r) => r.parentId === parentId)
      .map((r) => ({ id: r.id, name: r.name, code: r.code, type: r.type, permission: r.permission, route: r.route, children: build(r.id) }));
  return build(null);
}

/** Roles 角色权限 and admin roles 管理员权限: groups, grants, members, organisation scopes. */
export function roleService(d: RoleServiceDeps) {
  const repo = roleRepository(d.db);
  const isSuperUser = (p: Principal) => p.permissions.includes(SUPER_PERMISSION);
  const inTx = <T>(fn: (r: ReturnType<typeof roleRepository>, tx: DbOrTx) => Promise<T>) =>
    d.db.transaction((tx) => fn(roleRepository(tx), tx));

  async function load(kind: RoleKind, id: string) {
    const r = isUuid(id) ? await repo.roleById(id) : undefined;
    if (!r || r.isAdmin !== (kind === 'admin')) throw new NotFound(`${noun(kind)}不存在`);
    return r;
  }

  /** 403 unless the user may use the role in `mode` (see roleCondition). */
  async function assertRole(p: Principal, role: RoleRow, mode: 'assign' | 'manage', paths?: string[]) {
    if (isSuperUser(p)) return;
    const scope = paths ?? (await d.scope.adminPaths(p));
    if (!(await repo.idsWhere([role.id], roleCondition(scope, mode))).has(role.id)) {
      throw new Forbidden(`${role.isAdmin ? '管理员角色' : '角色'}「${role.name}」不在您的管理范围内`, 'OUT_OF_SCOPE');
    }
  }

  /** 403 unless every person lies in the user's scope (scope.assertCanManageOrg, for many at once). */
  async function assertPeople(p: Principal, userIds: string[], paths: string[]) {
    const users = await repo.usersByIds(userIds);
    if (users.length !== new Set(userIds).size) throw new NotFound('人员不存在或已删除');
    if (isSuperUser(p)) return users;
    for (const u of users) {
      if (!u.orgPath || !pathInScope(paths, u.orgPath)) {
        throw new Forbidden(`人员「${u.name}（${u.username}）」不在您的管理范围内`, 'OUT_OF_SCOPE');
      }
    }
    return users;
  }

  /** Function resources the user may grant or revoke (see roleCondition). */
  const grantable = (p: Principal, r: { permission: string | null; access: string }) =>
    isSuperUser(p) || !r.permission || r.access !== 'authorized' || p.permissions.includes(r.permission);

  async function checkResources(p: Principal, ids: string[]) {
    const unique = [...new Set(ids)];
    const rows = await repo.resourcesByIds(unique);
    if (rows.length !== unique.length) throw new Invalid('所选功能资源不存在或已删除，请刷新后重试');
    return rows;
  }

  async function checkOrgAndGroup(p: Principal, b: RoleInput) {
    if (b.groupId && !(await repo.groupById(b.groupId))) throw new Invalid('角色分组不存在，请刷新后重试');
    if (b.orgId) {
      const [org] = await repo.orgsByIds([b.orgId]);
      if (!org) throw new Invalid('所属组织不存在');
      if (!isSuperUser(p)) await d.scope.assertCanManageOrg(p, b.orgId, '所属组织');
    } else if (!isSuperUser(p)) {
      throw new Invalid('请选择所属组织（须在您的管理范围内）');
    }
  }

  async function toRoles(rows: RoleListRow[]): Promise<Role[]> {
    const ids = rows.map((r) => r.id);
    const [members, scopes] = await Promise.all([repo.memberCounts(ids), repo.scopeOrgs(rows.filter((r) => r.isAdmin).map((r) => r.id))]);
    return rows.map((r) => ({
      id: r.id,
      code: r.code,
      name: r.name,
      groupId: r.groupId,
      groupName: r.groupName,
      orgId: r.orgId,
      orgName: r.orgName,
      visibleToChildren: r.visibleToChildren,
      validFrom: iso(r.validFrom),
      validTo: iso(r.validTo),
      description: r.description,
      isSuper: r.isSuper,
      isAdmin: r.isAdmin,
      builtin: r.builtin,
      enabled: r.enabled,
      memberCount: members.get(r.id) ?? 0,
      scopeOrgs: scopes.filter((s) => s.roleId === r.id).map((s) => ({ id: s.id, name: s.name })),
      createdAt: r.createdAt.toISOString(),
    }));
  }

  async function one(kind: RoleKind, id: string) {
    const { items } = await repo.list({ isAdmin: kind === 'admin', ids: [id], visible: sql`true` }, { page: 1, pageSize: 1 });
    const [role] = await toRoles(items);
    if (!role) throw new NotFound(`${noun(kind)}不存在`);
    return role;
  }

  /** The roles a batch acts on: the given ids, or every role of the kind in a group. */
  async function targets(kind: RoleKind, b: { roleIds?: string[]; groupId?: string }) {
    if (b.roleIds) return b.roleIds;
    const group = await repo.groupById(b.groupId!);
    if (!group) throw new NotFound('角色分组不存在');
    const roles = await repo.rolesInGroup(group.id, kind === 'admin');
    if (!roles.length) throw new Invalid(`分组「${group.name}」下没有${noun(kind)}`);
    return roles.map((r) => r.id);
  }

  return {
    // --------------------------------------------------------- names for the operation log
    async groupName(id: string) {
      return isUuid(id) ? (await repo.groupById(id))?.name : undefined;
    },
    async namesOf(ids: string[]) {
      return listNames((await repo.rolesByIds(ids.filter((i) => isUuid(i)))).map((r) => r.name));
    },
    async resourceNames(ids: string[]) {
      return listNames((await repo.resourcesByIds(ids.filter((i) => isUuid(i)))).map((r) => r.name));
    },
    async orgNames(ids: string[]) {
      return listNames((await repo.orgsByIds(ids.filter((i) => isUuid(i)))).map((o) => o.name));
    },
    async userNames(ids: string[]) {
      return listNames((await repo.usersByIds(ids.filter((i) => isUuid(i)))).map((u) => `${u.name}（${u.username}）`));
    },

    // ----------------------------------------------------------------------------- groups
    groups: (kind: RoleKind) => repo.groups(kind === 'admin'),

    async createGroup(b: RoleGroupBody) {
      if (await repo.groupByName(b.name)) throw new Conflict(`分组名称「${b.name}」已存在`);
      const g = await repo.insertGroup(b);
      return { ...g, roleCount: 0 };
    },

    async updateGroup(kind: RoleKind, id: string, b: RoleGroupBody) {
      const g = await repo.groupById(id);
      if (!g) throw new NotFound('角色分组不存在');
      const same = await repo.groupByName(b.name);
      if (same && same.id !== id) throw new Conflict(`分组名称「${b.name}」已存在`);
      const row = (await repo.updateGroup(id, b))!;
      return { ...row, roleCount: (await repo.rolesInGroup(id, kind === 'admin')).length };
    },

    /** Refused while any role (of either kind) is in the group. */
    async deleteGroup(id: string) {
      const g = await repo.groupById(id);
      if (!g) throw new NotFound('角色分组不存在');
      const roles = await repo.rolesInGroup(id);
      if (roles.length) throw new Conflict(`该分组下还有 ${roles.length} 个角色，不能删除`);
      await repo.deleteGroup(id);
      return g;
    },

    // ------------------------------------------------------------------------------ roles
    async list(p: Principal, kind: RoleKind, q: { groupId?: string; keyword?: string; enabled?: 'true' | 'false' } & PageArgs) {
      const visible = isSuperUser(p) ? sql`true` : roleCondition(await d.scope.adminPaths(p), 'assign');
      const { items, total } = await repo.list(
        { isAdmin: kind === 'admin', groupId: q.groupId, keyword: q.keyword || undefined, enabled: q.enabled === undefined ? undefined : q.enabled === 'true', visible },
        q,
      );
      return { items: await toRoles(items), total, page: q.page, pageSize: q.pageSize };
    },

    async create(p: Principal, kind: RoleKind, b: RoleInput) {
      if (await repo.roleByCode(b.code)) throw new Conflict(`角色编码「${b.code}」已存在`);
      await checkOrgAndGroup(p, b);
      const row = await repo.insertRole({
        code: b.code, name: b.name, groupId: b.groupId, orgId: b.orgId, visibleToChildren: b.visibleToChildren,
        validFrom: date(b.validFrom), validTo: date(b.validTo), description: b.description || null, isAdmin: kind === 'admin',
      });
      return one(kind, row.id);
    },

    async update(p: Principal, kind: RoleKind, id: string, b: RoleInput) {
      const role = await load(kind, id);
      await assertRole(p, role, 'manage');
      if (b.code !== role.code) {
        if (role.builtin) throw new Invalid('内置角色的编码不能修改');
        if (await repo.roleByCode(b.code)) throw new Conflict(`角色编码「${b.code}」已存在`);
      }
      if (role.isSuper && (b.validFrom || b.validTo)) throw new Invalid('超级管理员角色不能设置有效期');
      await checkOrgAndGroup(p, b);
      await repo.updateRole(id, {
        code: b.code, name: b.name, groupId: b.groupId, orgId: b.orgId, visibleToChildren: b.visibleToChildren,
        validFrom: date(b.validFrom), validTo: date(b.validTo), description: b.description || null,
      });
      return one(kind, id);
    },

    /** A new role with the source's grants (with their expiry), scope, group and settings; no members. */
    async copy(p: Principal, kind: RoleKind, id: string, b: { code: string; name: string }) {
      const src = await load(kind, id);
      await assertRole(p, src, 'manage');
      if (await repo.roleByCode(b.code)) throw new Conflict(`角色编码「${b.code}」已存在`);
      const newId = await inTx(async (r) => {
        const row = await r.insertRole({
          code: b.code, name: b.name, groupId: src.groupId, orgId: src.orgId, visibleToChildren: src.visibleToChildren,
          validFrom: src.validFrom, validTo: src.validTo, description: src.description, isSuper: src.isSuper,
          isAdmin: src.isAdmin, builtin: false, enabled: src.enabled,
        });
        await r.replaceGrants(row.id, await r.grants(src.id));
        await r.setScope(row.id, (await r.scopeOrgs([src.id])).map((s) => s.id));
        return row.id;
      });
      return one(kind, newId);
    },

    setEnabled(p: Principal, kind: RoleKind, ids: string[], enabled: boolean): Promise<BatchResult> {
      return runBatch(ids, async (id) => {
        const role = await load(kind, id);
        await assertRole(p, role, 'manage');
        if (!enabled && role.isSuper) throw new Invalid('超级管理员角色不能禁用');
        await repo.updateRole(id, { enabled });
      });
    },

    /** Built-in roles and roles still assigned to people are refused, row by row. */
    remove(p: Principal, kind: RoleKind, ids: string[]): Promise<BatchResult> {
      return runBatch(ids, async (id) => {
        const role = await load(kind, id);
        await assertRole(p, role, 'manage');
        if (role.builtin) throw new Invalid(`「${role.name}」是内置角色，不能删除`);
        const n = (await repo.memberCounts([id])).get(id) ?? 0;
        if (n > 0) throw new Conflict(`该角色已分配给 ${n} 人，请先移除人员`);
        await inTx((r) => r.deleteRole(id));
      });
    },

    // ----------------------------------------------------------------------------- grants
    async resourceTree() {
      return resourceTree(await accessRepository(d.db).allResources());
    },

    async grants(p: Principal, kind: RoleKind, id: string) {
      const role = await load(kind, id);
      await assertRole(p, role, 'assign');
      return (await repo.grants(id)).map((g) => ({ resourceId: g.resourceId, expiresAt: iso(g.expiresAt) }));
    },

    /**
     * Replaces the role's grants with the given set. A scoped administrator's changes are limited to
     * the functions they hold; the role's other grants stay as they were.
     */
    async setGrants(p: Principal, kind: RoleKind, id: string, grants: { resourceId: string; expiresAt: string | null }[]) {
      const role = await load(kind, id);
      await assertRole(p, role, 'manage');
      const wanted = new Map(grants.map((g) => [g.resourceId, date(g.expiresAt)]));
      const resources = new Map((await checkResources(p, [...wanted.keys()])).map((r) => [r.id, r]));
      const existing = await repo.grants(id);
      const existingResources = await repo.resourcesByIds(existing.map((g) => g.resourceId));
      // Grants of disabled resources are not in the tree the page shows: they are kept as they are.
      const hidden = new Set(existingResources.filter((r) => !r.enabled).map((r) => r.id));
      const next: GrantRow[] = existing.filter((g) => hidden.has(g.resourceId) && !wanted.has(g.resourceId));
      if (isSuperUser(p)) {
        for (const [resourceId, expiresAt] of wanted) next.push({ resourceId, expiresAt });
      } else {
        const held = new Map(existing.map((g) => [g.resourceId, g]));
        const foreign = new Set(existingResources.filter((r) => !grantable(p, r) && !hidden.has(r.id)).map((r) => r.id));
        const refused = [...resources.values()].filter((r) => !grantable(p, r) && !held.has(r.id));
        if (refused.length) throw new Forbidden(`您无权授予以下功能：${refused.map((r) => r.name).join('、')}`);
        for (const [resourceId, expiresAt] of wanted) if (!foreign.has(resourceId)) next.push({ resourceId, expiresAt });
        for (const g of existing) if (foreign.has(g.resourceId)) next.push(g);
      }
      await inTx((r) => r.replaceGrants(id, next));
      return role;
    },

    /** 批量授权: per role; an existing grant of the same function takes the new expiry. */
    async batchGrant(p: Principal, kind: RoleKind, b: { roleIds?: string[]; groupId?: string; resourceIds: string[]; expiresAt: string | null }) {
      const roleIds = await targets(kind, b);
      const resources = await checkResources(p, b.resourceIds);
      const refused = resources.filter((r) => !grantable(p, r));
      if (refused.length) throw new Forbidden(`您无权授予以下功能：${refused.map((r) => r.name).join('、')}`);
      const paths = isSuperUser(p) ? ['/'] : await d.scope.adminPaths(p);
      return runBatch(roleIds, async (id) => {
        const role = await load(kind, id);
        await assertRole(p, role, 'manage', paths);
        await repo.upsertGrants(id, resources.map((r) => r.id), date(b.expiresAt));
      });
    },

    /** 批量授权收回: per role. */
    async batchRevoke(p: Principal, kind: RoleKind, b: { roleIds?: string[]; groupId?: string; resourceIds: string[] }) {
      const roleIds = await targets(kind, b);
      const resources = await checkResources(p, b.resourceIds);
      const refused = resources.filter((r) => !grantable(p, r));
      if (refused.length) throw new Forbidden(`您无权收回以下功能：${refused.map((r) => r.name).join('、')}`);
      const paths = isSuperUser(p) ? ['/'] : await d.scope.adminPaths(p);
      return runBatch(roleIds, async (id) => {
        const role = await load(kind, id);
        await assertRole(p, role, 'manage', paths);
        await repo.revokeGrants(id, resources.map((r) => r.id));
      });
    },

    // ------------------------------------------------------------------------------ scope
    /** 管理范围: each organisation and everything below it (an org already covered by another is dropped). */
    async setScope(p: Principal, id: string, orgIds: string[]) {
      const role = await load('admin', id);
      await assertRole(p, role, 'manage');
      const unique = [...new Set(orgIds)];
      const orgs = await repo.orgsByIds(unique);
      if (orgs.length !== unique.length) throw new Invalid('所选组织机构不存在或已删除，请刷新后重试');
      if (!isSuperUser(p)) {
        const paths = await d.scope.adminPaths(p);
        const outside = orgs.find((o) => !pathInScope(paths, o.path));
        if (outside) throw new Forbidden(`组织「${outside.name}」不在您的管理范围内`, 'OUT_OF_SCOPE');
      }
      const tops = orgs.filter((o) => !orgs.some((other) => other.id !== o.id && o.path.startsWith(other.path)));
      await inTx((r) => r.setScope(id, tops.map((o) => o.id)));
      return role;
    },

    // ---------------------------------------------------------------------- people, members
    async orgOptions(p: Principal) {
      const paths = await d.scope.adminPaths(p);
      return repo.orgOptions(d.scope.adminCondition(paths, sysOrg.path));
    },

    async people(
      p: Principal,
      q: { keyword?: string; orgId?: string; includeChildren: 'true' | 'false' } & PageArgs,
    ): Promise<{ items: RolePerson[]; total: number; page: number; pageSize: number }> {
      const paths = await d.scope.adminPaths(p);
      let org: { id: string; path: string } | undefined;
      if (q.orgId) {
        [org] = await repo.orgsByIds([q.orgId]);
        if (!org) throw new NotFound('组织机构不存在');
      }
      const keyword = q.keyword || undefined;
      const { items, total } = await repo.people(
        {
          org, includeChildren: q.includeChildren === 'true', keyword,
          idNumberIndex: keyword && keyword.length >= 6 ? d.fields.blindIndex(keyword) : undefined,
          inScope: d.scope.adminCondition(paths, sysOrg.path),
        },
        q,
      );
      const roles = await repo.rolesOfUsers(items.map((u) => u.id));
      return {
        items: items.map((u) => ({ ...u, roles: roles.filter((r) => r.userId === u.id).map(({ userId: _, ...r }) => r) })),
        total, page: q.page, pageSize: q.pageSize,
      };
    },

    async members(p: Principal, kind: RoleKind, id: string, q: { keyword?: string } & PageArgs) {
      const role = await load(kind, id);
      const paths = await d.scope.adminPaths(p);
      await assertRole(p, role, 'assign', paths);
      // Scoped administrators see only the members inside their scope.
      const { items, total } = await repo.members(id, q.keyword || undefined, d.scope.adminCondition(paths, sysOrg.path), q);
      return { items, total, page: q.page, pageSize: q.pageSize, role };
    },

    /** 添加人员: the chosen people, or every person of an organisation (按组织一键添加). */
    async addMembers(p: Principal, kind: RoleKind, id: string, b: RoleAddMembersBody & { includeChildren: boolean }) {
      const role = await load(kind, id);
      const paths = await d.scope.adminPaths(p);
      await assertRole(p, role, 'assign', paths);
      let userIds: string[];
      if (b.orgId) {
        const [org] = await repo.orgsByIds([b.orgId]);
        if (!org) throw new NotFound('组织机构不存在');
        await d.scope.assertCanManageOrg(p, org.id);
        userIds = await repo.userIdsOfOrg(org, b.includeChildren, d.scope.adminCondition(paths, sysOrg.path));
      } else {
        userIds = [...new Set(b.userIds!)];
        await assertPeople(p, userIds, paths);
      }
      const affected = await repo.addUserRoles(userIds.map((userId) => ({ userId, roleId: id })));
      return { affected, role };
    },

    async removeMembers(p: Principal, kind: RoleKind, id: string, userIds: string[]) {
      const role = await load(kind, id);
      const paths = await d.scope.adminPaths(p);
      await assertRole(p, role, 'assign', paths);
      await assertPeople(p, userIds, paths);
      return { affected: await repo.removeUserRoles(userIds, [id]), role };
    },

    // ------------------------------------------------------------------ 人员维度 assignment
    /** Roles the user may hand out; admin roles only with 管理员角色维护 (system:admin-role:edit). */
    async assignOptions(p: Principal) {
      const visible = isSuperUser(p) ? sql`true` : roleCondition(await d.scope.adminPaths(p), 'assign');
      const rows = await repo.options(visible);
      return hasPermission(p, PERMISSIONS.adminRoleEdit) ? rows : rows.filter((r) => !r.isAdmin);
    },

    async assign(p: Principal, b: { userIds: string[]; roleIds: string[] }, add: boolean) {
      const roleIds = [...new Set(b.roleIds)];
      const roles = await repo.rolesByIds(roleIds);
      if (roles.length !== roleIds.length) throw new NotFound('角色不存在或已删除，请刷新后重试');
      const admin = roles.find((r) => r.isAdmin);
      if (admin && !hasPermission(p, PERMISSIONS.adminRoleEdit)) {
        throw new Forbidden(`「${admin.name}」是管理员角色，分配或移除需要「管理员角色维护」权限`);
      }
      const paths = await d.scope.adminPaths(p);
      if (!isSuperUser(p)) {
        const ok = await repo.idsWhere(roleIds, roleCondition(paths, 'assign'));
        const outside = roles.find((r) => !ok.has(r.id));
        if (outside) throw new Forbidden(`角色「${outside.name}」不在您的管理范围内`, 'OUT_OF_SCOPE');
      }
      const userIds = [...new Set(b.userIds)];
      await assertPeople(p, userIds, paths);
      const affected = add
        ? await repo.addUserRoles(userIds.flatMap((userId) => roleIds.map((roleId) => ({ userId, roleId }))))
        : await repo.removeUserRoles(userIds, roleIds);
      return { affected, roles };
    },
  };
}
export type RoleService = ReturnType<typeof roleService>;
