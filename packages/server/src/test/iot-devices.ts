import dgram from 'node:dgram';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import mqtt, { type MqttClient } from 'mqtt';
import type { ConnectionStatus, ThingModel } from '@cityops/contracts';
import { loadConfig } from '../core/config.js';
import { startBrokerNode, type BrokerNode } from '../modules/iot/broker-node.js';
import { ADMIN_PASSWORD, startHarness, type Harness } from './harness.js';
import { mqttLogin } from '../modules/iot/simulator/sign.js';

/**
 * What the IoT API tests share: the application with its embedded broker on a free port, an
 * administrator, products and devices made through the API, and devices that connect with mqtt.js
 * and sign in as real devices do.
 */

/**
 * The kernel's range of ports it hands out by itself (`listen(0)`, the local end of every outgoing
 * connection). Linux says which; elsewhere it starts at 32768 or higher.
 */
function ephemeralLow(): number {
  try {
    const low = Number(fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    if (low) return low;
  } catch {
    /* not Linux */
  }
  return 32768;
}

const canBind = (port: number, kind: 'tcp' | 'udp') =>
  new Promise<boolean>((resolve) => {
    if (kind === 'udp') {
      const s = dgram.createSocket('udp4');
      s.once('error', () => resolve(false));
      s.bind(port, '127.0.0.1', () => s.close(() => resolve(true)));
      return;
    }
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });

/**
 * A free port on the loopback for a listener a test starts a moment later. It is picked below the
 * ephemeral range: a port from `listen(0)` would be free again until the listener binds it, and in
 * that gap (seconds, while a database is set up) another process's `listen(0)` or outgoing
 * connection could take it — test devices then spoke MQTT to somebody's HTTP server ("Invalid
 * header flag bits, must be 0x0 for puback packet" is mqtt.js reading "HTTP/1.1 400").
 */
export async function freePort(kind: 'tcp' | 'udp' = 'tcp'): Promise<number> {
  const from = 20_000;
  const to = Math.max(ephemeralLow(), from + 1000);
  for (;;) {
    const port = from + Math.floor(Math.random() * (to - from));
    if (await canBind(port, kind)) return port;
  }
}

export interface IotHarness extends Harness {
  mqttPort: number;
  admin: string;
}

/**
 * The application with its embedded broker on a free port (unless `env` sets IOT_MQTT_PORT). A port
 * somebody took after all is not left to the devices to find out: the broker's own status says
 * whether it listens, and the application starts again on another port.
 */
export async function startIotHarness(backend: 'pglite' | 'postgres', env: Record<string, string> = {}, opts: { postgresUrl?: string } = {}): Promise<IotHarness> {
  const ownPort = env.IOT_MQTT_PORT === undefined;
  for (let attempt = 1; ; attempt++) {
    const mqttPort = ownPort ? await freePort() : Number(env.IOT_MQTT_PORT);
    const h = await startHarness(backend, { IOT_MQTT_PORT: String(mqttPort), IOT_MQTT_HOST: '127.0.0.1', IOT_COAP_PORT: '0', DEMO_IOT: 'false', ...env }, opts);
    const admin = await adminOf(h);
    const status = (await h.call('GET', '/api/iot/connections', { token: admin })).json() as ConnectionStatus;
    const listening = status.mode === 'external' || !mqttPort || status.mqtt.state === 'listening';
    if (listening && (!env.IOT_COAP_PORT || env.IOT_COAP_PORT === '0' || status.coap.state === 'listening')) return { ...h, mqttPort, admin };
    await h.dispose();
    if (!ownPort || listening || attempt === 3) throw new Error(`IoT listeners not open: MQTT ${status.mqtt.error ?? status.mqtt.state}, CoAP ${status.coap.error ?? status.coap.state}`);
  }
}

/** The administrator's token, after the first login's password change (done already when a database is used again). */
async function adminOf(h: Harness) {
  const r = await h.call('POST', '/api/auth/login', { body: { username: 'admin', password: STRONG_PASSWORD } });
  if (r.statusCode === 200) return r.json().token as string;
  const first = await h.login('admin', ADMIN_PASSWORD);
  await h.call('POST', '/api/auth/change-password', { token: first, body: { oldPassword: ADMIN_PASSWORD, newPassword: STRONG_PASSWORD } });
  return h.login('admin', STRONG_PASSWORD);
}
const STRONG_PASSWORD = 'Strong#2026pw';

export interface TestBrokerNode {
  node: BrokerNode;
  port: number;
  close(): Promise<void>;
}

/**
 * A broker-only node (no HTTP) on a free MQTT port next to an application on the same PostgreSQL,
 * started again on another port if the first was taken. `close` also removes its data directory.
 */
export async function startTestBrokerNode(postgresUrl: string, env: Record<string, string> = {}): Promise<TestBrokerNode> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityops-broker-node-'));
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const node = await startBrokerNode(
      loadConfig({
        DATABASE_URL: postgresUrl, DATA_DIR: dataDir, LOG_LEVEL: 'silent', DEMO_DATA: 'false', IOT_MQTT_PORT: String(port), IOT_MQTT_HOST: '127.0.0.1',
        WEB_DIST: path.join(dataDir, 'no-web'), ...env,
      }),
    );
    const status = node.connectivity.status().mqtt;
    if (status.state === 'listening') {
      return {
        node, port,
        async close() {
          await node.close();
          fs.rmSync(dataDir, { recursive: true, force: true });
        },
      };
    }
    await node.close();
    if (attempt === 3) throw new Error(`broker node could not listen: ${status.error}`);
  }
}

