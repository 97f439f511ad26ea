import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ThingModel } from '@cityops/contracts';
import { loadConfig } from '../../core/config.js';
import { backends, freshPostgres } from '../../test/backends.js';
import { createDevice, createProduct, freePort, startIotHarness, TestDevice, until, type IotHarness } from '../../test/iot-devices.js';
import { startBrokerNode, type BrokerNode } from './broker-node.js';

const model = ThingModel.parse({
  properties: [
    { identifier: 'level', name: '水位', dataType: { type: 'float', specs: { min: 0, max: 20, unit: 'm' } } },
    { identifier: 'threshold', name: '告警阈值', accessMode: 'rw', dataType: { type: 'float', specs: { min: 0, max: 10, unit: 'm' } } },
    { identifier: 'interval', name: '上报间隔', accessMode: 'rw', dataType: { type: 'int', specs: { min: 10, max: 3600, unit: 's' } } },
  ],
  services: [
    { identifier: 'selfCheck', name: '设备自检', callType: 'sync', inputData: [{ identifier: 'depth', name: '自检深度', dataType: { type: 'enum', specs: { enum: { 1: '快速', 2: '完整' } } } }], outputData: [{ identifier: 'result', name: '结果', dataType: { type: 'text' } }] },
    { identifier: 'reboot', name: '重启', callType: 'async', inputData: [{ identifier: 'delay', name: '延时', dataType: { type: 'int', specs: { min: 0, max: 60 } } }] },
  ],
});

