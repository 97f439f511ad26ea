import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ThingModel } from '@cityops/contracts';
import { loadConfig } from '../../core/config.js';
import { backends, freshPostgres } from '../../test/backends.js';
import { ADMIN_PASSWORD, startHarness, type Harness } from '../../test/harness.js';
import { createDevice, createProduct, freePort, TestDevice, until, type IotHarness } from '../../test/iot-devices.js';
import { startBrokerNode, type BrokerNode } from './broker-node.js';

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
  let node: BrokerNode;
  let nodePort: number;
  let drop: () => Promise<void>;
  let dataDir: string;
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
    const h: Harness = await startHarness('postgres', { IOT_MQTT_PORT: String(await freePort()), IOT_MQTT_HOST: '127.0.0.1', IOT_COAP_PORT: '0', DEMO_IOT: 'false' }, { postgresUrl: pg.url });
    const first = await h.login('admin', ADMIN_PASSWORD);
    await h.call('POST', '/api/auth/change-password', { token: first, body: { oldPassword: ADMIN_PASSWORD, newPassword: 'Strong#2026pw' } });
    app = { ...h, mqttPort: 0, admin: await h.login('admin', 'Strong#2026pw') };

    nodePort = await freePort();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityops-broker-node-'));
    node = await startBrokerNode(
      loadConfig({ DATABASE_URL: pg.url, DATA_DIR: dataDir, LOG_LEVEL: 'silent', DEMO_DATA: 'false', IOT_MQTT_PORT: String(nodePort), IOT_MQTT_HOST: '127.0.0.1', WEB_DIST: path.join(dataDir, 'no-web') }),
    );

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
    fs.rmSync(dataDir, { recursive: true, force: true });
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
