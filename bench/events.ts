/**
 * Event hub under load: seeds BENCH_EVENTS events (default 1,000,000) with their handling trees,
 * timelines, requests and directives into a dedicated PostgreSQL database, starts the real app on a
 * free port (Chongzhou demo data, migrations), and drives BENCH_USERS (200) simulated users over
 * HTTP with keep-alive from a worker thread: list views, to-dos and the badge, event details and the
 * workflow (create → dispatch to a town centre + a department → sign/handle → close, plus 跟踪 and
 * 批示). Prints p50/p95/p99/max per operation, the errors, and the slowest SQL statements (every
 * statement of the app is timed in-process). Target: p99 < 100 ms for lists, detail and operations,
 * no errors (the tender: 5 s per interface, 50 ms per database operation). Exits 0 either way.
 *
 * Full run:  node --import tsx bench/events.ts
 * Quick run: BENCH_EVENTS=20000 BENCH_SECONDS=15 node --import tsx bench/events.ts
 * Again on the seeded database (re-seeding 1M events takes minutes): BENCH_REUSE=1 node --import tsx bench/events.ts
 *
 * BENCH_DATABASE_URL  default postgres://postgres@127.0.0.1:5432/cityops_bench (dropped and recreated unless BENCH_REUSE=1)
 * BENCH_EVENTS        events to seed (1000000)          BENCH_USERS    simulated users (200)
 * BENCH_SECONDS       measured seconds (60)             BENCH_WARMUP   warm-up seconds, not measured (10)
 * BENCH_THINK_MS      mean pause between a user's steps, uniform 0…2× (1000; 0 = no pause, a saturation test)
 * BENCH_CPU_PROFILE   a file to write the server thread's CPU profile of the measured seconds to (.cpuprofile)
 * DATABASE_POOL_SIZE  the app's connection pool (the app's default, 10)
 */
import fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance as perf } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import pg from 'pg';
import { PERMISSIONS as P, SUPER_PERMISSION } from '@cityops/contracts';
import { buildApp } from '../packages/server/src/app.js';
import { loadConfig } from '../packages/server/src/core/config.js';
import { briefSql, explainStatement, statementTimer } from './events-statements.js';
import { describeSeed, seedEvents } from './events-seed.js';
import { BENCH_PASSWORD, ensureBenchUsers, grantAdmin, KIND_ROLE, type UserKind } from './events-users.js';
import type { DriverInput, DriverResult, OpStats } from './events-driver.js';
import { apiAs } from '../e2e/product.js';

const env = process.env;
const url = env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/cityops_bench';
const reuse = env.BENCH_REUSE === '1';
const num = (name: string, def: number) => (env[name] ? Number(env[name]) : def);
const EVENTS = num('BENCH_EVENTS', 1_000_000);
const USERS = num('BENCH_USERS', 200);
const SECONDS = num('BENCH_SECONDS', 60);
const WARMUP = num('BENCH_WARMUP', 10);
const THINK_MS = num('BENCH_THINK_MS', 1000);
const KDF = 1000;
const TARGET_MS = 100;

const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
const f1 = (x: number) => x.toFixed(1);

async function query<T extends pg.QueryResultRow>(text: string, values: unknown[] = [], on = url) {
  const c = new pg.Client({ connectionString: on });
  await c.connect();
  try {
    return (await c.query<T>(text, values)).rows;
  } finally {
    await c.end();
  }
}

/** Drops and recreates the bench database; with BENCH_REUSE=1 keeps an existing one. Returns whether it was reused. */
async function prepareDatabase() {
  const name = new URL(url).pathname.slice(1);
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`unexpected database name ${name}`);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const exists = (await query('select 1 from pg_database where datname = $1', [name], admin.toString())).length > 0;
  if (reuse && exists) return true;
  await query(`drop database if exists ${name} with (force)`, [], admin.toString());
  await query(`create database ${name}`, [], admin.toString());
  return false;
}

// The wrapper must be in place before the app's pool runs its first statement.
const timer = statementTimer();