describe.each(backends)('指令下发 on %s', (backend) => {
  let h: IotHarness;
  let deviceId: string;
  let device: TestDevice;
  const pk = 'wl_cmd';
  const dk = 'wl-0001';
  /** The device answers every set and service call, unless told to stay silent. */
  let silent = false;

  const post = (url: string, body: unknown) => h.call('POST', url, { token: h.admin, body });
  const get = (url: string) => h.call('GET', url, { token: h.admin });
  const command = async (id: string) => (await get(`/api/iot/commands/${id}`)).json();
  const settled = async (id: string) => {
    let c: { status: string } = { status: 'sent' };
    await until(async () => (c = await command(id)).status !== 'sent', 10_000, `command ${id} to settle`);
    return c as Record<string, unknown>;
  };

  beforeAll(async () => {
    h = await startIotHarness(backend, { IOT_COMMAND_TIMEOUT_SECONDS: '2' });
    const product = await createProduct(h, pk, model);
    const d = await createDevice(h, product.id, dk);
    deviceId = d.id;
    device = new TestDevice(h.mqttPort, pk, dk, d.secret);
    device.answer = (m) => {
      if (silent || m.topic.endsWith('_reply')) return undefined;
      const data = m.topic.endsWith('/selfCheck') ? { result: m.body.params.depth === 2 ? '完整自检通过' : '快速自检通过' } : {};
      return { topic: `${m.topic}_reply`, body: { id: m.body.id, code: 200, data } };
    };
    await device.connect();
    await until(async () => (await get(`/api/iot/devices/${deviceId}`)).json().status === 'online', 10_000, 'device online');
  });
  afterAll(async () => {
    await device?.close();
    await h?.dispose();
  });

  it('sets writable properties: the device gets them on its topic, replies, and the command is replied with its latency', async () => {
    const before = device.received.length;
    const r = await post(`/api/iot/devices/${deviceId}/properties`, { params: { threshold: 3.5, interval: 60 } });
    expect(r.statusCode).toBe(200);
    const sent = r.json();
    expect(sent).toMatchObject({ kind: 'property_set', identifier: '', params: { threshold: 3.5, interval: 60 }, createdByName: expect.any(String) });
    expect(['sent', 'replied']).toContain(sent.status);

    const m = await device.next('/thing/property/set', before);
    expect(m.topic).toBe(`/sys/${pk}/${dk}/thing/property/set`);
    expect(m.body).toMatchObject({ id: sent.msgId, params: { threshold: 3.5, interval: 60 } });

    const done = await settled(sent.id);
    expect(done).toMatchObject({ status: 'replied', replyCode: 200, reason: null });
    expect(done.latencyMs).toEqual(expect.any(Number));
    expect(done.latencyMs as number).toBeGreaterThanOrEqual(0);
    expect(done.repliedAt).toEqual(expect.any(String));
  });

  it('answers with the reply when the caller waits for it', async () => {
    const r = await post(`/api/iot/devices/${deviceId}/properties`, { params: { interval: 120 }, wait: 5 });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ status: 'replied', replyCode: 200 });
  });

  it('refuses read-only properties and values outside the thing model, naming each field', async () => {
    const ro = await post(`/api/iot/devices/${deviceId}/properties`, { params: { level: 2 } });
    expect(ro.statusCode).toBe(400);
    expect(ro.json().details.fields).toEqual({ 'params.level': '该属性只读，不能设置' });

    const range = await post(`/api/iot/devices/${deviceId}/properties`, { params: { threshold: 12, interval: 'fast' } });
    expect(range.statusCode).toBe(400);
    expect(range.json().message).toContain('参数不符合物模型');
    expect(range.json().details.fields).toEqual({ 'params.threshold': '不能大于 10m', 'params.interval': '应为数值' });

    const empty = await post(`/api/iot/devices/${deviceId}/properties`, { params: {} });
    expect(empty.statusCode).toBe(400);
  });

  it('calls a sync service and returns its output', async () => {
    const r = await post(`/api/iot/devices/${deviceId}/services/selfCheck`, { params: { depth: 2 } });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ kind: 'service', identifier: 'selfCheck', status: 'replied', replyCode: 200, reply: { result: '完整自检通过' } });
    expect(device.received.some((m) => m.topic === `/sys/${pk}/${dk}/thing/service/selfCheck` && m.body.params.depth === 2)).toBe(true);
  });

  it('refuses a service call with invalid input or an unknown service', async () => {
    const bad = await post(`/api/iot/devices/${deviceId}/services/selfCheck`, { params: { depth: 9 } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details.fields['params.depth']).toContain('应为枚举值之一');

    const missing = await post(`/api/iot/devices/${deviceId}/services/reboot`, { params: {} });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().details.fields).toEqual({ 'params.delay': '缺少必填参数' });

    const unknown = await post(`/api/iot/devices/${deviceId}/services/selfDestruct`, { params: {} });
    expect(unknown.statusCode).toBe(404);

    const wait = await post(`/api/iot/devices/${deviceId}/services/reboot`, { params: { delay: 1 }, wait: 31 });
    expect(wait.statusCode).toBe(400);
  });

  it('times out a command the device does not answer, and traces it', async () => {
    silent = true;
    try {
      // Async: answered at once, timed out by the sweep after IOT_COMMAND_TIMEOUT_SECONDS.
      const r = await post(`/api/iot/devices/${deviceId}/services/reboot`, { params: { delay: 5 } });
      expect(r.json().status).toBe('sent');
      const done = await settled(r.json().id);
      expect(done).toMatchObject({ status: 'timeout', reason: '设备未在规定时间内回复', replyCode: null });

      // Sync: the caller gets the timeout when its wait is over.
      const t0 = Date.now();
      const sync = await post(`/api/iot/devices/${deviceId}/services/selfCheck`, { params: { depth: 1 }, wait: 1 });
      expect(sync.json()).toMatchObject({ status: 'timeout', reason: '设备未在规定时间内回复' });
      expect(Date.now() - t0).toBeGreaterThanOrEqual(900);

      await until(async () => {
        const trace = await get(`/api/iot/messages?deviceId=${deviceId}&result=timeout`);
        return trace.statusCode === 200 && trace.json().items.some((x: { msgId: string }) => x.msgId === r.json().msgId);
      }, 5000, 'timeout trace');
    } finally {
      silent = false;
    }
  });

  it('refuses a sync call to an offline device and queues an async one until it connects', async () => {
    await device.close();
    await until(async () => (await get(`/api/iot/devices/${deviceId}`)).json().status === 'offline', 10_000, 'device offline');

    const sync = await post(`/api/iot/devices/${deviceId}/services/selfCheck`, { params: { depth: 1 } });
    expect(sync.statusCode).toBe(409);
    expect(sync.json().message).toContain('设备离线');
    const waited = await post(`/api/iot/devices/${deviceId}/properties`, { params: { interval: 30 }, wait: 3 });
    expect(waited.statusCode).toBe(409);

    const queued = await post(`/api/iot/devices/${deviceId}/services/reboot`, { params: { delay: 0 } });
    expect(queued.statusCode).toBe(200);
    expect(queued.json()).toMatchObject({ status: 'queued', sentAt: null });

    const before = device.received.length;
    await device.connect();
    const m = await device.next('/thing/service/reboot', before);
    expect(m.body).toMatchObject({ id: queued.json().msgId, params: { delay: 0 } });
    expect(await settled(queued.json().id)).toMatchObject({ status: 'replied', replyCode: 200 });
  });

  it('refuses commands to a device that reports over HTTP, which never holds a connection, and queues nothing', async () => {
    const httpProduct = await h.call('POST', '/api/iot/products', { token: h.admin, body: { name: '产品 wl_cmd_http', category: 'other', productKey: 'wl_cmd_http', protocol: 'http', thingModel: model } });
    expect(httpProduct.statusCode).toBe(200);
    const d = await createDevice(h, httpProduct.json().id, 'wl-http-0001');
    const r = await post(`/api/iot/devices/${d.id}/services/reboot`, { params: { delay: 0 } });
    expect(r.statusCode).toBe(409);
    expect(r.json().message).toBe('该设备通过 HTTP 上报数据，平台无法向其下发指令');
    expect((await get(`/api/iot/devices/${d.id}/commands`)).json().total).toBe(0);
  });

  it('records a failure code the device replies with', async () => {
    const saved = device.answer;
    device.answer = (m) => (m.topic.endsWith('/property/set') ? { topic: `${m.topic}_reply`, body: { id: m.body.id, code: 460, data: { message: '阈值写入失败' } } } : undefined);
    try {
      const r = await post(`/api/iot/devices/${deviceId}/properties`, { params: { threshold: 1 }, wait: 5 });
      expect(r.json()).toMatchObject({ status: 'failed', replyCode: 460, reason: '设备返回错误码 460：阈值写入失败' });
    } finally {
      device.answer = saved;
    }
  });

  it('lists the device\'s commands, newest first, by kind and status', async () => {
    const all = (await get(`/api/iot/devices/${deviceId}/commands?pageSize=50`)).json();
    // Refused calls leave no command: 2 property sets, 1 failed set, 2 self-checks, 2 reboots.
    expect(all.total).toBe(7);
    const times = all.items.map((c: { createdAt: string }) => c.createdAt);
    expect([...times].sort().reverse()).toEqual(times);

    const timeouts = (await get(`/api/iot/devices/${deviceId}/commands?status=timeout`)).json();
    expect(timeouts.total).toBe(2);
    expect(timeouts.items.every((c: { status: string }) => c.status === 'timeout')).toBe(true);

    const services = (await get(`/api/iot/devices/${deviceId}/commands?kind=service&identifier=reboot`)).json();
    expect(services.items.map((c: { identifier: string }) => c.identifier)).toEqual(expect.arrayContaining(['reboot']));
    expect(services.items.every((c: { identifier: string }) => c.identifier === 'reboot')).toBe(true);

    expect((await get('/api/iot/commands/00000000-0000-0000-0000-000000000000')).statusCode).toBe(404);
    expect((await post('/api/iot/devices/00000000-0000-0000-0000-000000000000/properties', { params: { threshold: 1 } })).statusCode).toBe(404);
  });
});

