/**
 * The simulated users of bench/events.ts, run in a worker thread so that the load generator does
 * not share the server's event loop. Each user logs in, then loops until the time is up: a list
 * view, the to-do list or badge, an event's detail, or a step of the workflow (the city centre
 * creates and dispatches to a town centre (main) and a department (assist), their users sign and
 * handle, the city centre closes), plus 跟踪 and 批示; with a think time between steps.
 * Every HTTP call is timed under its operation name; non-2xx answers count as errors.
 */
import http from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';
import type { BenchUser, UserKind } from './events-users.js';

export interface DriverInput {
  baseUrl: string;
  users: BenchUser[];
  password: string;
  warmupSeconds: number;
  seconds: number;
  thinkMs: number;
  types: { code: string; name: string }[];
  keywords: string[];
  /** Town centres with their town's region code, the dispatch targets. */
  townCentres: { orgId: string; townName: string; regionCode: string | null }[];
}

export interface OpStats {
  times: number[];
  errors: number;
}
export interface DriverResult {
  ops: Record<string, OpStats>;
  login: OpStats;
  errorSamples: string[];
  workflow: { created: number; dispatched: number; handled: number; closed: number; skipped: Record<string, number> };
}

interface Res {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON of many shapes
  raw: string;
}

const input = workerData as DriverInput;
const base = new URL(input.baseUrl);
const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });

function call(method: string, path: string, token?: string, body?: unknown): Promise<Res> {
  return new Promise((resolve) => {
    const data = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string | number> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (data !== undefined) Object.assign(headers, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) });
    const req = http.request({ host: base.hostname, port: base.port, method, path, agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(raw);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, body: json, raw });
      });
      res.on('error', (e) => resolve({ status: 0, body: undefined, raw: String(e) }));
    });
    req.on('error', (e) => resolve({ status: 0, body: undefined, raw: String(e) }));
    if (data !== undefined) req.write(data);
    req.end();
  });
}

// ---- statistics -------------------------------------------------------------------------------
let measuring = false;
const ops: Record<string, OpStats> = {};
const login: OpStats = { times: [], errors: 0 };
const errorSamples: string[] = [];
const workflow: DriverResult['workflow'] = { created: 0, dispatched: 0, handled: 0, closed: 0, skipped: {} };
const skip = (why: string) => void (workflow.skipped[why] = (workflow.skipped[why] ?? 0) + 1);

async function timed(name: string, method: string, path: string, token: string, body?: unknown): Promise<Res> {
  const t = performance.now();
  const r = await call(method, path, token, body);
  const ms = performance.now() - t;
  const ok = r.status >= 200 && r.status < 300;
  if (measuring) {
    const s = (ops[name] ??= { times: [], errors: 0 });
    s.times.push(ms);
    if (!ok) s.errors++;
  }
  if (!ok && errorSamples.length < 12) errorSamples.push(`${name} ${method} ${path} → ${r.status} ${r.raw.slice(0, 300)}`);
  return r;
}
const ok = (r: Res) => r.status >= 200 && r.status < 300;

