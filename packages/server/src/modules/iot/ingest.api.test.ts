import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ThingModel } from '@cityops/contracts';
import { ADMIN_PASSWORD, startHarness, type Harness } from '../../test/harness.js';
import { backends } from '../../test/backends.js';
import { loadKeys } from '../../core/crypto/keys.js';
import { fieldCipher } from '../../core/crypto/field.js';
import { scopeService } from '../system/scope.service.js';
import { createIotCore, type IotCore } from './iot-core.js';
import { sweepOffline, sweepRetention } from './maintenance.js';
import type { AcceptedMessage, DeviceRef } from './ports.js';

const SMOKE: ThingModel = {
  properties: [
    { identifier: 'smoke_density', name: '烟雾浓度', dataType: { type: 'float', specs: { min: 0, max: 10, unit: 'dB/m' } }, accessMode: 'r', required: false, description: '' },
    { identifier: 'battery', name: '电池电量', dataType: { type: 'int', specs: { min: 0, max: 100, unit: '%' } }, accessMode: 'r', required: false, description: '' },
    { identifier: 'muted', name: '静音', dataType: { type: 'bool', specs: { enum: { 0: '否', 1: '是' } } }, accessMode: 'rw', required: false, description: '' },
  ],
  events: [
    {
      identifier: 'fire_alarm', name: '火灾报警', type: 'alert', description: '',
      outputData: [{ identifier: 'smoke_density', name: '烟雾浓度', dataType: { type: 'float', specs: { min: 0, max: 10 } } }],
    },
  ],
  services: [{ identifier: 'self_test', name: '自检', callType: 'async', inputData: [], outputData: [], description: '' }],
};