// A device held by a broker-only node: the command goes there through the database, the reply comes
// back through that node's ingest, and the API node answers from the row.
describe.runIf(backends.includes('postgres'))('指令下发 through a broker node on postgres', () => {
  let h: IotHarness;
  let pg: Awaited<ReturnType<typeof freshPostgres>>;
  let node: BrokerNode;
  let nodeDir: string;
  let device: TestDevice;
  let deviceId: string;
  const pk = 'wl_node';
  const dk = 'wl-node-01';

  const post = (url: string, body: unknown) => h.call('POST', url, { token: h.admin, body });
  const get = (url: string) => h.call('GET', url, { token: h.admin });

  beforeAll(async () => {
    pg = await freshPostgres();
    h = await startIotHarness('postgres', {}, { postgresUrl: pg.url });
    nodeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityops-node-'));
    const nodePort = await freePort();
    node = await startBrokerNode(loadConfig({
      DATABASE_URL: pg.url, DATA_DIR: nodeDir, LOG_LEVEL: 'silent', IOT_MQTT_PORT: String(nodePort), IOT_MQTT_HOST: '127.0.0.1', DEMO_IOT: 'false',
    }));
    const product = await createProduct(h, pk, model);
    const d = await createDevice(h, product.id, dk);
    deviceId = d.id;
    device = new TestDevice(nodePort, pk, dk, d.secret);
    device.answer = (m) => (m.topic.endsWith('_reply') ? undefined : { topic: `${m.topic}_reply`, body: { id: m.body.id, code: 200, data: { result: '快速自检通过' } } });
  });
  afterAll(async () => {
    await device?.close();
    await node?.close();
    await h?.dispose();
    await pg?.drop();
    if (nodeDir) fs.rmSync(nodeDir, { recursive: true, force: true });
  });

  it('sends a command queued while the device was offline once it connects to the broker node', async () => {
    const queued = await post(`/api/iot/devices/${deviceId}/services/reboot`, { params: { delay: 3 } });
    expect(queued.json().status).toBe('queued');
    await device.connect();
    const m = await device.next('/thing/service/reboot');
    expect(m.body.id).toBe(queued.json().msgId);
    await until(async () => (await get(`/api/iot/commands/${queued.json().id}`)).json().status === 'replied', 10_000, 'queued command replied');
  });

  it('answers a sync call with the reply the broker node received', async () => {
    await until(async () => (await get(`/api/iot/devices/${deviceId}`)).json().status === 'online', 10_000, 'device online');
    const r = await post(`/api/iot/devices/${deviceId}/services/selfCheck`, { params: { depth: 1 } });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ status: 'replied', replyCode: 200, reply: { result: '快速自检通过' } });
  });
});
