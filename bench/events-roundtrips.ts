/**
 * Database round trips of the event hub's write operations: on the seeded bench database (seed it
 * first with bench/events.ts), one event goes through the bench's workflow — 发起, 交办 to a town
 * centre (主办) and a department (协办), 签收 and 办理 by both, 结案 — plus 跟踪 and 批示, each
 * request sent alone, and every statement it sent is counted (BEGIN and COMMIT included; the
 * operation log's own transaction apart). -v lists the statements, -x replays each with EXPLAIN ANALYZE
 * (begin … rollback) and sums the server's own planning and execution time per request.
 * Run: node --import tsx bench/events-roundtrips.ts [-v] [-x]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { buildApp } from '../packages/server/src/app.js';
import { loadConfig } from '../packages/server/src/core/config.js';
import { briefSql, explainStatement, normalizeSql, statementTimer } from './events-statements.js';
import { BENCH_PASSWORD } from './events-users.js';

const url = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/cityops_bench';
const verbose = process.argv.includes('-v');
const explain = process.argv.includes('-x');
const timer = statementTimer();

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityops-roundtrips-'));
const app = await buildApp(loadConfig({
  DATA_DIR: dataDir, DATABASE_URL: url, LOG_LEVEL: 'silent', DEMO_DATA: 'true', DEMO_EVENTS: 'false', PASSWORD_KDF_ITERATIONS: '1000',
  WEB_DIST: path.join(dataDir, 'no-web'), EVENT_REMINDER_SECONDS: '0',
}));
type Json = Record<string, any>;
const call = async (method: 'GET' | 'POST', u: string, token?: string, body?: object) => {
  const r = await app.app.inject({ method, url: u, headers: token ? { authorization: `Bearer ${token}` } : {}, ...(body ? { payload: body } : {}) });
  if (r.statusCode >= 300) throw new Error(`${method} ${u} → ${r.statusCode} ${r.body}`);
  return r.json() as Json;
};
const login = async (username: string) => (await call('POST', '/api/auth/login', undefined, { username, password: BENCH_PASSWORD })).token as string;
const rows = async <T>(text: string) => ((await app.database.db.execute(sql.raw(text))) as unknown as { rows: T[] }).rows;

const city = await login('bench_cz-cyzx_2');
const town = await login('bench_510184001-cyzx_2');
const dept = await login('bench_cz-zfj_2');
const [townOrg] = await rows<{ id: string }>(`select org_id as id from sys_user where username = 'bench_510184001-cyzx_2'`);
const [deptOrg] = await rows<{ id: string }>(`select org_id as id from sys_user where username = 'bench_cz-zfj_2'`);
const [type] = await rows<{ code: string }>(
  `select code from evt_type t where enabled and not exists (select 1 from evt_type c where c.parent_code = t.code)
     and not exists (select 1 from jsonb_array_elements(t.form_fields) f where (f->>'required')::boolean) order by code limit 1`);

/** Sends the request alone and prints the statements it sent; the operation log's append is counted apart. */
async function measure(name: string, fn: () => Promise<Json>) {
  let out: Json = {};
  const calls = await timer.capture(async () => void (out = await fn()));
  // The operation log (core/audit) appends in its own transaction after the operation.
  const lockAt = calls.findIndex((c) => c.sql.includes('pg_advisory_xact_lock'));
  const own = lockAt > 0 ? calls.slice(0, lockAt - 1) : calls;
  console.log(`${name}: ${own.length} round trips (+ ${calls.length - own.length} for the operation log)`);
  if (verbose) for (const c of own) console.log(`    ${c.ms.toFixed(1).padStart(6)} ms  ${briefSql(normalizeSql(c.sql), 200)}`);
  if (explain) {
    let plan = 0, exec = 0;
    for (const c of own) {
      if (!/^\s*(select|with|insert|update|delete)\b/i.test(c.sql)) continue;
      const e = await explainStatement(url, c.sql, c.values).catch(() => ({ plan: [] as string[], ms: NaN }));
      const p = Number(/Planning Time: ([\d.]+)/.exec(e.plan.join('\n'))?.[1] ?? 0);
      plan += p; exec += e.ms || 0;
    }
    console.log(`    server time alone: planning ${plan.toFixed(2)} ms, execution ${exec.toFixed(2)} ms`);
  }
  return out;
}
const actionOf = (d: Json, action: string) => (d.actions as { action: string; nodeId: string | null }[]).find((a) => a.action === action)?.nodeId;

const created = await measure('发起 create', () => call('POST', '/api/events', city, {
  typeCode: type!.code, title: '道路积水（往返次数测试）', content: '群众来电反映道路积水，请尽快核实处置。', source: 'hotline', address: '人民路 8 号附近', submit: true,
}));
const id = created.id as string;
const root = actionOf(await call('GET', `/api/events/${id}`, city), 'dispatch')!;
await measure('交办 dispatch', () => call('POST', `/api/events/${id}/nodes/${root}/dispatch`, city, {
  targets: [{ orgId: townOrg!.id, role: 'main', requirement: '请尽快核实处置并反馈。' }, { orgId: deptOrg!.id, role: 'assist', requirement: '请配合做好处置工作。' }],
  opinion: '请按时限办理。',
}));
for (const [label, token] of [['town', town], ['dept', dept]] as const) {
  let d = await call('GET', `/api/events/${id}`, token);
  const sign = actionOf(d, 'sign');
  if (sign) {
    await measure(`签收 sign (${label})`, () => call('POST', `/api/events/${id}/nodes/${sign}/sign`, token, { opinion: '已签收' }));
    d = await call('GET', `/api/events/${id}`, token);
  }
  const node = actionOf(d, 'handle')!;
  if (label === 'town') await measure('跟踪 track', () => call('POST', `/api/events/${id}/nodes/${node}/track`, token, { content: '已到现场核实，正在协调处置。' }));
  await measure(`办理 handle (${label})`, () => call('POST', `/api/events/${id}/nodes/${node}/handle`, token, { opinion: '已现场核实并处置完毕。' }));
}
await measure('批示 instruct', () => call('POST', `/api/events/${id}/instruct`, city, {
  person: '值班领导', dept: '崇州市城市运行管理中心', position: '主任', content: '请相关单位高度重视，妥善处置。',
}));
const closed = await measure('结案 close', () => call('POST', `/api/events/${id}/close`, city, { opinion: '经核查已处置完毕，同意结案。' }));
console.log(`event ${closed.no}: ${closed.status}, version ${closed.version}`);

await app.close();
fs.rmSync(dataDir, { recursive: true, force: true });
