import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { Aedes } from 'aedes';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ThingModel } from '@cityops/contracts';
import { eq, sql } from 'drizzle-orm';
import { backends } from '../../test/backends.js';
import { fieldCipher } from '../../core/crypto/field.js';
import { loadKeys } from '../../core/crypto/keys.js';
import { createDevice, createProduct, freePort, startIotHarness, until, type IotHarness } from '../../test/iot-devices.js';
import { deviceDirectory } from './device-directory.js';
import { iotDevice } from './device.table.js';
import type { AcceptedMessage, DeviceRef } from './ports.js';
import { ruleActions, type RuleActions } from './rule-actions.js';
import { ruleEngine, type RuleEngine } from './rule-engine.js';

const PW = 'Chongzhou@2026';

const waterModel = ThingModel.parse({
  properties: [
    { identifier: 'level', name: '水位', dataType: { type: 'float', specs: { min: 0, max: 20, unit: 'm' } } },
    { identifier: 'tilt', name: '倾角', dataType: { type: 'float', specs: { min: 0, max: 90, unit: '°' } } },
    { identifier: 'note', name: '备注', dataType: { type: 'text', specs: { length: 50 } } },
  ],
  events: [
    { identifier: 'lid_open', name: '井盖打开', type: 'alert', outputData: [] },
    { identifier: 'heartbeat', name: '心跳', type: 'info', outputData: [] },
  ],
});

/**
 * 规则模型 and 规则实例 through the API, and each kind of rule evaluated by an engine on the same
 * database fed with accepted messages (the end-to-end path through MQTT is alarm-to-event.api.test.ts).
 */
