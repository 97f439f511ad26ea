import net, { type AddressInfo } from 'node:net';
import { Aedes } from 'aedes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ThingModel, validateProperties } from '@cityops/contracts';
import { parseMqttLogin, signLogin, staticPassword } from '../device-auth.service.js';
import { mqttLogin } from './sign.js';
import { alarmValue, propertySampler } from './values.js';
import { RawMqttClient } from './raw-client.js';
import { startDemoSimulator, startSimulator, type SimDevice } from './simulator.js';

const model = ThingModel.parse({
  properties: [
    { identifier: 'gas', name: '燃气浓度', dataType: { type: 'float', specs: { min: 0, max: 100, unit: '%LEL' } } },
    { identifier: 'temp', name: '温度', dataType: { type: 'int', specs: { min: -40, max: 85 } } },
    { identifier: 'valve', name: '阀门', dataType: { type: 'bool', specs: { enum: { 0: '关', 1: '开' } } } },
    { identifier: 'mode', name: '模式', dataType: { type: 'enum', specs: { enum: { 1: '正常', 2: '自检' } } } },
    { identifier: 'info', name: '信息', dataType: { type: 'struct', specs: { fields: [{ identifier: 'fw', name: '固件', dataType: { type: 'text', specs: { length: 10 } } }] } } },
  ],
});

const devices: SimDevice[] = Array.from({ length: 6 }, (_, i) => ({ productKey: 'gas_sim', deviceKey: `dev${i}`, secret: `secret-${i}`, model }));
const secrets = new Map(devices.map((d) => [`${d.deviceKey}&${d.productKey}`, d.secret]));

/** A broker that checks the platform's login rule and records every report. */
let broker: Aedes;
let server: net.Server;
let url: string;
const reports: { topic: string; payload: string }[] = [];
let refusedLogins = 0;

