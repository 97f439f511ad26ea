import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MenuNode } from '@cityops/contracts';
import { hashPassword } from '../../core/crypto/sm.js';
import { ADMIN_PASSWORD, startHarness, type Harness } from '../../test/harness.js';
import { backends } from '../../test/backends.js';
import { userRepository } from './user.repository.js';

const DEMO = 'Chongzhou@2026';

interface TreeNode {
  id: string;
  code: string;
  name: string;
  children: TreeNode[];
}
const flatten = <T extends { children: T[] }>(nodes: T[]): T[] => nodes.flatMap((n) => [n, ...flatten(n.children)]);
const menuNames = (menus: MenuNode[]) => flatten(menus).map((m) => m.name);

describe.each(backends)('roles and admin roles on %s', (backend) => {
  let h: Harness;
  let admin: string;
  let res: Map<string, string>; // resource code → id
  let org: Map<string, string>; // organisation name → id
  let user: (username: string) => Promise<string>;

  const me = async (token: string) => (await h.call('GET', '/api/auth/me', { token })).json() as { permissions: string[]; menus: MenuNode[] };
  const ok = async (r: Awaited<ReturnType<Harness['call']>>) => {
    expect(r.statusCode, r.body).toBe(200);
    return r.json();
  };

  beforeAll(async () => {
    h = await startHarness(backend, { DEMO_DATA: 'true' });
    admin = await h.login('admin', ADMIN_PASSWORD);
    await ok(await h.call('POST', '/api/auth/change-password', { token: admin, body: { oldPassword: ADMIN_PASSWORD, newPassword: 'Strong#2026pw' } }));
    const tree = (await ok(await h.call('GET', '/api/system/roles/resource-tree', { token: admin }))) as TreeNode[];
    res = new Map(flatten(tree).map((n) => [n.code, n.id]));
    const orgs = (await ok(await h.call('GET', '/api/system/roles/org-options', { token: admin }))) as { id: string; name: string }[];
    org = new Map(orgs.map((o) => [o.name, o.id]));
    user = async (username) => {
      const page = await ok(await h.call('GET', `/api/system/roles/people?keyword=${username}`, { token: admin }));
      return page.items.find((u: { username: string }) => u.username === username).id;
    };
  });
  afterAll(async () => h?.dispose());

  let roleId: string;

  it('grants a new role the menu 组织机构 and gives it to cy_op: their next request shows it', async () => {
    const cyOp = await h.login('cy_op', DEMO);
    const before = await me(cyOp);
    expect(menuNames(before.menus)).not.toContain('组织机构');
    expect(before.permissions).not.toContain('system:org:list');

    const role = await ok(
      await h.call('POST', '/api/system/roles', {
        token: admin,
        body: { code: 'town-event-intake', name: '镇街事件受理', orgId: org.get('崇州市'), visibleToChildren: true, description: '镇街城运中心受理事件' },
      }),
    );
    expect(role).toMatchObject({ name: '镇街事件受理', orgName: '崇州市', visibleToChildren: true, enabled: true, isAdmin: false, memberCount: 0 });
    roleId = role.id;

    await ok(
      await h.call('PUT', `/api/system/roles/${roleId}/grants`, {
        token: admin,
        body: { grants: [{ resourceId: res.get('system:org') }, { resourceId: res.get('system:org:edit') }] },
      }),
    );
    const grants = await ok(await h.call('GET', `/api/system/roles/${roleId}/grants`, { token: admin }));
    expect(grants).toHaveLength(2);
    expect(grants.every((g: { expiresAt: string | null }) => g.expiresAt === null)).toBe(true);

    const added = await ok(await h.call('POST', `/api/system/roles/${roleId}/members`, { token: admin, body: { userIds: [await user('cy_op')] } }));
    expect(added).toEqual({ affected: 1 });

    // The same session, next request: permissions and menus are computed from the database.
    const after = await me(cyOp);
    expect(after.permissions).toEqual(expect.arrayContaining(['system:org:list', 'system:org:edit']));
    expect(after.permissions).not.toContain('system:user:list');
    const system = after.menus.find((m) => m.name === '系统管理')!;
    expect(system.children.map((c) => c.name)).toEqual(['组织人员']);
    expect(system.children[0]!.children.map((c) => c.name)).toEqual(['组织机构']);

    const members = await ok(await h.call('GET', `/api/system/roles/${roleId}/members?keyword=cy`, { token: admin }));
    expect(members.items.map((m: { username: string }) => m.username)).toEqual(['cy_op']);
    const listed = await ok(await h.call('GET', '/api/system/roles?keyword=事件受理', { token: admin }));
    expect(listed.items).toHaveLength(1);
    expect(listed.items[0]).toMatchObject({ code: 'town-event-intake', memberCount: 1 });
  });

  it('a grant whose expiry has passed gives nothing, and neither does a role past its validity', async () => {
    const cyOp = await h.login('cy_op', DEMO);
    const yesterday = new Date(Date.now() - 86_400_000).toISOString();
    const nextYear = new Date(Date.now() + 365 * 86_400_000).toISOString();
    await ok(
      await h.call('PUT', `/api/system/roles/${roleId}/grants`, {
        token: admin,
        body: { grants: [{ resourceId: res.get('system:org'), expiresAt: yesterday }, { resourceId: res.get('system:org:edit'), expiresAt: nextYear }] },
      }),
    );
    let now = await me(cyOp);
    expect(now.permissions).not.toContain('system:org:list');
    expect(now.permissions).toContain('system:org:edit');
    expect(menuNames(now.menus)).not.toContain('组织机构');

    await ok(await h.call('PUT', `/api/system/roles/${roleId}/grants`, { token: admin, body: { grants: [{ resourceId: res.get('system:org') }, { resourceId: res.get('system:org:edit') }] } }));
    expect((await me(cyOp)).permissions).toContain('system:org:list');

    const body = { code: 'town-event-intake', name: '镇街事件受理', orgId: org.get('崇州市'), visibleToChildren: true };
    await ok(await h.call('PUT', `/api/system/roles/${roleId}`, { token: admin, body: { ...body, validFrom: '2020-01-01T00:00:00Z', validTo: '2021-01-01T00:00:00Z' } }));
    now = await me(cyOp);
    expect(now.permissions).not.toContain('system:org:list');
    expect(menuNames(now.menus)).not.toContain('组织机构');

    const backwards = await h.call('PUT', `/api/system/roles/${roleId}`, { token: admin, body: { ...body, validFrom: '2030-01-01T00:00:00Z', validTo: '2029-01-01T00:00:00Z' } });
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().message).toContain('有效期结束时间须晚于开始时间');
    const noOrg = await h.call('PUT', `/api/system/roles/${roleId}`, { token: admin, body: { ...body, orgId: '00000000-0000-4000-8000-000000000000' } });
    expect(noOrg.statusCode).toBe(400);
    expect(noOrg.json().message).toBe('所属组织不存在');

    await ok(await h.call('PUT', `/api/system/roles/${roleId}`, { token: admin, body: { ...body, validFrom: null, validTo: nextYear } }));
    expect((await me(cyOp)).permissions).toContain('system:org:list');

    await ok(await h.call('POST', '/api/system/roles/batch/disable', { token: admin, body: { ids: [roleId] } }));
    expect((await me(cyOp)).permissions).not.toContain('system:org:list');
    await ok(await h.call('POST', '/api/system/roles/batch/enable', { token: admin, body: { ids: [roleId] } }));
    expect((await me(cyOp)).permissions).toContain('system:org:list');
  });

  let copyId: string;

  it('copies a role with its grants and group, not its members', async () => {
    const group = await ok(await h.call('POST', '/api/system/role-groups', { token: admin, body: { name: '镇街角色', sort: 10 } }));
    const role = (await ok(await h.call('GET', `/api/system/roles?keyword=town-event-intake`, { token: admin }))).items[0];
    await ok(await h.call('PUT', `/api/system/roles/${roleId}`, { token: admin, body: { ...role, groupId: group.id } }));

    const dup = await h.call('POST', `/api/system/roles/${roleId}/copy`, { token: admin, body: { code: 'town-event-intake', name: '副本' } });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().message).toBe('角色编码「town-event-intake」已存在');

    const copy = await ok(await h.call('POST', `/api/system/roles/${roleId}/copy`, { token: admin, body: { code: 'town-event-intake-2', name: '镇街事件受理（副本）' } }));
    copyId = copy.id;
    expect(copy).toMatchObject({ groupId: group.id, groupName: '镇街角色', orgName: '崇州市', visibleToChildren: true, memberCount: 0, builtin: false });
    const a = await ok(await h.call('GET', `/api/system/roles/${roleId}/grants`, { token: admin }));
    const b = await ok(await h.call('GET', `/api/system/roles/${copyId}/grants`, { token: admin }));
    const ids = (g: { resourceId: string }[]) => g.map((x) => x.resourceId).sort();
    expect(ids(b)).toEqual(ids(a));
    expect(ids(b)).toHaveLength(2);

    const groups = await ok(await h.call('GET', '/api/system/role-groups', { token: admin }));
    expect(groups.find((g: { id: string }) => g.id === group.id).roleCount).toBe(2);
    const refused = await h.call('DELETE', `/api/system/role-groups/${group.id}`, { token: admin });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().message).toBe('该分组下还有 2 个角色，不能删除');

    const byGroup = await ok(await h.call('GET', `/api/system/roles?groupId=${group.id}`, { token: admin }));
    expect(byGroup.total).toBe(2);

    // Grant to the whole group, then take it back from both roles at once.
    const granted = await ok(await h.call('POST', '/api/system/roles/grant', { token: admin, body: { groupId: group.id, resourceIds: [res.get('system:user')] } }));
    expect(granted).toMatchObject({ succeeded: 2, failed: 0 });
    expect((await me(await h.login('cy_op', DEMO))).permissions).toContain('system:user:list');
    const revoked = await ok(await h.call('POST', '/api/system/roles/revoke', { token: admin, body: { roleIds: [roleId, copyId], resourceIds: [res.get('system:user')] } }));
    expect(revoked).toMatchObject({ succeeded: 2, failed: 0 });
    expect((await me(await h.login('cy_op', DEMO))).permissions).not.toContain('system:user:list');
  });

  it('batch delete reports each row: built-in roles and roles with members are kept', async () => {
    const builtin = (await ok(await h.call('GET', '/api/system/roles?keyword=town-operator', { token: admin }))).items[0];
    expect(builtin.builtin).toBe(true);
    const r = await ok(await h.call('POST', '/api/system/roles/batch/delete', { token: admin, body: { ids: [builtin.id, copyId, roleId] } }));
    expect(r).toMatchObject({ succeeded: 1, failed: 2 });
    const byId = new Map(r.results.map((x: { id: string }) => [x.id, x]));
    expect(byId.get(builtin.id)).toMatchObject({ ok: false, message: '「镇街城运中心值班员」是内置角色，不能删除' });
    expect(byId.get(copyId)).toMatchObject({ ok: true });
    expect(byId.get(roleId)).toMatchObject({ ok: false, message: '该角色已分配给 1 人，请先移除人员' });
    expect((await ok(await h.call('GET', '/api/system/roles?keyword=town-event-intake', { token: admin }))).total).toBe(1);
    // Admin roles are not reachable through the ordinary role routes.
    expect((await h.call('POST', '/api/system/admin-roles/batch/delete', { token: admin, body: { ids: [roleId] } })).json().results[0].message).toBe('管理员角色不存在');
  });

  it('a scoped admin of 崇阳街道 manages members only inside 崇阳街道', async () => {
    const adminRole = await ok(
      await h.call('POST', '/api/system/admin-roles', { token: admin, body: { code: 'cy-admin', name: '崇阳街道管理员', orgId: org.get('崇阳街道') } }),
    );
    expect(adminRole.isAdmin).toBe(true);
    await ok(await h.call('PUT', `/api/system/admin-roles/${adminRole.id}/scope`, { token: admin, body: { orgIds: [org.get('崇阳街道')] } }));
    await ok(
      await h.call('PUT', `/api/system/admin-roles/${adminRole.id}/grants`, {
        token: admin,
        body: { grants: ['system:role', 'system:role:grant'].map((c) => ({ resourceId: res.get(c) })) },
      }),
    );
    const listed = await ok(await h.call('GET', '/api/system/admin-roles', { token: admin }));
    expect(listed.items.map((r: { name: string }) => r.name)).toEqual(['崇阳街道管理员']);
    expect(listed.items[0].scopeOrgs).toEqual([{ id: org.get('崇阳街道'), name: '崇阳街道' }]);
    expect((await ok(await h.call('GET', '/api/system/roles', { token: admin }))).items.some((r: { isAdmin: boolean }) => r.isAdmin)).toBe(false);

    const row = await userRepository(h.database.db).insert({
      username: 'cy_admin', name: '崇阳街道系统管理员', orgId: org.get('崇阳街道'), passwordHash: hashPassword('Cyadmin#2026', 1000),
    });
    await ok(await h.call('POST', `/api/system/admin-roles/${adminRole.id}/members`, { token: admin, body: { userIds: [row.id] } }));
    const scoped = await h.login('cy_admin', 'Cyadmin#2026');
    expect((await me(scoped)).permissions).toEqual(['system:role:grant', 'system:role:list']);

    // A role owned by 羊马街道 exists; the scoped admin neither sees nor assigns it.
    const ymRole = await ok(await h.call('POST', '/api/system/roles', { token: admin, body: { code: 'ym-only', name: '羊马专用', orgId: org.get('羊马街道') } }));
    const visible = await ok(await h.call('GET', '/api/system/roles', { token: scoped }));
    expect(visible.items.map((r: { name: string }) => r.name)).toEqual(['镇街事件受理']);

    const [cyOp, ymOp] = [await user('cy_op'), await user('ym_op')];
    await ok(await h.call('POST', `/api/system/roles/${roleId}/members/remove`, { token: admin, body: { userIds: [cyOp] } }));
    const add = await h.call('POST', `/api/system/roles/${roleId}/members`, { token: scoped, body: { userIds: [cyOp] } });
    expect(add.statusCode, add.body).toBe(200);
    expect(add.json()).toEqual({ affected: 1 });

    const out = await h.call('POST', `/api/system/roles/${roleId}/members`, { token: scoped, body: { userIds: [ymOp] } });
    expect(out.statusCode).toBe(403);
    expect(out.json()).toMatchObject({ code: 'OUT_OF_SCOPE', message: '人员「羊马街道城运中心值班员（ym_op）」不在您的管理范围内' });
    const byOrg = await h.call('POST', `/api/system/roles/${roleId}/members`, { token: scoped, body: { orgId: org.get('羊马街道'), includeChildren: true } });
    expect(byOrg.json().code).toBe('OUT_OF_SCOPE');
    const otherRole = await h.call('POST', `/api/system/roles/${ymRole.id}/members`, { token: scoped, body: { userIds: [cyOp] } });
    expect(otherRole.statusCode).toBe(403);
    expect(otherRole.json()).toMatchObject({ code: 'OUT_OF_SCOPE', message: '角色「羊马专用」不在您的管理范围内' });
    const removeOut = await h.call('POST', `/api/system/roles/${roleId}/members/remove`, { token: scoped, body: { userIds: [ymOp] } });
    expect(removeOut.statusCode).toBe(403);

    // People and members are filtered to the scope.
    const people = await ok(await h.call('GET', '/api/system/roles/people?pageSize=200', { token: scoped }));
    expect(people.items.map((u: { username: string }) => u.username).sort()).toEqual(['cy_admin', 'cy_op', 'hs_grid']);
    const orgs = await ok(await h.call('GET', '/api/system/roles/org-options', { token: scoped }));
    expect(orgs.map((o: { name: string }) => o.name)).toContain('汇蜀社区');
    expect(orgs.map((o: { name: string }) => o.name)).not.toContain('羊马街道');

    // 按组织一键添加 inside the scope: everybody of 崇阳街道 and below.
    const all = await ok(await h.call('POST', `/api/system/roles/${roleId}/members`, { token: scoped, body: { orgId: org.get('崇阳街道'), includeChildren: true } }));
    expect(all.affected).toBe(2); // cy_admin and hs_grid; cy_op already had it

    // Person dimension: roles by person.
    const options = await ok(await h.call('GET', '/api/system/role-assignments/roles', { token: scoped }));
    expect(options.map((r: { name: string }) => r.name)).toEqual(['镇街事件受理']);
    const un = await ok(await h.call('POST', '/api/system/role-assignments/remove', { token: scoped, body: { userIds: [cyOp], roleIds: [roleId] } }));
    expect(un.affected).toBe(1);
    expect((await h.call('POST', '/api/system/role-assignments/assign', { token: scoped, body: { userIds: [ymOp], roleIds: [roleId] } })).json().code).toBe('OUT_OF_SCOPE');
    expect((await h.call('POST', '/api/system/role-assignments/assign', { token: scoped, body: { userIds: [cyOp], roleIds: [ymRole.id] } })).json().code).toBe('OUT_OF_SCOPE');
    const re = await ok(await h.call('POST', '/api/system/role-assignments/assign', { token: scoped, body: { userIds: [cyOp], roleIds: [roleId] } }));
    expect(re.affected).toBe(1);

    // Grants: only roles owned inside the scope, only functions the scoped admin holds; others' grants stay.
    const local = await ok(await h.call('POST', '/api/system/roles', { token: admin, body: { code: 'cy-local', name: '崇阳本地角色', orgId: org.get('崇阳街道') } }));
    await ok(await h.call('PUT', `/api/system/roles/${local.id}/grants`, { token: admin, body: { grants: [{ resourceId: res.get('system:oplog') }] } }));
    const own = await h.call('PUT', `/api/system/roles/${local.id}/grants`, { token: scoped, body: { grants: [{ resourceId: res.get('system:role') }] } });
    expect(own.statusCode, own.body).toBe(200);
    const kept = await ok(await h.call('GET', `/api/system/roles/${local.id}/grants`, { token: admin }));
    expect(kept.map((g: { resourceId: string }) => g.resourceId).sort()).toEqual([res.get('system:oplog'), res.get('system:role')].sort());
    const notHeld = await h.call('PUT', `/api/system/roles/${local.id}/grants`, { token: scoped, body: { grants: [{ resourceId: res.get('system:region') }] } });
    expect(notHeld.statusCode).toBe(403);
    expect(notHeld.json().message).toBe('您无权授予以下功能：行政区划');
    const shared = await h.call('PUT', `/api/system/roles/${roleId}/grants`, { token: scoped, body: { grants: [] } });
    expect(shared.json()).toMatchObject({ code: 'OUT_OF_SCOPE', message: '角色「镇街事件受理」不在您的管理范围内' });

    // What the scoped admin lacks as a function is refused by the route guard.
    expect((await h.call('GET', '/api/system/admin-roles', { token: scoped })).statusCode).toBe(403);
    expect((await h.call('POST', '/api/system/roles', { token: scoped, body: { code: 'x-role', name: 'x' } })).statusCode).toBe(403);
    // Super admins do anything.
    expect((await h.call('POST', `/api/system/roles/${roleId}/members`, { token: admin, body: { userIds: [ymOp] } })).statusCode).toBe(200);
  });

  it('refuses malformed input with a clear message', async () => {
    const bad = await h.call('POST', '/api/system/roles', { token: admin, body: { code: '1bad', name: '' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toContain('角色编码须以字母开头');
    expect((await h.call('GET', '/api/system/roles/not-a-uuid/grants', { token: admin })).statusCode).toBe(400);
    const r = await ok(await h.call('POST', '/api/system/roles/batch/enable', { token: admin, body: { ids: ['nope'] } }));
    expect(r.results[0]).toMatchObject({ ok: false, message: '角色不存在' });
    const both = await h.call('POST', '/api/system/roles/grant', { token: admin, body: { resourceIds: [res.get('home')] } });
    expect(both.statusCode).toBe(400);
    expect((await h.call('POST', '/api/system/roles', { token: await h.login('ym_op', DEMO), body: { code: 'abc', name: 'x' } })).statusCode).toBe(403);
  });
});