console.log(`event hub bench: ${EVENTS.toLocaleString('en')} events, ${USERS} users, ${WARMUP} s warm-up + ${SECONDS} s measured, think time ${THINK_MS} ms; ${os.cpus().length} CPUs`);
console.log(`database: ${url}${reuse ? ' (BENCH_REUSE=1)' : ''}`);
const reused = await prepareDatabase();

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityops-bench-'));
const t = performance.now();
const app = await buildApp(loadConfig({
  DATA_DIR: dataDir, DATABASE_URL: url, LOG_LEVEL: 'silent', DEMO_DATA: 'true', DEMO_EVENTS: 'false', ADMIN_INITIAL_PASSWORD: 'Initial#2026pw',
  PASSWORD_KDF_ITERATIONS: String(KDF), WEB_DIST: path.join(dataDir, 'no-web'),
  ...(env.DATABASE_POOL_SIZE ? { DATABASE_POOL_SIZE: env.DATABASE_POOL_SIZE } : {}),
})).catch((e: Error) => {
  // A migration edited after the database was seeded is applied again and fails.
  if (reused) console.error('the app does not start on the reused database (migrations changed since it was seeded?): run without BENCH_REUSE=1');
  throw e;
});
console.log(`app built (migrations, seeds, demo data): ${secs(performance.now() - t)}`);

const { simulated, created } = await ensureBenchUsers(url, USERS, KDF);
console.log(`bench users: ${created} created, ${simulated.length} simulated (${(['city', 'dept', 'town', 'community'] as UserKind[]).map((k) => `${k} ${simulated.filter((u) => u.kind === k).length}`).join(', ')})`);

const [{ n: present }] = await query<{ n: number }>('select count(*)::int as n from evt_event');
if (reused && present > 0) {
  console.log(`seed: reusing ${present.toLocaleString('en')} events`);
} else {
  const r = await seedEvents(url, EVENTS);
  console.log(`seed: ${EVENTS.toLocaleString('en')} events in ${secs(r.ms)} (${Math.round(EVENTS / (r.ms / 1000)).toLocaleString('en')} events/s)`);
}
{
  const d = await describeSeed(url);
  console.log(`  statuses: ${d.status.map((s) => `${s.status} ${((s.n / d.status.reduce((a, x) => a + x.n, 0)) * 100).toFixed(1)}%`).join(', ')}`);
  console.log(`  nodes per event: avg ${d.nodes.avg} (${d.nodes.min}–${d.nodes.max}); timeline rows per event: avg ${d.logs.avg} (${d.logs.min}–${d.logs.max}); open to-do plates: ${d.plates.map((p) => `${p.plate} ${p.n}`).join(', ')}`);
  console.log(`  tables: ${d.sizes.map((s) => `${s.table} ${Number(s.rows).toLocaleString('en')} rows ${s.size}`).join('; ')}`);
}

await app.app.listen({ port: 0, host: '127.0.0.1' });
const baseUrl = `http://127.0.0.1:${(app.app.server.address() as AddressInfo).port}`;

/** Logs one bench user of each kind in and grants `admin` where the demo role lacks a permission the mix uses. */
const NEEDS: Record<UserKind, string[]> = {
  city: [P.eventQuery, P.eventCreate, P.eventDispatch, P.eventHandle, P.eventClose, P.eventInstruct],
  town: [P.eventQuery, P.eventHandle],
  dept: [P.eventQuery, P.eventHandle],
  community: [P.eventQuery, P.eventHandle],
};
const probes = (Object.keys(NEEDS) as UserKind[]).flatMap((kind) => simulated.find((x) => x.kind === kind) ?? []);
const api = await apiAs(baseUrl, BENCH_PASSWORD, probes.map((u) => u.username));
for (const u of probes) {
  const me = await api.call<{ permissions: string[] }>(u.username, 'GET', '/api/auth/me');
  const missing = NEEDS[u.kind].filter((p) => !me.permissions.includes(p) && !me.permissions.includes(SUPER_PERMISSION));
  if (missing.length) {
    await grantAdmin(url, u.kind);
    console.log(`role ${KIND_ROLE[u.kind]} lacks ${missing.join(', ')}: its bench users also get the role admin`);
  } else console.log(`role ${KIND_ROLE[u.kind]}: has every permission the mix uses`);
}

