import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ThingModel } from '@cityops/contracts';
import { backends, freshPostgres } from '../../test/backends.js';
import {
  createDevice, createProduct, freePort, startIotHarness, startTestBrokerNode, TestDevice, until, type IotHarness, type TestBrokerNode,
} from '../../test/iot-devices.js';

const model = ThingModel.parse({
  properties: [
    { identifier: 'level', name: '水位', dataType: { type: 'float', specs: { min: 0, max: 20, unit: 'm' } } },
    { identifier: 'threshold', name: '告警阈值', accessMode: 'rw', dataType: { type: 'float', specs: { min: 0, max: 10, unit: 'm' } } },
  ],
});

/**
 * A broker-only node next to an application node on one PostgreSQL: a device connected to the
 * broker node reports through it, shows as online, and is reached from the application's
 * 指令下发 through `iot_downlink`; 连接管理 lists the broker node.
 */
describe.runIf(backends.includes('postgres'))('broker node', () => {
  let app: IotHarness;
  let node: TestBrokerNode;
  let nodePort: number;
  let drop: () => Promise<void>;
  let device: TestDevice;
  let deviceId: string;
  const pk = 'wl_node';

  const get = async (url: string) => {
    const r = await app.call('GET', url, { token: app.admin });
    expect(r.statusCode, r.body).toBe(200);
    return r.json();
  };

  beforeAll(async () => {
    const pg = await freshPostgres();
    drop = pg.drop;
    app = await startIotHarness('postgres', {}, { postgresUrl: pg.url });
    node = await startTestBrokerNode(pg.url);
    nodePort = node.port;

    const product = await createProduct(app, pk, model);
    const d = await createDevice(app, product.id, 'wl-n001');
    deviceId = d.id;
    device = new TestDevice(nodePort, pk, 'wl-n001', d.secret);
    device.answer = (m) => (m.topic.endsWith('/property/set') ? { topic: `${m.topic}_reply`, body: { id: m.body.id, code: 200 } } : undefined);
    await device.connect();
  });
  afterAll(async () => {
    await device?.close();
    await node?.close();
    await app?.dispose();
    await drop?.();
  });

  it('takes the device in and its reports, which the application sees', async () => {
    await until(async () => (await get(`/api/iot/devices/${deviceId}`)).status === 'online', 10_000, 'device online');
    await device.publish(`/sys/${pk}/wl-n001/thing/property/post`, { id: '1', params: { level: 2.5 } });
    const values = (await get(`/api/iot/devices/${deviceId}/properties`)) as { identifier: string; value: unknown }[];
    expect(values.find((v) => v.identifier === 'level')?.value).toBe(2.5);
    // Not this node's connection: the application's own broker has none.
    expect((await get('/api/iot/connections/clients')).total).toBe(0);
  });

  it('lists the broker node on 连接管理', async () => {
    const nodes = (await get('/api/iot/connections')).nodes as { role: string; mqttPort: number | null; self: boolean }[];
    expect(nodes).toContainEqual(expect.objectContaining({ role: 'broker', mqttPort: nodePort, self: false }));
  });

  it("reaches the device from the application's 指令下发 through the other node, and closes the command with its reply", async () => {
    const r = await app.call('POST', `/api/iot/devices/${deviceId}/properties`, { token: app.admin, body: { params: { threshold: 3 }, wait: 10 } });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ status: 'replied', replyCode: 200 });
    expect(device.received.find((m) => m.topic.endsWith('/thing/property/set'))?.body.params).toEqual({ threshold: 3 });
  });
});

const SERVER_DIR = fileURLToPath(new URL('../../..', import.meta.url));
const NODE_TIMEOUT = 3;

/** `node iot-broker.js` as operations run it, in a process of its own (the test kills it). */
async function spawnBrokerNode(postgresUrl: string, dataDir: string): Promise<{ proc: ChildProcess; port: number }> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const proc = spawn(process.execPath, ['--import', 'tsx', 'src/iot-broker.ts'], {
      cwd: SERVER_DIR,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env, DATABASE_URL: postgresUrl, DATA_DIR: dataDir, LOG_LEVEL: 'info', DEMO_DATA: 'false', IOT_MQTT_PORT: String(port), IOT_MQTT_HOST: '127.0.0.1',
        IOT_NODE_TIMEOUT_SECONDS: String(NODE_TIMEOUT), WEB_DIST: path.join(dataDir, 'no-web'),
      },
    });
    let output = '';
    const ready = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 60_000);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('CityOps IoT broker node')) (clearTimeout(timer), resolve(true));
      };
      proc.stdout!.on('data', onData);
      proc.stderr!.on('data', onData);
      proc.once('exit', () => (clearTimeout(timer), resolve(false)));
    });
    if (ready) return { proc, port };
    proc.kill('SIGKILL');
    if (attempt === 3) throw new Error(`broker node did not start:\n${output.slice(-2000)}`);
  }
}

/**
 * A broker node that dies (killed, power lost) cannot say its devices are gone: the nodes stop
 * hearing its beat, and within IOT_NODE_TIMEOUT_SECONDS and a third of it its devices are offline.
 * Devices held by a node alive are untouched, and a device that moved to another node stays online
 * when its old node lets go of the connection.
 */
