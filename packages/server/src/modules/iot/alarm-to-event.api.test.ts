import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ThingModel } from '@cityops/contracts';
import { backends, freshPostgres } from '../../test/backends.js';
import { ADMIN_PASSWORD, startHarness } from '../../test/harness.js';
import { startIotHarness, startTestBrokerNode, TestDevice, until, type IotHarness, type TestBrokerNode } from '../../test/iot-devices.js';

const PW = 'Chongzhou@2026';

const gasModel = ThingModel.parse({
  properties: [
    { identifier: 'gas_concentration', name: '燃气浓度', dataType: { type: 'float', specs: { min: 0, max: 100, unit: '%LEL' } } },
    { identifier: 'valve_state', name: '阀门状态', dataType: { type: 'enum', specs: { enum: { 0: '关闭', 1: '打开' } } } },
  ],
});
const smokeModel = ThingModel.parse({
  properties: [{ identifier: 'smoke_density', name: '烟雾浓度', dataType: { type: 'float', specs: { min: 0, max: 10, unit: 'dB/m' } } }],
  events: [{ identifier: 'fire_alarm', name: '火警', type: 'alert', outputData: [{ identifier: 'smoke_density', name: '烟雾浓度', dataType: { type: 'float' } }] }],
});

/**
 * A gas detector on the embedded broker reports over the threshold: the alarm and an event of the
 * hub (a to-do of the device's town 城运中心, created by 物联感知平台) follow within a second; the
 * normal value ends the alarm. Then 确认 / 解除, the export, test-mode devices and device events.
 */
