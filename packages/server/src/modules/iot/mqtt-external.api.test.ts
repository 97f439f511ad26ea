import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ThingModel } from '@cityops/contracts';
import { backends, freshPostgres } from '../../test/backends.js';
import { startHarness, type Harness } from '../../test/harness.js';
import { createDevice, createProduct, freePort, startIotHarness, until, type IotHarness } from '../../test/iot-devices.js';
import { mqttLogin } from './simulator/sign.js';

/**
 * External broker mode against a real Mosquitto with its dynamic-security plugin: the platform
 * provisions the devices (static passwords, per-device ACLs), consumes their topics through an
 * MQTT 5 shared subscription — two platform nodes on one PostgreSQL split the stream and every
 * message is stored once — and Mosquitto itself refuses a device writing to another's topic.
 */
const run = promisify(execFile);
const DYNSEC = '/usr/lib/x86_64-linux-gnu/mosquitto_dynamic_security.so';
const PLATFORM_USER = 'cityops-platform';
const PLATFORM_PASSWORD = 'Platform#2026pw';
const available = fs.existsSync(DYNSEC) && fs.existsSync('/usr/sbin/mosquitto') && fs.existsSync('/usr/bin/mosquitto_ctrl');

const model = ThingModel.parse({
  properties: [
    { identifier: 'level', name: '水位', dataType: { type: 'float', specs: { min: 0, max: 20, unit: 'm' } } },
    { identifier: 'threshold', name: '告警阈值', accessMode: 'rw', dataType: { type: 'float', specs: { min: 0, max: 10, unit: 'm' } } },
  ],
});

