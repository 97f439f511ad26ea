/**
 * A load-generator process of bench/iot (forked by fleet.ts): holds up to ~18,000 simulated devices
 * on raw MQTT sockets (a process may hold 20,000 open files here), keeps them alive with pings,
 * publishes QoS 1 property reports at the rate it is told, sends alarm reports, and reports its
 * counters to the parent every second over IPC.
 */
import { performance } from 'node:perf_hooks';
import { RawMqttClient, keepAlive } from '../../packages/server/src/modules/iot/simulator/raw-client.js';
import { mqttLogin, propertyPostTopic } from '../../packages/server/src/modules/iot/simulator/sign.js';
import { deviceKey, ordinaryReport, deviceSecret, histBucket, newHist, type ClientStats, type FromClient, type ToClient } from './shared.js';

const send = (m: FromClient) => process.send?.(m);

let productKey = '';
let connected: RawMqttClient[] = [];
const byDevice = new Map<number, RawMqttClient>();
const counters = { connected: 0, refused: 0, errors: 0, dropped: 0, pongs: 0 };
let pinger: ReturnType<typeof keepAlive> | undefined;
/** Set when a connection dropped: the publishing set is filtered once a second rather than spliced per drop. */
let compact = false;
const win = { sent: 0, acked: 0, failed: 0, skipped: 0, received: 0, hist: newHist() };
let inflight = 0;
const errorSamples: string[] = [];
const sample = (e: Error | string) => errorSamples.length < 5 && errorSamples.push(String(e instanceof Error ? e.message : e));

function stats(): ClientStats {
  const cpu = process.cpuUsage();
  if (compact) {
    compact = false;
    connected = connected.filter((c) => c.state === 1);
  }
  return { ...counters, pings: pinger?.pings ?? 0, ...win, inflight, errorSamples, cpu: (cpu.user + cpu.system) / 1e6, rss: process.memoryUsage.rss(), at: Date.now() };
}

const handlers = {
  pingresp() {
    counters.pongs++;
  },
  message() {
    win.received++;
  },
};

let seq = 0;
function report(c: RawMqttClient, params: Record<string, unknown>, onAck?: () => void) {
  const i = c.tag as number;
  const payload = JSON.stringify({ id: String(++seq), params, time: Date.now() });
  const t = performance.now();
  inflight++;
  win.sent++;
  c.publish(propertyPostTopic(productKey, deviceKey(i)), payload, 1, (e) => {
    inflight--;
    if (e) {
      win.failed++;
      sample(e);
      return;
    }
    win.acked++;
    win.hist[histBucket(performance.now() - t)]++;
    onAck?.();
  });
}

async function connectAll(m: Extract<ToClient, { type: 'connect' }>) {
  productKey = m.productKey;
  pinger = keepAlive(() => connected, m.keepalive);
  /** Devices whose attempt failed (timeout, reset): they try again, as real devices do. */
  let failed: number[] = [];
  const one = (i: number) =>
    new Promise<void>((resolve) => {
      const dk = deviceKey(i);
      const secret = m.auth === 'product' ? m.productSecret! : deviceSecret(m.seed, i);
      const login = m.auth === 'none' ? { clientId: `${m.productKey}.${dk}` } : mqttLogin({ productKey: m.productKey, deviceKey: dk, secret }, { signMethod: m.signMethod });
      const target = m.targets[i % m.targets.length];
      const c = new RawMqttClient({ host: target.host, port: target.port, localAddress: m.localAddress || undefined, keepalive: m.keepalive, connectTimeoutMs: m.connectTimeoutMs, ...login }, {
        ...handlers,
        connack(cl, rc) {
          if (rc === 0) {
            counters.connected++;
            connected.push(cl);
            byDevice.set(i, cl);
          } else counters.refused++;
          resolve();
        },
        close(cl, e) {
          if (byDevice.get(i) === cl) {
            byDevice.delete(i);
            counters.connected--;
            counters.dropped++;
            if (e) sample(e);
            compact = true;
          } else if (e && cl.refused === undefined) {
            counters.errors++;
            failed.push(i);
            sample(e);
          }
          resolve();
        },
      });
      c.tag = i;
    });
  const run = async (devices: number[]) => {
    let next = 0;
    const worker = async () => {
      while (next < devices.length) await one(devices[next++]);
    };
    await Promise.all(Array.from({ length: Math.min(m.concurrency, devices.length) }, worker));
  };
  await run(Array.from({ length: m.count }, (_, k) => m.first + k));
  for (let round = 0; round < m.retries && failed.length; round++) {
    const again = failed;
    failed = [];
    await new Promise((r) => setTimeout(r, 5000 + Math.random() * 5000));
    await run(again);
  }
  send({ type: 'connected', stats: stats() });
}

// ---- open-loop rate ---------------------------------------------------------------------------
let rate = 0;
let maxInflight = 2000;
let cursor = 0;
let credit = 0;
let last = performance.now();
setInterval(() => {
  const now = performance.now();
  credit += (rate * (now - last)) / 1000;
  last = now;
  if (!rate || !connected.length) return void (credit = 0);
  for (; credit >= 1; credit--) {
    if (inflight >= maxInflight) {
      win.skipped++;
      continue;
    }
    const c = connected[cursor++ % connected.length];
    if (c.state === 1) report(c, ordinaryReport());
  }
}, 10);

async function alarms(m: Extract<ToClient, { type: 'alarms' }>) {
  const sent: { device: number; at: number }[] = [];
  const gap = 1000 / m.perSecond;
  const start = performance.now();
  for (let k = 0; k < m.devices.length; k++) {
    const wait = start + k * gap - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const c = byDevice.get(m.devices[k]);
    if (!c) continue;
    const at = Date.now();
    report(c, { ...ordinaryReport(), [m.property]: m.value });
    sent.push({ device: m.devices[k], at });
    if (sent.length >= 50) send({ type: 'alarm-sent', sent: sent.splice(0) });
  }
  send({ type: 'alarm-sent', sent });
}

process.on('message', (m: ToClient) => {
  switch (m.type) {
    case 'connect':
      void connectAll(m);
      return;
    case 'rate':
      rate = m.perSecond;
      maxInflight = m.maxInflight;
      return;
    case 'alarms':
      void alarms(m);
      return;
    case 'subscribe': {
      const c = new RawMqttClient({ host: m.target.host, port: m.target.port, localAddress: m.localAddress || undefined, keepalive: 60, clientId: `bench-sub-${process.pid}-${m.target.port}` }, {
        ...handlers,
        connack: (cl, rc) => (rc === 0 ? cl.subscribe(m.topic, 1) : sample(`subscriber refused: ${rc}`)),
        close: (_cl, e) => sample(`subscriber closed${e ? `: ${e.message}` : ''}`),
      });
      // The subscriber is kept out of the publishing set.
      keepAlive(() => [c], 60);
      return;
    }
    case 'close':
      rate = 0;
      for (const c of connected) c.end();
      setTimeout(() => process.exit(0), 500);
      return;
  }
});

setInterval(() => send({ type: 'stats', stats: stats() }), 1000);
process.on('disconnect', () => process.exit(0));
send({ type: 'ready' });