describe.each(backends)('alarm to event on %s', (backend) => {
  let h: IotHarness;
  let iotOp: string;
  let townOp: string;
  let otherTownOp: string;
  let townOrgId: string;
  let gasRuleId: string;
  let gas: TestDevice;
  let testGas: TestDevice;
  let smoke: TestDevice;

  const get = (url: string, token = iotOp) => h.call('GET', url, { token });
  const post = (url: string, body: unknown, token = iotOp) => h.call('POST', url, { token, body });
  const ok = async (method: 'POST' | 'PUT', url: string, body: unknown, token = h.admin) => {
    const r = await h.call(method, url, { token, body });
    if (r.statusCode !== 200) throw new Error(`${method} ${url} → ${r.statusCode} ${r.body}`);
    return r.json();
  };
  const alarmsOf = async (q: string) => (await get(`/api/iot/alarms?${q}&pageSize=100`)).json().items as Record<string, any>[];
  const todos = async (token: string) => (await get('/api/events/todos?box=handle&pageSize=100', token)).json().items as Record<string, any>[];
  const property = (d: TestDevice, params: Record<string, unknown>) =>
    d.publish(`/sys/${d.productKey}/${d.deviceKey}/thing/property/post`, { id: String(Date.now()), params });

  /** A device of the town, with its place, connected to the broker. */
  async function device(productId: string, productKey: string, deviceKey: string, name: string, testMode = false) {
    const r = await ok('POST', '/api/iot/devices', {
      productId, deviceKey, name, orgId: townOrgId, regionCode: '510184001', lng: 103.672, lat: 30.631, address: '崇阳街道蜀州中路 88 号', testMode,
    });
    const d = new TestDevice(h.mqttPort, productKey, deviceKey, r.secret);
    await d.connect();
    return d;
  }

  beforeAll(async () => {
    h = await startIotHarness(backend, { DEMO_DATA: 'true' });
    iotOp = await h.login('iot_op', PW);
    townOp = await h.login('cy_op', PW);
    otherTownOp = await h.login('ym_op', PW);
    townOrgId = (await get('/api/auth/me', townOp)).json().user.orgId;

    const gasProduct = await ok('POST', '/api/iot/products', { name: '燃气报警器', category: 'gas', productKey: 'gas_e2e', thingModel: gasModel });
    const smokeProduct = await ok('POST', '/api/iot/products', { name: '点型光电烟火灾探测器', category: 'smoke', productKey: 'smoke_e2e', thingModel: smokeModel });
    const models = (await get('/api/iot/rule-models?pageSize=100')).json().items as { id: string; name: string }[];
    const model = (name: string) => models.find((m) => m.name === name)!.id;
    gasRuleId = (await ok('POST', '/api/iot/rules', { name: '燃气浓度超限', modelId: model('燃气浓度超限'), productId: gasProduct.id, level: 'critical' }, iotOp)).id;
    await ok('POST', '/api/iot/rules', { name: '火警', modelId: model('烟感火警事件'), productId: smokeProduct.id, level: 'critical' }, iotOp);

    gas = await device(gasProduct.id, 'gas_e2e', 'gas-0001', '蜀州中路燃气报警器');
    testGas = await device(gasProduct.id, 'gas_e2e', 'gas-test', '调试燃气报警器', true);
    smoke = await device(smokeProduct.id, 'smoke_e2e', 'smoke-0001', '蜀州中路烟感');
    // Rules created a moment ago: every node reloads them within a second.
    await new Promise((r) => setTimeout(r, 1100));
  });
  afterAll(async () => {
    await Promise.all([gas?.close(), testGas?.close(), smoke?.close()]);
    await h?.dispose();
  });

  it('a report over the threshold makes an alarm and a hub event within a second', async () => {
    await property(gas, { gas_concentration: 8, valve_state: 1 });
    expect(await alarmsOf(`ruleId=${gasRuleId}`)).toEqual([]);

    const t0 = Date.now();
    await property(gas, { gas_concentration: 35.5 });
    let alarm: Record<string, any> | undefined;
    await until(async () => !!(alarm = (await alarmsOf(`ruleId=${gasRuleId}&keyword=gas-0001`))[0])?.eventNo, 5000, 'alarm with its event');
    const elapsed = Date.now() - t0;
    expect(elapsed).toBeLessThan(1000);

    expect(alarm).toMatchObject({
      status: 'active', level: 'critical', title: '蜀州中路燃气报警器燃气浓度超限', ruleName: '燃气浓度超限', deviceKey: 'gas-0001',
      productName: '燃气报警器', orgName: '崇阳街道城运中心', eventId: expect.any(String), eventNo: expect.stringMatching(/^WL\d{14}$/),
    });
    expect(alarm!.detail).toMatchObject({ kind: 'threshold', property: 'gas_concentration', value: 35.5, threshold: 20, condition: 'gas_concentration 大于等于 20' });
    expect(alarm!.detail.actions.map((a: { type: string; ok: boolean }) => [a.type, a.ok])).toEqual([['event', true], ['notify', true]]);

    // The event: source 物联告警, a gas leak at the device's place, created by the platform account for the town.
    const detail = (await get(`/api/events/${alarm!.eventId}`, townOp)).json();
    expect(detail.event).toMatchObject({
      no: alarm!.eventNo, title: '蜀州中路燃气报警器燃气浓度超限', source: 'iot', typeCode: 'emergency.accident.gas-leak', status: 'processing',
      regionCode: '510184001', address: '崇阳街道蜀州中路 88 号', lng: 103.672, lat: 30.631, creatorName: '物联感知平台', creatorOrgName: '崇阳街道城运中心',
    });
    expect(detail.event.content).toContain('燃气浓度 35.5%LEL');
    expect(detail.event.content).toContain(`物联告警编号 ${alarm!.id}`);
    // The account behind it cannot be used to log in.
    expect((await h.call('POST', '/api/auth/login', { body: { username: 'iot-platform', password: 'Chongzhou@2026' } })).statusCode).not.toBe(200);
  });

  it('the event is a to-do of the device’s organisation only; its people got a message', async () => {
    const [alarm] = await alarmsOf(`ruleId=${gasRuleId}&keyword=gas-0001`);
    const mine = (await todos(townOp)).find((t) => t.eventId === alarm!.eventId);
    expect(mine).toMatchObject({ no: alarm!.eventNo, title: '蜀州中路燃气报警器燃气浓度超限', source: 'iot', status: 'todo', via: 'initiate', role: 'main' });
    expect((await todos(otherTownOp)).some((t) => t.eventId === alarm!.eventId)).toBe(false);

    const messages = (await get('/api/messages?pageSize=50', townOp)).json().items as Record<string, any>[];
    expect(messages.find((m) => m.kind === 'iot_alarm')).toMatchObject({
      title: '物联告警：蜀州中路燃气报警器燃气浓度超限', eventId: alarm!.eventId, content: expect.stringContaining(`已生成事件 ${alarm!.eventNo}`),
    });
    expect(((await get('/api/messages?pageSize=50', otherTownOp)).json().items as { kind: string }[]).some((m) => m.kind === 'iot_alarm')).toBe(false);
  });

  it('a higher value in the same episode makes nothing new; the normal value clears the alarm, the event stays', async () => {
    await property(gas, { gas_concentration: 60 });
    expect(await alarmsOf(`ruleId=${gasRuleId}&keyword=gas-0001`)).toHaveLength(1);
    await property(gas, { gas_concentration: 4 });
    const [alarm] = await alarmsOf(`ruleId=${gasRuleId}&keyword=gas-0001`);
    expect(alarm).toMatchObject({ status: 'cleared', detail: { clearedBy: 'rule', clearValue: 4 } });
    expect((await todos(townOp)).some((t) => t.eventId === alarm!.eventId)).toBe(true);

    // The next episode is a new alarm and a new event.
    await property(gas, { gas_concentration: 22 });
    const alarms = await alarmsOf(`ruleId=${gasRuleId}&keyword=gas-0001`);
    expect(alarms.map((a) => a.status)).toEqual(['active', 'cleared']);
    expect(alarms[0]!.eventNo).not.toBe(alarms[1]!.eventNo);
  });

  it('a device in test mode raises the alarm but no event', async () => {
    await property(testGas, { gas_concentration: 50 });
    const [alarm] = await alarmsOf(`ruleId=${gasRuleId}&keyword=gas-test`);
    expect(alarm).toMatchObject({ status: 'active', eventId: null, eventNo: null, detail: { testMode: true } });
    expect(alarm!.detail.actions[0]).toMatchObject({ type: 'event', ok: false, skipped: true, message: '测试设备：不生成事件' });
  });

  it('a device event fires an event rule: a fire event for the smoke detector', async () => {
    await smoke.publish('/sys/smoke_e2e/smoke-0001/thing/event/fire_alarm/post', { id: '7', params: { smoke_density: 4.2 } });
    const [alarm] = await alarmsOf('keyword=smoke-0001');
    expect(alarm).toMatchObject({ status: 'active', title: '蜀州中路烟感火警', detail: { kind: 'event', event: 'fire_alarm', eventLevel: 'alert', output: { smoke_density: 4.2 } } });
    expect((await get(`/api/events/${alarm!.eventId}`, townOp)).json().event).toMatchObject({ typeCode: 'emergency.accident.fire', source: 'iot' });
  });

  it('确认 with a note, then 解除; each only once', async () => {
    const [alarm] = await alarmsOf('keyword=smoke-0001');
    const acked = await post(`/api/iot/alarms/${alarm!.id}/acknowledge`, { note: '已电话联系物业核实' });
    expect(acked.statusCode).toBe(200);
    expect(acked.json()).toMatchObject({ status: 'acknowledged', acknowledgedBy: '物联感知运维员', detail: { ackNote: '已电话联系物业核实' } });
    expect((await post(`/api/iot/alarms/${alarm!.id}/acknowledge`, { note: '' })).statusCode).toBe(409);
    expect((await post(`/api/iot/alarms/${alarm!.id}/acknowledge`, { note: '' }, townOp)).statusCode).toBe(403);

    const cleared = await post(`/api/iot/alarms/${alarm!.id}/clear`, { note: '误报，已复位' });
    expect(cleared.json()).toMatchObject({ status: 'cleared', detail: { clearedBy: 'user', clearedByName: '物联感知运维员', clearNote: '误报，已复位' } });
    expect((await post(`/api/iot/alarms/${alarm!.id}/clear`, { note: '' })).json()).toMatchObject({ message: '告警已解除' });
    expect((await get(`/api/iot/alarms/${alarm!.id}`)).json().status).toBe('cleared');
    expect((await get('/api/iot/alarms/999999')).statusCode).toBe(404);
  });

  it('lists by status, level and time, and exports to Excel', async () => {
    expect((await alarmsOf('status=active')).every((a) => a.status === 'active')).toBe(true);
    expect((await alarmsOf('level=critical')).length).toBeGreaterThanOrEqual(3);
    expect(await alarmsOf(`from=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).toEqual([]);
    const r = await get('/api/iot/alarms/export?status=cleared');
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toContain('spreadsheetml');
    expect(Number(r.headers['x-export-rows'])).toBeGreaterThanOrEqual(2);
    expect((await get('/api/iot/alarms', townOp)).statusCode).toBe(403);
  });
});

/** A device on a broker-only node (no HTTP) next to the application on one PostgreSQL: its alarm becomes a hub event all the same. */
describe.runIf(backends.includes('postgres'))('alarm to event through a broker node', () => {
  let app: IotHarness;
  let node: TestBrokerNode;
  let device: TestDevice;
  let drop: () => Promise<void>;
  let ruleId: string;

  beforeAll(async () => {
    const pg = await freshPostgres();
    drop = pg.drop;
    const h = await startHarness('postgres', { DEMO_DATA: 'true', IOT_MQTT_PORT: '0', IOT_COAP_PORT: '0', DEMO_IOT: 'false' }, { postgresUrl: pg.url });
    const first = await h.login('admin', ADMIN_PASSWORD);
    await h.call('POST', '/api/auth/change-password', { token: first, body: { oldPassword: ADMIN_PASSWORD, newPassword: 'Strong#2026pw' } });
    app = { ...h, mqttPort: 0, admin: await h.login('admin', 'Strong#2026pw') };
    node = await startTestBrokerNode(pg.url);

    const call = async (method: 'POST' | 'GET', url: string, body?: unknown) => (await app.call(method, url, { token: app.admin, body })).json();
    const townOrgId = (await app.call('GET', '/api/auth/me', { token: await app.login('cy_op', PW) })).json().user.orgId;
    const product = await call('POST', '/api/iot/products', { name: '燃气报警器', category: 'gas', productKey: 'gas_node', thingModel: gasModel });
    const model = ((await call('GET', '/api/iot/rule-models?pageSize=100')).items as { id: string; name: string }[]).find((m) => m.name === '燃气浓度超限')!;
    ruleId = (await call('POST', '/api/iot/rules', { name: '燃气浓度超限', modelId: model.id, productId: product.id, level: 'critical' })).id;
    const made = await call('POST', '/api/iot/devices', { productId: product.id, deviceKey: 'gas-n001', name: '节点燃气报警器', orgId: townOrgId, regionCode: '510184001' });
    device = new TestDevice(node.port, 'gas_node', 'gas-n001', made.secret);
    await device.connect();
  });
  afterAll(async () => {
    await device?.close();
    await node?.close();
    await app?.dispose();
    await drop?.();
  });

  it('raises the alarm and the event on the node that received the report', async () => {
    const t0 = Date.now();
    await device.publish('/sys/gas_node/gas-n001/thing/property/post', { id: '1', params: { gas_concentration: 45 } });
    let alarm: Record<string, any> | undefined;
    await until(async () => !!(alarm = (await app.call('GET', `/api/iot/alarms?ruleId=${ruleId}`, { token: app.admin })).json().items[0])?.eventNo, 5000, 'alarm with its event');
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(alarm).toMatchObject({ status: 'active', orgName: '崇阳街道城运中心', eventNo: expect.stringMatching(/^WL/) });
    const cyOp = await app.login('cy_op', PW);
    const todo = ((await app.call('GET', '/api/events/todos?box=handle', { token: cyOp })).json().items as { eventId: string }[]).find((t) => t.eventId === alarm!.eventId);
    expect(todo).toBeTruthy();
  });
});