/** Mosquitto on a free port, its configuration and dynamic-security file in a temporary directory. */
async function startMosquitto() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityops-mosquitto-'));
  fs.chmodSync(dir, 0o777);
  const dynsec = path.join(dir, 'dynamic-security.json');
  await run('mosquitto_ctrl', ['dynsec', 'init', dynsec, PLATFORM_USER, PLATFORM_PASSWORD]);
  fs.chmodSync(dynsec, 0o666);
  const port = await freePort();
  const conf = path.join(dir, 'mosquitto.conf');
  fs.writeFileSync(conf, [
    `listener ${port} 127.0.0.1`, 'allow_anonymous false', `plugin ${DYNSEC}`, `plugin_opt_config_file ${dynsec}`, 'persistence false',
    'log_dest stderr', 'log_type error', 'log_type warning', ...(process.getuid?.() === 0 ? ['user root'] : []), '',
  ].join('\n'));
  const proc: ChildProcess = spawn('/usr/sbin/mosquitto', ['-c', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
  const reachable = () =>
    new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => (s.destroy(), resolve(true)));
      s.on('error', () => resolve(false));
    });
  await until(reachable, 10_000, `mosquitto on ${port} (${stderr})`);
  return {
    url: `mqtt://127.0.0.1:${port}`,
    async stop() {
      const exited = new Promise((resolve) => proc.once('exit', resolve));
      proc.kill('SIGTERM');
      await exited;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

describe.runIf(available)('external broker: Mosquitto with dynamic security', () => {
  // Two platform nodes need a shared database: PostgreSQL when there is one, else one PGlite node.
  const shared = backends.includes('postgres');
  let mosquitto: Awaited<ReturnType<typeof startMosquitto>>;
  let a: IotHarness;
  let b: Harness | undefined;
  let bToken: string;
  let drop: (() => Promise<void>) | undefined;
  const pk = 'wl_ext';
  const keys = ['wl-e001', 'wl-e002', 'wl-e003'];
  const devices: Record<string, { id: string; secret: string }> = {};
  const clients: MqttClient[] = [];

  const get = async (h: Harness, token: string, url: string) => {
    const r = await h.call('GET', url, { token });
    expect(r.statusCode, r.body).toBe(200);
    return r.json();
  };
  const traceCount = async (q: string) => (await get(a, a.admin, `/api/iot/messages?pageSize=1&${q}`)).total as number;
  const connect = async (dk: string, o: { protocolVersion?: 4 | 5; password?: string } = {}) => {
    const login = mqttLogin({ productKey: pk, deviceKey: dk, secret: devices[dk]!.secret }, { timestamp: '' });
    const c = await mqtt.connectAsync(mosquitto.url, { ...login, password: o.password ?? login.password, protocolVersion: o.protocolVersion ?? 5, reconnectPeriod: 0, connectTimeout: 5000 });
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    mosquitto = await startMosquitto();
    const env = {
      IOT_BROKER: 'external', IOT_BROKER_URL: mosquitto.url, IOT_BROKER_USERNAME: PLATFORM_USER, IOT_BROKER_PASSWORD: PLATFORM_PASSWORD, IOT_MQTT_PORT: '0',
    };
    if (shared) {
      const pg = await freshPostgres();
      drop = pg.drop;
      a = await startIotHarnessOn(pg.url, env);
      b = await startHarness('postgres', env, { postgresUrl: pg.url });
      bToken = await b.login('admin', 'Strong#2026pw');
    } else {
      a = await startIotHarness('pglite', env);
    }
    const product = await createProduct(a, pk, model);
    for (const dk of keys) devices[dk] = await createDevice(a, product.id, dk);
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.endAsync(true).catch(() => {})));
    await b?.dispose();
    await a?.dispose();
    await drop?.();
    await mosquitto?.stop();
  });

  /** startIotHarness on a given PostgreSQL database (the second node joins the same one). */
  async function startIotHarnessOn(url: string, env: Record<string, string>): Promise<IotHarness> {
    const h = await startHarness('postgres', env, { postgresUrl: url });
    const first = await h.login('admin', 'Initial#2026pw');
    await h.call('POST', '/api/auth/change-password', { token: first, body: { oldPassword: 'Initial#2026pw', newPassword: 'Strong#2026pw' } });
    return { ...h, mqttPort: 0, admin: await h.login('admin', 'Strong#2026pw') };
  }

  it('shows the external mode on 连接管理 with the consumer connected', async () => {
    const status = await get(a, a.admin, '/api/iot/connections');
    expect(status).toMatchObject({ mode: 'external', mqtt: { state: 'off', brokerUrl: mosquitto.url, consumerConnected: true, shareGroup: 'cityops' } });
  });

  it('provisions every device into Mosquitto: a device gets in with its static password only', async () => {
    const r = await a.call('POST', '/api/iot/connections/sync', { token: a.admin });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toEqual({ provisioned: 3, removed: 0, failed: 0, errors: [] });
    // Idempotent: a second run updates the same clients.
    expect((await a.call('POST', '/api/iot/connections/sync', { token: a.admin })).json()).toMatchObject({ provisioned: 3, failed: 0 });

    await connect('wl-e001');
    const refused = await connect('wl-e002', { password: 'hmacsm3::00' }).then(() => undefined, (e: Error & { code?: number }) => e);
    expect([134, 135]).toContain(refused?.code);
  });

  it('consumes through the shared subscription: each message stored once, split between the platform nodes, answered on post_reply', async () => {
    const c = await connect('wl-e001');
    await c.subscribeAsync(`/sys/${pk}/wl-e001/thing/property/post_reply`, { qos: 1 });
    const replies: unknown[] = [];
    c.on('message', (_t, p) => replies.push(JSON.parse(p.toString())));
    const n = 40;
    const t0 = Date.now() - 60_000;
    await Promise.all(
      Array.from({ length: n }, (_, i) =>
        c.publishAsync(`/sys/${pk}/wl-e001/thing/property/post`, JSON.stringify({ id: String(i + 1), params: { level: i / 4 }, time: t0 + i * 1000 }), { qos: 1 }),
      ),
    );
    await until(async () => (await traceCount(`deviceId=${devices['wl-e001']!.id}&channel=broker&kind=property`)) >= n, 15_000, 'every report traced');
    await new Promise((r) => setTimeout(r, 500));
    expect(await traceCount(`deviceId=${devices['wl-e001']!.id}&channel=broker&kind=property`)).toBe(n);
    const history = await get(a, a.admin, `/api/iot/devices/${devices['wl-e001']!.id}/properties/level/history?from=${new Date(t0 - 1000).toISOString()}&to=${new Date().toISOString()}`);
    expect(history.points).toHaveLength(n);
    await until(() => replies.length === n, 10_000, 'every post_reply');
    expect(replies).toContainEqual({ id: '40', code: 200, message: 'success' });

    if (b) {
      const inA = (await get(a, a.admin, '/api/iot/connections')).messagesInPerMinute as number;
      const inB = (await get(b, bToken, '/api/iot/connections')).messagesInPerMinute as number;
      expect(inA + inB).toBe(n);
      expect(inA).toBeGreaterThan(0);
      expect(inB).toBeGreaterThan(0);
      // The second node announced itself when it started; the first one heard it.
      const nodes = (await get(a, a.admin, '/api/iot/connections')).nodes as { self: boolean; role: string }[];
      expect(nodes.map((x) => x.self)).toEqual([true, false]);
    }
  });

  it('sends down-link through the external broker: a property set reaches the device and its reply closes the command', async () => {
    const c = await connect('wl-e002');
    await c.subscribeAsync(`/sys/${pk}/wl-e002/thing/property/set`, { qos: 1 });
    c.on('message', (topic, payload) => {
      const m = JSON.parse(payload.toString());
      void c.publishAsync(`${topic}_reply`, JSON.stringify({ id: m.id, code: 200 }), { qos: 1 });
    });
    // Only the broker sees connections: the platform takes a device for online once it reports.
    await c.publishAsync(`/sys/${pk}/wl-e002/thing/property/post`, JSON.stringify({ id: '1', params: { level: 1 } }), { qos: 1 });
    await until(async () => (await get(a, a.admin, `/api/iot/devices/${devices['wl-e002']!.id}`)).status === 'online', 10_000, 'wl-e002 online');
    const r = await a.call('POST', `/api/iot/devices/${devices['wl-e002']!.id}/properties`, { token: a.admin, body: { params: { threshold: 4.5 }, wait: 10 } });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ status: 'replied', replyCode: 200 });
  });

  it("has Mosquitto refuse a device writing to another device's topic", async () => {
    const c = await connect('wl-e003');
    const err = await c.publishAsync(`/sys/${pk}/wl-e002/thing/property/post`, JSON.stringify({ id: 'forged-1', params: { level: 9 } }), { qos: 1 }).then(
      () => undefined,
      (e: Error & { code?: number }) => e,
    );
    expect(err?.code).toBe(135);
    const v4 = await connect('wl-e003', { protocolVersion: 4 });
    await v4.publishAsync(`/sys/${pk}/wl-e002/thing/property/post`, JSON.stringify({ id: 'forged-2', params: { level: 9 } }), { qos: 1 });
    await new Promise((r) => setTimeout(r, 500));
    expect(await traceCount(`msgId=forged-1`)).toBe(0);
    expect(await traceCount(`msgId=forged-2`)).toBe(0);
  });

  it('removes a disabled device from Mosquitto at the next sync', async () => {
    const r = await a.call('POST', '/api/iot/devices/disable', { token: a.admin, body: { ids: [devices['wl-e003']!.id] } });
    expect(r.statusCode, r.body).toBe(200);
    expect((await a.call('POST', '/api/iot/connections/sync', { token: a.admin })).json()).toEqual({ provisioned: 2, removed: 1, failed: 0, errors: [] });
    const refused = await connect('wl-e003').then(() => undefined, (e: Error & { code?: number }) => e);
    // Mosquitto: "bad user name or password" or "not authorized" for a client it no longer has.
    expect([134, 135]).toContain(refused?.code);
  });

  it('lets the platform account through the EMQX-style hooks as a superuser', async () => {
    const r = await a.call('POST', '/api/iot/broker/auth', { body: { clientid: 'cityops-1', username: PLATFORM_USER, password: PLATFORM_PASSWORD } });
    expect(r.json()).toEqual({ result: 'allow', is_superuser: true });
    const wrong = await a.call('POST', '/api/iot/broker/auth', { body: { clientid: 'cityops-1', username: PLATFORM_USER, password: 'guess' } });
    expect(wrong.json().result).toBe('deny');
  });
});
