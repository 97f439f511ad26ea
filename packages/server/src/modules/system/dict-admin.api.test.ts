import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { ADMIN_PASSWORD, startHarness, type Harness } from '../../test/harness.js';
import { backends } from '../../test/backends.js';

interface TypeRow { id: string; code: string; name: string; enabled: boolean; builtin: boolean; itemCount: number }
interface ItemRow { id: string; label: string; value: string; enabled: boolean; builtin: boolean; tagType: string | null; sort: number }

describe.each(backends)('字典管理 API on %s', (backend) => {
  let h: Harness;
  let admin: string;
  let cityOp: string;

  const types = async (q = '') => (await h.call('GET', `/api/system/dicts/types?pageSize=200${q}`, { token: admin })).json();
  const typeByCode = async (code: string): Promise<TypeRow> => (await types()).items.find((t: TypeRow) => t.code === code);
  const items = async (typeId: string): Promise<ItemRow[]> => (await h.call('GET', `/api/system/dicts/types/${typeId}/items`, { token: admin })).json();
  const options = async (type: string, token = cityOp) => (await h.call('GET', `/api/dicts/${type}`, { token })).json();

  beforeAll(async () => {
    h = await startHarness(backend, { DEMO_DATA: 'true' });
    const first = await h.login('admin', ADMIN_PASSWORD);
    await h.call('POST', '/api/auth/change-password', { token: first, body: { oldPassword: ADMIN_PASSWORD, newPassword: 'Strong#2026pw' } });
    admin = await h.login('admin', 'Strong#2026pw');
    cityOp = await h.login('city_op', 'Chongzhou@2026');
  });
  afterAll(async () => h?.dispose());

  it('lists types with their label counts and finds them by name or code', async () => {
    const all = await types();
    expect(all.total).toBeGreaterThanOrEqual(6);
    const gender = all.items.find((t: TypeRow) => t.code === 'gender');
    expect(gender).toMatchObject({ name: '性别', builtin: true, enabled: true, itemCount: 2 });
    const byName = await types(`&keyword=${encodeURIComponent('证件')}`);
    expect(byName.items.map((t: TypeRow) => t.code)).toEqual(['id_type']);
    const byCode = await types('&keyword=ORG_');
    expect(byCode.items.map((t: TypeRow) => t.code).sort()).toEqual(['org_level', 'org_tag', 'org_type']);
    // LIKE wildcards are taken literally.
    expect((await types('&keyword=%25')).total).toBe(0);
    const paged = (await h.call('GET', '/api/system/dicts/types?pageSize=2&page=2', { token: admin })).json();
    expect(paged).toMatchObject({ page: 2, pageSize: 2 });
    expect(paged.items).toHaveLength(2);
  });

  it('refuses users without the dictionary permissions', async () => {
    expect((await h.call('GET', '/api/system/dicts/types', { token: cityOp })).statusCode).toBe(403);
    const gender = await typeByCode('gender');
    const r = await h.call('POST', `/api/system/dicts/types/${gender.id}/items`, { token: cityOp, body: { label: 'x', value: 'x' } });
    expect(r.statusCode).toBe(403);
  });

  it('shows an edited label through GET /api/dicts/:type at once (the cache is invalidated)', async () => {
    const gender = await typeByCode('gender');
    expect((await options('gender')).map((o: { label: string }) => o.label)).toEqual(['男', '女']); // now cached
    const male = (await items(gender.id)).find((i) => i.value === 'male')!;
    expect(male.builtin).toBe(true);
    const r = await h.call('PUT', `/api/system/dicts/items/${male.id}`, {
      token: admin, body: { label: '男性', value: 'male', tagType: 'primary', sort: 10, enabled: true },
    });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ label: '男性', value: 'male', tagType: 'primary' });
    expect(await options('gender')).toEqual([{ value: 'male', label: '男性', tagType: 'primary' }, { value: 'female', label: '女', tagType: null }]);

    // Disabling a label hides it from the options at once; enabling brings it back.
    const female = (await items(gender.id)).find((i) => i.value === 'female')!;
    const off = (await h.call('POST', '/api/system/dicts/items/batch-disable', { token: admin, body: { ids: [female.id] } })).json();
    expect(off).toMatchObject({ succeeded: 1, failed: 0 });
    expect((await options('gender')).map((o: { value: string }) => o.value)).toEqual(['male']);
    expect((await items(gender.id)).map((i) => [i.value, i.enabled])).toEqual([['male', true], ['female', false]]);
    await h.call('POST', '/api/system/dicts/items/batch-enable', { token: admin, body: { ids: [female.id] } });
    expect((await options('gender')).map((o: { value: string }) => o.value)).toEqual(['male', 'female']);

    // Disabling the whole type empties its options.
    await h.call('POST', '/api/system/dicts/types/batch-disable', { token: admin, body: { ids: [gender.id] } });
    expect(await options('gender')).toEqual([]);
    await h.call('POST', '/api/system/dicts/types/batch-enable', { token: admin, body: { ids: [gender.id] } });
    expect(await options('gender')).toHaveLength(2);

    // The change is in the operation log, with its subject.
    const log = (await h.call('GET', `/api/system/oplogs?pageSize=50`, { token: admin })).json();
    expect(log.items.find((l: { url: string }) => l.url === `/api/system/dicts/items/${male.id}`))
      .toMatchObject({ type: '修改', subjectType: '字典标签', subjectName: 'gender：男性（原“男”）', status: 200 });
    expect(log.items.find((l: { url: string }) => l.url === '/api/system/dicts/types/batch-disable'))
      .toMatchObject({ type: '禁用', subjectType: '字典类型', subjectName: '性别（gender）' });
  });

  it('protects built-in types and labels', async () => {
    const gender = await typeByCode('gender');
    const rename = await h.call('PUT', `/api/system/dicts/types/${gender.id}`, { token: admin, body: { code: 'sex', name: '性别', sort: 10, enabled: true } });
    expect(rename.statusCode).toBe(400);
    expect(rename.json().message).toBe('内置字典类型的代码不能修改');
    // Its name may change.
    const renamed = await h.call('PUT', `/api/system/dicts/types/${gender.id}`, { token: admin, body: { code: 'gender', name: '性别（国标）', sort: 10, enabled: true } });
    expect(renamed.json()).toMatchObject({ code: 'gender', name: '性别（国标）', builtin: true, itemCount: 2 });

    const del = (await h.call('POST', '/api/system/dicts/types/batch-delete', { token: admin, body: { ids: [gender.id] } })).json();
    expect(del).toMatchObject({ succeeded: 0, failed: 1 });
    expect(del.results[0].message).toBe('“性别（国标）”为系统内置字典，不能删除');

    const male = (await items(gender.id)).find((i) => i.value === 'male')!;
    const rekey = await h.call('PUT', `/api/system/dicts/items/${male.id}`, { token: admin, body: { label: '男性', value: 'M' } });
    expect(rekey.statusCode).toBe(400);
    expect(rekey.json().message).toContain('内置字典标签的键值不能修改');
    const delItem = (await h.call('POST', '/api/system/dicts/items/batch-delete', { token: admin, body: { ids: [male.id] } })).json();
    expect(delItem.results[0]).toMatchObject({ ok: false, message: '“男性”为系统内置标签，不能删除，可停用' });
    expect(await items(gender.id)).toHaveLength(2);
  });

  it('creates, edits and deletes a type with its labels', async () => {
    // Asked for before it exists: an empty answer gets cached…
    expect(await options('report_channel')).toEqual([]);
    const created = await h.call('POST', '/api/system/dicts/types', { token: admin, body: { code: 'report_channel', name: '反映渠道', sort: 100 } });
    expect(created.statusCode).toBe(200);
    const type = created.json();
    expect(type).toMatchObject({ code: 'report_channel', name: '反映渠道', enabled: true, builtin: false, itemCount: 0 });

    const dup = await h.call('POST', '/api/system/dicts/types', { token: admin, body: { code: 'report_channel', name: '重复' } });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().message).toBe('字典类型代码“report_channel”已存在');
    const badCode = await h.call('POST', '/api/system/dicts/types', { token: admin, body: { code: 'event-source', name: '非法' } });
    expect(badCode.statusCode).toBe(400);
    expect(JSON.stringify(badCode.json())).toContain('字典类型代码只能包含字母、数字和下划线');

    const add = (label: string, value: string, sort: number, tagType: string | null = null) =>
      h.call('POST', `/api/system/dicts/types/${type.id}/items`, { token: admin, body: { label, value, sort, tagType } });
    expect((await add('12345 热线', '01', 20, 'primary')).statusCode).toBe(200);
    expect((await add('网格员上报', '02', 10, 'success')).statusCode).toBe(200);
    expect((await add('视频智能发现', 'ai-video', 30)).statusCode).toBe(200);
    // …and is replaced by the new labels at once.
    expect((await options('report_channel')).map((o: { value: string }) => o.value)).toEqual(['02', '01', 'ai-video']);

    const dupValue = await add('重复', '01', 40);
    expect(dupValue.statusCode).toBe(409);
    expect(dupValue.json().message).toBe('键值“01”在字典“反映渠道”中已存在');
    const badValue = await add('非法', '热线', 40);
    expect(badValue.statusCode).toBe(400);
    expect(badValue.json().message).toBe('键值只能包含字母、数字、下划线和短横线');
    const badTag = await h.call('POST', `/api/system/dicts/types/${type.id}/items`, { token: admin, body: { label: 'x', value: 'x', tagType: 'pink' } });
    expect(badTag.statusCode).toBe(400);

    // Changing a key to one taken in the same type is refused; to a free one works.
    const list = await items(type.id);
    expect(list.map((i) => i.label)).toEqual(['网格员上报', '12345 热线', '视频智能发现']);
    const ai = list.find((i) => i.value === 'ai-video')!;
    expect((await h.call('PUT', `/api/system/dicts/items/${ai.id}`, { token: admin, body: { label: '视频智能发现', value: '02' } })).statusCode).toBe(409);
    const rekeyed = await h.call('PUT', `/api/system/dicts/items/${ai.id}`, { token: admin, body: { label: 'AI 视频发现', value: '03', sort: 5 } });
    expect(rekeyed.json()).toMatchObject({ label: 'AI 视频发现', value: '03', sort: 5 });
    expect((await options('report_channel')).map((o: { value: string }) => o.value)).toEqual(['03', '02', '01']);

    // Renaming a custom type's code moves its labels; both codes' caches are dropped.
    const moved = await h.call('PUT', `/api/system/dicts/types/${type.id}`, { token: admin, body: { code: 'evt_source', name: '反映渠道', sort: 100 } });
    expect(moved.json()).toMatchObject({ code: 'evt_source', itemCount: 3 });
    expect(await options('report_channel')).toEqual([]);
    expect(await options('evt_source')).toHaveLength(3);
    const clash = await h.call('PUT', `/api/system/dicts/types/${type.id}`, { token: admin, body: { code: 'gender', name: '反映渠道' } });
    expect(clash.statusCode).toBe(409);

    // Batch delete of labels: each row on its own.
    const now = await items(type.id);
    const delItems = (await h.call('POST', '/api/system/dicts/items/batch-delete', {
      token: admin, body: { ids: [now[0]!.id, 'not-an-id', '00000000-0000-0000-0000-000000000000'] },
    })).json();
    expect(delItems).toMatchObject({ succeeded: 1, failed: 2 });
    expect(delItems.results.slice(1).map((r: { message: string }) => r.message)).toEqual(['字典标签不存在', '字典标签不存在']);
    expect(await options('evt_source')).toHaveLength(2);

    // Deleting the type deletes its remaining labels; a built-in type in the same batch stays.
    const gender = await typeByCode('gender');
    const del = (await h.call('POST', '/api/system/dicts/types/batch-delete', { token: admin, body: { ids: [type.id, gender.id] } })).json();
    expect(del).toMatchObject({ succeeded: 1, failed: 1 });
    expect(del.results.find((r: { id: string }) => r.id === type.id)).toEqual({ id: type.id, ok: true });
    expect(await typeByCode('evt_source')).toBeUndefined();
    const left = await h.database.db.execute(sql`select count(*)::int as n from sys_dict_item where type_code = 'evt_source'`);
    expect((left.rows[0] as { n: number }).n).toBe(0);
    expect(await options('evt_source')).toEqual([]);
    expect(await options('gender')).toHaveLength(2);
    expect((await h.call('GET', `/api/system/dicts/types/${type.id}/items`, { token: admin })).statusCode).toBe(404);
  });

  it('keeps seeded labels edited by an administrator across a restart of the seed', async () => {
    const idType = await typeByCode('id_type');
    const first = (await items(idType.id))[0]!;
    await h.call('PUT', `/api/system/dicts/items/${first.id}`, { token: admin, body: { label: '身份证', value: first.value, sort: first.sort } });
    const { seedDicts } = await import('./seed/dicts.js');
    await seedDicts(h.database.db);
    expect((await items(idType.id))[0]!.label).toBe('身份证');
  });
});
