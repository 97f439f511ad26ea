import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ThingModel, type AccessLog, type ApiKey } from '@cityops/contracts';
import { backends } from '../../test/backends.js';
import { createDevice, createProduct, startIotHarness, TestDevice, until, type IotHarness } from '../../test/iot-devices.js';

const model = ThingModel.parse({
  properties: [
    { identifier: 'level', name: '水位', dataType: { type: 'float', specs: { min: 0, max: 20, unit: 'm' } } },
    { identifier: 'threshold', name: '告警阈值', accessMode: 'rw', dataType: { type: 'float', specs: { min: 0, max: 10, unit: 'm' } } },
  ],
  events: [{ identifier: 'overflow', name: '溢流', type: 'alert', outputData: [{ identifier: 'level', name: '水位', dataType: { type: 'float' } }] }],
  services: [{ identifier: 'reboot', name: '重启', callType: 'async', inputData: [] }],
});

const ALL_SCOPES = ['devices:read', 'telemetry:read', 'commands:write', 'ingest:write'];

describe.each(backends)('第三方接口 on %s', (backend) => {
  let h: IotHarness;
  let device: TestDevice;
  let key: string;
  let keyName: string;
  const pk = 'oa_level';

  const admin = (method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown) => h.call(method, url, { token: h.admin, body });
  const createKey = async (body: Record<string, unknown>) => {
    const r = await admin('POST', '/api/iot/api-keys', { name: '子平台', scopes: ALL_SCOPES, ...body });
    expect(r.statusCode).toBe(200);
    return r.json() as ApiKey & { key: string };
  };
  /** A request of a third-party system. */
  const open = (method: 'GET' | 'POST', url: string, k: string | undefined, body?: unknown, header: 'x-api-key' | 'bearer' = 'x-api-key') =>
    h.app.inject({
      method, url,
      headers: k === undefined ? {} : header === 'bearer' ? { authorization: `Bearer ${k}` } : { 'x-api-key': k },
      ...(body !== undefined ? { payload: body as object } : {}),
    });

  beforeAll(async () => {
    h = await startIotHarness(backend, { IOT_COMMAND_TIMEOUT_SECONDS: '2' });
    const product = await createProduct(h, pk, model);
    const d1 = await createDevice(h, product.id, 'oa-0001');
    await createDevice(h, product.id, 'oa-0002');
    device = new TestDevice(h.mqttPort, pk, 'oa-0001', d1.secret);
    device.answer = (m) => (m.topic.endsWith('_reply') ? undefined : { topic: `${m.topic}_reply`, body: { id: m.body.id, code: 200, data: {} } });
    await device.connect();
    await until(async () => (await admin('GET', `/api/iot/devices/${d1.id}`)).json().status === 'online', 10_000, 'device online');
    const created = await createKey({ name: '城管子平台' });
    key = created.key;
    keyName = created.name;
  });
  afterAll(async () => {
    await device?.close();
    await h?.dispose();
  });

  it('creates a key shown in full only once', async () => {
    expect(key).toMatch(/^ak[0-9a-f]{16}\.[A-Za-z0-9_-]{43}$/);
    const list = (await admin('GET', '/api/iot/api-keys?keyword=城管')).json();
    expect(list.total).toBe(1);
    expect(list.items[0]).toMatchObject({ name: '城管子平台', keyId: key.split('.')[0], scopes: ALL_SCOPES, rateLimit: 600, enabled: true, expiresAt: null });
    expect(JSON.stringify(list)).not.toContain(key.split('.')[1]);
    expect(list.items[0].key).toBeUndefined();
  });

  it('refuses calls without a key, with a wrong one, and outside the key scope', async () => {
    const none = await open('GET', '/api/open/iot/devices', undefined);
    expect(none.statusCode).toBe(401);
    expect(none.json()).toMatchObject({ code: 'API_KEY_INVALID', message: expect.stringContaining('缺少接口密钥') });

    const wrong = await open('GET', '/api/open/iot/devices', `${key.split('.')[0]}.${'x'.repeat(43)}`);
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().message).toBe('接口密钥无效');
    expect((await open('GET', '/api/open/iot/devices', 'not-a-key')).statusCode).toBe(401);

    const readOnly = await createKey({ name: '只读', scopes: ['devices:read'] });
    expect((await open('GET', '/api/open/iot/devices', readOnly.key)).statusCode).toBe(200);
    const denied = await open('GET', `/api/open/iot/devices/${pk}/oa-0001/properties`, readOnly.key);
    expect(denied.statusCode).toBe(403);
    expect(denied.json().code).toBe('API_KEY_SCOPE');
    expect((await open('POST', '/api/open/iot/ingest', readOnly.key, { items: [{ productKey: pk, deviceKey: 'oa-0001', kind: 'property', params: { level: 1 } }] })).statusCode).toBe(403);
  });

  it('refuses expired and disabled keys, and an old secret after renewal', async () => {
    const expired = await createKey({ name: '已过期', expiresAt: new Date(Date.now() - 1000).toISOString() });
    const r = await open('GET', '/api/open/iot/devices', expired.key);
    expect(r.statusCode).toBe(401);
    expect(r.json().message).toBe('接口密钥已过期');

    const k = await createKey({ name: '将停用' });
    expect((await open('GET', '/api/open/iot/devices', k.key)).statusCode).toBe(200);
    expect((await admin('POST', '/api/iot/api-keys/batch/disable', { ids: [k.id] })).json()).toMatchObject({ succeeded: 1 });
    const off = await open('GET', '/api/open/iot/devices', k.key);
    expect(off.statusCode).toBe(401);
    expect(off.json().message).toBe('接口密钥已停用');

    await admin('POST', '/api/iot/api-keys/batch/enable', { ids: [k.id] });
    const renewed = (await admin('POST', `/api/iot/api-keys/${k.id}/renew`)).json() as { key: string; keyId: string };
    expect(renewed.keyId).toBe(k.keyId);
    expect((await open('GET', '/api/open/iot/devices', k.key)).statusCode).toBe(401);
    expect((await open('GET', '/api/open/iot/devices', renewed.key, undefined, 'bearer')).statusCode).toBe(200);
  });

  it('holds a key to its calls per minute (429 with Retry-After)', async () => {
    const k = await createKey({ name: '限流', rateLimit: 3 });
    for (let i = 0; i < 3; i++) expect((await open('GET', '/api/open/iot/devices', k.key)).statusCode).toBe(200);
    const r = await open('GET', '/api/open/iot/devices', k.key);
    expect(r.statusCode).toBe(429);
    expect(r.json().message).toContain('每分钟最多调用 3 次');
    expect(Number(r.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(r.headers['retry-after'])).toBeLessThanOrEqual(60);
  });

  it('lists devices by product key and status, and shows one with its latest values', async () => {
    const all = (await open('GET', `/api/open/iot/devices?productKey=${pk}`, key)).json();
    expect(all.total).toBe(2);
    expect(all.items.map((d: { deviceKey: string }) => d.deviceKey).sort()).toEqual(['oa-0001', 'oa-0002']);
    expect(all.items[0]).not.toHaveProperty('secret');
    const online = (await open('GET', `/api/open/iot/devices?productKey=${pk}&status=online`, key)).json();
    expect(online.items.map((d: { deviceKey: string }) => d.deviceKey)).toEqual(['oa-0001']);
    expect((await open('GET', '/api/open/iot/devices?productKey=nope', key)).json().total).toBe(0);

    const one = await open('GET', `/api/open/iot/devices/${pk}/oa-0001`, key);
    expect(one.statusCode).toBe(200);
    expect(one.json()).toMatchObject({ productKey: pk, deviceKey: 'oa-0001', status: 'online' });
    expect(one.json().properties.map((p: { identifier: string }) => p.identifier)).toEqual(['level', 'threshold']);
    expect((await open('GET', `/api/open/iot/devices/${pk}/oa-9999`, key)).statusCode).toBe(404);
  });

  it('takes a batch of reports from a sub-platform, each accepted or refused on its own', async () => {
    const t = Date.now() - 60_000;
    const r = await open('POST', '/api/open/iot/ingest', key, {
      items: [
        { productKey: pk, deviceKey: 'oa-0001', kind: 'property', params: { level: 3.2 }, time: t },
        { productKey: pk, deviceKey: 'oa-0002', kind: 'property', params: { level: 99 } },
        { productKey: pk, deviceKey: 'oa-9999', kind: 'property', params: { level: 1 } },
        { productKey: pk, deviceKey: 'oa-0002', kind: 'event', identifier: 'overflow', params: { level: 18.5 } },
        { productKey: pk, deviceKey: 'oa-0002', kind: 'event', params: {} },
      ],
    });
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body).toMatchObject({ succeeded: 2, failed: 3 });
    expect(body.results.map((x: { index: number; ok: boolean; code: number }) => [x.index, x.ok, x.code])).toEqual([
      [0, true, 200], [1, false, 400], [2, false, 404], [3, true, 200], [4, false, 400],
    ]);
    expect(body.results[2].message).toBe(`设备 ${pk}/oa-9999 不存在`);

    const latest = (await open('GET', `/api/open/iot/devices/${pk}/oa-0001/properties`, key)).json();
    expect(latest.find((p: { identifier: string }) => p.identifier === 'level')).toMatchObject({ value: 3.2, ts: new Date(t).toISOString() });
    const history = (await open('GET', `/api/open/iot/devices/${pk}/oa-0001/properties/level/history`, key)).json();
    expect(history).toMatchObject({ identifier: 'level', name: '水位', unit: 'm' });
    expect(history.points.map((p: { value: unknown }) => p.value)).toContain(3.2);
  });

  it('sends commands as the key and reads their result', async () => {
    const r = await open('POST', `/api/open/iot/devices/${pk}/oa-0001/properties`, key, { params: { threshold: 4 }, wait: 5 });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ kind: 'property_set', status: 'replied', replyCode: 200, createdByName: `接口密钥：${keyName}` });
    const again = await open('GET', `/api/open/iot/commands/${r.json().id}`, key);
    expect(again.json()).toMatchObject({ id: r.json().id, status: 'replied' });

    const call = await open('POST', `/api/open/iot/devices/${pk}/oa-0001/services/reboot`, key, { params: {} });
    expect(call.statusCode).toBe(200);
    expect(call.json()).toMatchObject({ kind: 'service', identifier: 'reboot' });
    const bad = await open('POST', `/api/open/iot/devices/${pk}/oa-0001/properties`, key, { params: { threshold: 99 } });
    expect(bad.statusCode).toBe(400);
  });

  it('leaves every call in the access log under the key name, and stamps its last use', async () => {
    await h.flushLogs();
    const logs = (await admin('GET', `/api/iot/logs/access?username=${encodeURIComponent(`接口密钥：${keyName}`)}&pageSize=100`)).json();
    const rows = logs.items as AccessLog[];
    expect(rows.some((x) => x.path === `/api/open/iot/devices?productKey=${pk}` && x.description === '第三方接口：设备列表' && x.status === 200)).toBe(true);
    expect(rows.some((x) => x.path === '/api/open/iot/ingest' && x.method === 'POST')).toBe(true);
    const oplog = (await admin('GET', '/api/system/oplogs?type=数据上报')).json();
    expect(oplog.items[0]).toMatchObject({ username: `接口密钥：${keyName}`, content: '子平台批量上报 5 条数据，涉及 3 台设备' });

    await until(async () => (await admin('GET', '/api/iot/api-keys?keyword=城管')).json().items[0].lastUsedAt !== null, 5_000, 'last use stamped');
  });

  it('describes the key scheme in the OpenAPI document', async () => {
    const doc = (await h.call('GET', '/api/docs/openapi.json')).json();
    expect(doc.components.securitySchemes.apiKey).toEqual({ type: 'apiKey', in: 'header', name: 'X-Api-Key' });
    expect(doc.paths['/api/open/iot/devices'].get.security).toEqual([{ apiKey: [] }]);
    expect(doc.paths['/api/open/iot/devices'].get.description).toBe('接口密钥权限范围：devices:read');
  });
});
