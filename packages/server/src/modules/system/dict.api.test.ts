import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { startHarness, type Harness } from '../../test/harness.js';

describe('dictionary options', () => {
  let h: Harness;
  let token: string;
  beforeAll(async () => {
    h = await startHarness('pglite', { DEMO_DATA: 'true' });
    token = await h.login('city_op', 'Chongzhou@2026');
  });
  afterAll(async () => h?.dispose());

  it('serves the built-in dictionaries to any logged-in user, in order', async () => {
    const r = await h.call('GET', '/api/dicts/gender', { token });
    expect(r.json()).toEqual([{ value: 'male', label: '男', tagType: null }, { value: 'female', label: '女', tagType: null }]);
    expect((await h.call('GET', '/api/dicts/org_level', { token })).json().map((o: { label: string }) => o.label)).toContain('镇（街道）');
    expect((await h.call('GET', '/api/dicts/gender')).statusCode).toBe(401);
    expect((await h.call('GET', '/api/dicts/no_such_type', { token })).json()).toEqual([]);
  });

  it('answers from the cache until the type is invalidated', async () => {
    await h.call('GET', '/api/dicts/id_type', { token });
    await h.database.db.execute(sql`update sys_dict_item set label = '身份证' where type_code = 'id_type' and value = '01'`);
    expect((await h.call('GET', '/api/dicts/id_type', { token })).json()[0].label).toBe('居民身份证');
    await h.cache.del('dict:id_type');
    expect((await h.call('GET', '/api/dicts/id_type', { token })).json()[0].label).toBe('身份证');
  });
});
