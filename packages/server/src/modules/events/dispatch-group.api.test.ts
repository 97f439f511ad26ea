import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startHarness, type Harness } from '../../test/harness.js';
import { backends } from '../../test/backends.js';

const PW = 'Chongzhou@2026';
const URL = '/api/events/dispatch-groups';

describe.each(backends)('dispatch groups on %s', (backend) => {
  let h: Harness;
  let admin: string;
  let cityOp: string;
  let cyOp: string;
  const org: Record<string, string> = {};

  /** The id of a demo organisation, found by its custom code as a user would search it. */
  const orgId = async (code: string) => {
    const r = await h.call('GET', `/api/system/orgs?keyword=${code}`, { token: admin });
    return r.json().items.find((o: { code: string }) => o.code === code).id as string;
  };

  beforeAll(async () => {
    h = await startHarness(backend, { DEMO_DATA: 'true' });
    const first = await h.login('admin', ADMIN_PASSWORD);
    await h.call('POST', '/api/auth/change-password', { token: first, body: { oldPassword: ADMIN_PASSWORD, newPassword: 'Strong#2026pw' } });
    admin = await h.login('admin', 'Strong#2026pw');

    [cityOp, cyOp] = await Promise.all([h.login('city_op', PW), h.login('cy_op', PW)]);
    for (const code of ['CZ-GAJ', 'CZ-ZFJ', 'CZ-SWJ', 'CZ-NYNCJ']) org[code] = await orgId(code);
  });
  afterAll(async () => h?.dispose());

  const list = (token: string) => h.call('GET', URL, { token });
  const save = (token: string, name: string, orgIds: string[]) => h.call('POST', URL, { token, body: { name, orgIds } });

  it('saves a group with the names of its organisations, in the chosen order', async () => {
    const r = await save(cityOp, '防汛联动', [org['CZ-SWJ']!, org['CZ-GAJ']!, org['CZ-SWJ']!]);
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ name: '防汛联动', orgIds: [org['CZ-SWJ'], org['CZ-GAJ']], orgNames: ['崇州市水务局', '崇州市公安局'] });
    await save(cityOp, '市容整治', [org['CZ-ZFJ']!]);

    expect((await list(cityOp)).json()).toEqual([
      { id: r.json().id, name: '防汛联动', orgIds: [org['CZ-SWJ'], org['CZ-GAJ']], orgNames: ['崇州市水务局', '崇州市公安局'] },
      expect.objectContaining({ name: '市容整治', orgNames: ['崇州市综合行政执法局'] }),
    ]);
  });

  it('replaces the organisations when saved again under the same name', async () => {
    const before = (await list(cityOp)).json()[0];
    const again = await save(cityOp, '防汛联动', [org['CZ-GAJ']!, org['CZ-ZFJ']!]);
    expect(again.json()).toMatchObject({ id: before.id, orgNames: ['崇州市公安局', '崇州市综合行政执法局'] });
    expect((await list(cityOp)).json().map((g: { name: string }) => g.name).sort()).toEqual(['市容整治', '防汛联动'].sort());
  });

  it('refuses organisations that do not exist and changes nothing', async () => {
    const r = await save(cityOp, '错误分组', [org['CZ-GAJ']!, randomUUID()]);
    expect(r.statusCode).toBe(400);
    expect(r.json().message).toBe('所选单位中有 1 个不存在或已删除，请重新选择');
    const empty = await save(cityOp, '空分组', []);
    expect(empty.statusCode).toBe(400);
    expect(empty.json().message).toContain('请至少选择一个单位');
    const noName = await save(cityOp, '  ', [org['CZ-GAJ']!]);
    expect(noName.json().message).toContain('请输入分组名称');
    expect((await list(cityOp)).json()).toHaveLength(2);
  });

  it('leaves out an organisation deleted since', async () => {
    await save(cityOp, '农业', [org['CZ-NYNCJ']!, org['CZ-GAJ']!]);
    expect((await h.call('DELETE', `/api/system/orgs/${org['CZ-NYNCJ']}`, { token: admin })).statusCode).toBe(200);
    const group = (await list(cityOp)).json().find((g: { name: string }) => g.name === '农业');
    expect(group).toMatchObject({ orgIds: [org['CZ-GAJ']], orgNames: ['崇州市公安局'] });
  });

  it('is private: another user neither sees nor deletes it', async () => {
    const own = (await list(cityOp)).json()[0];
    expect((await list(cyOp)).json()).toEqual([]);
    const del = await h.call('DELETE', `${URL}/${own.id}`, { token: cyOp });
    expect(del.statusCode).toBe(404);
    expect(del.json().message).toBe('交办分组不存在或已删除');
    expect((await list(cityOp)).json()).toHaveLength(3);

    expect((await h.call('DELETE', `${URL}/${own.id}`, { token: cityOp })).statusCode).toBe(200);
    expect((await list(cityOp)).json()).toHaveLength(2);
    expect((await h.call('DELETE', `${URL}/not-a-uuid`, { token: cityOp })).statusCode).toBe(404);
  });

  it('keeps at most 50 groups per person', async () => {
    for (let i = (await list(cyOp)).json().length; i < 50; i++) await save(cyOp, `分组${i + 1}`, [org['CZ-GAJ']!]);
    const full = await save(cyOp, '第五十一组', [org['CZ-GAJ']!]);
    expect(full.statusCode).toBe(409);
    expect(full.json().message).toBe('最多保存 50 个交办分组，请先删除不用的');
    // Replacing an existing one is still allowed.
    expect((await save(cyOp, '分组1', [org['CZ-ZFJ']!])).statusCode).toBe(200);
    expect((await list(cyOp)).json()).toHaveLength(50);
  });

  it('needs the dispatch permission', async () => {
    expect((await h.call('GET', URL)).statusCode).toBe(401);
    const auditor = await h.login('auditor', PW);
    expect((await list(auditor)).statusCode).toBe(403);
  });
});
