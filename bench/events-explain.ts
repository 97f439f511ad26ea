/**
 * Query plans of the event hub's reads on the seeded bench database (seed it first with
 * bench/events.ts): for a user of each kind of organisation, every list view and scope, a keyword
 * search, the to-do boxes, the badge and a detail, each request is sent once on its own and every
 * statement it sent is replayed with EXPLAIN (ANALYZE, BUFFERS) on an idle connection. Prints the
 * statements over 1 ms per request and the plans of those over BENCH_EXPLAIN_MS (default 50).
 * Run: node --import tsx bench/events-explain.ts [filter]   (filter: a substring of the request names)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { buildApp } from '../packages/server/src/app.js';
import { loadConfig } from '../packages/server/src/core/config.js';
import { briefSql, explainStatement, normalizeSql, statementTimer } from './events-statements.js';
import { DEMO_PASSWORD } from '../packages/server/src/modules/system/seed/demo.js';
import { BENCH_PASSWORD } from './events-users.js';

const url = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/cityops_bench';
const PLAN_MS = Number(process.env.BENCH_EXPLAIN_MS ?? 50);
const only = process.argv[2];
const timer = statementTimer();

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityops-explain-'));
const app = await buildApp(loadConfig({
  DATA_DIR: dataDir, DATABASE_URL: url, LOG_LEVEL: 'silent', DEMO_DATA: 'true', DEMO_EVENTS: 'false', PASSWORD_KDF_ITERATIONS: '1000', WEB_DIST: path.join(dataDir, 'no-web'),
}));
const call = (method: 'GET' | 'POST', u: string, token?: string, body?: object) =>
  app.app.inject({ method, url: u, headers: token ? { authorization: `Bearer ${token}` } : {}, ...(body ? { payload: body } : {}) });

/**
 * A bench user of each kind of organisation (the seeded events' actors: 我参与 finds thousands) and
 * demo users who acted on none of them (我参与 is empty: the worst case for its plan).
 */
const USERS: [label: string, username: string, password: string][] = [
  ['city', 'bench_cz-cyzx_2', BENCH_PASSWORD],
  ['town', 'bench_510184001-cyzx_2', BENCH_PASSWORD],
  ['dept', 'bench_cz-zfj_2', BENCH_PASSWORD],
  ['community', 'bench_510184001018_1', BENCH_PASSWORD],
  ['city (no history)', 'city_op', DEMO_PASSWORD],
  ['dept (no history)', 'zfj_handler', DEMO_PASSWORD],
];
const VIEWS = ['processing', 'done', 'all', 'key', 'city', 'mine'];
const SCOPES = ['selfAndChildren', 'self', 'children'];

const rows = async <T>(q: ReturnType<typeof sql>) => ((await app.database.db.execute(q)) as unknown as { rows: T[] }).rows;
const keyword = await rows<{ name: string }>(sql`select name from evt_type where level = 3 order by code limit 1`);
const sample = await rows<{ no: string }>(sql`select no from evt_event where no is not null order by created_at desc limit 1 offset 5000`);

for (const [label, username, password] of USERS) {
  const login = await call('POST', '/api/auth/login', undefined, { username, password });
  if (login.statusCode !== 200) {
    console.log(`${label}: cannot log in as ${username}: ${login.body}`);
    continue;
  }
  const token = login.json().token as string;
  const requests: [string, string][] = [];
  for (const view of VIEWS) for (const scope of view === 'mine' ? ['selfAndChildren'] : SCOPES) requests.push([`list ${view} ${scope}`, `/api/events?view=${view}&scope=${scope}`]);
  requests.push([`list keyword ${keyword[0]?.name}`, `/api/events?keyword=${encodeURIComponent(keyword[0]?.name ?? '')}`]);
  requests.push([`list keyword number`, `/api/events?keyword=${sample[0]?.no}`]);
  requests.push(['list all page 5', '/api/events?view=all&page=5']);
  for (const box of ['handle', 'closing', 'cc', 'dispatched']) requests.push([`todos ${box}`, `/api/events/todos?box=${box}`]);
  requests.push(['todo summary', '/api/events/todos/summary']);

  for (const [name, u] of requests) {
    if (only && !`${label} ${name}`.includes(only)) continue;
    await report(`${label} ${name}`, u, token);
  }
  if (!only || `${label} detail`.includes(only)) {
    const list = await call('GET', '/api/events?view=all', token);
    const id = list.json().items?.[0]?.id;
    if (id) await report(`${label} detail`, `/api/events/${id}`, token);
  }
}

async function report(name: string, u: string, token: string) {
  let status = 0;
  const t = performance.now();
  const calls = await timer.capture(async () => void (status = (await call('GET', u, token)).statusCode));
  const total = performance.now() - t;
  const lines: string[] = [];
  let server = 0;
  for (const c of calls) {
    if (!/^\s*(select|with)\b/i.test(c.sql)) continue;
    const e = await explainStatement(url, c.sql, c.values).catch((err: Error) => ({ plan: [err.message], ms: NaN }));
    server += e.ms || 0;
    if (!(e.ms > 1)) continue;
    lines.push(`  ${e.ms.toFixed(1).padStart(8)} ms  ${briefSql(normalizeSql(c.sql), 260)}`);
    if (e.ms > PLAN_MS) lines.push(...e.plan.map((l) => `        ${l}`));
  }
  console.log(`${name}  → ${status}, ${total.toFixed(0)} ms, ${calls.length} statements, ${server.toFixed(1)} ms on the server`);
  for (const l of lines) console.log(l);
}

await app.close();
fs.rmSync(dataDir, { recursive: true, force: true });
