import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { endpoints, type ApiNamespace, type ApiResourceGroups } from '@cityops/contracts';
import { ADMIN_PASSWORD, startHarness, type Harness } from '../../test/harness.js';
import { backends } from '../../test/backends.js';
import { seedApiResources } from './seed/api-resources.js';

describe.each(backends)('API resources on %s', (backend) => {
  let h: Harness;
  let admin: string;
  let auditor: string;

  beforeAll(async () => {
    h = await startHarness(backend, { DEMO_DATA: 'true' });
    const first = await h.login('admin', ADMIN_PASSWORD);
    await h.call('POST', '/api/auth/change-password', { token: first, body: { oldPassword: ADMIN_PASSWORD, newPassword: 'Strong#2026pw' } });
    admin = await h.login('admin', 'Strong#2026pw');
    auditor = await h.login('auditor', 'Chongzhou@2026');
  });
  afterAll(async () => h?.dispose());

  const groups = async (query = ''): Promise<ApiResourceGroups> => {
    const r = await h.call('GET', `/api/system/api-resources${query}`, { token: admin });
    expect(r.statusCode, r.body).toBe(200);
    return r.json();
  };
  const ns = async (url: string): Promise<ApiNamespace> => (await groups()).items.find((n) => n.url === url)!;
  const create = (body: Record<string, unknown>) => h.call('POST', '/api/system/api-resources', { token: admin, body });
  const update = (id: string, body: Record<string, unknown>) => h.call('PUT', `/api/system/api-resources/${id}`, { token: admin, body });
  const batch = (action: 'enable' | 'disable' | 'delete', ids: string[]) =>
    h.call('POST', `/api/system/api-resources/batch/${action}`, { token: admin, body: { ids } });

  it('registers every endpoint of the API at start, grouped in one namespace per module', async () => {
    const g = await groups();
    expect(g.items.map((n) => [n.name, n.url])).toEqual(expect.arrayContaining([['系统管理', '/api/system'], ['认证', '/api/auth']]));
    const all = g.items.flatMap((n) => n.children.map((s) => ({ ...s, namespace: n.url })));
    for (const e of Object.values(endpoints)) {
      const s = all.find((x) => x.url === `${e.method} ${e.path}`);
      expect(s, `${e.method} ${e.path}`).toMatchObject({ type: 'service', name: e.summary, enabled: true, builtin: true, namespace: `/api/${e.tags[0]}` });
    }
    expect(g.counts.services).toBe(Object.keys(endpoints).length);
    expect(g.counts.namespaces).toBe(g.items.length);
    const auth = g.items.find((n) => n.url === '/api/auth')!;
    expect(auth).toMatchObject({ type: 'namespace', parentId: null, builtin: true, matched: true, serviceCount: auth.children.length });
    expect(auth.children.map((s) => s.name)).toContain('登录');
    expect(auth.children.every((s) => s.parentId === auth.id && !Number.isNaN(Date.parse(s.createdAt)))).toBe(true);

    expect((await h.call('GET', '/api/system/api-resources', { token: auditor })).statusCode).toBe(403);
    expect((await h.call('GET', '/api/system/api-resources')).statusCode).toBe(401);
  });

  it('searches by name: a namespace that matches comes with all its services, otherwise only the matches', async () => {
    const logout = await groups(`?keyword=${encodeURIComponent('退出登录')}`);
    expect(logout.items.map((n) => n.name)).toEqual(['认证']);
    expect(logout.items[0]!.matched).toBe(false);
    expect(logout.items[0]!.children.map((s) => s.name)).toEqual(['退出登录']);
    const login = (await groups(`?keyword=${encodeURIComponent('登录')}`)).items.find((n) => n.url === '/api/auth')!;
    expect(login.children.map((s) => s.name)).toEqual(expect.arrayContaining(['登录', '退出登录']));

    const authNs = await groups(`?keyword=${encodeURIComponent('认证')}`);
    const auth = authNs.items.find((n) => n.url === '/api/auth')!;
    expect(auth.matched).toBe(true);
    expect(auth.children).toHaveLength(auth.serviceCount);

    expect((await groups('?keyword=no-such-thing')).items).toEqual([]);
    expect((await groups('?type=namespace')).items.every((n) => n.children.length === 0)).toBe(true);
    expect((await groups('?enabled=false')).items).toEqual([]);
  });

  it('validates: a service sits under a namespace, an address is required and unique', async () => {
    const system = await ns('/api/system');
    const oneService = system.children[0]!;

    const noParent = await create({ type: 'service', name: '天气', url: 'GET /api/external/weather' });
    expect(noParent.statusCode).toBe(400);
    expect(noParent.json().message).toContain('普通服务须选择所属命名空间');
    const underService = await create({ type: 'service', parentId: oneService.id, name: '天气', url: 'GET /api/external/weather' });
    expect(underService.json().message).toBe(`普通服务须放在命名空间下，「${oneService.name}」是普通服务`);
    expect((await create({ type: 'service', parentId: system.id, name: '天气', url: '  ' })).json().message).toContain('请输入地址');
    expect((await create({ type: 'namespace', parentId: system.id, name: '外部', url: '/api/external' })).json().message).toContain('命名空间不能有上级');
    const dup = await create({ type: 'service', parentId: system.id, name: '重复', url: oneService.url });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().message).toBe(`地址「${oneService.url}」已登记为普通服务「${oneService.name}」`);

    const external = await create({ type: 'namespace', name: '外部接口', url: '/api/external', sort: 900 });
    expect(external.statusCode, external.body).toBe(200);
    expect(external.json()).toMatchObject({ type: 'namespace', parentId: null, builtin: false, enabled: true });
    const weather = await create({ type: 'service', parentId: external.json().id, name: '天气预报', url: 'GET /api/external/weather' });
    expect(weather.json()).toMatchObject({ type: 'service', parentId: external.json().id, builtin: false });
    expect(await ns('/api/external')).toMatchObject({ name: '外部接口', serviceCount: 1, children: [{ name: '天气预报' }] });
  });

  it('edits: the API’s own services keep their name and address; others change freely', async () => {
    const system = await ns('/api/system');
    const own = system.children.find((s) => s.url === 'GET /api/system/resources')!;
    const body = { type: own.type, parentId: own.parentId, name: own.name, url: own.url, sort: own.sort, enabled: own.enabled };
    const renamed = await update(own.id, { ...body, name: '别名' });
    expect(renamed.statusCode).toBe(400);
    expect(renamed.json().message).toBe(`「${own.name}」是系统接口，名称、地址和类型由系统登记，不能修改`);
    expect((await update(own.id, { ...body, sort: 1 })).json()).toMatchObject({ sort: 1, name: own.name });

    const external = await ns('/api/external');
    const weather = external.children[0]!;
    const moved = await update(weather.id, { type: 'service', parentId: external.id, name: '天气实况', url: 'GET /api/external/weather/now', sort: 5, enabled: true });
    expect(moved.json()).toMatchObject({ name: '天气实况', url: 'GET /api/external/weather/now', sort: 5 });
    const nsToService = await update(external.id, { type: 'service', parentId: system.id, name: '外部接口', url: '/api/external', sort: 0, enabled: true });
    expect(nsToService.json().message).toBe('命名空间「外部接口」下还有 1 个服务，不能改为普通服务');
    expect((await update('00000000-0000-4000-8000-000000000000', body)).statusCode).toBe(404);
  });

  it('batch: enable/disable anything; delete refuses the API’s own entries and namespaces with services', async () => {
    const system = await ns('/api/system');
    const external = await ns('/api/external');
    const weather = external.children[0]!;
    const own = system.children[0]!;

    const off = await batch('disable', [own.id, weather.id]);
    expect(off.json()).toMatchObject({ succeeded: 2, failed: 0 });
    const disabled = await groups('?enabled=false');
    expect(disabled.items.flatMap((n) => n.children.map((s) => s.id)).sort()).toEqual([own.id, weather.id].sort());
    expect(disabled.counts.disabled).toBe(2);
    expect((await batch('enable', [own.id])).json().succeeded).toBe(1);

    const refused = await batch('delete', [external.id, system.id, own.id, 'x']);
    expect(refused.json()).toEqual({
      succeeded: 0,
      failed: 4,
      results: [
        { id: external.id, ok: false, message: '命名空间「外部接口」下还有 1 个服务，不能删除' },
        { id: system.id, ok: false, message: '「系统管理」是系统接口命名空间，不能删除（可以禁用）' },
        { id: own.id, ok: false, message: `「${own.name}」是系统接口，由系统自动登记，不能删除（可以禁用）` },
        { id: 'x', ok: false, message: '接口服务资源不存在或已删除' },
      ],
    });

    // A namespace together with its services: the services go first.
    const both = await batch('delete', [external.id, weather.id]);
    expect(both.json()).toMatchObject({ succeeded: 2, failed: 0, results: [{ id: external.id, ok: true }, { id: weather.id, ok: true }] });
    expect(await ns('/api/external')).toBeUndefined();

    const log = (await h.call('GET', '/api/system/oplogs?pageSize=50', { token: admin })).json();
    expect(log.items.find((l: { subjectType: string; type: string }) => l.subjectType === '接口服务资源' && l.type === '删除')).toMatchObject({
      subjectName: '外部接口、天气实况',
    });
  });

  it('re-seeding adds what is missing, refreshes names, keeps what administrators added, never duplicates', async () => {
    const before = await groups();
    const system = before.items.find((n) => n.url === '/api/system')!;
    const mine = await create({ type: 'service', parentId: system.id, name: '自建服务', url: 'GET /api/system/custom' });
    expect(mine.statusCode).toBe(200);
    await h.database.db.execute(sql`delete from sys_api_resource where url = 'GET /api/system/oplogs'`);
    await h.database.db.execute(sql`update sys_api_resource set name = '旧名称' where url = 'POST /api/auth/login'`);

    await seedApiResources(h.database.db);
    await seedApiResources(h.database.db);

    const after = await groups();
    expect(after.counts.services).toBe(before.counts.services + 1);
    expect(after.counts.namespaces).toBe(before.counts.namespaces);
    const services = after.items.flatMap((n) => n.children);
    expect(services.find((s) => s.url === 'GET /api/system/oplogs')).toMatchObject({ name: '操作日志查询', builtin: true });
    expect(services.find((s) => s.url === 'POST /api/auth/login')!.name).toBe('登录');
    expect(services.find((s) => s.url === 'GET /api/system/custom')).toMatchObject({ name: '自建服务', builtin: false });
    expect(new Set(services.map((s) => s.url)).size).toBe(services.length);
  });
});
