import net, { type AddressInfo } from 'node:net';
import mqtt, { type MqttClient } from 'mqtt';
import type { ThingModel } from '@cityops/contracts';
import { ADMIN_PASSWORD, startHarness, type Harness } from './harness.js';
import { mqttLogin } from '../modules/iot/simulator/sign.js';

/**
 * What the IoT API tests share: the application with its embedded broker on a free port, an
 * administrator, products and devices made through the API, and devices that connect with mqtt.js
 * and sign in as real devices do.
 */

/** A free TCP port on the loopback (the broker binds it right after). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface IotHarness extends Harness {
  mqttPort: number;
  admin: string;
}

export async function startIotHarness(backend: 'pglite' | 'postgres', env: Record<string, string> = {}, opts: { postgresUrl?: string } = {}): Promise<IotHarness> {
  const mqttPort = await freePort();
  const h = await startHarness(backend, { IOT_MQTT_PORT: String(mqttPort), IOT_MQTT_HOST: '127.0.0.1', IOT_COAP_PORT: '0', DEMO_IOT: 'false', ...env }, opts);
  const first = await h.login('admin', ADMIN_PASSWORD);
  await h.call('POST', '/api/auth/change-password', { token: first, body: { oldPassword: ADMIN_PASSWORD, newPassword: 'Strong#2026pw' } });
  return { ...h, mqttPort, admin: await h.login('admin', 'Strong#2026pw') };
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
      if (a) void client.publishAsync(a.topic, JSON.stringify(a.body), { qos: 1 });
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