describe.each(backends)('ingest pipeline on %s', (backend) => {
  let h: Harness;
  let admin: string;
  let core: IotCore;
  let pk: string;
  let device: DeviceRef;
  const seen: AcceptedMessage[] = [];

  const api = async (method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown) => {
    const r = await h.call(method, url, { token: admin, body });
    return { status: r.statusCode, body: r.json() };
  };
  const post = (topic: string, payload: unknown, ref = device) =>
    core.ingest.accept({ device: ref, channel: 'mqtt', topic, payload: typeof payload === 'string' ? payload : JSON.stringify(payload), receivedAt: Date.now(), clientIp: '10.1.2.3' });
  const propertyTopic = (dk = device.deviceKey) => `/sys/${pk}/${dk}/thing/property/post`;
  const trace = async (q = '') => (await api('GET', `/api/iot/messages?deviceId=${device.id}&pageSize=100${q}`)).body;
  const historyCount = async () => (await api('GET', `/api/iot/devices/${device.id}/properties/smoke_density/history`)).body.points.length as number;

  beforeAll(async () => {
    h = await startHarness(backend, { IOT_MQTT_PORT: '0', IOT_COAP_PORT: '0', DEMO_IOT: 'false' });
    const first = await h.login('admin', ADMIN_PASSWORD);
    await h.call('POST', '/api/auth/change-password', { token: first, body: { oldPassword: ADMIN_PASSWORD, newPassword: 'Strong#2026pw' } });
    admin = await h.login('admin', 'Strong#2026pw');
    const keys = await loadKeys(h.database.db);
    // A second core on the same database and cache, as a broker-only node would run it.
    core = createIotCore({
      config: { ...(await import('../../core/config.js')).loadConfig({ DATABASE_URL: 'memory://', IOT_FLUSH_MS: '20' }) },
      database: h.database, cache: h.cache, fields: fieldCipher(keys.fieldKey, keys.blindIndexKey), scope: scopeService(h.database.db), sweeps: false,
    });
    core.ingest.onAccepted((m) => void seen.push(m));

    const p = await api('POST', '/api/iot/products', { name: '点型光电烟火灾探测器', category: 'smoke', thingModel: SMOKE });
    expect(p.status).toBe(200);
    pk = p.body.productKey;
    const dv = await api('POST', '/api/iot/devices', { productId: p.body.id, deviceKey: 'smoke-001', name: '一号楼烟感' });
    expect(dv.status).toBe(200);
    device = (await core.directory.device(pk, 'smoke-001'))!;
    expect(device).toMatchObject({ deviceKey: 'smoke-001', status: 'inactive', deregistered: false });
  });
  afterAll(async () => {
    await core?.close();
    await h?.dispose();
  });

  it('stores a valid report in the latest values, the history and the trace, and activates the device', async () => {
    const r = await post(propertyTopic(), { id: '101', params: { smoke_density: 0.5, battery: '80', muted: true } });
    expect(r).toMatchObject({ ok: true, code: 200, msgId: '101', replyTopic: `/sys/${pk}/smoke-001/thing/property/post_reply` });

    const latest = (await api('GET', `/api/iot/devices/${device.id}/properties`)).body;
    expect(latest).toEqual([
      expect.objectContaining({ identifier: 'smoke_density', name: '烟雾浓度', unit: 'dB/m', value: 0.5 }),
      expect.objectContaining({ identifier: 'battery', name: '电池电量', unit: '%', value: 80 }),
      expect.objectContaining({ identifier: 'muted', value: 1, labels: { 0: '否', 1: '是' } }),
    ]);
    expect(await historyCount()).toBe(1);

    const t = await trace();
    expect(t.items).toHaveLength(1);
    expect(t.items[0]).toMatchObject({ direction: 'up', channel: 'mqtt', kind: 'property', result: 'ok', msgId: '101', clientIp: '10.1.2.3', deviceName: '一号楼烟感' });
    expect(t.items[0].latencyMs).toBeGreaterThanOrEqual(0);

    const detail = (await api('GET', `/api/iot/devices/${device.id}`)).body;
    expect(detail).toMatchObject({ status: 'online', lastIp: '10.1.2.3' });
    expect(detail.activatedAt).not.toBeNull();
    expect(detail.lastSeenAt).not.toBeNull();
    expect(seen.at(-1)).toMatchObject({ kind: 'property', values: { smoke_density: 0.5, battery: 80, muted: 1 } });
  });

  it('refuses a report that breaks the thing model, traces why, and changes nothing else', async () => {
    const before = { history: await historyCount(), latest: (await api('GET', `/api/iot/devices/${device.id}/properties`)).body, accepted: seen.length };
    const cases: [unknown, string][] = [
      [{ id: '201', params: { smoke_density: 11 } }, 'smoke_density：不能大于 10dB/m'],
      [{ id: '202', params: { smoke_densty: 1 } }, 'smoke_densty：物模型中没有此标识符'],
      [{ id: '203', params: { battery: 'full' } }, 'battery：应为数值'],
      [{ id: '204', params: { smoke_density: 1, battery: 50.5 } }, 'battery：应为整数'],
    ];
    for (const [payload, reason] of cases) {
      const r = await post(propertyTopic(), payload);
      expect(r).toMatchObject({ ok: false, code: 400, message: reason });
    }
    expect(await post(propertyTopic(), '{"id": "205", "params":')).toMatchObject({ ok: false, code: 400, message: '报文不是有效的 JSON 对象' });

    const rejected = await trace('&result=rejected');
    expect(rejected.items.map((x: { msgId: string; reason: string }) => [x.msgId, x.reason])).toEqual([
      [null, '报文不是有效的 JSON 对象'],
      ['204', 'battery：应为整数'],
      ['203', 'battery：应为数值'],
      ['202', 'smoke_densty：物模型中没有此标识符'],
      ['201', 'smoke_density：不能大于 10dB/m'],
    ]);
    const one = await api('GET', `/api/iot/messages/${rejected.items[1].id}`);
    expect(JSON.parse(one.body.payload)).toEqual({ id: '204', params: { smoke_density: 1, battery: 50.5 } });

    expect(await historyCount()).toBe(before.history);
    expect((await api('GET', `/api/iot/devices/${device.id}/properties`)).body).toEqual(before.latest);
    expect(seen.length).toBe(before.accepted);
  });

  it('stores device events, hands replies and OTA progress to the listeners, and refuses unknown topics', async () => {
    const e = await post(`/sys/${pk}/smoke-001/thing/event/fire_alarm/post`, { id: '301', params: { smoke_density: 6.2 } });
    expect(e).toMatchObject({ ok: true, code: 200, replyTopic: `/sys/${pk}/smoke-001/thing/event/fire_alarm/post_reply` });
    const events = (await api('GET', `/api/iot/devices/${device.id}/events`)).body;
    expect(events.items[0]).toMatchObject({ identifier: 'fire_alarm', name: '火灾报警', level: 'alert', output: { smoke_density: 6.2 } });
    expect(seen.at(-1)).toMatchObject({ kind: 'event', identifier: 'fire_alarm', level: 'alert' });

    expect(await post(`/sys/${pk}/smoke-001/thing/event/explosion/post`, { id: '302', params: {} })).toMatchObject({ code: 400, message: 'explosion：物模型中没有此事件' });

    expect(await post(`sys/${pk}/smoke-001/thing/service/self_test_reply`, { id: '303', code: 200, data: { result: 'pass' } })).toMatchObject({ ok: true, replyTopic: undefined });
    expect(seen.at(-1)).toMatchObject({ kind: 'reply', msgId: '303', code: 200, data: { result: 'pass' } });

    expect(await post(`/ota/${pk}/smoke-001/progress`, { id: '304', params: { step: 40, desc: '下载中' } })).toMatchObject({ ok: true });
    expect(seen.at(-1)).toMatchObject({ kind: 'ota-progress', step: 40, desc: '下载中' });
    expect(await post(`/ota/${pk}/smoke-001/inform`, { id: '305', params: { version: '1.2.0' } })).toMatchObject({ ok: true });
    expect((await api('GET', `/api/iot/devices/${device.id}`)).body.firmwareVersion).toBe('1.2.0');

    expect(await post(`/sys/${pk}/smoke-001/thing/whatever`, { id: '306' })).toMatchObject({ ok: false, code: 404, message: '未知的主题' });
    expect(await post(`/sys/${pk}/other-device/thing/property/post`, { id: '307', params: { battery: 1 } })).toMatchObject({ ok: false, code: 403 });
    const denied = await trace('&result=denied');
    expect(denied.items[0]).toMatchObject({ msgId: null, reason: '主题不属于该设备' });
  });

  it('records connects and disconnects, and refuses a disabled device', async () => {
    await core.ingest.presence(device, false, { ip: '10.1.2.4' });
    expect((await api('GET', `/api/iot/devices/${device.id}`)).body).toMatchObject({ status: 'offline' });
    await core.ingest.presence(device, true, { ip: '10.1.2.5' });
    expect((await api('GET', `/api/iot/devices/${device.id}`)).body).toMatchObject({ status: 'online', lastIp: '10.1.2.5' });
    const kinds = (await trace('&direction=up')).items.slice(0, 2).map((x: { kind: string }) => x.kind);
    expect(kinds).toEqual(['connect', 'disconnect']);

    expect((await api('POST', '/api/iot/devices/disable', { ids: [device.id] })).body).toMatchObject({ succeeded: 1 });
    // The app's directory drops the device at once; this core sees the shared version within a second.
    await new Promise((r) => setTimeout(r, 1100));
    const disabled = (await core.directory.device(pk, 'smoke-001'))!;
    expect(disabled.status).toBe('disabled');
    expect(await post(propertyTopic(), { id: '401', params: { battery: 70 } }, disabled)).toMatchObject({ ok: false, code: 403, message: '设备已禁用' });
    expect((await api('POST', '/api/iot/devices/enable', { ids: [device.id] })).body).toMatchObject({ succeeded: 1 });
    await new Promise((r) => setTimeout(r, 1100));
    device = (await core.directory.device(pk, 'smoke-001'))!;
    expect(device.status).toBe('offline');
  });

  it('takes the reports of a gateway\'s own sub-devices and refuses the others', async () => {
    const gwProduct = (await api('POST', '/api/iot/products', { name: '消防网关', category: 'other', nodeType: 'gateway' })).body;
    const subProduct = (await api('POST', '/api/iot/products', { name: '消火栓按钮', category: 'hydrant', nodeType: 'sub', thingModel: SMOKE })).body;
    const gw = (await api('POST', '/api/iot/devices', { productId: gwProduct.id, deviceKey: 'gw-01', name: '一号网关' })).body.device;
    const sub = (await api('POST', '/api/iot/devices', { productId: subProduct.id, deviceKey: 'btn-01', name: '一号按钮', gatewayId: gw.id })).body.device;
    const stray = (await api('POST', '/api/iot/devices', { productId: subProduct.id, deviceKey: 'btn-02', name: '二号按钮' })).body.device;
    expect(stray.gatewayId).toBeNull();
    const gwRef = (await core.directory.device(gwProduct.productKey, 'gw-01'))!;
    const r = await post(`/sys/${gwProduct.productKey}/gw-01/thing/sub/post`, {
      id: '501',
      params: [
        { productKey: subProduct.productKey, deviceKey: 'btn-01', properties: { battery: 90 } },
        { productKey: subProduct.productKey, deviceKey: 'btn-01', identifier: 'fire_alarm', params: { smoke_density: 3 } },
        { productKey: subProduct.productKey, deviceKey: 'btn-02', properties: { battery: 10 } },
      ],
    }, gwRef);
    expect(r).toMatchObject({ ok: true, code: 400, message: '第 3 项：子设备 btn-02 不属于该网关' });
    const latest = (await api('GET', `/api/iot/devices/${sub.id}/properties`)).body;
    expect(latest.find((x: { identifier: string }) => x.identifier === 'battery').value).toBe(90);
    expect((await api('GET', `/api/iot/devices/${sub.id}/events`)).body.total).toBe(1);
    expect((await api('GET', `/api/iot/devices/${sub.id}`)).body.status).toBe('online');
    expect((await api('GET', `/api/iot/devices/${stray.id}/properties`)).body.find((x: { identifier: string }) => x.identifier === 'battery').value).toBeNull();
    const subTrace = (await api('GET', `/api/iot/messages?deviceId=${sub.id}`)).body.items;
    expect(subTrace.map((x: { channel: string; kind: string }) => `${x.channel}:${x.kind}`).sort()).toEqual(['gateway:event', 'gateway:property']);
  });

  it('commits concurrent reports in batches without losing one', async () => {
    const base = Date.now() - 10 * 86_400_000;
    const results = await Promise.all(
      Array.from({ length: 1500 }, (_, i) => core.ingest.accept({
        device, channel: 'http', topic: propertyTopic(), payload: JSON.stringify({ id: `b${i}`, params: { smoke_density: (i % 100) / 10 }, time: base + i * 1000 }), receivedAt: Date.now(),
      })),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    const [n] = (await h.database.db.execute(sql`select count(*)::int as n from iot_telemetry where device_id = ${device.id} and ts between ${new Date(base)} and ${new Date(base + 1_500_000)}`)).rows as { n: number }[];
    expect(n!.n).toBe(1500);
    // More than 1,000 reports in the range: the history comes back bucketed, with min/max per bucket.
    const hist = (await api('GET', `/api/iot/devices/${device.id}/properties/smoke_density/history?from=${new Date(base - 1000).toISOString()}&to=${new Date(base + 1_600_000).toISOString()}`)).body;
    expect(hist.bucketSeconds).toBeGreaterThan(1);
    expect(hist.points.length).toBeLessThanOrEqual(1000);
    expect(hist.points.reduce((s: number, p: { count: number }) => s + p.count, 0)).toBe(1500);
    expect(Math.max(...hist.points.map((p: { max: number }) => p.max))).toBe(9.9);
    // Reports of ten days ago do not replace the newer latest value.
    const latest = (await api('GET', `/api/iot/devices/${device.id}/properties`)).body;
    expect(latest[0]).toMatchObject({ value: 0.5 });
  });

  it('marks silent HTTP devices offline and deletes data past retention', async () => {
    const p = (await api('POST', '/api/iot/products', { name: '水位计', category: 'water_level', protocol: 'http', offlineSeconds: 60, thingModel: SMOKE })).body;
    const dv = (await api('POST', '/api/iot/devices', { productId: p.id, deviceKey: 'wl-01', name: '一号水位计' })).body.device;
    const ref = (await core.directory.device(p.productKey, 'wl-01'))!;
    await core.ingest.accept({ device: ref, channel: 'http', topic: `/sys/${p.productKey}/wl-01/thing/property/post`, payload: '{"id":"1","params":{"battery":50}}', receivedAt: Date.now() });
    expect((await api('GET', `/api/iot/devices/${dv.id}`)).body.status).toBe('online');
    // An MQTT device silent as long stays online: the broker reports its disconnect.
    await h.database.db.execute(sql`update iot_device set last_seen_at = now() - interval '2 minutes' where id in (${dv.id}, ${device.id})`);
    await h.database.db.execute(sql`update iot_device set status = 'online' where id = ${device.id}`);
    expect(await sweepOffline({ db: h.database.db, directory: core.directory, ingest: core.ingest, externalBroker: false })).toBe(1);
    await core.ingest.flush();
    expect((await api('GET', `/api/iot/devices/${dv.id}`)).body.status).toBe('offline');
    expect((await api('GET', `/api/iot/devices/${device.id}`)).body.status).toBe('online');
    expect((await api('GET', `/api/iot/messages?deviceId=${dv.id}&kind=disconnect`)).body.items[0].reason).toBe('超过 60 秒未上报，判定离线');

    await h.database.db.execute(sql`update iot_telemetry set ts = ts - interval '400 days' where device_id = ${dv.id}`);
    await h.database.db.execute(sql`update iot_message set ts = ts - interval '40 days' where device_id = ${dv.id}`);
    const deleted = await sweepRetention({ db: h.database.db, traceDays: 30, historyDays: 365 });
    expect(deleted).toMatchObject({ telemetry: 1, trace: 2 });
    expect((await api('GET', `/api/iot/messages?deviceId=${dv.id}`)).body.total).toBe(0);
  });

  it('counts devices and messages on the overview', async () => {
    const o = (await api('GET', '/api/iot/overview')).body;
    expect(o.products).toBe(4);
    expect(o.devices.total).toBe(5);
    expect(o.byCategory.find((c: { category: string }) => c.category === 'smoke')).toMatchObject({ total: 1, online: 1 });
    expect(o.messages.today).toBeGreaterThan(1500);
    expect(o.messages.rejectedToday).toBeGreaterThanOrEqual(8);
    expect(o.ratePerMinute).toHaveLength(60);
    expect(o.ratePerMinute.at(-1).count).toBeGreaterThan(0);
    expect(o.byRegion).toEqual([{ regionCode: '', name: '未设置区域', total: 5, online: expect.any(Number) }]);
  });
});