describe.each(backends)('rule engine on %s', (backend) => {
  let h: IotHarness;
  let iotOp: string;
  let townOp: string;
  let product: { id: string; productKey: string };
  let otherProduct: { id: string };
  let devices: { id: string; deviceKey: string }[];
  let engine: RuleEngine;
  let actions: RuleActions;
  let refs: Map<string, DeviceRef>;

  const get = (url: string, token = iotOp) => h.call('GET', url, { token });
  const post = (url: string, body: unknown, token = iotOp) => h.call('POST', url, { token, body });
  const put = (url: string, body: unknown) => h.call('PUT', url, { token: iotOp, body });
  const models = async () => (await get('/api/iot/rule-models?pageSize=100')).json().items as { id: string; name: string; builtin: boolean; kind: string }[];
  const modelId = async (name: string) => (await models()).find((m) => m.name === name)!.id;
  const alarmsOf = async (ruleId: string) => (await get(`/api/iot/alarms?ruleId=${ruleId}&pageSize=100`)).json().items as Record<string, any>[];
  const newRule = async (body: Record<string, unknown>) => {
    const r = await post('/api/iot/rules', { productId: product.id, level: 'warning', ...body });
    expect(r.statusCode, r.body).toBe(200);
    // The app's engine would see the change within a second; this one is told at once.
    await engine.invalidate();
    return r.json() as { id: string; params: Record<string, unknown> };
  };
  const report = (i: number, values: Record<string, unknown>, ts: number): AcceptedMessage => ({ kind: 'property', device: refs.get(devices[i]!.id)!, values, ts });

  beforeAll(async () => {
    h = await startIotHarness(backend, { DEMO_DATA: 'true' });
    iotOp = await h.login('iot_op', PW);
    townOp = await h.login('cy_op', PW);
    product = await createProduct(h, 'rule_water', waterModel);
    otherProduct = await createProduct(h, 'rule_other', waterModel);
    devices = [await createDevice(h, product.id, 'rw-0001'), await createDevice(h, product.id, 'rw-0002')];
    await createDevice(h, otherProduct.id, 'ro-0001');

    // An engine of its own on the same database: its sweeps are called by the tests instead of timers.
    const { db } = h.database;
    const keys = await loadKeys(db);
    const directory = deviceDirectory({ db, cache: h.cache, fields: fieldCipher(keys.fieldKey, keys.blindIndexKey) });
    actions = ruleActions({ db });
    engine = ruleEngine({ db, cache: h.cache, directory, actions });
    refs = new Map();
    for (const d of devices) refs.set(d.id, (await directory.deviceById(d.id))!);
  });
  afterAll(async () => {
    await actions?.close();
    await h?.dispose();
  });

  describe('规则模型', () => {
    it('lists the five built-in models, which cannot be deleted', async () => {
      const all = await models();
      expect(all.filter((m) => m.builtin).map((m) => m.name).sort()).toEqual(['井盖倾斜变化率', '烟感火警事件', '燃气浓度超限', '水位持续超限', '设备离线'].sort());
      const gas = all.find((m) => m.name === '燃气浓度超限')!;
      expect(gas).toMatchObject({ kind: 'threshold', params: { property: 'gas_concentration', operator: '>=', value: 20 } });
      const r = await h.call('DELETE', `/api/iot/rule-models/${gas.id}`, { token: iotOp });
      expect(r.statusCode).toBe(409);
      expect(r.json().message).toBe('内置规则模型不能删除');
      expect((await put(`/api/iot/rule-models/${gas.id}`, { name: '改名', kind: 'threshold', params: gas.params ?? {} })).statusCode).toBe(400);
    });

    it('adds, edits and deletes a model of its own; names are unique and the parameters must fit the kind', async () => {
      const bad = await post('/api/iot/rule-models', { name: '高水位', kind: 'duration', params: { property: 'level', operator: '>' } });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().details.fields).toMatchObject({ 'params.value': '请输入阈值', 'params.seconds': '请输入持续秒数' });

      const made = await post('/api/iot/rule-models', { name: '高水位', kind: 'duration', params: { property: 'level', operator: '>', value: 3, seconds: 120, perMinute: 5 } });
      expect(made.statusCode).toBe(200);
      // What the kind does not use is not kept; the default action is an alarm.
      expect(made.json()).toMatchObject({ name: '高水位', builtin: false, ruleCount: 0, params: { property: 'level', operator: '>', value: 3, seconds: 120 }, actions: [{ type: 'alarm' }] });
      expect(made.json().params.perMinute).toBeUndefined();
      expect((await post('/api/iot/rule-models', { name: '高水位', kind: 'threshold', params: { property: 'level', operator: '>', value: 1 } })).statusCode).toBe(409);

      const id = made.json().id;
      const edited = await put(`/api/iot/rule-models/${id}`, { name: '超高水位', kind: 'duration', params: { property: 'level', operator: '>', value: 4, seconds: 60 }, description: '四米以上持续一分钟' });
      expect(edited.json()).toMatchObject({ name: '超高水位', params: { value: 4, seconds: 60 }, description: '四米以上持续一分钟' });
      expect((await get('/api/iot/rule-models?keyword=超高')).json().items.map((m: { name: string }) => m.name)).toEqual(['超高水位']);
      expect((await h.call('DELETE', `/api/iot/rule-models/${id}`, { token: iotOp })).statusCode).toBe(200);
      expect((await models()).some((m) => m.name === '超高水位')).toBe(false);
    });

    it('is read with 规则引擎 rights and changed only with 规则维护', async () => {
      expect((await get('/api/iot/rule-models', townOp)).statusCode).toBe(403);
      expect((await post('/api/iot/rule-models', { name: 'x', kind: 'offline', params: { minutes: 5 } }, townOp)).statusCode).toBe(403);
    });
  });

  describe('规则实例', () => {
    it('takes its kind, parameters and actions from the model unless given', async () => {
      const model = await modelId('水位持续超限');
      const rule = await newRule({ name: '一号水位', modelId: model });
      expect(rule).toMatchObject({
        name: '一号水位', modelId: model, modelName: '水位持续超限', kind: 'duration', productId: product.id, productName: '产品 rule_water',
        productKey: 'rule_water', params: { property: 'level', operator: '>', value: 2.5, seconds: 300 }, enabled: true, level: 'warning',
        condition: 'level 大于 2.5 持续 300 秒', activeAlarms: 0, deviceIds: [], devices: [],
      });
      expect((rule as any).actions.map((a: { type: string }) => a.type)).toEqual(['alarm', 'event', 'notify']);

      const own = await newRule({ name: '二号水位', modelId: model, params: { value: 3.2, seconds: 60 }, actions: [{ type: 'alarm' }], deviceIds: [devices[1]!.id], level: 'critical' });
      expect(own).toMatchObject({ params: { property: 'level', operator: '>', value: 3.2, seconds: 60 }, actions: [{ type: 'alarm' }], level: 'critical', devices: [{ id: devices[1]!.id, deviceKey: 'rw-0002' }] });
    });

    it('refuses what the product does not have', async () => {
      const noProp = await post('/api/iot/rules', { name: '燃气', productId: product.id, modelId: await modelId('燃气浓度超限') });
      expect(noProp.statusCode).toBe(400);
      expect(noProp.json()).toMatchObject({ message: '产品物模型中没有属性“gas_concentration”', details: { fields: { 'params.property': '产品物模型中没有该属性' } } });

      const text = await post('/api/iot/rules', { name: '备注', productId: product.id, kind: 'threshold', params: { property: 'note', operator: '==', value: 1 } });
      expect(text.statusCode).toBe(400);
      expect(text.json().details.fields['params.property']).toBe('请选择数值、布尔或枚举类型的属性');

      const noEvent = await post('/api/iot/rules', { name: '烟感', productId: product.id, modelId: await modelId('烟感火警事件') });
      expect(noEvent.json().message).toBe('产品物模型中没有事件“fire_alarm”');

      const [foreign] = (await get(`/api/iot/devices?productId=${otherProduct.id}`)).json().items;
      const wrongDevice = await post('/api/iot/rules', { name: '别的设备', productId: product.id, kind: 'offline', params: { minutes: 5 }, deviceIds: [foreign.id] });
      expect(wrongDevice.json()).toMatchObject({ message: '所选设备不属于该产品或不存在' });

      const neither = await post('/api/iot/rules', { name: '无类型', productId: product.id });
      expect(neither.statusCode).toBe(400);
      const twice = await post('/api/iot/rules', { name: '两次告警', productId: product.id, kind: 'offline', params: { minutes: 5 }, actions: [{ type: 'alarm' }, { type: 'alarm' }] });
      expect(twice.json().message).toBe('同一种动作只能配置一次');
      const badType = await post('/api/iot/rules', { name: '坏类型', productId: product.id, kind: 'offline', params: { minutes: 5 }, actions: [{ type: 'event', typeCode: 'urban' }] });
      expect(badType.statusCode).toBe(400);
      expect(badType.json().message).toContain('事件类型不可用');
    });

    it('lists by product, state and name; edits; enables, disables and deletes in batches', async () => {
      const r = await newRule({ name: '临时倾角', kind: 'rate', params: { property: 'tilt', perMinute: 5 } });
      expect((await get(`/api/iot/rules?productId=${product.id}&keyword=临时`)).json()).toMatchObject({ total: 1, items: [{ id: r.id, condition: 'tilt 每分钟变化超过 5' }] });

      const edited = await put(`/api/iot/rules/${r.id}`, { name: '临时倾角', productId: product.id, params: { property: 'tilt', perMinute: 8 }, actions: [{ type: 'alarm' }], level: 'info', enabled: true });
      expect(edited.json()).toMatchObject({ params: { perMinute: 8 }, level: 'info', kind: 'rate' });

      const off = await post('/api/iot/rules/batch-disable', { ids: [r.id, '00000000-0000-4000-8000-000000000000'] });
      expect(off.json()).toMatchObject({ succeeded: 1, failed: 1, results: [{ id: r.id, ok: true }, { ok: false, message: '规则不存在' }] });
      expect((await get(`/api/iot/rules?productId=${product.id}&enabled=false`)).json().items.map((x: { id: string }) => x.id)).toEqual([r.id]);
      expect((await post('/api/iot/rules/batch-enable', { ids: [r.id] })).json().succeeded).toBe(1);
      expect((await get(`/api/iot/rules/${r.id}`)).json().enabled).toBe(true);

      expect((await post('/api/iot/rules/batch-delete', { ids: [r.id] })).json().succeeded).toBe(1);
      expect((await get(`/api/iot/rules/${r.id}`)).statusCode).toBe(404);
      expect((await post('/api/iot/rules/batch-delete', { ids: [r.id] }, townOp)).statusCode).toBe(403);
    });

    it('规则测试 says whether a sample would fire', async () => {
      const fires = await post('/api/iot/rules/test', { kind: 'threshold', params: { property: 'level', operator: '>', value: 2.5 }, sample: { value: 3 } });
      expect(fires.json()).toEqual({ fires: true, message: '3 大于 2.5，触发告警' });
      const quiet = await post('/api/iot/rules/test', { kind: 'offline', params: { minutes: 30 }, sample: { silentMinutes: 5 } });
      expect(quiet.json()).toEqual({ fires: false, message: '已离线 5 分钟（限值 30 分钟），不触发' });
    });
  });

  describe('evaluation', () => {
    const T = Date.now() - 3600_000;

    it('duration: fires once the level has held long enough, clears when it falls', async () => {
      const rule = await newRule({ name: '水位一分钟', kind: 'duration', params: { property: 'level', operator: '>', value: 3, seconds: 60 }, actions: [{ type: 'alarm' }], deviceIds: [devices[0]!.id] });
      await engine.handle(report(0, { level: 3.5 }, T));
      await engine.handle(report(0, { level: 3.6 }, T + 30_000));
      expect(await alarmsOf(rule.id)).toEqual([]);
      await engine.handle(report(0, { level: 3.7 }, T + 61_000));
      const [alarm] = await alarmsOf(rule.id);
      expect(alarm).toMatchObject({ status: 'active', title: '设备 rw-0001水位一分钟', level: 'warning', deviceKey: 'rw-0001', productName: '产品 rule_water' });
      expect(alarm.detail).toMatchObject({ kind: 'duration', value: 3.7, heldSeconds: 61, condition: 'level 大于 3 持续 60 秒' });
      // Still high: the same episode, no second alarm.
      await engine.handle(report(0, { level: 3.9 }, T + 120_000));
      expect(await alarmsOf(rule.id)).toHaveLength(1);
      await engine.handle(report(0, { level: 2 }, T + 130_000));
      const [cleared] = await alarmsOf(rule.id);
      expect(cleared).toMatchObject({ status: 'cleared', detail: { clearedBy: 'rule', clearValue: 2 } });
      expect(cleared.clearedAt).toBeTruthy();
    });

    it('duration: the sweep fires for a device that went silent while the condition held', async () => {
      const rule = await newRule({ name: '水位静默', kind: 'duration', params: { property: 'level', operator: '>', value: 3, seconds: 60 }, actions: [{ type: 'alarm' }], deviceIds: [devices[1]!.id] });
      const since = Date.now() - 45_000;
      await engine.handle(report(1, { level: 4 }, since));
      await engine.sweepDurations();
      expect(await alarmsOf(rule.id)).toEqual([]);
      await engine.sweepDurations(since + 61_000);
      const [alarm] = await alarmsOf(rule.id);
      expect(alarm.detail).toMatchObject({ kind: 'duration', value: 4, note: '条件成立后设备未再上报，持续时长到期' });
      await engine.sweepDurations(since + 200_000);
      expect(await alarmsOf(rule.id)).toHaveLength(1);
    });

    it('rate: the change per minute between the last two reports', async () => {
      const rule = await newRule({ name: '倾角突变', kind: 'rate', params: { property: 'tilt', perMinute: 10 }, actions: [{ type: 'alarm' }], deviceIds: [devices[0]!.id] });
      await engine.handle(report(0, { tilt: 2 }, T));
      await engine.handle(report(0, { tilt: 6 }, T + 60_000));
      expect(await alarmsOf(rule.id)).toEqual([]);
      await engine.handle(report(0, { tilt: 26 }, T + 90_000));
      const [alarm] = await alarmsOf(rule.id);
      expect(alarm.detail).toMatchObject({ kind: 'rate', value: 26, previousValue: 6, ratePerMinute: 40, perMinute: 10 });
      await engine.handle(report(0, { tilt: 27 }, T + 150_000));
      expect((await alarmsOf(rule.id))[0].status).toBe('cleared');
    });

    it('event: each matching event while the alarm is open is counted on it', async () => {
      const rule = await newRule({ name: '井盖开启', kind: 'event', params: { event: 'lid_open' }, actions: [{ type: 'alarm' }] });
      const ev = (identifier: string, level: 'info' | 'alert'): AcceptedMessage => ({ kind: 'event', device: refs.get(devices[1]!.id)!, identifier, level, output: {}, ts: Date.now() });
      await engine.handle(ev('heartbeat', 'info'));
      expect(await alarmsOf(rule.id)).toEqual([]);
      await engine.handle(ev('lid_open', 'alert'));
      await engine.handle(ev('lid_open', 'alert'));
      const alarms = await alarmsOf(rule.id);
      expect(alarms).toHaveLength(1);
      expect(alarms[0]!.detail).toMatchObject({ kind: 'event', event: 'lid_open', eventLevel: 'alert', occurrences: 2 });
    });

    it('offline: devices offline for too long, once per episode; back online clears it', async () => {
      const rule = await newRule({ name: '离线十分钟', kind: 'offline', params: { minutes: 10 }, actions: [{ type: 'alarm' }] });
      const { db } = h.database;
      const [a, b] = devices;
      await db.update(iotDevice).set({ status: 'offline', offlineAt: new Date(Date.now() - 11 * 60_000) }).where(eq(iotDevice.id, a!.id));
      await db.update(iotDevice).set({ status: 'offline', offlineAt: new Date(Date.now() - 3 * 60_000) }).where(eq(iotDevice.id, b!.id));
      await engine.sweepOffline();
      let alarms = await alarmsOf(rule.id);
      expect(alarms.map((x) => x.deviceKey)).toEqual(['rw-0001']);
      expect(alarms[0]!.detail).toMatchObject({ kind: 'offline', minutes: 10, condition: '离线超过 10 分钟' });

      // A person clears it while the device is still offline: the same episode does not come back.
      expect((await post(`/api/iot/alarms/${alarms[0]!.id}/clear`, { note: '已安排巡检' })).statusCode).toBe(200);
      await engine.sweepOffline();
      expect(await alarmsOf(rule.id)).toHaveLength(1);

      // A new episode: back online (the sweep clears), then offline again for long.
      await db.update(iotDevice).set({ status: 'offline', offlineAt: new Date(Date.now() - 20 * 60_000) }).where(eq(iotDevice.id, b!.id));
      await engine.sweepOffline();
      alarms = await alarmsOf(rule.id);
      expect(alarms.filter((x) => x.status === 'active').map((x) => x.deviceKey)).toEqual(['rw-0002']);
      await db.update(iotDevice).set({ status: 'online' }).where(eq(iotDevice.id, b!.id));
      await engine.sweepOffline();
      const back = (await alarmsOf(rule.id)).find((x) => x.deviceKey === 'rw-0002')!;
      expect(back).toMatchObject({ status: 'cleared', detail: { clearedBy: 'rule', clearReason: '设备已恢复在线' } });
      await db.execute(sql`update iot_device set status = 'online' where product_id = ${product.id}`);
    });

    it('forwards the alarm over HTTP (with one retry) and MQTT, and records each outcome on it', async () => {
      // A receiver that fails the first attempt, and an MQTT broker with a subscriber.
      const posts: { body: string; type?: string; token?: string }[] = [];
      const receiver = http.createServer((req, res) => {
        let body = '';
        req.on('data', (c) => (body += c));
        req.on('end', () => {
          posts.push({ body, type: req.headers['content-type'], token: req.headers['x-token'] as string | undefined });
          res.statusCode = posts.length === 1 ? 503 : 200;
          res.end('{}');
        });
      });
      await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
      const httpUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/alarms`;
      const broker = await Aedes.createBroker();
      const mqttServer = net.createServer(broker.handle);
      const mqttPort = await freePort();
      await new Promise<void>((r) => mqttServer.listen(mqttPort, '127.0.0.1', r));
      const subscriber = await mqtt.connectAsync(`mqtt://127.0.0.1:${mqttPort}`, { reconnectPeriod: 0 });
      const got: { topic: string; body: Record<string, any> }[] = [];
      subscriber.on('message', (topic, payload) => got.push({ topic, body: JSON.parse(payload.toString()) }));
      await subscriber.subscribeAsync('city/alarms/#', { qos: 1 });
      const closed = await freePort();
      try {
        const rule = await newRule({
          name: '水位转发', kind: 'threshold', params: { property: 'level', operator: '>=', value: 15 }, deviceIds: [devices[0]!.id],
          actions: [
            { type: 'alarm' },
            { type: 'http', url: httpUrl, headers: { 'x-token': 'abc' } },
            { type: 'mqtt', url: `mqtt://127.0.0.1:${mqttPort}`, topic: 'city/alarms/{pk}/{dk}' },
          ],
        });
        const broken = await newRule({
          name: '水位转发失败', kind: 'threshold', params: { property: 'level', operator: '>=', value: 15 }, deviceIds: [devices[0]!.id],
          actions: [{ type: 'http', url: `http://127.0.0.1:${closed}/x`, headers: {} }],
        });
        await engine.handle(report(0, { level: 16 }, Date.now()));
        await actions.idle();

        const [alarm] = await alarmsOf(rule.id);
        expect(alarm!.detail.actions.map((a: { type: string; ok: boolean; message: string }) => [a.type, a.ok, a.message])).toEqual([
          ['http', true, 'HTTP 200（重试后成功）'],
          ['mqtt', true, '已发布到 city/alarms/rule_water/rw-0001'],
        ]);
        expect(posts).toHaveLength(2);
        expect(posts[1]).toMatchObject({ type: 'application/json', token: 'abc' });
        expect(JSON.parse(posts[1]!.body)).toMatchObject({ alarmId: alarm!.id, title: '设备 rw-0001水位转发', status: 'active', rule: { id: rule.id, kind: 'threshold' }, device: { deviceKey: 'rw-0001', productKey: 'rule_water' }, detail: { value: 16 } });
        await until(() => got.length > 0, 5000, 'the MQTT forward');
        expect(got[0]).toMatchObject({ topic: 'city/alarms/rule_water/rw-0001', body: { alarmId: alarm!.id, title: '设备 rw-0001水位转发' } });

        const [failed] = await alarmsOf(broken.id);
        expect(failed!.detail.actions).toMatchObject([{ type: 'http', ok: false, message: expect.stringMatching(/^转发失败：无法连接.*（已重试 1 次）$/) }]);
        await post('/api/iot/rules/batch-disable', { ids: [rule.id, broken.id] });
      } finally {
        await subscriber.endAsync();
        await actions.close();
        await new Promise<void>((r) => broker.close(() => r()));
        await new Promise((r) => mqttServer.close(r));
        receiver.closeAllConnections();
        await new Promise((r) => receiver.close(r));
      }
    });

    it('a disabled rule ends its open alarms and evaluates nothing', async () => {
      const rule = await newRule({ name: '高水位即报', kind: 'threshold', params: { property: 'level', operator: '>=', value: 5 }, actions: [{ type: 'alarm' }] });
      await engine.handle(report(0, { level: 6 }, Date.now()));
      expect((await alarmsOf(rule.id))[0]).toMatchObject({ status: 'active' });
      expect((await get(`/api/iot/rules/${rule.id}`)).json().activeAlarms).toBe(1);
      await post('/api/iot/rules/batch-disable', { ids: [rule.id] });
      expect((await alarmsOf(rule.id))[0]).toMatchObject({ status: 'cleared', detail: { clearedBy: 'rule-disabled', clearReason: '规则已停用' } });
      await engine.invalidate();
      await engine.handle(report(1, { level: 7 }, Date.now()));
      expect(await alarmsOf(rule.id)).toHaveLength(1);
    });
  });
});