async function ok<T>(h: IotHarness, method: 'POST' | 'PUT', url: string, body: unknown): Promise<T> {
  const r = await h.call(method, url, { token: h.admin, body });
  if (r.statusCode !== 200) throw new Error(`${method} ${url} → ${r.statusCode} ${r.body}`);
  return r.json() as T;
}

export async function createProduct(h: IotHarness, productKey: string, thingModel: ThingModel) {
  return ok<{ id: string; productKey: string }>(h, 'POST', '/api/iot/products', { name: `产品 ${productKey}`, category: 'other', productKey, thingModel });
}

export async function createDevice(h: IotHarness, productId: string, deviceKey: string) {
  const r = await ok<{ device: { id: string; deviceKey: string }; secret: string }>(h, 'POST', '/api/iot/devices', { productId, deviceKey, name: `设备 ${deviceKey}` });
  return { id: r.device.id, deviceKey, secret: r.secret };
}

export interface Received {
  topic: string;
  body: { id: string; params: Record<string, unknown>; [k: string]: unknown };
}

/** A device on the embedded broker, subscribed to everything the platform sends it. */
export class TestDevice {
  readonly received: Received[] = [];
  client?: MqttClient;
  /** Answers each message; return undefined to stay silent. */
  answer: (m: Received) => { topic: string; body: unknown } | undefined = () => undefined;

  constructor(
    readonly port: number,
    readonly productKey: string,
    readonly deviceKey: string,
    readonly secret: string,
  ) {}

  async connect() {
    const login = mqttLogin({ productKey: this.productKey, deviceKey: this.deviceKey, secret: this.secret });
    const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${this.port}`, { ...login, protocolVersion: 4, reconnectPeriod: 0, connectTimeout: 5000 });
    client.on('message', (topic, payload) => {
      const m: Received = { topic, body: JSON.parse(payload.toString()) };
      this.received.push(m);
      const a = this.answer(m);
      // A device closed by its test while a command is on its way cannot answer any more; that is not a failure.
      if (a) client.publishAsync(a.topic, JSON.stringify(a.body), { qos: 1 }).catch(() => undefined);
    });
    await client.subscribeAsync([`/sys/${this.productKey}/${this.deviceKey}/#`, `/ota/${this.productKey}/${this.deviceKey}/#`], { qos: 1 });
    this.client = client;
    return this;
  }

  /** Publishes as the device and waits for the broker's PUBACK (sent once ingest has committed). */
  async publish(topic: string, body: unknown) {
    await this.client!.publishAsync(topic, JSON.stringify(body), { qos: 1 });
  }

  async close() {
    await this.client?.endAsync();
    this.client = undefined;
  }

  /** The first received message on a topic ending with `suffix` (waits for it). */
  async next(suffix: string, after = 0, ms = 10_000): Promise<Received> {
    let found: Received | undefined;
    await until(() => (found = this.received.slice(after).find((m) => m.topic.endsWith(suffix))) !== undefined, ms);
    return found!;
  }
}

export async function until(cond: () => boolean | Promise<boolean>, ms = 10_000, what = 'condition') {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