// ---- randomness and shared workflow state -----------------------------------------------------
const pick = <T>(xs: readonly T[]) => xs[Math.floor(Math.random() * xs.length)]!;
/** Picks a key by weight. */
const weighted = <K extends string>(w: Partial<Record<K, number>>): K => {
  const entries = Object.entries(w) as [K, number][];
  let r = Math.random() * entries.reduce((a, [, n]) => a + n, 0);
  for (const [k, n] of entries) if ((r -= n) < 0) return k;
  return entries[0]![0];
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Events waiting for each organisation's handling, and events whose handling is complete. */
const handleQueue = new Map<string, string[]>();
const outstanding = new Map<string, number>();
const closeQueue: string[] = [];
const deptIds = [...new Set(input.users.filter((u) => u.kind === 'dept').map((u) => u.orgId))];
const townIds = new Set(input.users.filter((u) => u.kind === 'town').map((u) => u.orgId));
const townCentres = input.townCentres.filter((t) => townIds.has(t.orgId));

interface Sim {
  u: BenchUser;
  token: string;
  events: string[];
  todos: { eventId: string; nodeId: string }[];
}

// ---- operations -------------------------------------------------------------------------------
const VIEWS = { processing: 25, all: 25, done: 15, mine: 15, key: 10, city: 10 };
const SCOPES = { selfAndChildren: 60, self: 25, children: 15 };

async function list(s: Sim) {
  const view = weighted(VIEWS);
  const q = new URLSearchParams({ view, scope: weighted(SCOPES), page: String(Math.random() < 0.85 ? 1 : 2 + Math.floor(Math.random() * 4)), pageSize: '20' });
  const kw = Math.random() < 0.2;
  if (kw) q.set('keyword', pick(input.keywords));
  if (Math.random() < 0.1) q.set('typeCode', pick(input.types).code);
  const r = await timed(kw ? 'list keyword' : `list ${view}`, 'GET', `/api/events?${q}`, s.token);
  if (ok(r) && r.body.items.length) s.events = r.body.items.map((x: { id: string }) => x.id);
}

async function todos(s: Sim, box = weighted({ handle: 60, closing: 10, cc: 15, dispatched: 15 })) {
  const q = new URLSearchParams({ box, page: '1', pageSize: '20' });
  if (Math.random() < 0.1) q.set('plate', pick(['green', 'yellow', 'red']));
  // The to-do page asks for the rows and, beside them, the plate counts of the same conditions.
  const [r] = await Promise.all([
    timed('todos', 'GET', `/api/events/todos?${q}`, s.token),
    timed('todo plates', 'GET', `/api/events/todos/plates?box=${box}`, s.token),
  ]);
  if (ok(r) && box === 'handle') s.todos = r.body.items.map((x: { eventId: string; nodeId: string }) => ({ eventId: x.eventId, nodeId: x.nodeId }));
  return r;
}

const summary = (s: Sim) => timed('todo summary', 'GET', '/api/events/todos/summary', s.token);
const detail = (s: Sim, id: string) => timed('detail', 'GET', `/api/events/${id}`, s.token);
const actionOf = (d: Res, action: string): string | null | undefined =>
  ok(d) ? (d.body.actions as { action: string; nodeId: string | null }[]).find((a) => a.action === action)?.nodeId : undefined;

async function viewDetail(s: Sim) {
  if (!s.events.length) return list(s);
  await detail(s, pick(s.events));
}

/** 市城运中心: 发起 → 交办 to a town centre (主办) and a department (协办). */
async function createAndDispatch(s: Sim) {
  const type = pick(input.types);
  const town = pick(townCentres);
  const dept = pick(deptIds);
  const c = await timed('create', 'POST', '/api/events', s.token, {
    typeCode: type.code, title: `${town.townName}${type.name}（压测）`, content: `群众来电反映：${town.townName}存在${type.name}情况，请尽快核实处置。`,
    source: 'hotline', ...(town.regionCode ? { regionCode: town.regionCode } : {}), address: `${town.townName}人民路 8 号附近`, submit: true,
  });
  if (!ok(c)) return;
  workflow.created++;
  const id = c.body.id as string;
  const d = await detail(s, id);
  const nodeId = actionOf(d, 'dispatch');
  if (!nodeId) return skip('create: no dispatch action');
  const r = await timed('dispatch', 'POST', `/api/events/${id}/nodes/${nodeId}/dispatch`, s.token, {
    targets: [
      { orgId: town.orgId, role: 'main', requirement: '请尽快核实处置并反馈。' },
      { orgId: dept, role: 'assist', requirement: '请配合做好处置工作。' },
    ],
    opinion: '请按时限办理。',
  });
  if (!ok(r)) return;
  workflow.dispatched++;
  for (const org of [town.orgId, dept]) {
    const q = handleQueue.get(org) ?? [];
    q.push(id);
    handleQueue.set(org, q);
  }
  outstanding.set(id, 2);
}

/** A town centre or department: find the dispatched event among the to-dos, sign when asked, handle. */
async function handle(s: Sim) {
  const id = handleQueue.get(s.u.orgId)?.shift();
  if (!id) return list(s);
  await todos(s, 'handle');
  let d = await detail(s, id);
  const sign = actionOf(d, 'sign');
  if (sign) {
    const r = await timed('sign', 'POST', `/api/events/${id}/nodes/${sign}/sign`, s.token, { opinion: '已签收' });
    if (!ok(r)) return;
    d = await detail(s, id);
  }
  const nodeId = actionOf(d, 'handle');
  if (!nodeId) return skip(`handle: no handle action (${s.u.kind})`);
  const r = await timed('handle', 'POST', `/api/events/${id}/nodes/${nodeId}/handle`, s.token, { opinion: '已现场核实并处置完毕。' });
  if (!ok(r)) return;
  workflow.handled++;
  const left = (outstanding.get(id) ?? 1) - 1;
  outstanding.set(id, left);
  if (left === 0) closeQueue.push(id);
}

/** 市城运中心: verify and close an event whose handling is complete. */
async function close(s: Sim) {
  const id = closeQueue.shift();
  if (!id) return todos(s, 'closing');
  const d = await detail(s, id);
  if (actionOf(d, 'close') === undefined) return skip('close: no close action');
  const r = await timed('close', 'POST', `/api/events/${id}/close`, s.token, { opinion: '经核查已处置完毕，同意结案。' });
  if (ok(r)) {
    workflow.closed++;
    outstanding.delete(id);
  }
}

/** 跟踪: open the to-do list, pick one, write a progress note (a fresh list: colleagues act on the same to-dos). */
async function track(s: Sim) {
  await todos(s, 'handle');
  if (!s.todos.length) return;
  const t = pick(s.todos);
  await timed('track', 'POST', `/api/events/${t.eventId}/nodes/${t.nodeId}/track`, s.token, { content: '已到现场核实，正在协调处置。' });
}

/** 批示 by the city centre on an event it sees. */
async function instruct(s: Sim) {
  if (!s.events.length) return list(s);
  await timed('instruct', 'POST', `/api/events/${pick(s.events)}/instruct`, s.token, {
    person: '值班领导', dept: '崇州市城市运行管理中心', position: '主任', content: '请相关单位高度重视，妥善处置。',
  });
}

type Op = 'list' | 'todos' | 'summary' | 'detail' | 'create' | 'handle' | 'close' | 'track' | 'instruct';
const MIX: Record<UserKind, Partial<Record<Op, number>>> = {
  city: { list: 30, todos: 10, summary: 10, detail: 20, create: 14, close: 12, track: 2, instruct: 2 },
  town: { list: 32, todos: 14, summary: 12, detail: 20, handle: 18, track: 4 },
  dept: { list: 32, todos: 14, summary: 12, detail: 20, handle: 18, track: 4 },
  community: { list: 40, todos: 18, summary: 14, detail: 24, track: 4 },
};
const RUN: Record<Op, (s: Sim) => Promise<unknown>> = {
  list, todos: (s) => todos(s), summary, detail: viewDetail, create: createAndDispatch, handle, close, track, instruct,
};

// ---- the run ----------------------------------------------------------------------------------
async function user(u: BenchUser, until: number) {
  await sleep(Math.random() * Math.min(3000, input.thinkMs * 2 + 100));
  const t = performance.now();
  const r = await call('POST', '/api/auth/login', undefined, { username: u.username, password: input.password });
  login.times.push(performance.now() - t);
  if (!ok(r)) {
    login.errors++;
    if (errorSamples.length < 12) errorSamples.push(`login ${u.username} → ${r.status} ${r.raw.slice(0, 300)}`);
    return;
  }
  const s: Sim = { u, token: r.body.token, events: [], todos: [] };
  while (Date.now() < until) {
    await RUN[weighted(MIX[u.kind])](s);
    if (input.thinkMs > 0) await sleep(Math.random() * input.thinkMs * 2);
  }
}

const start = Date.now();
const measureFrom = start + input.warmupSeconds * 1000;
const until = measureFrom + input.seconds * 1000;
setTimeout(() => {
  measuring = true;
  parentPort!.postMessage({ type: 'measuring' });
}, measureFrom - start);
await Promise.all(input.users.map((u) => user(u, until)));
measuring = false;
const result: DriverResult = { ops, login, errorSamples, workflow };
parentPort!.postMessage({ type: 'done', result });
agent.destroy();
