import ExcelJS from 'exceljs';
import { inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ThingModel } from '@cityops/contracts';
import { hashPassword } from '../../core/crypto/sm.js';
import { ADMIN_PASSWORD, startHarness, type Harness } from '../../test/harness.js';
import { backends } from '../../test/backends.js';
import { accessRepository } from '../system/access.repository.js';
import { sysOrg } from '../system/org.table.js';
import { userRepository } from '../system/user.repository.js';

const PW = 'Chongzhou@2026';
const MODEL: ThingModel = {
  properties: [{ identifier: 'level', name: '水位', dataType: { type: 'float', specs: { min: 0, max: 20, unit: 'm' } }, accessMode: 'r', required: false, description: '' }],
  events: [],
  services: [],
};

const xlsx = async (rows: (string | number)[][]) => {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('设备导入');
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer()).toString('base64');
};

describe.each(backends)('IoT devices on %s', (backend) => {
  let h: Harness;
  let iotOp: string;
  let cityOp: string;
  let townIot: string;
  let product: { id: string; productKey: string };
  let gatewayProduct: { id: string; productKey: string };
  const org: Record<string, string> = {};

  const call = async (token: string, method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown) => {
    const r = await h.call(method, url, { token, body });
    return { status: r.statusCode, body: r.headers['content-type']?.toString().includes('json') ? r.json() : r.rawPayload, headers: r.headers };
  };
  const create = async (body: Record<string, unknown>, token = iotOp) => call(token, 'POST', '/api/iot/devices', { productId: product.id, ...body });
  const names = async (query: string, token = iotOp) =>
    (await call(token, 'GET', `/api/iot/devices?pageSize=100&sort=name&order=asc&${query}`)).body.items.map((d: { name: string }) => d.name);

  beforeAll(async () => {
    h = await startHarness(backend, { DEMO_DATA: 'true', DEMO_IOT: 'false', IOT_MQTT_PORT: '0', IOT_COAP_PORT: '0' });
    const first = await h.login('admin', ADMIN_PASSWORD);
    await h.call('POST', '/api/auth/change-password', { token: first, body: { oldPassword: ADMIN_PASSWORD, newPassword: 'Strong#2026pw' } });
    iotOp = await h.login('iot_op', PW);
    cityOp = await h.login('city_op', PW);
    const db = h.database.db;
    for (const o of await db.select().from(sysOrg).where(inArray(sysOrg.code, ['CZ-CYZX', '510184001-CYZX', '510184002-CYZX', '510184001018']))) org[o.code] = o.id;
    // An IoT operator of 崇阳街道's 城运中心: sees the devices of that town only.
    const users = userRepository(db);
    const u = await users.insert({ username: 'cy_iot', name: '崇阳街道物联运维员', orgId: org['510184001-CYZX']!, passwordHash: hashPassword(PW, 1000), pinyin: 'cywlywy' });
    await users.grantRoles(u.id, [(await accessRepository(db).roleIdsByCode()).get('iot-operator')!]);
    townIot = await h.login('cy_iot', PW);

    product = (await call(iotOp, 'POST', '/api/iot/products', { name: '水位计', category: 'water_level', productKey: 'water_level', thingModel: MODEL })).body;
    gatewayProduct = (await call(iotOp, 'POST', '/api/iot/products', { name: '物联网关', category: 'other', productKey: 'gateway_v1', nodeType: 'gateway' })).body;
  });
  afterAll(async () => h?.dispose());

  it('registers a device with a generated secret and shows it with its product, organisation, region and latest values', async () => {
    const r = await create({
      deviceKey: 'wl-cy-01', name: '崇阳街道一号水位计', orgId: org['510184001-CYZX'], regionCode: '510184001', lng: 103.67, lat: 30.63,
      address: '崇阳街道蜀州路桥下', allowedAddresses: ['10.0.0.0/24', '192.168.1.8'],
    });
    expect(r.status).toBe(200);
    expect(r.body.secret).toMatch(/^[0-9a-f]{32}$/);
    expect(r.body.device).toMatchObject({
      deviceKey: 'wl-cy-01', status: 'inactive', productName: '水位计', productKey: 'water_level', category: 'water_level',
      orgName: '崇阳街道城运中心', regionName: '崇阳街道', allowedAddresses: ['10.0.0.0/24', '192.168.1.8'],
      latest: [{ identifier: 'level', name: '水位', unit: 'm', value: null, ts: null }],
    });
    const generated = await create({ name: '羊马街道一号水位计', orgId: org['510184002-CYZX'], regionCode: '510184002', lng: 103.75, lat: 30.7 });
    expect(generated.body.device.deviceKey).toMatch(/^[A-Za-z0-9]{12}$/);
    await create({ deviceKey: 'wl-city-01', name: '市区备用水位计', orgId: org['CZ-CYZX'] });

    const shown = await call(iotOp, 'POST', `/api/iot/devices/${r.body.device.id}/secret/reveal`);
    expect(shown.body.secret).toBe(r.body.secret);
    expect((await call(cityOp, 'POST', `/api/iot/devices/${r.body.device.id}/secret/reveal`)).status).toBe(403);
    const reset = await call(iotOp, 'POST', `/api/iot/devices/${r.body.device.id}/secret/reset`);
    expect(reset.body.secret).not.toBe(r.body.secret);
  });

  it('refuses bad input with the field at fault', async () => {
    const cases: [Record<string, unknown>, number, string][] = [
      [{ name: '缺纬度', lng: 103.6 }, 400, '经度、纬度须同时填写'],
      [{ name: '错误区域', regionCode: '999999999' }, 400, '区域编码 999999999 不存在'],
      [{ name: '错误白名单', allowedAddresses: ['not-an-ip'] }, 400, 'IP 地址或网段'],
      [{ name: '重复标识', deviceKey: 'wl-cy-01' }, 409, '已有设备标识 wl-cy-01'],
      [{ name: '错误标识', deviceKey: 'a/b' }, 400, '设备标识须为'],
    ];
    for (const [body, status, message] of cases) {
      const r = await create(body);
      expect(r.status, JSON.stringify(body)).toBe(status);
      expect(JSON.stringify(r.body)).toContain(message);
    }
    const gw = (await call(iotOp, 'POST', '/api/iot/devices', { productId: gatewayProduct.id, deviceKey: 'gw-01', name: '一号网关' })).body.device;
    const notSub = await create({ name: '直连设备挂网关', gatewayId: gw.id });
    expect(notSub.status).toBe(400);
    expect(notSub.body.message).toBe('只有网关子设备可以挂到网关下');
  });

  it('searches by keyword, product, category, region (with the regions below), organisation and status', async () => {
    expect(await names('keyword=水位计')).toEqual(['崇阳街道一号水位计', '市区备用水位计', '羊马街道一号水位计']);
    expect(await names('keyword=wl-cy')).toEqual(['崇阳街道一号水位计']);
    expect(await names(`productId=${gatewayProduct.id}`)).toEqual(['一号网关']);
    expect(await names('category=water_level&regionCode=510184')).toEqual(['崇阳街道一号水位计', '羊马街道一号水位计']);
    expect(await names('regionCode=510184002')).toEqual(['羊马街道一号水位计']);
    expect(await names(`orgId=${org['CZ-CYZX']}`)).toEqual(['市区备用水位计']);
    expect(await names('status=online')).toEqual([]);
    expect(await names('nodeType=gateway')).toEqual(['一号网关']);
    const sorted = (await call(iotOp, 'GET', '/api/iot/devices?sort=deviceKey&order=desc&category=water_level')).body.items.map((d: { deviceKey: string }) => d.deviceKey);
    // The third water gauge has a generated key, which may sort anywhere: the two named ones keep their order.
    expect(sorted).toHaveLength(3);
    expect(sorted.filter((k: string) => k.startsWith('wl-'))).toEqual(['wl-cy-01', 'wl-city-01']);
  });

  it('shows a town\'s users only the devices of their organisations', async () => {
    expect(await names('', townIot)).toEqual(['崇阳街道一号水位计']);
    const other = (await call(iotOp, 'GET', '/api/iot/devices?keyword=羊马')).body.items[0];
    expect((await call(townIot, 'GET', `/api/iot/devices/${other.id}`)).status).toBe(404);
    expect((await call(townIot, 'POST', '/api/iot/devices/disable', { ids: [other.id] })).body).toMatchObject({ succeeded: 0, failed: 1 });
    // They register devices for their own organisations only.
    expect((await create({ name: '越权设备', orgId: org['510184002-CYZX'] }, townIot)).status).toBe(403);
    expect((await create({ name: '无责任单位设备' }, townIot)).status).toBe(400);
    expect((await create({ name: '汇蜀社区水位计', orgId: org['510184001018'] }, townIot)).status).toBe(200);
    expect(await names('', townIot)).toEqual(['崇阳街道一号水位计', '汇蜀社区水位计']);
    const map = (await call(townIot, 'GET', '/api/iot/devices/map')).body;
    expect(map).toMatchObject({ capped: false, points: [{ name: '崇阳街道一号水位计', lng: 103.67, lat: 30.63, status: 'inactive', category: 'water_level' }] });
    expect((await call(townIot, 'GET', '/api/iot/overview')).body.devices.total).toBe(2);
  });

  it('offers as 责任单位 the enabled organisations of the user\'s scope: a town\'s own, or every one for city-wide users', async () => {
    type Option = { id: string; name: string; code: string; parentName: string | null };
    const options = async (token: string, keyword?: string) => {
      const r = await call(token, 'GET', `/api/iot/orgs/options${keyword ? `?keyword=${encodeURIComponent(keyword)}` : ''}`);
      expect(r.status).toBe(200);
      return r.body as Option[];
    };
    const town = await options(townIot);
    expect(town.length).toBeGreaterThan(2);
    expect(town.every((o) => o.code.startsWith('510184001'))).toBe(true);
    expect(town.map((o) => o.code)).toEqual(expect.arrayContaining(['510184001', '510184001-CYZX', '510184001018']));
    expect(town[0]).toMatchObject({ code: '510184001', name: '崇阳街道', parentName: '崇州市' });
    expect(await options(townIot, '城运中心')).toEqual([{ id: org['510184001-CYZX'], name: '崇阳街道城运中心', code: '510184001-CYZX', parentName: '崇阳街道' }]);
    expect(await options(townIot, '羊马')).toEqual([]);

    const city = await options(iotOp, '城运中心');
    expect(city.map((o) => o.code)).toEqual(expect.arrayContaining(['510184001-CYZX', '510184002-CYZX']));
    expect(city.find((o) => o.code === '510184002-CYZX')).toMatchObject({ name: '羊马街道城运中心', parentName: '羊马街道' });
    // Upper levels first, at most 50 per search; code and pinyin initials find them too.
    const first = await options(iotOp);
    expect(first).toHaveLength(50);
    expect(first[0]).toMatchObject({ name: '崇州市', parentName: null });
    expect((await options(iotOp, 'CZ-CYZX')).map((o) => o.name)).toEqual(['崇州市城市运行管理中心']);
    expect((await options(iotOp, 'ymjdcyzx')).map((o) => o.name)).toEqual(['羊马街道城运中心']);

    // A disabled organisation is no longer offered.
    await h.database.db.update(sysOrg).set({ enabled: false }).where(inArray(sysOrg.code, ['510184002-CYZX']));
    try {
      expect((await options(iotOp, '羊马街道城运')).length).toBe(0);
    } finally {
      await h.database.db.update(sysOrg).set({ enabled: true }).where(inArray(sysOrg.code, ['510184002-CYZX']));
    }
  });

  it('edits, disables, enables and deregisters devices; deregistered ones are hidden and frozen', async () => {
    const d = (await call(iotOp, 'GET', '/api/iot/devices?keyword=市区备用')).body.items[0];
    const u = await call(iotOp, 'PUT', `/api/iot/devices/${d.id}`, { name: '市区备用水位计（测试）', orgId: org['CZ-CYZX'], testMode: true, description: '调试用' });
    expect(u.body).toMatchObject({ name: '市区备用水位计（测试）', testMode: true, description: '调试用' });
    expect(await names('testMode=true')).toEqual(['市区备用水位计（测试）']);

    expect((await call(iotOp, 'POST', '/api/iot/devices/disable', { ids: [d.id] })).body).toMatchObject({ succeeded: 1 });
    expect(await names('status=disabled')).toEqual(['市区备用水位计（测试）']);
    expect((await call(iotOp, 'POST', '/api/iot/devices/enable', { ids: [d.id] })).body).toMatchObject({ succeeded: 1 });
    expect((await call(iotOp, 'GET', `/api/iot/devices/${d.id}`)).body.status).toBe('inactive');

    const first = await call(iotOp, 'POST', '/api/iot/devices/deregister', { ids: [d.id] });
    expect(first.body).toMatchObject({ succeeded: 1, failed: 0 });
    const again = await call(iotOp, 'POST', '/api/iot/devices/deregister', { ids: [d.id] });
    expect(again.body.results[0]).toMatchObject({ ok: false, message: '设备「市区备用水位计（测试）」已注销' });
    expect(await names('keyword=市区备用')).toEqual([]);
    expect(await names('keyword=市区备用&includeDeregistered=true')).toEqual(['市区备用水位计（测试）']);
    expect((await call(iotOp, 'GET', `/api/iot/devices/${d.id}`)).body.deregisteredAt).not.toBeNull();
    expect((await call(iotOp, 'PUT', `/api/iot/devices/${d.id}`, { name: '改名' })).status).toBe(409);
    expect((await call(iotOp, 'POST', '/api/iot/devices/enable', { ids: [d.id] })).body.failed).toBe(1);
  });

  it('imports devices from Excel row by row, reporting the bad rows', async () => {
    const template = await call(iotOp, 'GET', '/api/iot/devices/import-template');
    expect(template.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(template.body as unknown as ArrayBuffer);
    const header = (wb.worksheets[0]!.getRow(1).values as string[]).slice(1);
    expect(header.slice(0, 4)).toEqual(['产品标识*', '设备名称*', '设备标识', '责任单位编码']);

    const content = await xlsx([
      header,
      ['water_level', '导入水位计一', 'imp-01', '510184001-CYZX', '510184001', 103.66, 30.62, '西江河边', '', '否', '', ''],
      ['no_such_product', '导入水位计二', 'imp-02'],
      ['water_level', '导入水位计三', 'imp-03', '510184001-CYZX', '', 103.6],
      ['water_level', '导入水位计四', 'wl-cy-01', '510184001-CYZX'],
      ['water_level', '导入水位计五', 'imp-05', 'NO-ORG'],
      ['water_level', '导入水位计六', 'imp-06', 'CZ-CYZX', '', '', '', '', '10.1.0.0/16, 10.2.0.1', '是'],
    ]);
    const r = await call(iotOp, 'POST', '/api/iot/devices/import', { fileName: '水位计.xlsx', content });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ succeeded: 2, failed: 4 });
    expect(r.body.results.map((x: { id: string; ok: boolean; message?: string }) => [x.id, x.ok, x.message ?? ''])).toEqual([
      ['2', true, ''],
      ['3', false, '产品标识 no_such_product 不存在'],
      ['4', false, '经度、纬度须同时填写'],
      ['5', false, '产品「水位计」下已有设备标识 wl-cy-01'],
      ['6', false, '责任单位编码 NO-ORG 不存在'],
      ['7', true, ''],
    ]);
    expect(r.body.names['3']).toBe('第 3 行 导入水位计二');
    const imported = (await call(iotOp, 'GET', '/api/iot/devices?keyword=imp-06')).body.items[0];
    expect(imported).toMatchObject({ name: '导入水位计六', testMode: true, orgName: '崇州市城市运行管理中心' });
    expect((await call(iotOp, 'GET', `/api/iot/devices/${imported.id}`)).body.allowedAddresses).toEqual(['10.1.0.0/16', '10.2.0.1']);

    const notExcel = await call(iotOp, 'POST', '/api/iot/devices/import', { fileName: 'x.xlsx', content: Buffer.from('hello').toString('base64') });
    expect(notExcel.status).toBe(400);
  });

  it('exports the filtered list to Excel', async () => {
    const r = await call(iotOp, 'GET', '/api/iot/devices/export?category=water_level&regionCode=510184001&sort=name&order=asc');
    expect(r.status).toBe(200);
    expect(String(r.headers['content-disposition'])).toContain(encodeURIComponent('设备列表'));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(r.body as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    const rows = ws.getSheetValues().slice(2).map((v) => (v as string[])[1]);
    expect(rows.sort()).toEqual(['导入水位计一', '崇阳街道一号水位计']);
    expect(ws.getRow(2).getCell(6).text).toBe('未激活');
    expect(wb.worksheets[1]!.name).toBe('导出说明');
  });
});
