import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RegionArea, RegionBoundary, RegionBoundaryInfo, RegionOption } from '@cityops/contracts';
import { ADMIN_PASSWORD, startHarness, type Harness } from '../../test/harness.js';
import { backends } from '../../test/backends.js';

const PW = 'Chongzhou@2026';
/** The shared reference data (DataV outlines); the tests that need it skip when it is not on this machine. */
const GEO_DIR = process.env.GEO_DATA_DIR ?? '/work/shared/data/geo';
const OUTLINE = path.join(GEO_DIR, 'datav-v3', '510184.json');
const hasOutline = fs.existsSync(OUTLINE);
if (!hasOutline) console.warn(`[tests] ${OUTLINE} not found: the tests with the real 崇州市 outline are skipped`);

/** A small square around a point of 崇阳街道, as a Polygon feature. */
const square = (lng = 103.67, lat = 30.63, d = 0.01) => ({
  type: 'Feature',
  properties: { name: '测试范围' },
  geometry: { type: 'Polygon', coordinates: [[[lng, lat], [lng + d, lat], [lng + d, lat + d], [lng, lat + d], [lng, lat]]] },
});

describe.each(backends)('region outlines on %s', (backend) => {
  let h: Harness;
  let admin: string;
  let grid: string;

  beforeAll(async () => {
    h = await startHarness(backend, { DEMO_DATA: 'true', ...(hasOutline ? { GEO_DATA_DIR: GEO_DIR } : {}) });
    const first = await h.login('admin', ADMIN_PASSWORD);
    await h.call('POST', '/api/auth/change-password', { token: first, body: { oldPassword: ADMIN_PASSWORD, newPassword: 'Strong#2026pw' } });
    admin = await h.login('admin', 'Strong#2026pw');
    grid = await h.login('hs_grid', PW);
  });
  afterAll(async () => h?.dispose());

  const put = (code: string, body: unknown, token = admin, fileName = 'outline.geojson') =>
    h.call('PUT', `/api/system/regions/${code}/boundary?fileName=${encodeURIComponent(fileName)}`, { token, body });
  const boundary = (code: string, token = grid) => h.call('GET', `/api/system/regions/${code}/boundary`, { token });

  it.skipIf(!hasOutline)('imports 崇州市 from GEO_DATA_DIR at start, for any logged-in user to read', async () => {
    const r = await boundary('510184');
    expect(r.statusCode, r.body).toBe(200);
    const b: RegionBoundary = r.json();
    expect(b).toMatchObject({ regionCode: '510184', regionName: '崇州市', fileName: '510184.json', importedBy: '演示数据', featureCount: 1, vertexCount: 737 });
    // DataV's bbox of 崇州 (GCJ-02): lng 103.1201–103.8217, lat 30.4998–30.8796.
    expect(b.bbox[0]).toBeCloseTo(103.1201, 3);
    expect(b.bbox[1]).toBeCloseTo(30.4998, 3);
    expect(b.bbox[2]).toBeCloseTo(103.8217, 3);
    expect(b.bbox[3]).toBeCloseTo(30.8796, 3);
    expect(b.geojson).toMatchObject({ type: 'FeatureCollection', features: [{ properties: { name: '崇州市' }, geometry: { type: 'MultiPolygon' } }] });
    const area: RegionArea = (await h.call('GET', '/api/system/regions/area', { token: grid })).json();
    expect(area.hasBoundary).toBe(true);
  });

  it('says in Chinese that a region has no outline yet, and 404s an unknown region', async () => {
    const none = await boundary('510184001');
    expect(none.statusCode).toBe(404);
    expect(none.json().message).toBe('“崇阳街道”尚未导入边界');
    const unknown = await boundary('510184999');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().message).toBe('行政区划 510184999 不存在');
    expect((await h.call('GET', '/api/system/regions/510184/boundary')).statusCode).toBe(401);
  });

  it("tells every user the platform's area and their own organisation's region", async () => {
    const r = await h.call('GET', '/api/system/regions/area', { token: grid });
    expect(r.statusCode, r.body).toBe(200);
    const area: RegionArea = r.json();
    expect(area.area).toEqual({ code: '510184', name: '崇州市' });
    expect(area.own.map((x) => x.code)).toEqual(['510184001', '510184001018']);
    expect(area.own[0]!.name).toBe('崇阳街道');
    // 市城运中心 is the area itself: no narrower default.
    const cityOp = await h.login('city_op', PW);
    expect((await h.call('GET', '/api/system/regions/area', { token: cityOp })).json().own).toEqual([]);
  });

  it('lists the enabled towns and villages to users without region rights', async () => {
    // 网格员 has no 行政区划 rights: the management tree is closed to them, the choices are not.
    expect((await h.call('GET', '/api/system/regions/children?parentCode=510184', { token: grid })).statusCode).toBe(403);
    const towns: RegionOption[] = (await h.call('GET', '/api/system/regions/options', { token: grid })).json();
    expect(towns).toHaveLength(15);
    expect(towns.find((t) => t.code === '510184001')).toEqual({ code: '510184001', name: '崇阳街道', level: 4, hasChildren: true });
    const villages: RegionOption[] = (await h.call('GET', '/api/system/regions/options?parentCode=510184001', { token: grid })).json();
    expect(villages).toHaveLength(17);
    expect(villages.every((v) => v.level === 5 && !v.hasChildren)).toBe(true);

    // A disabled town is no longer offered.
    expect((await h.call('POST', '/api/system/regions/batch/disable', { token: admin, body: { ids: ['510184114'] } })).statusCode).toBe(200);
    const after: RegionOption[] = (await h.call('GET', '/api/system/regions/options', { token: grid })).json();
    expect(after.map((t) => t.name)).not.toContain('隆兴镇');
    await h.call('POST', '/api/system/regions/batch/enable', { token: admin, body: { ids: ['510184114'] } });

    const bad = await h.call('GET', '/api/system/regions/options?parentCode=abc', { token: grid });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toContain('上级区划代码只能是数字');
  });

  it('imports a Feature as a FeatureCollection, replaces it on a new import, and logs the file', async () => {
    const r = await put('510184001', square(), admin, '崇阳街道.geojson');
    expect(r.statusCode, r.body).toBe(200);
    const first: RegionBoundaryInfo = r.json();
    expect(first).toMatchObject({ regionCode: '510184001', regionName: '崇阳街道', fileName: '崇阳街道.geojson', importedBy: '系统管理员', featureCount: 1, vertexCount: 5 });
    expect(first.bbox).toEqual([103.67, 30.63, 103.68, 30.64]);

    const two = { type: 'FeatureCollection', features: [square(), { ...square(103.7, 30.6), geometry: { type: 'MultiPolygon', coordinates: [square(103.7, 30.6).geometry.coordinates] } }] };
    expect((await put('510184001', two)).json()).toMatchObject({ featureCount: 2, vertexCount: 10 });
    const b: RegionBoundary = (await boundary('510184001')).json();
    expect(b.geojson.type).toBe('FeatureCollection');
    expect(b.fileName).toBe('outline.geojson');

    const logs = (await h.call('GET', `/api/system/oplogs?type=${encodeURIComponent('导入')}&pageSize=50`, { token: admin })).json();
    const entry = logs.items.find((l: { subjectName: string }) => l.subjectName === '崇阳街道（510184001）');
    expect(entry?.content).toBe('文件 outline.geojson，2 个要素，10 个点');
  });

  it.skipIf(!hasOutline)('imports the real 崇州市 file through the API as well', async () => {
    const geojson = JSON.parse(fs.readFileSync(OUTLINE, 'utf8'));
    const r = await put('510184', geojson, admin, '510184.json');
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ regionName: '崇州市', importedBy: '系统管理员', featureCount: 1, vertexCount: 737 });
  });

  it('refuses what is not an outline with a clear Chinese reason and keeps the old one', async () => {
    await put('510184002', square(103.6, 30.7));
    const refused: [unknown, string][] = [
      [{ type: 'Topology', objects: {} }, 'GeoJSON 类型为“Topology”，只支持 FeatureCollection 或 Feature'],
      [{ features: [] }, '文件不是 GeoJSON：缺少 type 字段'],
      [{ type: 'FeatureCollection', features: [] }, '文件中没有任何要素（features 为空）'],
      [{ type: 'Feature', geometry: { type: 'LineString', coordinates: [[103.6, 30.7], [103.7, 30.7]] } }, '要素：几何类型为“LineString”，只支持 Polygon（面）或 MultiPolygon（多面）'],
      [{ type: 'FeatureCollection', features: [square(), { type: 'Feature', geometry: null }] }, '第 2 个要素：缺少几何信息（geometry）'],
      [{ type: 'Feature', geometry: { type: 'Polygon', coordinates: [[[103.6, 30.7], [103.7, 30.7], [103.7, 30.8], [103.6, 30.8]]] } }, '要素：有一个环未闭合（首尾坐标不同）'],
      [{ type: 'Feature', geometry: { type: 'Polygon', coordinates: [[[103.6, 30.7], [103.7, 30.7], [103.6, 30.7]]] } }, '要素：有一个环只有 3 个点（至少 4 个点，首尾相同）'],
      [square(11_540_000, 3_590_000, 100), '超出经纬度范围'],
      [{ type: 'Feature', geometry: { type: 'Polygon', coordinates: [[['a', 'b'], [1, 2], [1, 3], ['a', 'b']]] } }, '格式不正确（应为 [经度, 纬度]）'],
    ];
    for (const [body, message] of refused) {
      const r = await put('510184002', body);
      expect(r.statusCode, JSON.stringify(body)).toBe(400);
      expect(r.json().message).toContain(message);
    }
    // Beyond the JSON body limit.
    const huge = { type: 'Feature', properties: { padding: 'x'.repeat(1_100_000) }, geometry: square().geometry };
    const big = await put('510184002', huge);
    expect(big.statusCode).toBe(413);
    expect(big.json().message).toBe('请求内容过大');
    // Within the HTTP limit but over the outline's own limit.
    const large = await put('510184002', { ...huge, properties: { padding: 'x'.repeat(1_010_000) } });
    expect(large.statusCode).toBe(400);
    expect(large.json().message).toMatch(/^文件过大（1\.0 MB），边界文件最多 1 MB/);

    const kept: RegionBoundary = (await boundary('510184002')).json();
    expect(kept.bbox).toEqual([103.6, 30.7, 103.61, 30.71]);
  });

  it('lets only region editors import, and only for a region that exists', async () => {
    const r = await put('510184003', square(), grid);
    expect(r.statusCode).toBe(403);
    expect((await boundary('510184003')).statusCode).toBe(404);
    const missing = await put('510184999', square());
    expect(missing.statusCode).toBe(404);
    expect(missing.json().message).toBe('行政区划 510184999 不存在');
  });
});
