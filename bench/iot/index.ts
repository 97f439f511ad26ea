/**
 * IoT platform under load, side by side with Mosquitto on the same machine:
 *   1. connections — BENCH_DEVICES (300,000, the tender's minimum) devices registered in PostgreSQL
 *      connect with signed logins to K broker-node processes (packages/server/src/iot-broker.ts:
 *      embedded broker + ingest + rules, no HTTP) and are held with keep-alive pings: connections
 *      held, connect rate, broker RSS and memory per connection;
 *   2. ingest — the devices publish QoS 1 property reports at rising rates (PUBACK leaves after the
 *      PostgreSQL commit): sustained messages/s, ack latency, then the rows in iot_telemetry and
 *      iot_device_state are counted against the acknowledged reports;
 *   3. alarm — under background load, devices send over-threshold gas readings: time from publish
 *      to the alarm row and to the event-hub event (polled every 20 ms), p50/p95/p99;
 *   4. baseline — the same devices and the same publisher load through our own Mosquitto
 *      instances, a QoS 1 subscriber per instance counting what arrives.
 * Load comes from forked load-client processes (~18,000 raw MQTT sockets each); a process may hold
 * at most 20,000 open files here, brokers included. Each broker port takes at most BENCH_PER_BROKER
 * connections, fewer than the 28,000 ephemeral ports a (source, destination) pair has, so the
 * clients need no extra loopback source addresses: binding one (BENCH_SOURCE_PREFIX=127.0.1.) makes
 * the kernel search a free port at bind time, which slows connecting down as ports fill up.
 *
 * Full run:  node --import tsx bench/iot/index.ts
 * Quick run: BENCH_DEVICES=20000 BENCH_HOLD_SECONDS=10 BENCH_STEP_SECONDS=10 node --import tsx bench/iot/index.ts
 *
 * BENCH_PHASES        connections,ingest,alarm,baseline (any subset; ingest and alarm connect the fleet without the hold)
 * BENCH_DATABASE_URL  postgres://postgres@127.0.0.1:5432/cityops_iot_bench (dropped and recreated unless BENCH_REUSE=1)
 * BENCH_DEVICES       devices (300000)                  BENCH_HOLD_SECONDS   hold with pings (60)
 * BENCH_PER_BROKER    connections per broker process (18000)   BENCH_PER_PROCESS  devices per load client (18000)
 * BENCH_RATES         offered messages/s per step (500,1000,2000,4000,8000,16000,32000,64000); stops after the first step not kept up
 * BENCH_STEP_SECONDS  per step (20, the first BENCH_STEP_WARMUP=5 not measured)
 * BENCH_AUTH          device (一机一密, default) | product (一型一密: one product secret)
 * BENCH_SIGN          hmacsm3 (default) | hmacsha256        BENCH_KEEPALIVE  seconds (60; a connection pings after 72–90 % of it)
 * BENCH_ALARMS        alarm reports (300)  BENCH_ALARM_RATE per second (10)  BENCH_ALARM_BACKGROUND ordinary msgs/s meanwhile (half the sustained rate)
 * BENCH_BROKER_POOL   PostgreSQL pool per broker node (3; PostgreSQL allows 100 connections here)
 * BENCH_BROKER_CMD    tsx (default) | dist (packages/server/dist/iot-broker.js)
 * BENCH_BROKER_ENV    extra environment of the MQTT nodes, as JSON    BENCH_BROKER_NODE_ARGS  extra node options (e.g. --cpu-prof --cpu-prof-dir=/tmp/prof)
 * BENCH_MAX_INFLIGHT  unacknowledged reports per load client before it skips (2000)
 * BENCH_SOURCE_PREFIX load client n binds source address `${prefix}${n + 2}` (none)
 * BENCH_CONNECT_CONCURRENCY  connection attempts at once per load client (100); BENCH_CONNECT_RETRIES  rounds of retries for failed attempts (5)
 * BENCH_CONNECT_TIMEOUT      seconds to wait for a CONNACK (60)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { SignMethod } from '@cityops/contracts';
import { startFleet, type Fleet } from './fleet.js';
import { pgCommits, postgresCpuMeter, prepareDatabase, query, rowCounts, setupPlatform, startBrokers, stopBrokers, type BrokerNode, type PlatformSetup } from './platform.js';
import { MOSQUITTO, cpuOf, rssOf, startMosquitto, stop, tcpKernel, type Mosquitto } from './procs.js';
import { ALARM_VALUE, GAS_MODEL, GAS_PRODUCT_KEY, GAS_PROPERTY, deviceKey, histPercentile, type Target } from './shared.js';

const env = process.env;
const num = (name: string, def: number) => (env[name] ? Number(env[name]) : def);
const url = env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/cityops_iot_bench';
const PHASES = new Set((env.BENCH_PHASES ?? 'connections,ingest,alarm,baseline').split(',').map((s) => s.trim()));
const DEVICES = num('BENCH_DEVICES', 300_000);
const PER_BROKER = num('BENCH_PER_BROKER', 18_000);
const PER_PROCESS = num('BENCH_PER_PROCESS', 18_000);
const HOLD = num('BENCH_HOLD_SECONDS', 60);
const KEEPALIVE = num('BENCH_KEEPALIVE', 60);
const RATES = (env.BENCH_RATES ?? '500,1000,2000,4000,8000,16000,32000,64000').split(',').map(Number);
const STEP = num('BENCH_STEP_SECONDS', 20);
const WARMUP = num('BENCH_STEP_WARMUP', 5);
const AUTH = env.BENCH_AUTH === 'product' ? 'product_secret' : 'device_secret';
const SIGN = (env.BENCH_SIGN ?? 'hmacsm3') as SignMethod;
const ALARMS = num('BENCH_ALARMS', 300);
const ALARM_RATE = num('BENCH_ALARM_RATE', 10);
const BROKER_POOL = num('BENCH_BROKER_POOL', 3);
const MAX_INFLIGHT = num('BENCH_MAX_INFLIGHT', 2000);
const CONCURRENCY = num('BENCH_CONNECT_CONCURRENCY', 100);
const RETRIES = num('BENCH_CONNECT_RETRIES', 5);
const CONNECT_TIMEOUT = num('BENCH_CONNECT_TIMEOUT', 60);
const SEED = 'cityops-iot-bench';
const REPORT_ROWS = GAS_MODEL.properties.length;

/** Adds a figure over processes. */
const sum = (pids: (number | undefined)[], f: (pid: number | undefined) => number) => pids.reduce<number>((a, p) => a + f(p), 0);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const int = (n: number) => Math.round(n).toLocaleString('en');
const mb = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MB`;
const kb = (b: number) => `${(b / 1024).toFixed(1)} KB`;
const ms = (x: number) => (Number.isFinite(x) ? `${x < 10 ? x.toFixed(1) : Math.round(x)} ms` : '–');
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;

// ---- what each side measured, for the closing table -------------------------------------------
interface ConnectResult {
  processes: number;
  held: number;
  refused: number;
  errors: number;
  connectMs: number;
  rssIdle: number;
  rssHeld: number;
  kernelTcp: number;
  dropped: number;
  pings: number;
  pongs: number;
  heldSeconds: number;
}
interface Step {
  offered: number;
  sent: number;
  acked: number;
  received: number;
  p50: number;
  p99: number;
  skipped: number;
  failed: number;
  cpu: string;
  kept: boolean;
}
interface IngestResult {
  steps: Step[];
  sustained?: Step;
  peak: number;
  rows?: { telemetry: number; expected: number; state: number; traces: number; acked: number };
}
interface AlarmResult {
  sent: number;
  alarms: number;
  events: number;
  alarmLat: number[];
  eventLat: number[];
  background: number;
  hubEvents: number;
}
const results: { cityops: { connect?: ConnectResult; ingest?: IngestResult; alarm?: AlarmResult }; mosquitto: { connect?: ConnectResult; ingest?: IngestResult } } = { cityops: {}, mosquitto: {} };

// ---- shared phases ----------------------------------------------------------------------------
/** Connects the fleet to the brokers, holds it (when the phase is on) and measures the brokers' memory. */
async function connectPhase(label: string, brokerPids: () => (number | undefined)[], targets: Target[], sourcePrefix: string, auth: 'device' | 'product' | 'none', productSecret: string | undefined, hold: boolean) {
  const rssIdle = sum(brokerPids(), rssOf);
  const k0 = tcpKernel();
  const fleet = await startFleet({
    devices: DEVICES, perProcess: PER_PROCESS, targets, sourcePrefix,
    connect: { productKey: GAS_PRODUCT_KEY, auth, productSecret, seed: SEED, signMethod: SIGN, keepalive: KEEPALIVE, concurrency: CONCURRENCY, retries: RETRIES, connectTimeoutMs: CONNECT_TIMEOUT * 1000 },
  });
  console.log(`${label}: ${fleet.stats().processes} load-client processes started; connecting ${int(DEVICES)} devices to ${targets.length} brokers…`);
  const t = performance.now();
  let last = { at: t, n: 0 };
  await fleet.connect((s) => {
    const now = performance.now();
    console.log(`  ${secs(now - t)}: connected ${int(s.connected)}, refused ${int(s.refused)}, failed attempts ${int(s.errors)} (${int(((s.connected - last.n) * 1000) / (now - last.at))}/s)`);
    last = { at: now, n: s.connected };
  });
  const connectMs = performance.now() - t;
  let s = fleet.stats();
  console.log(`  connected ${int(s.connected)} of ${int(DEVICES)} in ${secs(connectMs)} (${int((s.connected * 1000) / connectMs)}/s); refused ${int(s.refused)}, failed attempts ${int(s.errors)} (each retried up to ${RETRIES} times)${s.errorSamples.length ? `: ${s.errorSamples.join(' | ')}` : ''}`);
  const heldFrom = performance.now();
  if (hold) {
    const cpu0 = { brokers: sum(brokerPids(), cpuOf), clients: s.cpu, pings: s.pings };
    for (let left = HOLD; left > 0; left -= 10) {
      await sleep(Math.min(10, left) * 1000);
      s = fleet.stats();
      console.log(`  holding ${secs(performance.now() - heldFrom)}: held ${int(s.connected)}, dropped ${int(s.dropped)}, pings ${int(s.pings)} → answered ${int(s.pongs)}, broker RSS ${mb(sum(brokerPids(), rssOf))}`);
    }
    const wall = (performance.now() - heldFrom) / 1000;
    console.log(`  holding costs: brokers ${Math.round(((sum(brokerPids(), cpuOf) - cpu0.brokers) / wall) * 100)}% CPU, load clients ${Math.round(((s.cpu - cpu0.clients) / wall) * 100)}% (${int((s.pings - cpu0.pings) / wall)} pings/s)`);
  }
  await sleep(2000);
  s = fleet.stats();
  const rssHeld = sum(brokerPids(), rssOf);
  const kernelTcp = tcpKernel().memBytes - k0.memBytes;
  const r: ConnectResult = {
    processes: brokerPids().length, held: s.connected, refused: s.refused, errors: s.errors, connectMs, rssIdle, rssHeld, kernelTcp,
    dropped: s.dropped, pings: s.pings, pongs: s.pongs, heldSeconds: (performance.now() - heldFrom) / 1000,
  };
  console.log(`  ${label} brokers: RSS ${mb(rssIdle)} idle → ${mb(rssHeld)} with ${int(s.connected)} connections = ${kb((rssHeld - rssIdle) / Math.max(1, s.connected))} per connection (kernel TCP buffers +${mb(kernelTcp)} for both ends, not counted); load clients RSS ${mb(s.rss)}`);
  return { fleet, result: r };
}

/** Rising offered rates until a step is not kept up with (acked < 95 % of offered, p99 ≥ 1 s, or the in-flight cap hit). */
async function ingestPhase(label: string, fleet: Fleet, cpuGroups: Record<string, () => number>): Promise<IngestResult> {
  const out: IngestResult = { steps: [], peak: 0 };
  console.log(`${label}: QoS 1 property reports (${REPORT_ROWS} properties each) from ${int(fleet.stats().connected)} connected devices, ${STEP} s per step (${WARMUP} s not measured)`);
  for (const rate of RATES) {
    fleet.rate(rate, MAX_INFLIGHT);
    await sleep(WARMUP * 1000);
    const a = fleet.snapshot();
    const c0 = Object.fromEntries(Object.entries(cpuGroups).map(([k, f]) => [k, f()]));
    const t0 = performance.now();
    await sleep((STEP - WARMUP) * 1000);
    const b = fleet.snapshot();
    const wall = (performance.now() - t0) / 1000;
    const cpu = Object.entries(cpuGroups).map(([k, f]) => `${k} ${Math.round(((f() - c0[k]) / wall) * 100)}%`).join(', ');
    const iv = fleet.between(a, b);
    const p99 = histPercentile(iv.hist, 0.99);
    const step: Step = {
      offered: rate, sent: iv.sentPerSec, acked: iv.ackedPerSec, received: iv.receivedPerSec, p50: histPercentile(iv.hist, 0.5), p99,
      skipped: iv.skipped, failed: iv.failed, cpu, kept: iv.ackedPerSec >= rate * 0.95 && p99 < 1000 && iv.skipped === 0 && iv.failed === 0,
    };
    out.steps.push(step);
    out.peak = Math.max(out.peak, step.acked);
    if (step.kept) out.sustained = step;
    console.log(`  offered ${int(rate)}/s: sent ${int(step.sent)}/s, acked ${int(step.acked)}/s${step.received ? `, consumer received ${int(step.received)}/s` : ''}, ack p50 ${ms(step.p50)} p99 ${ms(step.p99)}${step.skipped ? `, skipped ${int(step.skipped)} (in-flight cap)` : ''}${step.failed ? `, failed ${int(step.failed)}` : ''}; CPU ${cpu}${step.kept ? '' : '  ← not kept up'}`);
    if (!step.kept) break;
  }
  fleet.rate(0);
  // Whatever is in flight is acknowledged (or fails) before anything is counted.
  for (let i = 0; i < 120 && fleet.stats().inflight > 0; i++) await sleep(500);
  await sleep(1500);
  return out;
}

// Brokers and Mosquitto instances do not outlive the bench, however it ends (Ctrl-C included).
const children = new Set<{ kill(signal: NodeJS.Signals): unknown }>();
process.on('exit', () => children.forEach((c) => c.kill('SIGKILL')));
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => process.exit(130));

// ---- CityOps ----------------------------------------------------------------------------------
console.log(`IoT bench: ${int(DEVICES)} devices; phases ${[...PHASES].join(', ')}; ${os.cpus().length} CPUs, ${mb(os.totalmem())} RAM, open files per process ${fs.readFileSync('/proc/self/limits', 'utf8').match(/Max open files\s+(\d+)/)?.[1]}`);
const platformPhases = ['connections', 'ingest', 'alarm'].filter((p) => PHASES.has(p));
if (platformPhases.length) {
  console.log(`\n== CityOps: database ${url}${env.BENCH_REUSE === '1' ? ' (BENCH_REUSE=1)' : ''}`);
  await prepareDatabase(url, env.BENCH_REUSE === '1');
  const setup: PlatformSetup = await setupPlatform(url, { devices: DEVICES, authMode: AUTH, seed: SEED, log: (s) => console.log(s) });
  console.log(`devices registered: ${int(setup.registered)} of product ${GAS_PRODUCT_KEY} (${AUTH === 'device_secret' ? '一机一密, each its own SM4-encrypted secret' : '一型一密, one product secret'}), bulk insert ${secs(setup.seedMs)}; rule 「燃气浓度 ≥ 阈值」 → alarm + event`);
  const k = Math.ceil(DEVICES / PER_BROKER);
  const apps = PHASES.has('alarm') ? 1 : 0;
  const t = performance.now();
  const brokers: BrokerNode[] = await startBrokers(url, k, { apps, env: { DATABASE_POOL_SIZE: String(BROKER_POOL), ...(env.BENCH_BROKER_ENV ? JSON.parse(env.BENCH_BROKER_ENV) : {}) }, nodeArgs: env.BENCH_BROKER_NODE_ARGS?.split(' ').filter(Boolean) ?? [] });
  for (const b of brokers) children.add(b.proc);
  console.log(`${k} MQTT nodes listening on ${brokers.map((b) => b.port).join(', ')} after ${secs(performance.now() - t)}: ${apps ? '1 application node (HTTP, event hub, embedded broker; the alarm devices connect there) + ' : ''}${k - apps} broker-only nodes; PostgreSQL pool ${BROKER_POOL} each`);
  const [{ n: pgConnections }] = await query<{ n: number }>(url, 'select count(*)::int as n from pg_stat_activity where datname = current_database()');
  console.log(`PostgreSQL connections to the bench database: ${pgConnections}`);
  await sleep(3000);
  const pids = () => brokers.map((b) => b.proc.pid);
  try {
    const before = await rowCounts(url, setup.productId);
    const commits0 = await pgCommits(url);
    const { fleet, result } = await connectPhase('CityOps', pids, brokers.map((b) => ({ host: '127.0.0.1', port: b.port })), env.BENCH_SOURCE_PREFIX ?? '', AUTH === 'product_secret' ? 'product' : 'device', setup.productSecret, PHASES.has('connections'));
    results.cityops.connect = result;
    const online = (await rowCounts(url, setup.productId)).online;
    const connectCommits = (await pgCommits(url)) - commits0;
    console.log(`  devices marked online in iot_device: ${int(online)}; PostgreSQL transactions during connect and hold: ${int(connectCommits)} (${(connectCommits / Math.max(1, result.held)).toFixed(2)} per connection)`);
    const cpu = { brokers: () => sum(pids(), cpuOf), postgres: postgresCpuMeter(), 'load clients': () => fleet.stats().cpu };
    try {
      if (PHASES.has('ingest')) {
        const commits1 = await pgCommits(url);
        const r = await ingestPhase('CityOps ingest', fleet, cpu);
        await sleep(2000);
        const after = await rowCounts(url, setup.productId);
        const acked = fleet.stats().acked;
        r.rows = { telemetry: after.telemetry - before.telemetry, expected: acked * REPORT_ROWS, state: after.state, traces: after.traces - before.traces, acked };
        const commits = (await pgCommits(url)) - commits1;
        console.log(`  PostgreSQL transactions during ingest: ${int(commits)} (${(acked / Math.max(1, commits)).toFixed(1)} acknowledged reports per transaction)`);
        console.log(`  rows: iot_telemetry +${int(r.rows.telemetry)} (acknowledged reports ${int(acked)} × ${REPORT_ROWS} properties = ${int(r.rows.expected)}${r.rows.telemetry === r.rows.expected ? ', all there' : ', MISMATCH'}), iot_device_state ${int(after.state)} devices, iot_message +${int(r.rows.traces)}`);
        results.cityops.ingest = r;
      }
      if (PHASES.has('alarm')) results.cityops.alarm = await alarmPhase(fleet, setup, brokers.length);
    } finally {
      await fleet.close();
    }
  } finally {
    await stopBrokers(brokers);
  }
}

/** Alarm devices are among those of the application node (targets[0]: device i goes to targets[i % nodes]). */
async function alarmPhase(fleet: Fleet, setup: PlatformSetup, nodes: number): Promise<AlarmResult> {
  const sustained = results.cityops.ingest?.sustained?.acked;
  const background = num('BENCH_ALARM_BACKGROUND', sustained ? Math.round(sustained / 2) : 200);
  // Devices that never had an alarm of this rule (a reused database keeps earlier ones).
  const had = new Set((await query<{ k: string }>(url, 'select distinct d.device_key as k from iot_alarm a join iot_device d on d.id = a.device_id where a.rule_id = $1', [setup.ruleId])).map((r) => r.k));
  const devices: number[] = [];
  const own = Math.ceil(DEVICES / nodes);
  for (let k = 0; devices.length < ALARMS && k < own; k++) {
    const i = ((k * 7919) % own) * nodes;
    if (i < DEVICES && !had.has(deviceKey(i)) && !devices.includes(i)) devices.push(i);
  }
  console.log(`CityOps alarm → event: ${devices.length} over-threshold reports (${GAS_PROPERTY} = ${ALARM_VALUE}), ${ALARM_RATE}/s, under ${int(background)} ordinary reports/s`);
  fleet.rate(background, MAX_INFLIGHT);
  await sleep(3000);
  const since = new Date(Date.now() - 1000);
  const sentAt = new Map<string, number>();
  const alarmAt = new Map<string, number>();
  const eventAt = new Map<string, number>();
  let sentAll = false;
  fleet.alarms(devices, ALARM_RATE, GAS_PROPERTY, ALARM_VALUE, (sent) => {
    for (const x of sent) sentAt.set(deviceKey(x.device), x.at);
    if (sentAt.size >= devices.length) sentAll = true;
  });
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const deadline = Date.now() + (devices.length / ALARM_RATE) * 1000 + 60_000;
  try {
    while (Date.now() < deadline) {
      const rows = (await c.query<{ k: string; e: boolean }>(
        `select d.device_key as k, (e.id is not null) as e from iot_alarm a join iot_device d on d.id = a.device_id left join evt_event e on e.id = a.event_id
          where a.rule_id = $1 and a.raised_at >= $2`, [setup.ruleId, since])).rows;
      const now = Date.now();
      for (const r of rows) {
        if (!alarmAt.has(r.k)) alarmAt.set(r.k, now);
        if (r.e && !eventAt.has(r.k)) eventAt.set(r.k, now);
      }
      if (sentAll && eventAt.size >= sentAt.size) break;
      await sleep(20);
    }
  } finally {
    await c.end();
  }
  fleet.rate(0);
  const lat = (m: Map<string, number>) => [...m].flatMap(([k, t]) => (sentAt.has(k) ? [t - sentAt.get(k)!] : [])).sort((a, b) => a - b);
  const [{ n: hubEvents }] = await query<{ n: number }>(url, `select count(*)::int as n from evt_event where source = 'iot' and created_at >= $1`, [since]);
  const r: AlarmResult = { sent: sentAt.size, alarms: alarmAt.size, events: eventAt.size, alarmLat: lat(alarmAt), eventLat: lat(eventAt), background, hubEvents };
  const show = (x: number[]) => `p50 ${ms(pct(x, 0.5))}, p95 ${ms(pct(x, 0.95))}, p99 ${ms(pct(x, 0.99))}, max ${ms(x[x.length - 1] ?? NaN)}`;
  console.log(`  sent ${r.sent}; alarms raised ${r.alarms}; events created ${r.events} (evt_event source 'iot': ${hubEvents})`);
  console.log(`  publish → alarm row:       ${show(r.alarmLat)}`);
  console.log(`  publish → event-hub event: ${show(r.eventLat)}   (seen by polling every 20 ms)`);
  return r;
}

// ---- Mosquitto --------------------------------------------------------------------------------
if (PHASES.has('baseline')) {
  const version = fs.existsSync(MOSQUITTO) ? 'Mosquitto' : '';
  if (!version) console.log(`\nno Mosquitto at ${MOSQUITTO}: baseline skipped`);
  else {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'iot-bench-mosquitto-'));
    const m = Math.ceil(DEVICES / PER_BROKER);
    const instances: Mosquitto[] = [];
    try {
      for (let i = 0; i < m; i++) {
        instances.push(await startMosquitto(dir));
        children.add(instances[i].proc);
      }
      console.log(`\n== Mosquitto baseline: ${m} instances of ${MOSQUITTO} on ${instances.map((x) => x.port).join(', ')} (anonymous, no persistence)`);
      await sleep(1000);
      const pids = () => instances.map((x) => x.proc.pid);
      const targets = instances.map((x) => ({ host: '127.0.0.1', port: x.port }));
      const { fleet, result } = await connectPhase('Mosquitto', pids, targets, env.BENCH_SOURCE_PREFIX ?? '', 'none', undefined, PHASES.has('connections'));
      results.mosquitto.connect = result;
      try {
        for (const t of targets) fleet.subscribe(t, '/sys/#');
        await sleep(2000);
        results.mosquitto.ingest = await ingestPhase('Mosquitto ingest (QoS 1 in, QoS 1 to one subscriber per instance)', fleet, {
          mosquitto: () => sum(pids(), cpuOf), 'load clients': () => fleet.stats().cpu,
        });
      } finally {
        await fleet.close();
      }
    } finally {
      await Promise.all(instances.map((x) => stop(x.proc)));
    }
  }
}

// ---- side by side -----------------------------------------------------------------------------
const C = results.cityops;
const M = results.mosquitto;
const conn = (r?: ConnectResult) => r && `${int(r.held)} of ${int(DEVICES)} on ${r.processes} processes`;
const rate = (r?: ConnectResult) => r && `${secs(r.connectMs)} (${int((r.held * 1000) / r.connectMs)}/s)`;
const mem = (r?: ConnectResult) => r && `${kb((r.rssHeld - r.rssIdle) / Math.max(1, r.held))} (${mb(r.rssIdle)} → ${mb(r.rssHeld)})`;
const alive = (r?: ConnectResult) => r && `${int(r.pongs)} of ${int(r.pings)} pings answered, ${int(r.dropped)} dropped, ${Math.round(r.heldSeconds)} s`;
const sus = (r?: IngestResult) => r && (r.sustained ? `${int(r.sustained.acked)}/s (ack p99 ${ms(r.sustained.p99)})` : 'none of the steps kept up');
const peak = (r?: IngestResult) => r && `${int(r.peak)}/s${r.steps.at(-1)?.kept ? ' (highest step offered; not saturated)' : ''}`;
const rowsOf = (r?: IngestResult) => r?.rows && `${int(r.rows.telemetry)} history rows = ${int(r.rows.acked)} acked × ${REPORT_ROWS}${r.rows.telemetry === r.rows.expected ? '' : ' (MISMATCH)'}; latest values of ${int(r.rows.state)} devices`;
const a = C.alarm;
const table: [string, string | undefined, string | undefined][] = [
  ['concurrent authenticated connections', conn(C.connect), M.connect && `${conn(M.connect)} (anonymous)`],
  ['connect time (rate)', rate(C.connect), rate(M.connect)],
  ['broker memory per connection (RSS)', mem(C.connect), mem(M.connect)],
  ['keep-alive', alive(C.connect), alive(M.connect)],
  ['sustained QoS 1 messages/s', sus(C.ingest) && `${sus(C.ingest)}${C.ingest?.sustained ? ', committed to PostgreSQL' : ''}`, sus(M.ingest) && `${sus(M.ingest)}${M.ingest?.sustained ? ', delivered to a subscriber' : ''}`],
  ['peak acknowledged messages/s', peak(C.ingest), peak(M.ingest)],
  ['written', rowsOf(C.ingest), M.ingest && 'nothing (no persistence)'],
  ['alarm → event latency', a && `p50 ${ms(pct(a.eventLat, 0.5))}, p95 ${ms(pct(a.eventLat, 0.95))}, p99 ${ms(pct(a.eventLat, 0.99))} (${a.events}/${a.sent} events, ${int(a.background)} msgs/s background)`, M.ingest && 'n/a (no rules)'],
];
const w0 = Math.max(...table.map((r) => r[0].length));
const w1 = Math.max(30, ...table.map((r) => (r[1] ?? '–').length));
console.log(`\n${'IoT bench'.padEnd(w0)}  ${'CityOps (broker nodes + PostgreSQL)'.padEnd(w1)}  Mosquitto (baseline, same machine)`);
for (const [k, x, y] of table) console.log(`${k.padEnd(w0)}  ${(x ?? '–').padEnd(w1)}  ${y ?? '–'}`);
console.log(`goal: ${int(300_000)} connections (the tender's minimum): ${C.connect ? (C.connect.held >= 300_000 ? 'met' : `not met (${int(C.connect.held)})`) : 'not run'}`);
process.exit(0);
