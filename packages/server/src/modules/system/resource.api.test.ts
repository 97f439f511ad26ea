import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { ResourceNode, ResourceTree } from '@cityops/contracts';
import { ADMIN_PASSWORD, startHarness, type Harness } from '../../test/harness.js';
import { backends } from '../../test/backends.js';
import { seedAccess } from './seed/bootstrap.js';

const PW = 'Chongzhou@2026';

/** Depth-first list of the nodes of a tree. */
const flat = (nodes: ResourceNode[]): ResourceNode[] => nodes.flatMap((n) => [n, ...flat(n.children)]);
const menuNames = (menus: { name: string; children: unknown[] }[]): string[] =>
  menus.flatMap((m) => [m.name, ...menuNames(m.children as typeof menus)]);

describe.each(backends)('function resources on %s', (backend) => {
  let h: Harness;
  let admin: string;
  let auditor: string;
  let cityOp: string;

  beforeAll(async () => {
    h = await startHarness(backend, { DEMO_DATA: 'true' });
    const first = await h.login('admin', ADMIN_PASSWORD);
    await h.call('POST', '/api/auth/change-password', { token: first, body: { oldPassword: ADMIN_PASSWORD, newPassword: 'Strong#2026pw' } });
    admin = await h.login('admin', 'Strong#2026pw');
    auditor = await h.login('auditor', PW);
    cityOp = await h.login('city_op', PW);
  });
  afterAll(async () => h?.dispose());

  const tree = async (query = '', token = admin): Promise<ResourceTree> => {
    const r = await h.call('GET', `/api/system/resources${query}`, { token });
    expect(r.statusCode, r.body).toBe(200);
    return r.json();
  };
  const byCode = async (code: string) => flat((await tree()).items).find((n) => n.code === code)!;
  const create = (body: Record<string, unknown>) => h.call('POST', '/api/system/resources', { token: admin, body });
  const batch = (action: 'enable' | 'disable' | 'delete', ids: string[], token = admin) =>
    h.call('POST', `/api/system/resources/batch/${action}`, { token, body: { ids } });
  const me = async (token: string) => (await h.call('GET', '/api/auth/me', { token })).json();

  it('shows the whole tree by level, with counts, only to holders of the permission', async () => {
    const t = await tree();
    expect(t.items.map((n) => n.name)).toEqual(['工作台', '事件枢纽', '物联感知', '消息中心', '系统管理']);
    const system = t.items[4]!;
    expect(system).toMatchObject({ type: 'directory', builtin: true, enabled: true, access: 'authenticated', parentName: null, childCount: 3, matched: true });
    expect(system.children.map((n) => n.name)).toEqual(['组织人员', '资源权限', '基础管理']);
    const oplog = flat(t.items).find((n) => n.code === 'system:oplog')!;
    expect(oplog).toMatchObject({
      name: '操作日志', type: 'menu', route: '/system/oplog', serviceUrl: '/api/system/oplogs', icon: 'Document',
      access: 'authorized', securityLevel: 1, permission: 'system:oplog:list', parentName: '基础管理', childCount: 1,
    });
    expect(oplog.grantCount).toBeGreaterThanOrEqual(1); // the auditor role
    expect(oplog.children.map((b) => [b.type, b.permission])).toEqual([['button', 'system:oplog:export']]);
    expect(t.counts.total).toBe(flat(t.items).length);
    expect(t.counts).toMatchObject({ directory: 6, disabled: 0 });
    expect(t.counts.menu + t.counts.button + t.counts.directory).toBe(t.counts.total);

    expect((await h.call('GET', '/api/system/resources', { token: auditor })).statusCode).toBe(403);
    expect((await h.call('GET', '/api/system/resources')).statusCode).toBe(401);
  });

  it('finds by name or code prefix, and by policy, level and state, keeping the matches in their place', async () => {
    const byName = await tree('?keyword=日志');
    expect(byName.matched).toBe(3); // 日志管理 (物联感知), 操作日志, 导出操作日志
    const shown = flat(byName.items);
    expect(shown.filter((n) => n.matched).map((n) => n.name).sort()).toEqual(['日志管理', '导出操作日志', '操作日志'].sort());
    expect(shown.filter((n) => !n.matched).map((n) => n.name)).toEqual(['物联感知', '系统管理', '基础管理']);

    const byCodePrefix = flat((await tree('?keyword=system:ro')).items).filter((n) => n.matched).map((n) => n.code);
    expect(byCodePrefix.sort()).toEqual(['system:role', 'system:role:edit', 'system:role:grant']);
    // The code matches by prefix only: "role" is in the middle of these codes.
    expect((await tree('?keyword=role')).matched).toBe(0);

    const open = flat((await tree('?access=authenticated')).items).filter((n) => n.matched).map((n) => n.name);
    expect(open).toEqual(expect.arrayContaining(['工作台', '事件枢纽', '物联感知', '消息中心', '系统管理', '组织人员', '资源权限', '基础管理']));
    expect(open).toHaveLength(8);
    expect((await tree('?name=角色&code=system:role&access=authorized&securityLevel=1&enabled=true')).matched).toBe(3);
    expect((await tree('?securityLevel=3')).items).toEqual([]);
    expect((await tree('?enabled=false')).matched).toBe(0);
    expect((await h.call('GET', '/api/system/resources?securityLevel=9', { token: admin })).statusCode).toBe(400);
  });

  it('validates what is added: parent, route, permission code, unique code', async () => {
    const system = await byCode('system');
    const oplog = await byCode('system:oplog');
    const exportButton = await byCode('system:oplog:export');
    const base = { parentId: system.id, type: 'menu', name: '巡查台账', code: 'patrol:ledger', route: '/patrol/ledger', icon: 'Notebook', permission: 'patrol:ledger:list' };

    const noRoute = await create({ ...base, route: null });
    expect(noRoute.statusCode).toBe(400);
    expect(noRoute.json().message).toContain('菜单须填写以 / 开头的功能地址');
    expect((await create({ ...base, route: 'patrol/ledger' })).json().message).toContain('以 / 开头');
    expect((await create({ ...base, permission: null })).json().message).toContain('授权可访问的功能须填写权限标识');
    expect((await create({ ...base, permission: 'patrol-ledger' })).json().message).toContain('模块:实体:操作');
    expect((await create({ ...base, code: '巡查 台账' })).json().message).toContain('自定义编码只能包含');
    expect((await create({ ...base, securityLevel: 4 })).statusCode).toBe(400);

    const underButton = await create({ ...base, parentId: exportButton.id });
    expect(underButton.statusCode).toBe(400);
    expect(underButton.json().message).toContain('按钮下不能再添加下级功能');
    const buttonUnderFolder = await create({ ...base, type: 'button', route: null, parentId: system.id });
    expect(buttonUnderFolder.json().message).toBe('按钮的上级须为菜单，「系统管理」是目录');
    expect((await create({ ...base, type: 'button', parentId: null })).json().message).toContain('按钮须放在菜单下');
    expect((await create({ ...base, parentId: '00000000-0000-4000-8000-000000000000' })).json().message).toBe('上级功能不存在或已删除');

    const dup = await create({ ...base, code: 'system:oplog' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().message).toBe('自定义编码「system:oplog」已被「操作日志」使用');

    const ok = await create(base);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ ...base, access: 'authorized', securityLevel: 1, enabled: true, builtin: false, sort: 0 });
    const button = await create({ parentId: ok.json().id, type: 'button', name: '台账维护', code: 'patrol:ledger:edit', permission: 'patrol:ledger:edit', route: '/ignored' });
    expect(button.json()).toMatchObject({ type: 'button', route: null });
    // A page may also sit under a page (e.g. a detail page), and an open resource needs no permission.
    const open = await create({ parentId: oplog.id, type: 'menu', name: '日志说明', code: 'system:oplog:help', route: '/system/oplog/help', access: 'authenticated' });
    expect(open.statusCode, open.body).toBe(200);
    expect((await batch('delete', [open.json().id])).json().succeeded).toBe(1);

    const saved = await byCode('patrol:ledger');
    expect(saved).toMatchObject({ parentName: '系统管理', childCount: 1, grantCount: 0 });
  });

  it('edits: built-in resources keep their code, type, route and permission; no cycles; type changes checked', async () => {
    const oplog = await byCode('system:oplog');
    const edit = (id: string, body: Record<string, unknown>) => h.call('PUT', `/api/system/resources/${id}`, { token: admin, body });
    const { id, children: _c, parentName: _p, childCount: _n, grantCount: _g, matched: _m, builtin: _b, ...body } = oplog;

    const renamed = await edit(id, { ...body, name: '系统操作日志', icon: 'Tickets', sort: 5, securityLevel: 2 });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json()).toMatchObject({ name: '系统操作日志', icon: 'Tickets', sort: 5, securityLevel: 2, builtin: true });
    const locked = await edit(id, { ...body, code: 'x:oplog', route: '/x' });
    expect(locked.statusCode).toBe(400);
    expect(locked.json().message).toBe('「系统操作日志」是内置功能，自定义编码、功能地址不能修改');

    // An administrator's edits survive the start-up seeding.
    await seedAccess(h.database.db);
    expect(await byCode('system:oplog')).toMatchObject({ name: '系统操作日志', icon: 'Tickets', sort: 5, securityLevel: 2 });
    await edit(id, { ...body });
    expect((await byCode('system:oplog')).name).toBe('操作日志');

    const ledger = await byCode('patrol:ledger');
    const ledgerBody = { parentId: ledger.parentId, type: ledger.type, name: ledger.name, code: ledger.code, route: ledger.route, icon: ledger.icon, permission: ledger.permission };
    const button = ledger.children[0]!;
    const cycle = await edit(ledger.id, { ...ledgerBody, type: 'directory', parentId: button.id });
    expect(cycle.statusCode).toBe(400);
    const intoSelf = await edit(ledger.id, { ...ledgerBody, parentId: ledger.id });
    expect(intoSelf.json().message).toBe('不能把功能移到它自己或它的下级功能之下');
    expect((await edit(ledger.id, { ...ledgerBody, type: 'directory', route: null })).json().message).toBe('该菜单下还有 1 个按钮，不能改为目录');
    expect((await edit(ledger.id, { ...ledgerBody, type: 'button', parentId: (await byCode('system:oplog')).id })).json().message).toBe(
      '该功能下还有 1 个下级功能，不能改为按钮',
    );
    const renamedCode = await edit(ledger.id, { ...ledgerBody, code: 'system:dict' });
    expect(renamedCode.statusCode).toBe(409);
    expect((await h.call('PUT', '/api/system/resources/nope', { token: admin, body: ledgerBody })).statusCode).toBe(404);
  });

  it('moves and reorders: the position among siblings decides the menu order', async () => {
    const ledger = await byCode('patrol:ledger');
    const system = await byCode('system');
    const first = await h.call('POST', `/api/system/resources/${ledger.id}/move`, { token: admin, body: { parentId: system.id, position: 0 } });
    expect(first.statusCode, first.body).toBe(200);
    expect((await byCode('system')).children.map((n) => n.name)).toEqual(['巡查台账', '组织人员', '资源权限', '基础管理']);
    expect((await byCode('system')).children.map((n) => n.sort)).toEqual([10, 20, 30, 40]);
    const adminMenu = (await me(admin)).menus.find((m: { name: string }) => m.name === '系统管理');
    expect(adminMenu.children.map((m: { name: string }) => m.name)).toEqual(['巡查台账', '组织人员', '资源权限', '基础管理']);

    await h.call('POST', `/api/system/resources/${ledger.id}/move`, { token: admin, body: { parentId: system.id, position: 99 } });
    expect((await byCode('system')).children.map((n) => n.name)).toEqual(['组织人员', '资源权限', '基础管理', '巡查台账']);

    const button = ledger.children[0]!;
    const bad = await h.call('POST', `/api/system/resources/${button.id}/move`, { token: admin, body: { parentId: null, position: 0 } });
    expect(bad.json().message).toContain('按钮须放在菜单下');
    const cycle = await h.call('POST', `/api/system/resources/${system.id}/move`, { token: admin, body: { parentId: ledger.id, position: 0 } });
    expect(cycle.json().message).toBe('不能把功能移到它自己或它的下级功能之下');
  });

  it('batch delete: built-in refused, parents with children refused, grants removed, per-row results', async () => {
    const ledger = await byCode('patrol:ledger');
    const button = ledger.children[0]!;
    const oplog = await byCode('system:oplog');
    const role = (await h.database.db.execute(sql`select id from sys_role where code = 'city-operator'`)).rows[0] as { id: string };
    await h.database.db.execute(sql`insert into sys_role_resource (role_id, resource_id) values (${role.id}, ${ledger.id}), (${role.id}, ${button.id})`);
    expect((await byCode('patrol:ledger')).grantCount).toBe(1);

    const parentOnly = await batch('delete', [ledger.id, oplog.id, 'not-a-uuid']);
    expect(parentOnly.statusCode).toBe(200);
    expect(parentOnly.json()).toEqual({
      succeeded: 0,
      failed: 3,
      results: [
        { id: ledger.id, ok: false, message: '「巡查台账」下还有 1 个下级功能，不能删除' },
        { id: oplog.id, ok: false, message: '「操作日志」是内置功能，不能删除（可以禁用）' },
        { id: 'not-a-uuid', ok: false, message: '功能资源不存在或已删除' },
      ],
    });

    // The folder and its content together: the content goes first.
    const both = await batch('delete', [ledger.id, button.id]);
    expect(both.json()).toMatchObject({ succeeded: 2, failed: 0, results: [{ id: ledger.id, ok: true }, { id: button.id, ok: true }] });
    expect(await byCode('patrol:ledger')).toBeUndefined();
    const grants = await h.database.db.execute(sql`select count(*)::int as n from sys_role_resource where resource_id in (${ledger.id}, ${button.id})`);
    expect((grants.rows[0] as { n: number }).n).toBe(0);

    const log = (await h.call('GET', '/api/system/oplogs?pageSize=50', { token: admin })).json();
    expect(log.items.find((l: { subjectType: string; type: string }) => l.subjectType === '功能资源' && l.type === '删除')).toMatchObject({
      subjectName: '巡查台账、台账维护',
    });
  });

  it('disabling 操作日志 takes it from the auditor’s menu and refuses its API; enabling gives it back', async () => {
    const oplog = await byCode('system:oplog');
    const before = await me(auditor);
    expect(menuNames(before.menus)).toContain('操作日志');
    expect(before.permissions).toContain('system:oplog:list');
    expect((await h.call('GET', '/api/system/oplogs', { token: auditor })).statusCode).toBe(200);

    const off = await batch('disable', [oplog.id]);
    expect(off.json()).toMatchObject({ succeeded: 1, failed: 0 });
    expect((await byCode('system:oplog')).enabled).toBe(false);
    const after = await me(auditor);
    expect(menuNames(after.menus)).not.toContain('操作日志');
    expect(menuNames(after.menus)).toContain('系统异常');
    expect(after.permissions).not.toContain('system:oplog:list');
    // Its button goes with it: a disabled page switches off what is below it.
    expect(after.permissions).not.toContain('system:oplog:export');
    const refused = await h.call('GET', '/api/system/oplogs', { token: auditor });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().message).toBe('没有权限执行此操作');
    expect((await h.call('GET', '/api/system/exception-logs', { token: auditor })).statusCode).toBe(200);
    // The super administrator keeps everything, so the resource can be switched back on.
    expect((await h.call('GET', '/api/system/oplogs', { token: admin })).statusCode).toBe(200);
    expect((await tree('?enabled=false')).matched).toBe(1);

    expect((await batch('enable', [oplog.id])).json().succeeded).toBe(1);
    expect(menuNames((await me(auditor)).menus)).toContain('操作日志');
    expect((await h.call('GET', '/api/system/oplogs', { token: auditor })).statusCode).toBe(200);

    // Disabling the folder above does the same for everything in it.
    const basic = await byCode('system:group:basic');
    await batch('disable', [basic.id]);
    expect(menuNames((await me(auditor)).menus)).not.toContain('系统异常');
    expect((await h.call('GET', '/api/system/exception-logs', { token: auditor })).statusCode).toBe(403);
    await batch('enable', [basic.id]);
    expect((await h.call('GET', '/api/system/exception-logs', { token: auditor })).statusCode).toBe(200);
  });

  it('a resource opened to every logged-in user (登录可访问) shows in every menu and its API answers them', async () => {
    const oplog = await byCode('system:oplog');
    const { id, children: _c, parentName: _p, childCount: _n, grantCount: _g, matched: _m, builtin: _b, ...body } = oplog;
    expect((await h.call('GET', '/api/system/oplogs', { token: cityOp })).statusCode).toBe(403);
    expect(menuNames((await me(cityOp)).menus)).not.toContain('操作日志');

    await h.call('PUT', `/api/system/resources/${id}`, { token: admin, body: { ...body, access: 'authenticated' } });
    expect(menuNames((await me(cityOp)).menus)).toContain('操作日志');
    expect((await h.call('GET', '/api/system/oplogs', { token: cityOp })).statusCode).toBe(200);
    // Only the page was opened, not its export button.
    expect((await me(cityOp)).permissions).not.toContain('system:oplog:export');

    await h.call('PUT', `/api/system/resources/${id}`, { token: admin, body: { ...body, access: 'authorized' } });
    expect((await h.call('GET', '/api/system/oplogs', { token: cityOp })).statusCode).toBe(403);
  });

  it('built-in resources may be disabled in a batch with others, and come back enabled', async () => {
    const home = await byCode('home');
    const r = await batch('disable', [home.id, 'nope']);
    expect(r.json()).toMatchObject({ succeeded: 1, failed: 1, results: [{ id: home.id, ok: true }, { id: 'nope', ok: false, message: '功能资源不存在或已删除' }] });
    expect(menuNames((await me(cityOp)).menus)).not.toContain('工作台');
    await batch('enable', [home.id]);
    expect(menuNames((await me(cityOp)).menus)).toContain('工作台');
    expect((await batch('enable', [], admin)).statusCode).toBe(400);
    expect((await batch('disable', [home.id], auditor)).statusCode).toBe(403);
  });
});
