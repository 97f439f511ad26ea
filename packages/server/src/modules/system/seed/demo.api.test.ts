import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { startHarness, type Harness } from '../../../test/harness.js';
import { shortCommunityName } from './demo.js';

const rowsOf = (r: unknown) => (Array.isArray(r) ? r : (r as { rows: unknown[] }).rows) as Record<string, unknown>[];

describe('demo data of Chongzhou', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness('pglite', { DEMO_DATA: 'true' });
  });
  afterAll(async () => h?.dispose());

  it('has the 15 towns/streets, each with its 城运中心, and their villages/communities', async () => {
    const towns = rowsOf(await h.database.db.execute(sql`select code, name from sys_org where level = 'town' order by code`));
    expect(towns).toHaveLength(15);
    expect(towns.map((t) => t.name)).toContain('文井江镇');
    expect(towns.find((t) => t.code === '510184001')?.name).toBe('崇阳街道');
    const centres = rowsOf(await h.database.db.execute(sql`select name from sys_org where tags @> '["镇街城运中心"]'::jsonb`));
    expect(centres).toHaveLength(15);
    const communities = rowsOf(await h.database.db.execute(sql`select count(*)::int as n from sys_org where level = 'community'`));
    expect(communities[0]!.n).toBe(172);
    const huishu = rowsOf(await h.database.db.execute(sql`select o.name, p.name as parent from sys_org o join sys_org p on p.id = o.parent_id where o.code = '510184001018'`));
    expect(huishu[0]).toEqual({ name: '汇蜀社区', parent: '崇阳街道' });
  });

  it('has the regions from province to village', async () => {
    const levels = rowsOf(await h.database.db.execute(sql`select level, count(*)::int as n from sys_region group by level order by level`));
    expect(levels).toEqual([{ level: 1, n: 1 }, { level: 2, n: 1 }, { level: 3, n: 1 }, { level: 4, n: 15 }, { level: 5, n: 172 }]);
  });

  it('lets the demo users of each level log in', async () => {
    for (const u of ['city_op', 'zfj_handler', 'cy_op', 'hs_grid', 'auditor']) {
      expect((await h.login(u, 'Chongzhou@2026')).length).toBeGreaterThan(20);
    }
    const token = await h.login('hs_grid', 'Chongzhou@2026');
    expect((await h.call('GET', '/api/auth/me', { token })).json().user.orgName).toBe('汇蜀社区');
  });

  it('shortens committee names the way people say them', async () => {
    expect(shortCommunityName('汇蜀社区居民委员会')).toBe('汇蜀社区');
    expect(shortCommunityName('永乐村村民委员会')).toBe('永乐村');
    expect(shortCommunityName('三江村民委员会')).toBe('三江村');
    const doubled = rowsOf(await h.database.db.execute(sql`select name from sys_org where level = 'community' and name like '%村村'`));
    expect(doubled).toEqual([]);
  });
});