// Leaf types whose custom form has no required field (the simulated report fills no form).
const types = await query<{ code: string; name: string }>(
  `select code, name from evt_type t where enabled and not exists (select 1 from evt_type c where c.parent_code = t.code)
     and not exists (select 1 from jsonb_array_elements(t.form_fields) f where (f->>'required')::boolean) order by code`);
const townCentres = await query<{ orgId: string; townName: string; regionCode: string | null }>(
  `select c.id as "orgId", t.name as "townName", t.region_code as "regionCode" from sys_org c join sys_org t on t.id = c.parent_id where c.tags ? '镇街城运中心'`);
const samples = await query<{ no: string; title: string }>(`select no, title from evt_event tablesample system (1) where no is not null limit 20`);
const keywords = [
  ...types.slice(0, 8).map((x) => x.name),
  ...townCentres.slice(0, 6).map((x) => x.townName.replace(/(街道|镇)$/, '')),
  ...samples.slice(0, 6).map((x) => x.no),
  ...samples.slice(6, 10).map((x) => x.title.slice(0, 4)),
];

// ---- drive ----------------------------------------------------------------------------------
const input: DriverInput = { baseUrl, users: simulated, password: BENCH_PASSWORD, warmupSeconds: WARMUP, seconds: SECONDS, thinkMs: THINK_MS, types, keywords, townCentres };
console.log(`driving ${baseUrl} …`);
const profile = env.BENCH_CPU_PROFILE ? new Session() : undefined;
if (profile) {
  profile.connect();
  await profile.post('Profiler.enable');
}
// How busy the server's event loop is: a saturated loop delays every request and every statement's callback.
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
let elu = perf.eventLoopUtilization();
let cpu = process.cpuUsage();
const result = await new Promise<DriverResult>((resolve, reject) => {
  // Workers do not inherit tsx's loader: register it in the worker, then load the driver.
  const boot = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((t) => { t.register(); return import(${JSON.stringify(new URL('./events-driver.ts', import.meta.url).href)}); })`;
  const w = new Worker(boot, { eval: true, workerData: input });
  w.on('message', (m: { type: string; result?: DriverResult }) => {
    if (m.type === 'measuring') {
      void profile?.post('Profiler.start');
      timer.start();
      loopDelay.enable();
      elu = perf.eventLoopUtilization();
      cpu = process.cpuUsage();
    }
    if (m.type === 'done') {
      timer.stop();
      loopDelay.disable();
      elu = perf.eventLoopUtilization(elu);
      cpu = process.cpuUsage(cpu);
      resolve(m.result!);
    }
  });
  w.on('error', reject);
});

if (profile) {
  const { profile: data } = await profile.post('Profiler.stop');
  fs.writeFileSync(env.BENCH_CPU_PROFILE!, JSON.stringify(data));
  profile.disconnect();
}

// ---- report ---------------------------------------------------------------------------------
const row = (name: string, s: OpStats) => {
  const sorted = [...s.times].sort((a, b) => a - b);
  return { name, count: s.times.length, p50: pct(sorted, 0.5), p95: pct(sorted, 0.95), p99: pct(sorted, 0.99), max: sorted.at(-1) ?? 0, errors: s.errors };
};
const rows = Object.entries(result.ops).map(([k, v]) => row(k, v)).sort((a, b) => a.name.localeCompare(b.name));
const all = row('TOTAL', { times: Object.values(result.ops).flatMap((s) => s.times), errors: rows.reduce((a, r) => a + r.errors, 0) });
const line = (r: ReturnType<typeof row>) =>
  `${r.name.padEnd(18)}${String(r.count).padStart(8)}${f1(r.p50).padStart(9)}${f1(r.p95).padStart(9)}${f1(r.p99).padStart(9)}${f1(r.max).padStart(9)}${String(r.errors).padStart(8)}  ${r.p99 < TARGET_MS && r.errors === 0 ? 'ok' : 'MISSED'}`;
console.log(`\nmeasured ${SECONDS} s, ${all.count} requests (${f1(all.count / SECONDS)} req/s); latency in ms`);
console.log(`${'operation'.padEnd(18)}${'count'.padStart(8)}${'p50'.padStart(9)}${'p95'.padStart(9)}${'p99'.padStart(9)}${'max'.padStart(9)}${'errors'.padStart(8)}  target p99 < ${TARGET_MS} ms`);
for (const r of rows) console.log(line(r));
console.log(line(all));
const lg = row('login', result.login);
console.log(`login (at start, not in the totals): ${lg.count}, p50 ${f1(lg.p50)} ms, p99 ${f1(lg.p99)} ms, ${lg.errors} errors`);
const wf = result.workflow;
console.log(`workflow: ${wf.created} created, ${wf.dispatched} dispatched, ${wf.handled} handled, ${wf.closed} closed${Object.keys(wf.skipped).length ? `; skipped: ${JSON.stringify(wf.skipped)}` : ''}`);
if (result.errorSamples.length) {
  console.log('first errors:');
  for (const e of result.errorSamples) console.log(`  ${e}`);
}

console.log(`server thread busy ${f1((elu.active) / Math.max(1, all.count))} ms per request; event loop: utilisation ${(elu.utilization * 100).toFixed(0)}%, delay p50 ${f1(loopDelay.percentile(50) / 1e6)} ms, p99 ${f1(loopDelay.percentile(99) / 1e6)} ms, max ${f1(loopDelay.max / 1e6)} ms; process CPU (server + driver) ${f1((cpu.user + cpu.system) / 1e4 / SECONDS)}% of one core`);
const load = os.loadavg();
console.log(`machine load average ${load.map((x) => x.toFixed(2)).join(' ')} on ${os.cpus().length} CPUs`);

const st = timer.report(20);
console.log(`\nSQL statements while measuring: ${st.statements} (${st.over50ms} took over 50 ms under load); times in ms`);
// The 20 slowest by max and by total, replayed alone with the values of their slowest call: the
// server's own time, without the waits of a loaded app (event loop, busy connections).
const explained = new Map<string, Awaited<ReturnType<typeof explainStatement>>>();
for (const s of [...st.byMax, ...st.byTotal]) {
  if (explained.has(s.text) || !/^\s*(select|with|insert|update|delete)\b/i.test(s.sql)) continue;
  explained.set(s.text, await explainStatement(url, s.sql, s.values).catch((e: Error) => ({ plan: [String(e.message)], ms: NaN })));
}
const stmt = (s: (typeof st.byMax)[number]) => {
  const alone = explained.get(s.text)?.ms;
  return `  calls ${String(s.calls).padStart(6)}  mean ${f1(s.mean).padStart(6)}  p99 ${f1(s.p99).padStart(6)}  max ${f1(s.max).padStart(7)}  ` +
    `total ${secs(s.total).padStart(7)}  alone ${alone === undefined ? '   –' : f1(alone).padStart(6)}  ${briefSql(s.text)}`;
};
console.log('slowest by max (alone = EXPLAIN ANALYZE of its slowest call on an idle connection):');
for (const s of st.byMax.slice(0, 5)) console.log(stmt(s));
console.log('most time in total:');
for (const s of st.byTotal.slice(0, 5)) console.log(stmt(s));
const byText = new Map([...st.byMax, ...st.byTotal].map((s) => [s.text, s]));
const overAlone = [...explained.entries()].filter(([, e]) => e.ms > 50).sort((a, b) => b[1].ms - a[1].ms);
console.log(`over 50 ms alone (the tender's limit per database operation): ${overAlone.length} of ${explained.size} statements replayed`);
for (const [text] of overAlone) console.log(stmt(byText.get(text)!));
const worst = overAlone[0] ?? [...explained.entries()].sort((a, b) => (b[1].ms || 0) - (a[1].ms || 0))[0];
if (worst) {
  console.log(`\nplan of the statement slowest alone (${f1(worst[1].ms)} ms):\n  ${briefSql(worst[0], 600)}`);
  for (const l of worst[1].plan) console.log(`    ${l}`);
}

await app.close();
fs.rmSync(dataDir, { recursive: true, force: true });