beforeAll(async () => {
  broker = await Aedes.createBroker({
    authenticate(_client, username, password, done) {
      const login = parseMqttLogin(username, password?.toString());
      const secret = login && secrets.get(`${login.deviceKey}&${login.productKey}`);
      const ok = !!login && !!secret && (login.signMethod === 'hmacsm3' || login.signMethod === 'hmacsha256')
        && login.sign === signLogin(secret, login.signMethod, login.productKey, login.deviceKey, login.timestamp);
      if (!ok) refusedLogins++;
      done(null, ok);
    },
  });
  broker.on('publish', (packet, client) => {
    if (client) reports.push({ topic: packet.topic, payload: packet.payload.toString() });
  });
  server = net.createServer(broker.handle);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `mqtt://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((r) => broker.close(() => r()));
  await new Promise<void>((r) => server.close(() => r()));
});

const until = async (cond: () => boolean, ms = 10_000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('device simulator', () => {
  it('signs logins the way the platform checks them', () => {
    const login = mqttLogin({ productKey: 'pk1', deviceKey: 'dk1', secret: 's3cret' }, { signMethod: 'hmacsm3', timestamp: '1700000000000' });
    expect(login.username).toBe('dk1&pk1');
    expect(login.clientId).toBe('pk1.dk1');
    const [method, ts, sign] = login.password.split(':');
    expect([method, ts]).toEqual(['hmacsm3', '1700000000000']);
    expect(sign).toMatch(/^[0-9a-f]{64}$/);
    expect(sign).toBe(signLogin('s3cret', 'hmacsm3', 'pk1', 'dk1', '1700000000000'));
    // A static password (external brokers) has an empty timestamp.
    expect(mqttLogin({ productKey: 'pk1', deviceKey: 'dk1', secret: 's' }, { timestamp: '' }).password).toBe(staticPassword('s', 'pk1', 'dk1'));
  });

  it('draws reports that the thing model accepts, and alarm values in the top of the range', () => {
    const s = propertySampler(model);
    for (let i = 0; i < 500; i++) {
      const v = s.next();
      const check = validateProperties(model, v);
      expect(check.problems).toEqual([]);
      expect(v.gas as number).toBeLessThanOrEqual(50);
      expect(v.valve).toBe(0);
    }
    const gas = model.properties[0];
    for (let i = 0; i < 100; i++) expect(alarmValue(gas) as number).toBeGreaterThanOrEqual(90);
    expect(alarmValue(model.properties[2])).toBe(1);
    expect(validateProperties(model, s.next({ alarm: gas })).ok).toBe(true);
  });

  it('keeps ordinary values under the threshold of a rule and alarm values over it', () => {
    const gas = model.properties[0];
    const s = propertySampler(model, { ceilings: { gas: 20 } });
    for (let i = 0; i < 500; i++) expect(s.next().gas as number).toBeLessThan(20);
    for (let i = 0; i < 100; i++) {
      const v = s.next({ alarm: gas, threshold: 20 });
      expect(v.gas as number).toBeGreaterThan(20);
      expect(v.gas as number).toBeLessThanOrEqual(100);
    }
  });

  for (const client of ['mqtt', 'raw'] as const) {
    it(`connects a fleet through ${client === 'mqtt' ? 'mqtt.js' : 'the raw client'} and reports on schedule, with alarms now and then`, async () => {
      reports.length = 0;
      const sim = startSimulator({ url, devices, client, intervalMs: 200, jitter: 0.2, alarmRate: 0.3, qos: 1 });
      await sim.started;
      expect(sim.stats().connected).toBe(devices.length);
      await until(() => sim.stats().acked >= 60);
      await sim.stop();
      const st = sim.stats();
      expect(st.errors).toBe(0);
      expect(st.refused).toBe(0);
      expect(st.alarms).toBeGreaterThan(0);
      expect(reports.length).toBeGreaterThanOrEqual(60);
      let alarms = 0;
      for (const r of reports) {
        const [, , pk, dk] = r.topic.split('/');
        expect(r.topic).toBe(`/sys/${pk}/${dk}/thing/property/post`);
        const body = JSON.parse(r.payload) as { id: string; params: Record<string, unknown>; time: number };
        expect(body.id).toMatch(/^\d+$/);
        expect(validateProperties(model, body.params).ok).toBe(true);
        if ((body.params.gas as number) >= 90) alarms++;
      }
      expect(alarms).toBeGreaterThan(0);
      // Every device reported.
      expect(new Set(reports.map((r) => r.topic)).size).toBe(devices.length);
    });
  }

  it('runs in process for the demo: reports go to the given function, no broker involved', async () => {
    const got: { device: string; topic: string; params: Record<string, unknown> }[] = [];
    const sim = startDemoSimulator({
      devices: devices.slice(0, 3).map((d) => ({ ...d, secret: '', alarmProperty: 'gas', alarmThreshold: 20 })),
      intervalMs: 100,
      alarmRate: 0.2,
      publish: async (d, topic, payload) => void got.push({ device: d.deviceKey, topic, params: JSON.parse(payload).params }),
    });
    await sim.started;
    await until(() => got.length >= 30 && got.some((g) => (g.params.gas as number) > 20));
    await sim.stop();
    expect(sim.stats()).toMatchObject({ connected: 3, errors: 0 });
    expect(new Set(got.map((g) => g.device))).toEqual(new Set(['dev0', 'dev1', 'dev2']));
    for (const g of got) {
      expect(g.topic).toBe(`/sys/gas_sim/${g.device}/thing/property/post`);
      expect(validateProperties(model, g.params).ok).toBe(true);
    }
    // Ordinary reports stay under the threshold; only the alarm share goes over it.
    const over = got.filter((g) => (g.params.gas as number) > 20).length;
    expect(over).toBeLessThan(got.length);
    expect(got.filter((g) => (g.params.gas as number) > 16 && (g.params.gas as number) <= 20)).toEqual([]);
  });

  for (const client of ['mqtt', 'raw'] as const) {
    it(`counts a refused login instead of reporting (${client})`, async () => {
      const before = refusedLogins;
      const sim = startSimulator({ url, client, devices: [{ ...devices[0], secret: 'wrong' }], intervalMs: 100 });
      await sim.started;
      await sim.stop();
      expect(sim.stats()).toMatchObject({ connected: 0, refused: 1, sent: 0, errors: 0 });
      expect(refusedLogins).toBe(before + 1);
    });
  }

  it('raw client: QoS 1 acknowledgements, subscriptions and pings', async () => {
    const got: string[] = [];
    let pongs = 0;
    const connect = (d: SimDevice) =>
      new Promise<RawMqttClient>((resolve, reject) => {
        const c = new RawMqttClient({ host: '127.0.0.1', port: Number(new URL(url).port), keepalive: 30, ...mqttLogin(d) }, {
          connack: (cl, rc) => (rc === 0 ? resolve(cl) : reject(new Error(String(rc)))),
          message: (_c, topic, payload) => got.push(`${topic} ${payload.toString()}`),
          pingresp: () => pongs++,
        });
      });
    const sub = await connect(devices[1]);
    sub.subscribe('/sys/gas_sim/+/thing/property/post', 1);
    await new Promise((r) => setTimeout(r, 100));
    const pub = await connect(devices[2]);
    const big = 'x'.repeat(200_000); // several TCP chunks: the reader must reassemble them
    await new Promise<void>((resolve, reject) => pub.publish('/sys/gas_sim/dev2/thing/property/post', big, 1, (e) => (e ? reject(e) : resolve())));
    await new Promise<void>((resolve, reject) => pub.publish('/sys/gas_sim/dev2/thing/property/post', 'small', 1, (e) => (e ? reject(e) : resolve())));
    expect(pub.inflight).toBe(0);
    pub.ping();
    await until(() => pongs === 1 && got.length === 2);
    expect(got[0]).toBe(`/sys/gas_sim/dev2/thing/property/post ${big}`);
    expect(got[1]).toBe('/sys/gas_sim/dev2/thing/property/post small');
    pub.end();
    sub.end();
  });
});