describe.runIf(backends.includes('postgres'))('a broker node that dies', () => {
  let app: IotHarness;
  let drop: () => Promise<void>;
  let dataDir: string;
  let child: { proc: ChildProcess; port: number } | undefined;
  const devices: TestDevice[] = [];
  const ids: Record<string, string> = {};
  const pk = 'wl_crash';

  const get = async (url: string) => {
    const r = await app.call('GET', url, { token: app.admin });
    expect(r.statusCode, r.body).toBe(200);
    return r.json();
  };
  const statusOf = async (dk: string) => (await get(`/api/iot/devices/${ids[dk]}`)).status as string;
  const connect = async (port: number, dk: string, secret: string) => {
    const d = new TestDevice(port, pk, dk, secret);
    devices.push(d);
    return d.connect();
  };

  beforeAll(async () => {
    const pg = await freshPostgres();
    drop = pg.drop;
    app = await startIotHarness('postgres', { IOT_NODE_TIMEOUT_SECONDS: String(NODE_TIMEOUT) }, { postgresUrl: pg.url });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityops-dying-node-'));
    child = await spawnBrokerNode(pg.url, dataDir);
  });
  afterAll(async () => {
    child?.proc.kill('SIGKILL');
    await Promise.all(devices.map((d) => d.close().catch(() => {})));
    await app?.dispose();
    await drop?.();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('takes its devices offline when its process is killed; the devices of the living nodes stay online', async () => {
    const product = await createProduct(app, pk, model);
    const made: Record<string, { id: string; secret: string }> = {};
    for (const dk of ['wl-c001', 'wl-c002', 'wl-c003']) {
      made[dk] = await createDevice(app, product.id, dk);
      ids[dk] = made[dk]!.id;
    }
    // wl-c001 on the application's broker, wl-c002 on the broker node.
    await connect(app.mqttPort, 'wl-c001', made['wl-c001']!.secret);
    await connect(child!.port, 'wl-c002', made['wl-c002']!.secret);
    // wl-c003 first on the application's broker, then also on the broker node, then lets go of the first connection:
    // the application's "offline" comes after the device moved, so it stays online — held by the broker node.
    const first = await connect(app.mqttPort, 'wl-c003', made['wl-c003']!.secret);
    await until(async () => (await statusOf('wl-c003')) === 'online', 5_000, 'wl-c003 online');
    await connect(child!.port, 'wl-c003', made['wl-c003']!.secret);
    // Its connect on the broker node is committed (the trace row is written with the status).
    await until(async () => (await get(`/api/iot/messages?deviceId=${ids['wl-c003']}&kind=connect`)).total >= 2, 5_000, 'wl-c003 connected twice');
    await first.close();
    await until(async () => (await get(`/api/iot/messages?deviceId=${ids['wl-c003']}&kind=disconnect`)).total >= 1, 5_000, 'wl-c003 disconnect traced');
    for (const dk of ['wl-c001', 'wl-c002', 'wl-c003']) expect(await statusOf(dk), dk).toBe('online');

    // Beats keep the living node's devices online past the timeout.
    await new Promise((r) => setTimeout(r, (NODE_TIMEOUT + 1) * 1000));
    for (const dk of ['wl-c001', 'wl-c002', 'wl-c003']) expect(await statusOf(dk), dk).toBe('online');

    const t0 = Date.now();
    child!.proc.kill('SIGKILL');
    await until(async () => (await statusOf('wl-c002')) === 'offline' && (await statusOf('wl-c003')) === 'offline', 15_000, 'devices of the dead node offline');
    // The timeout plus one sweep period (a third of it), and a little for the database.
    expect(Date.now() - t0).toBeLessThan((NODE_TIMEOUT * 4) / 3 * 1000 + 2500);
    expect(await statusOf('wl-c001')).toBe('online');

    let trace: { reason: string | null; channel: string }[] = [];
    await until(async () => (trace = (await get(`/api/iot/messages?deviceId=${ids['wl-c002']}&kind=disconnect`)).items).length > 0, 5_000, 'disconnect traced');
    expect(trace[0]).toMatchObject({ channel: 'mqtt', reason: expect.stringContaining('已失联') });

    // Reconnecting elsewhere, the device is online again.
    await connect(app.mqttPort, 'wl-c002', made['wl-c002']!.secret);
    await until(async () => (await statusOf('wl-c002')) === 'online', 5_000, 'wl-c002 online again');
  });
});

/**
 * What a crashed run leaves behind — devices still 'online', held by a node that no longer exists —
 * is put right by the next run (PGlite: at its start, nothing else can share the database).
 */
describe.each(backends)('devices left online by a node that is gone, on %s', (backend) => {
  let h: IotHarness;
  beforeAll(async () => {
    h = await startIotHarness(backend, { IOT_NODE_TIMEOUT_SECONDS: String(NODE_TIMEOUT) });
  });
  afterAll(async () => {
    await h?.dispose();
  });

  it('go offline within the sweep period, with the reason in the trace', async () => {
    const product = await createProduct(h, 'wl_left', model);
    const left = await createDevice(h, product.id, 'wl-l001');
    await h.database.db.execute(sql`update iot_device set status = 'online', online_at = now(), node_id = 'host-1234-abcd' where id = ${left.id}`);
    const status = async () => (await h.call('GET', `/api/iot/devices/${left.id}`, { token: h.admin })).json().status as string;
    expect(await status()).toBe('online');
    await until(async () => (await status()) === 'offline', 5_000, 'device offline');
    let trace: { reason: string }[] = [];
    await until(async () => (trace = (await h.call('GET', `/api/iot/messages?deviceId=${left.id}&kind=disconnect`, { token: h.admin })).json().items).length > 0, 5_000, 'disconnect traced');
    expect(trace[0]!.reason).toContain('接入节点 host-1234-abcd 已失联');
  });
});
