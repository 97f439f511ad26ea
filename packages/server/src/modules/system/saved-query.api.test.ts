import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../../test/harness.js';
import { backends } from '../../test/backends.js';

const PW = 'Chongzhou@2026';

describe.each(backends)('saved queries on %s', (backend) => {
  let h: Harness;
  let cy: string;
  let ym: string;
  beforeAll(async () => {
    h = await startHarness(backend, { DEMO_DATA: 'true' });
    [cy, ym] = await Promise.all([h.login('cy_op', PW), h.login('ym_op', PW)]);
  });
  afterAll(async () => h?.dispose());

  const list = (token: string, page = 'system.org') => h.call('GET', `/api/saved-queries?page=${page}`, { token });

  it('saves, lists per page and re-saves under the same name', async () => {
    const conditions = { keyword: '', level: 'community', enabled: true, tags: ['镇街城运中心'] };
    const r = await h.call('POST', '/api/saved-queries', { token: cy, body: { page: 'system.org', name: '启用的社区', conditions } });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ page: 'system.org', name: '启用的社区', conditions });
    await h.call('POST', '/api/saved-queries', { token: cy, body: { page: 'system.user', name: '锁定人员', conditions: { locked: true } } });

    const mine = (await list(cy)).json();
    expect(mine.map((q: { name: string }) => q.name)).toEqual(['启用的社区']);
    expect((await list(cy, 'system.user')).json().map((q: { name: string }) => q.name)).toEqual(['锁定人员']);

    const again = await h.call('POST', '/api/saved-queries', { token: cy, body: { page: 'system.org', name: '启用的社区', conditions: { level: 'grid' } } });
    expect(again.json().id).toBe(r.json().id);
    expect((await list(cy)).json()).toMatchObject([{ name: '启用的社区', conditions: { level: 'grid' } }]);
  });

  it('is private: another user neither sees nor deletes it', async () => {
    const own = (await list(cy)).json()[0];
    expect((await list(ym)).json()).toEqual([]);
    const del = await h.call('DELETE', `/api/saved-queries/${own.id}`, { token: ym });
    expect(del.statusCode).toBe(404);
    expect(del.json().message).toBe('常用查询不存在或已删除');
    expect((await list(cy)).json()).toHaveLength(1);

    expect((await h.call('DELETE', `/api/saved-queries/${own.id}`, { token: cy })).statusCode).toBe(200);
    expect((await list(cy)).json()).toEqual([]);
    expect((await h.call('DELETE', '/api/saved-queries/not-a-uuid', { token: cy })).statusCode).toBe(404);
  });

  it('needs a login and a name, and says so in Chinese', async () => {
    expect((await h.call('GET', '/api/saved-queries?page=system.org')).statusCode).toBe(401);
    const noName = await h.call('POST', '/api/saved-queries', { token: cy, body: { page: 'system.org', name: '  ', conditions: {} } });
    expect(noName.statusCode).toBe(400);
    expect(noName.json().message).toContain('请输入查询名称');
    expect((await h.call('GET', '/api/saved-queries', { token: cy })).statusCode).toBe(400);
  });
});
