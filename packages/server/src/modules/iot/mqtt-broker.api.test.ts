import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import { promisify } from 'node:util';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ThingModel } from '@cityops/contracts';
import { backends } from '../../test/backends.js';
import { createDevice, createProduct, freePort, startIotHarness, until, type IotHarness } from '../../test/iot-devices.js';
import { signLogin } from './device-auth.service.js';
import { mqttLogin } from './simulator/sign.js';

const run = promisify(execFile);

const model = ThingModel.parse({
  properties: [
    { identifier: 'smoke', name: '烟雾浓度', dataType: { type: 'float', specs: { min: 0, max: 100, unit: '%obs/m' } } },
    { identifier: 'battery', name: '电量', dataType: { type: 'int', specs: { min: 0, max: 100, unit: '%' } } },
  ],
  events: [{ identifier: 'fire', name: '火警', type: 'alert', outputData: [{ identifier: 'smoke', name: '烟雾浓度', dataType: { type: 'float' } }] }],
});

const coapClient = ['coap-client', 'coap-client-openssl', 'coap-client-gnutls'].find((c) => ['/usr/bin', '/usr/local/bin'].some((d) => fs.existsSync(`${d}/${c}`)));

describe.each(backends)('embedded MQTT broker, HTTP and CoAP access on %s', (backend) => {
  let h: IotHarness;
  let coapPort: number;
  const pk = 'smoke_b';
  const devices: Record<string, { id: string; secret: string }> = {};
  const clients: MqttClient[] = [];

  const get = async (url: string) => {
    const r = await h.call('GET', url, { token: h.admin });
    expect(r.statusCode, r.body).toBe(200);
    return r.json();
  };
  /** Trace rows are written in the ingest's next batch: waits until `min` of them are there. */
  const traces = async (q: string, min = 1) => {
    let rows: Record<string, unknown>[] = [];
    await until(async () => (rows = (await get(`/api/iot/messages?pageSize=50&${q}`)).items).length >= min, 5_000, `${min} trace rows for ${q}`).catch(() => {});
    return rows;
  };
  const latest = async (deviceId: string) =>
    Object.fromEntries(
      ((await get(`/api/iot/devices/${deviceId}/properties`)) as { identifier: string; value: unknown }[]).filter((v) => v.value !== null).map((v) => [v.identifier, v.value]),
    );
  /** The granted QoS / reason code of a SUBACK (mqtt.js rejects a refused subscription). */
  const grantedOf = (c: MqttClient, topic: string) =>
    c.subscribeAsync(topic, { qos: 1 }).then(
      (g) => g[0]!.qos,
      (e: { packet?: { granted?: number[] } }) => e.packet?.granted?.[0],
    );
  const connect = async (dk: string, protocolVersion: 4 | 5, secret = devices[dk]!.secret) => {
    const login = mqttLogin({ productKey: pk, deviceKey: dk, secret });
    const c = await mqtt.connectAsync(`mqtt://127.0.0.1:${h.mqttPort}`, { ...login, protocolVersion, reconnectPeriod: 0, connectTimeout: 5000 });
    clients.push(c);
    return c;
  };
  const device = (dk: string) => devices[dk]!;

  beforeAll(async () => {
    coapPort = await freePort('udp');
    h = await startIotHarness(backend, { IOT_COAP_PORT: String(coapPort) });
    const product = await createProduct(h, pk, model);
    for (const dk of ['sd-0001', 'sd-0002', 'sd-0003', 'sd-0004', 'sd-0005', 'sd-0006']) devices[dk] = await createDevice(h, product.id, dk);
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.endAsync(true).catch(() => {})));
    await h?.dispose();
  });

  it('lets a device in over MQTT 3.1.1 and MQTT 5 with a correct signature: it is online and listed on 连接管理', async () => {
    const v4 = await connect('sd-0001', 4);
    await connect('sd-0002', 5);
    await until(async () => (await get(`/api/iot/devices/${device('sd-0001').id}`)).status === 'online', 10_000, 'sd-0001 online');
    await until(async () => (await get(`/api/iot/devices/${device('sd-0002').id}`)).status === 'online', 10_000, 'sd-0002 online');

    const list = await get('/api/iot/connections/clients');
    const byKey = Object.fromEntries((list.items as { deviceKey: string; protocolVersion: number; ip: string }[]).map((c) => [c.deviceKey, c]));
    expect(byKey['sd-0001']).toMatchObject({ protocolVersion: 4, ip: '127.0.0.1', clientId: `${pk}.sd-0001` });
    expect(byKey['sd-0002']).toMatchObject({ protocolVersion: 5 });

    const status = await get('/api/iot/connections');
    expect(status).toMatchObject({ mode: 'embedded', mqtt: { state: 'listening', port: h.mqttPort, error: null }, coap: { state: 'listening', port: coapPort } });
    expect(status.clients).toBeGreaterThanOrEqual(2);
    expect(status.nodes[0]).toMatchObject({ self: true, role: 'api', mqttPort: h.mqttPort });
    expect(status.topics.map((t: { topic: string }) => t.topic)).toContain('/sys/{pk}/{dk}/thing/property/post');

    await v4.endAsync();
    await until(async () => (await get(`/api/iot/devices/${device('sd-0001').id}`)).status === 'offline', 10_000, 'sd-0001 offline');
  });

  it('refuses a wrong secret with "bad user name or password" on both versions and traces why', async () => {
    for (const version of [4, 5] as const) {
      const err = await connect('sd-0003', version, 'not-the-secret').then(
        () => undefined,
        (e: Error & { code?: number }) => e,
      );
      expect(err?.code).toBe(version === 4 ? 4 : 134);
    }
    const rows = await traces(`deviceId=${device('sd-0003').id}&result=denied`, 2);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ kind: 'connect', channel: 'mqtt', reason: '签名错误（设备密钥）', clientIp: '127.0.0.1' });
    expect((await get(`/api/iot/devices/${device('sd-0003').id}`)).status).toBe('inactive');
  });

  it('stores a QoS 1 property report before the PUBACK returns, and answers on post_reply', async () => {
    const c = await connect('sd-0004', 4);
    await c.subscribeAsync(`/sys/${pk}/sd-0004/thing/property/post_reply`, { qos: 1 });
    const reply = new Promise<Record<string, unknown>>((resolve) => c.once('message', (_t, p) => resolve(JSON.parse(p.toString()))));
    await c.publishAsync(`/sys/${pk}/sd-0004/thing/property/post`, JSON.stringify({ id: '41', params: { smoke: 12.5, battery: 88 } }), { qos: 1 });
    // No waiting: the PUBACK came after the commit.
    expect(await latest(device('sd-0004').id)).toEqual({ smoke: 12.5, battery: 88 });
    expect(await reply).toEqual({ id: '41', code: 200, message: 'success' });
  });

  it('acknowledges a report that breaks the thing model, answers 400 on post_reply and traces it rejected', async () => {
    const c = await connect('sd-0005', 5);
    await c.subscribeAsync(`/sys/${pk}/sd-0005/thing/#`, { qos: 1 });
    const reply = new Promise<Record<string, unknown>>((resolve) => c.once('message', (_t, p) => resolve(JSON.parse(p.toString()))));
    await c.publishAsync(`/sys/${pk}/sd-0005/thing/property/post`, JSON.stringify({ id: '51', params: { smoke: 180 } }), { qos: 1 });
    const r = await reply;
    expect(r).toMatchObject({ id: '51', code: 400 });
    expect(r.message).toContain('smoke');
    const [row] = await traces(`deviceId=${device('sd-0005').id}&kind=property`);
    expect(row).toMatchObject({ result: 'rejected', msgId: '51', channel: 'mqtt' });
    expect(await latest(device('sd-0005').id)).toEqual({});
  });

  it("refuses a publish and a subscription on another device's topics, traces both, and the other device receives nothing", async () => {
    const victim = await connect('sd-0006', 4);
    const heard: string[] = [];
    victim.on('message', (t) => heard.push(t));
    await victim.subscribeAsync(`/sys/${pk}/sd-0006/#`, { qos: 1 });

    const v4 = await connect('sd-0004', 4);
    await v4.publishAsync(`/sys/${pk}/sd-0006/thing/property/set`, JSON.stringify({ id: '61', params: { battery: 1 } }), { qos: 1 });
    await v4.publishAsync(`/sys/${pk}/sd-0006/thing/property/post`, JSON.stringify({ id: '62', params: { battery: 1 } }), { qos: 1 });
    const v5 = await connect('sd-0005', 5);
    const refused = await v5.publishAsync(`/sys/${pk}/sd-0006/thing/property/post`, JSON.stringify({ id: '63', params: { battery: 1 } }), { qos: 1 }).then(
      () => undefined,
      (e: Error & { code?: number }) => e,
    );
    expect(refused?.code).toBe(135);
    expect(await grantedOf(v4, `/sys/${pk}/sd-0006/#`)).toBe(128);
    expect(await grantedOf(v5, `/sys/${pk}/+/thing/#`)).toBe(135);

    const denied = await traces(`result=denied&channel=mqtt&keyword=sd-0006`, 4);
    expect(denied.filter((r) => r.reason === '无权向其他设备的主题发布').map((r) => r.deviceKey).sort()).toEqual(['sd-0004', 'sd-0004', 'sd-0005']);
    expect(denied.some((r) => r.reason === '无权订阅其他设备的主题')).toBe(true);
    await new Promise((r) => setTimeout(r, 200));
    expect(heard).toEqual([]);
    expect(await latest(device('sd-0006').id)).toEqual({});
  });

  it('works with mosquitto_pub and mosquitto_sub over MQTT 3.1.1 and 5', async () => {
    const dk = 'sd-0001';
    const login = (v: string) => {
      const l = mqttLogin({ productKey: pk, deviceKey: dk, secret: device(dk).secret });
      return ['-h', '127.0.0.1', '-p', String(h.mqttPort), '-V', v, '-u', l.username, '-P', l.password];
    };
    const sub = spawn('mosquitto_sub', [...login('mqttv5'), '-i', `${pk}.${dk}.sub`, '-t', `/sys/${pk}/${dk}/thing/property/post_reply`, '-C', '1', '-W', '10', '-q', '1']);
    let out = '';
    sub.stdout.on('data', (b: Buffer) => (out += b.toString()));
    const exited = new Promise<number | null>((resolve) => sub.on('exit', resolve));
    await until(async () => (await get('/api/iot/connections/clients?keyword=.sub')).total === 1, 10_000, 'mosquitto_sub connected');
    await run('mosquitto_pub', [...login('mqttv311'), '-i', `${pk}.${dk}.pub`, '-q', '1', '-t', `/sys/${pk}/${dk}/thing/property/post`, '-m', JSON.stringify({ id: '71', params: { battery: 64 } })]);
    expect(await latest(device(dk).id)).toMatchObject({ battery: 64 });
    expect(await exited).toBe(0);
    expect(JSON.parse(out)).toEqual({ id: '71', code: 200, message: 'success' });

    const wrong = await run('mosquitto_pub', [...login('mqttv5').slice(0, -1), 'hmacsm3:1:00', '-t', `/sys/${pk}/${dk}/thing/property/post`, '-m', '{}']).catch((e: { code: number; stderr: string }) => e);
    expect((wrong as { code: number }).code).not.toBe(0);
  });

  it('takes HTTP reports with a token: properties, events, a refused report, a bad token', async () => {
    const dk = 'sd-0002';
    const ts = String(Date.now());
    const auth = await h.call('POST', '/api/iot/device/auth', { body: { productKey: pk, deviceKey: dk, timestamp: ts, signMethod: 'hmacsha256', sign: signLogin(device(dk).secret, 'hmacsha256', pk, dk, ts) } });
    expect(auth.statusCode, auth.body).toBe(200);
    const { token, expiresIn } = auth.json();
    expect(expiresIn).toBe(172_800);
    const report = (body: unknown, t = token) => h.app.inject({ method: 'POST', url: '/api/iot/device/report', headers: { 'x-device-token': t }, payload: body as object });

    const ok = await report({ kind: 'property', id: '81', params: { smoke: 3.5 } });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toEqual({ id: '81', code: 200, message: 'success' });
    expect(await latest(device(dk).id)).toMatchObject({ smoke: 3.5 });

    const ev = await report({ kind: 'event', identifier: 'fire', id: '82', params: { smoke: 40 } });
    expect(ev.statusCode, ev.body).toBe(200);
    const events = await get(`/api/iot/devices/${device(dk).id}/events`);
    expect(events.items[0]).toMatchObject({ identifier: 'fire', output: { smoke: 40 } });

    const bad = await report({ kind: 'property', id: '83', params: { battery: 'full' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'REPORT_REJECTED', details: { id: '83', code: 400 } });
    expect(bad.json().message).toContain('battery');

    const forged = await report({ kind: 'property', params: { smoke: 1 } }, 'forged-token');
    expect(forged.statusCode).toBe(401);
    const refused = await h.call('POST', '/api/iot/device/auth', { body: { productKey: pk, deviceKey: dk, timestamp: ts, signMethod: 'hmacsm3', sign: '0'.repeat(64) } });
    expect(refused.statusCode).toBe(401);
    expect(refused.json().message).toBe('设备认证失败：请检查产品标识、设备标识、签名方法与密钥');
    const [row] = await traces(`deviceId=${device(dk).id}&result=denied&channel=http`);
    expect(row).toMatchObject({ reason: '签名错误（设备密钥）' });

    // Device traffic is traced, not written to the operation log.
    const oplog = await get('/api/system/oplogs?pageSize=100');
    expect((oplog.items as { url: string }[]).some((r) => r.url.startsWith('/api/iot/device/'))).toBe(false);
  });

  it.runIf(coapClient)('takes CoAP reports from libcoap\'s coap-client: /auth for a token, then a property report', async () => {
    const dk = 'sd-0003';
    const ts = String(Date.now());
    const body = JSON.stringify({ productKey: pk, deviceKey: dk, timestamp: ts, signMethod: 'hmacsm3', sign: signLogin(device(dk).secret, 'hmacsm3', pk, dk, ts) });
    const base = `coap://127.0.0.1:${coapPort}`;
    const auth = await run(coapClient!, ['-m', 'post', '-t', 'json', '-e', body, `${base}/auth`]);
    const { token } = JSON.parse(auth.stdout.trim());
    expect(token).toEqual(expect.any(String));
    const r = await run(coapClient!, ['-m', 'post', '-e', JSON.stringify({ id: '91', params: { smoke: 7.25 } }), `${base}/topic/sys/${pk}/${dk}/thing/property/post?token=${token}`]);
    expect(JSON.parse(r.stdout.trim())).toEqual({ id: '91', code: 200, message: 'success' });
    expect(await latest(device(dk).id)).toMatchObject({ smoke: 7.25 });
    const [row] = await traces(`deviceId=${device(dk).id}&channel=coap&kind=property`);
    expect(row).toMatchObject({ result: 'ok', msgId: '91' });

    const bad = await run(coapClient!, ['-m', 'post', '-e', JSON.stringify({ id: '92', params: { smoke: -1 } }), `${base}/topic/sys/${pk}/${dk}/thing/property/post?token=${token}`]).catch((e: { stdout: string; stderr: string }) => e);
    expect(`${bad.stdout}${bad.stderr}`).toContain('4.00');
    const other = await run(coapClient!, ['-m', 'post', '-e', '{"params":{"smoke":1}}', `${base}/topic/sys/${pk}/sd-0006/thing/property/post?token=${token}`]).catch((e: { stdout: string; stderr: string }) => e);
    expect(`${other.stdout}${other.stderr}`).toContain('4.03');
  });

  it("takes a gateway's batch for its sub-devices over HTTP, and refuses a sub-device signing in by itself", async () => {
    const post = async (url: string, body: unknown) => {
      const r = await h.call('POST', url, { token: h.admin, body });
      expect(r.statusCode, r.body).toBe(200);
      return r.json();
    };
    const gwProduct = await post('/api/iot/products', { name: '网关', category: 'other', productKey: 'gw_b', nodeType: 'gateway', thingModel: { properties: [], events: [], services: [] } });
    const subProduct = await post('/api/iot/products', { name: '子设备烟感', category: 'smoke', productKey: 'sub_b', nodeType: 'sub', protocol: 'gateway', thingModel: model });
    const gw = await post('/api/iot/devices', { productId: gwProduct.id, deviceKey: 'gw-0001', name: '一号网关' });
    const sub = await post('/api/iot/devices', { productId: subProduct.id, deviceKey: 'sub-0001', name: '网关下烟感', gatewayId: gw.device.id });

    const ts = String(Date.now());
    const sign = (secret: string, dk: string, p: string) => signLogin(secret, 'hmacsm3', p, dk, ts);
    const auth = await h.call('POST', '/api/iot/device/auth', { body: { productKey: 'gw_b', deviceKey: 'gw-0001', timestamp: ts, signMethod: 'hmacsm3', sign: sign(gw.secret, 'gw-0001', 'gw_b') } });
    expect(auth.statusCode, auth.body).toBe(200);
    const r = await h.app.inject({
      method: 'POST', url: '/api/iot/device/report', headers: { 'x-device-token': auth.json().token },
      payload: { kind: 'sub', id: '95', params: [{ productKey: 'sub_b', deviceKey: 'sub-0001', properties: { smoke: 5 } }] },
    });
    expect(r.statusCode, r.body).toBe(200);
    expect(await latest(sub.device.id)).toEqual({ smoke: 5 });

    const alone = await h.call('POST', '/api/iot/device/auth', { body: { productKey: 'sub_b', deviceKey: 'sub-0001', timestamp: ts, signMethod: 'hmacsm3', sign: sign(sub.secret, 'sub-0001', 'sub_b') } });
    expect(alone.statusCode).toBe(401);
    expect(alone.json().message).toBe('子设备须经网关接入');
  });

  it('answers the EMQX / VerneMQ HTTP auth and ACL hooks with the same device authentication', async () => {
    const dk = 'sd-0005';
    const staticLogin = mqttLogin({ productKey: pk, deviceKey: dk, secret: device(dk).secret }, { timestamp: '' });
    const auth = (body: object) => h.call('POST', '/api/iot/broker/auth', { body });
    expect((await auth({ clientid: staticLogin.clientId, username: staticLogin.username, password: staticLogin.password, peerhost: '10.1.1.1' })).json()).toEqual({ result: 'allow', is_superuser: false });
    expect((await auth({ client_id: 'x', username: staticLogin.username, password: 'hmacsm3::00', peer_addr: '10.1.1.1' })).json()).toEqual({ result: 'deny', is_superuser: false });

    const acl = (topic: string, action: string) => h.call('POST', '/api/iot/broker/acl', { body: { clientid: 'x', username: staticLogin.username, topic, action } });
    expect((await acl(`/sys/${pk}/${dk}/thing/property/post`, 'publish')).json().result).toBe('allow');
    expect((await acl(`/sys/${pk}/${dk}/#`, 'subscribe')).json().result).toBe('allow');
    expect((await acl(`/sys/${pk}/sd-0006/thing/property/post`, 'publish')).json().result).toBe('deny');
    expect((await acl('#', '1')).json().result).toBe('deny');
    const rows = await traces(`deviceId=${device(dk).id}&result=denied&channel=broker`, 3);
    expect(rows.map((r) => r.reason)).toEqual(expect.arrayContaining(['无权向其他设备的主题发布', '无权订阅其他设备的主题', '签名错误（设备密钥）']));
  });

  it('drops the connections of a device as soon as it is disabled, and refuses it afterwards', async () => {
    const c = await connect('sd-0006', 4);
    const closed = new Promise<void>((resolve) => c.once('close', () => resolve()));
    const r = await h.call('POST', '/api/iot/devices/disable', { token: h.admin, body: { ids: [device('sd-0006').id] } });
    expect(r.statusCode, r.body).toBe(200);
    await closed;
    const err = await connect('sd-0006', 5).then(() => undefined, (e: Error & { code?: number }) => e);
    expect(err?.code).toBe(135);
  });
});
