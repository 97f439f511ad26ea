import type { FastifyBaseLogger } from 'fastify';
import { asc, inArray, isNotNull, sql } from 'drizzle-orm';
import { ORG_TAG_CITY_CENTRE, ORG_TAG_TOWN_CENTRE, eventNumberPrefix, type EventInput } from '@cityops/contracts';
import { accessVersion } from '../../../core/access-version.js';
import type { Cache } from '../../../core/cache.js';
import type { Db, Tx } from '../../../core/db.js';
import type { Principal } from '../../../core/principal.js';
import { accessRepository } from '../../system/access.repository.js';
import { accessService } from '../../system/access.service.js';
import { orgRepository, type OrgRow } from '../../system/org.repository.js';
import { scopeService } from '../../system/scope.service.js';
import { userRepository } from '../../system/user.repository.js';
import { eventConfigServices } from '../config.services.js';
import { eventActionService } from '../event-actions.service.js';
import { eventIntakeService } from '../event-intake.service.js';
import { eventTargetService, type EventTargetService } from '../event-targets.service.js';
import { evtEvent, evtSequence } from '../event.table.js';
import type { HubDeps } from '../hub.js';
import { nodeActionService } from '../node-actions.service.js';
import { nodeRepository, type NodeRow } from '../node.repository.js';
import { OPEN_NODE_STATUSES, type NodeRole, type NodeStatus } from '../node.table.js';
import { operationRunner } from '../operation.js';
import type { EventClock, EventFiles, EventMessenger } from '../ports.js';
import { reminderService } from '../reminder.service.js';
import { requestRepository } from '../request.repository.js';
import { cstDate } from '../working-time.js';
import { OPINIONS, SOURCE_LEADS, SPOTS, TOWNS, TYPE_TEXTS, TYPES_BY_HANDLER } from './demo-event-texts.js';

/**
 * Demo events (DEMO_DATA with DEMO_EVENTS): about 120 events of Chongzhou over the last 13 months,
 * so that someone trying the product finds a workbench, to-dos, lists, charts and detail pages with
 * something in them. Every event is driven through the hub's real entry points (intake, node and
 * event actions) as the demo accounts, so trees, timelines, requests, messages and to-dos are what
 * the product itself would have written.
 *
 * The services stamp `now`; each step of an event happens at a chosen simulated time instead. Before
 * a step, the event's rows are moved so that the real clock reads that simulated time for them (the
 * step's "frame"); deadlines go through a clock that computes them on the working calendar at the
 * simulated time. After the last step the event is moved back to simulated time in one statement.
 * Numbers are then given again from the created dates, reminders that would have gone out are
 * sent once and dated when they fell due (so the sweep has nothing left to send), and messages
 * older than two days are read.
 *
 * All of it runs in one transaction under an advisory lock, and only while evt_event is empty: a
 * restart, or a second node starting at the same time, adds nothing.
 */

const LOCK = 73_100_002;
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const CST = 8 * HOUR;

export const DEMO_EVENT_ACCOUNTS = ['city_op', 'cy_op', 'ym_op', 'zfj_handler', 'gaj_handler', 'hs_grid'] as const;

export interface DemoEventsDeps {
  cache: Cache;
  messages: EventMessenger;
  files: EventFiles;
  log: FastifyBaseLogger;
}

type Who = 'city' | 'cy' | 'ym' | 'zfj' | 'gaj' | 'hs';
type Dept = 'zfj' | 'gaj';
type Town = 'cy' | 'ym';
const ACCOUNT: Record<Who, (typeof DEMO_EVENT_ACCOUNTS)[number]> = {
  city: 'city_op', cy: 'cy_op', ym: 'ym_op', zfj: 'zfj_handler', gaj: 'gaj_handler', hs: 'hs_grid',
};

interface Area {
  regionCode: string;
  /** What the title starts with: 「蜀州中路」, 「街子镇味江路」, 「北楸社区农贸市场旁」. */
  place: string;
  address: string;
  lat: number;
  lng: number;
  /** The 城运中心 of the town, for 抄送属地. */
  centreId: string;
  townCode: string;
}

/** A small deterministic generator: the same plan on every first start. */
function generator(seed: number) {
  let a = seed >>> 0;
  const rand = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
  const chance = (p: number) => rand() < p;
  return { rand, int, pick, chance };
}
type Random = ReturnType<typeof generator>;

/** CST midnight of the day `t` falls on. */
const cstMidnight = (t: number) => t - ((t + CST) % DAY);

/** Moves a time outside 08:30–18:30 CST to the next morning. */
function officeHours(t: number, rnd: Random) {
  const h = ((t + CST) % DAY) / HOUR;
  if (h >= 8.5 && h < 18.5) return t;
  const day = cstMidnight(t) + (h < 8.5 ? 0 : DAY);
  return day + 8.5 * HOUR + rnd.rand() * 90 * MIN;
}

/** The same calendar day a year earlier, 09:00 CST (29 February → 28 February). */
function sameDayLastYear(now: number) {
  const [y, m, d] = cstDate(new Date(now)).split('-').map(Number) as [number, number, number];
  const last = new Date(Date.UTC(y - 1, m, 0)).getUTCDate();
  return Date.UTC(y - 1, m - 1, Math.min(d, last)) - CST + 9 * HOUR;
}

/** The step that ran last: when it began and ended in real time, and the frame offset it ran in. */
interface LastStep {
  began: number;
  ended: number;
  offset: number;
}

/**
 * Moves an event's rows from the last step's frame to the next one (`deltaMs`; back to simulated
 * time after the last step). The event row, its nodes and its requests are read by later steps, so
 * they move with every frame; timeline rows and messages are read by none, so those the last step
 * wrote are dated in simulated time once. Times stamped with the transaction's now() (messages,
 * directives, a new row's updated_at) belong to the last step. Demo events carry no attachments.
 */
async function shiftEvent(tx: Tx, eventId: string, deltaMs: number, last: LastStep, has: { requests: boolean; directives: boolean }) {
  const d = sql`(${deltaMs}::float8 * interval '1 millisecond')`;
  const at = (ms: number) => sql`${new Date(ms).toISOString()}::timestamptz`;
  const fresh = (column: string) => sql`(case when ${sql.raw(column)} = now() then ${at(last.ended)} else ${sql.raw(column)} end + ${d})`;
  const plus = (...columns: string[]) => sql.join(columns.map((c) => sql`${sql.raw(c)} = ${sql.raw(c)} + ${d}`), sql`, `);
  const parts = [
    sql`e as (update evt_event set ${plus('created_at', 'occurred_at', 'submitted_at', 'closed_at', 'city_dispatched_at', 'deadline', 'warn_at')},
      updated_at = ${fresh('updated_at')} where id = ${eventId} returning 1)`,
    sql`n as (update evt_node set ${plus('deadline', 'warn_at', 'signed_at', 'handled_at', 'warned_at', 'overdue_at', 'ended_at', 'created_at')},
      updated_at = ${fresh('updated_at')} where event_id = ${eventId} returning 1)`,
    sql`l as (update evt_log set created_at = created_at - ${last.offset}::float8 * interval '1 millisecond'
      where event_id = ${eventId} and created_at >= ${at(last.began)} returning 1)`,
    sql`m as (update msg_message set created_at = ${at(last.ended - last.offset)} where event_id = ${eventId} and created_at = now() returning 1)`,
  ];
  if (has.requests) parts.push(sql`r as (update evt_request set ${plus('old_deadline', 'new_deadline', 'created_at', 'audited_at')} where event_id = ${eventId} returning 1)`);
  if (has.directives) parts.push(sql`v as (update evt_directive set ${plus('issued_at')}, created_at = ${fresh('created_at')} where event_id = ${eventId} returning 1)`);
  await tx.execute(sql`with ${sql.join(parts, sql`, `)} select 1`);
}

/** The hub's services over the seeding transaction, with a clock that works in simulated time. */
function services(tx: Tx, d: DemoEventsDeps) {
  const db = tx as unknown as Db;
  const config = eventConfigServices(tx, d.cache);
  const frame = { offset: 0 };
  const moved = (t: Date, by: number) => new Date(t.getTime() + by);
  const clock: EventClock = {
    async deadline(from, limit) {
      const r = await config.clock.deadline(moved(from, -frame.offset), limit);
      return { deadline: moved(r.deadline, frame.offset), warnAt: moved(r.warnAt, frame.offset) };
    },
    async warnAtFor(from, deadline, warnRatio) {
      return moved(await config.clock.warnAtFor(moved(from, -frame.offset), moved(deadline, -frame.offset), warnRatio), frame.offset);
    },
  };
  // Organisations do not change while seeding: who may send to whom is worked out once per organisation and mode.
  const targets = eventTargetService(tx);
  const reach = new Map<string, ReturnType<typeof targets.candidates>>();
  const memo: EventTargetService = {
    ...targets,
    candidates(actor, mode) {
      const key = `${actor.orgId}:${mode}`;
      if (!reach.has(key)) reach.set(key, targets.candidates(actor, mode));
      return reach.get(key)!;
    },
  };
  const hub: HubDeps = {
    db, files: d.files, clock, types: config.types, scope: scopeService(tx, accessVersion(d.cache)),
    runner: operationRunner(db, d.messages), targets: memo,
  };
  return { tx, frame, clock, types: config.types, intake: eventIntakeService(hub), nodes: nodeActionService(hub), events: eventActionService(hub) };
}
type Services = ReturnType<typeof services>;

interface RunOptions {
  /** Simulated creation time. */
  at: number;
  /** Minutes the handling takes in all (the steps' waits are shares of it). */
  budget: number;
  /** Stop before the step with this label: the event stays open there. */
  until?: string;
  /** Emergencies and sensors do not wait for office hours. */
  anyHour?: boolean;
}

/** One event's steps in simulated time, each through a service entry point. */
class Run {
  id = '';
  private t: number;
  private last: LastStep = { began: 0, ended: 0, offset: 0 };
  private halted = false;
  /** What the event has written besides its row, nodes, timeline and messages. */
  private has = { requests: false, directives: false };

  constructor(private s: Services, private rnd: Random, private now: number, private o: RunOptions) {
    this.t = o.at;
  }

  /** A share of the handling time, in minutes. */
  part(share: number) {
    return this.o.budget * share * (0.8 + 0.4 * this.rnd.rand());
  }

  /** A short wait (dispatching, signing), never more than a tenth of the handling time. */
  quick(lo: number, hi: number) {
    return Math.min(this.rnd.int(lo, hi), this.o.budget * 0.1);
  }

  /** Runs `fn` `minutes` after the previous step, unless the event is to stay open before `label`. */
  async step(label: string, minutes: number, fn: () => Promise<unknown>) {
    if (this.halted || label === this.o.until) {
      this.halted = true;
      return false;
    }
    let t = this.id ? this.t + minutes * MIN : this.o.at;
    if (this.id && !this.o.anyHour) {
      const office = officeHours(t, this.rnd);
      if (office <= this.now - 30 * MIN) t = office;
    }
    // Whole milliseconds: the moves add up exactly.
    t = Math.round(Math.min(t, this.now - MIN));
    if (this.id) t = Math.max(t, this.t + 1000);
    this.t = t;
    const began = Date.now();
    const offset = began - t;
    if (this.id) await shiftEvent(this.s.tx, this.id, offset - this.last.offset, this.last, this.has);
    this.s.frame.offset = offset;
    await fn();
    this.last = { began, ended: Date.now(), offset };
    return true;
  }

  /** Back to simulated time. */
  async finish() {
    if (this.o.until && !this.halted) throw new Error(`demo events: the flow of event ${this.id} has no step '${this.o.until}' to stop at`);
    if (this.id) await shiftEvent(this.s.tx, this.id, -this.last.offset, this.last, this.has);
  }

  // ---- the operations, as the detail page offers them ----

  async create(user: Principal, input: Omit<EventInput, 'occurredAt'>, o: { occurredBefore: number; submit?: boolean }) {
    const occurredAt = new Date(Date.now() - o.occurredBefore * MIN).toISOString();
    const ref = await this.s.intake.create(user, { ...input, occurredAt, submit: o.submit ?? true });
    this.id = ref.id;
  }

  private async node(user: Principal, roles: NodeRole[] = ['main', 'assist'], statuses: NodeStatus[] = OPEN_NODE_STATUSES): Promise<NodeRow> {
    const nodes = await nodeRepository(this.s.tx).ofEvent(this.id);
    const n = nodes.filter((x) => x.orgId === user.orgId && roles.includes(x.role) && statuses.includes(x.status)).at(-1);
    if (!n) throw new Error(`demo events: ${user.orgName} has no node to act on in event ${this.id}`);
    return n;
  }

  async dispatch(user: Principal, targets: { org: string; role: NodeRole; requirement?: string }[], o: { isKey?: boolean; transferClose?: boolean; opinion?: string } = {}) {
    const node = await this.node(user);
    await this.s.nodes.dispatch(user, this.id, node.id, {
      targets: targets.map((t) => ({ orgId: t.org, role: t.role, requirement: t.requirement, fileIds: [] })),
      opinion: o.opinion, transferClose: !!o.transferClose, isKey: o.isKey,
    });
  }

  async sign(user: Principal) {
    await this.s.nodes.sign(user, this.id, (await this.node(user)).id, { opinion: OPINIONS.sign });
  }

  async track(user: Principal, content: string) {
    await this.s.nodes.track(user, this.id, (await this.node(user)).id, { content, fileIds: [] });
  }

  async handle(user: Principal, opinion: string) {
    await this.s.nodes.handle(user, this.id, (await this.node(user)).id, { opinion, fileIds: [] });
  }

  async report(user: Principal, targetOrgId: string, opinion: string) {
    await this.s.nodes.report(user, this.id, (await this.node(user)).id, { targetOrgId, opinion, fileIds: [] });
  }

  async assist(user: Principal, orgId: string, requirement: string) {
    await this.s.nodes.assist(user, this.id, (await this.node(user)).id, { targets: [{ orgId, requirement, fileIds: [] }] });
  }

  /** 延期 by `workdays` from the later of now and the current deadline. */
  async delay(user: Principal, reason: string, workdays: number) {
    const node = await this.node(user);
    const from = new Date(Math.max(Date.now(), node.deadline?.getTime() ?? 0));
    const { deadline } = await this.s.clock.deadline(from, { value: workdays, unit: 'workday', warnRatio: 0.2 });
    this.has.requests = true;
    await this.s.nodes.delay(user, this.id, node.id, { newDeadline: deadline.toISOString(), reason });
  }

  async requestReturn(user: Principal, reason: string) {
    this.has.requests = true;
    await this.s.nodes.requestReturn(user, this.id, (await this.node(user)).id, { reason, fileIds: [] });
  }

  async audit(user: Principal, approve: boolean, opinion: string) {
    const pending = await requestRepository(this.s.tx).pendingOfEvent(this.id);
    const request = pending.find((r) => r.auditorOrgId === user.orgId);
    if (!request) throw new Error(`demo events: nothing for ${user.orgName} to audit in event ${this.id}`);
    await this.s.nodes.audit(user, request.id, { approve, opinion });
  }

  async read(user: Principal) {
    await this.s.nodes.read(user, this.id, (await this.node(user, ['cc'], ['todo'])).id);
  }

  async rework(user: Principal, orgId: string, opinion: string) {
    const nodes = await nodeRepository(this.s.tx).ofEvent(this.id);
    const ids = nodes.filter((n) => n.orgId === orgId && n.status === 'submitted' && n.role !== 'cc').map((n) => n.id);
    await this.s.events.rework(user, this.id, { nodeIds: ids, opinion });
  }

  async directive(user: Principal, kind: 'instruct' | 'supervise', content: string) {
    const body = { person: user.name, dept: user.orgName ?? '', content, fileIds: [] };
    this.has.directives = true;
    await (kind === 'instruct' ? this.s.events.instruct(user, this.id, body) : this.s.events.supervise(user, this.id, body));
  }

  async close(user: Principal, opinion: string, forced = false) {
    const body = { opinion, fileIds: [] };
    await (forced ? this.s.events.forceClose(user, this.id, body) : this.s.events.close(user, this.id, body));
  }

  async key(user: Principal) {
    await this.s.events.setKey(user, this.id, true);
  }

  async voidEvent(user: Principal, reason: string) {
    await this.s.events.voidEvent(user, this.id, reason);
  }
}

/** The demo accounts and organisations the events are about. */
async function loadWorld(tx: Tx) {
  const users = userRepository(tx);
  const orgs = orgRepository(tx);
  const access = accessService(accessRepository(tx));
  const P = {} as Record<Who, Principal>;
  for (const [who, username] of Object.entries(ACCOUNT) as [Who, string][]) {
    const u = await users.byUsername(username);
    const org = u?.orgId ? await orgs.byId(u.orgId) : undefined;
    if (!u || !u.enabled || !org) return undefined;
    P[who] = { id: u.id, username: u.username, name: u.name, orgId: org.id, orgName: org.name, orgPath: org.path, orgLevel: org.level, orgTags: org.tags, permissions: await access.permissionsOf(u.id), token: '' };
  }
  const all = (await orgs.all()).filter((o) => o.enabled);
  const towns = all.filter((o) => o.level === 'town' && o.regionCode && TOWNS[o.regionCode]).sort((a, b) => a.regionCode!.localeCompare(b.regionCode!));
  const centreOf = new Map<string, OrgRow>();
  for (const o of all) if (o.parentId && o.tags.includes(ORG_TAG_TOWN_CENTRE)) centreOf.set(o.parentId, o);
  const townOf = (who: Town) => all.find((o) => o.id === all.find((c) => c.id === P[who].orgId)?.parentId);
  const cyTown = townOf('cy');
  const ymTown = townOf('ym');
  const city = all.find((o) => o.tags.includes(ORG_TAG_CITY_CENTRE));
  if (!towns.length || !cyTown || !ymTown || !city || towns.some((t) => !centreOf.has(t.id))) return undefined;
  const communitiesOf = (town: OrgRow) => all.filter((o) => o.parentId === town.id && o.level === 'community' && o.regionCode);
  const O: Record<Who, string> = { city: city.id, cy: P.cy.orgId!, ym: P.ym.orgId!, zfj: P.zfj.orgId!, gaj: P.gaj.orgId!, hs: P.hs.orgId! };
  const hsOrg = all.find((o) => o.id === O.hs)!;
  return { P, O, towns, centreOf, cyTown, ymTown, hsOrg, communitiesOf };
}
type World = NonNullable<Awaited<ReturnType<typeof loadWorld>>>;

/**
 * Seeds the demo events on a database without events; returns how many were made and how long it
 * took, or null when there was nothing to do (events exist, or the demo accounts are missing). A
 * failure leaves no event behind and is logged: the product starts without demo events.
 */
export async function seedDemoEvents(db: Db, d: DemoEventsDeps): Promise<{ events: number; ms: number } | null> {
  const started = performance.now();
  const count = await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${LOCK})`);
    const [existing] = await tx.select({ id: evtEvent.id }).from(evtEvent).limit(1);
    if (existing) return null;
    const world = await loadWorld(tx);
    if (!world) {
      d.log.warn('demo events skipped: the demo accounts or organisations of Chongzhou are missing');
      return null;
    }
    const s = services(tx, d);
    const now = Date.now();
    const plans = await plan(world, s, generator(20_261_124), now);
    for (const p of plans) {
      const run = new Run(s, p.rnd, now, p.options);
      await p.flow(run);
      await run.finish();
    }
    await renumber(tx);
    await remind(tx, d.messages);
    await readOldMessages(tx, now);
    return plans.length;
  }).catch((err: unknown) => {
    d.log.error({ err }, 'demo events could not be created');
    return null;
  });
  if (count === null) return null;
  const ms = Math.round(performance.now() - started);
  d.log.info({ events: count, ms }, 'demo events created');
  return { events: count, ms };
}

/** Numbers from the created dates (prefix, CST day, the day's sequence in creation order), and the sequences to go on from. */
async function renumber(tx: Tx) {
  const rows = await tx.select({ id: evtEvent.id, no: evtEvent.no, source: evtEvent.source, createdAt: evtEvent.createdAt })
    .from(evtEvent).where(isNotNull(evtEvent.no)).orderBy(asc(evtEvent.createdAt), asc(evtEvent.id));
  if (!rows.length) return;
  // The numbers handed out while seeding were all of today: their sequences start again.
  const used = [...new Set(rows.map((r) => r.no!.slice(0, -6)))];
  await tx.update(evtEvent).set({ no: null }).where(isNotNull(evtEvent.no));
  await tx.delete(evtSequence).where(inArray(evtSequence.key, used));
  const last = new Map<string, number>();
  const ids: string[] = [];
  const nos: string[] = [];
  for (const r of rows) {
    const key = `${eventNumberPrefix(r.source)}${cstDate(r.createdAt).replaceAll('-', '')}`;
    const n = (last.get(key) ?? 0) + 1;
    last.set(key, n);
    ids.push(r.id);
    nos.push(`${key}${String(n).padStart(6, '0')}`);
  }
  await tx.execute(sql`update evt_event e set no = v.no
    from (select unnest(${`{${ids.join(',')}}`}::uuid[]) as id, unnest(${`{${nos.join(',')}}`}::text[]) as no) v where e.id = v.id`);
  // One statement for the couple of hundred days (each key once, so no row is updated twice).
  await tx.insert(evtSequence).values([...last].map(([key, value]) => ({ key, value })))
    .onConflictDoUpdate({ target: evtSequence.key, set: { value: sql`greatest(${evtSequence.value}, excluded.value)` } });
}

/**
 * The 临期/超期 reminders the sweep would have sent while the open to-dos aged, sent now by the
 * sweep itself and then dated when they fell due: the running sweep finds nothing left to send.
 */
async function remind(tx: Tx, messages: EventMessenger) {
  await reminderService(tx as unknown as Db, messages).sweep(new Date());
  await tx.execute(sql`update msg_message m set created_at = case m.kind when 'warn' then n.warn_at else n.deadline end
    from evt_node n, sys_user u
    where m.kind in ('warn', 'overdue') and m.event_id = n.event_id and u.id = m.user_id and n.org_id = u.org_id
      and n.status in ('todo', 'waiting', 'closing') and n.role <> 'cc'`);
  await tx.execute(sql`update evt_node set warned_at = warn_at where warned_at is not null`);
  await tx.execute(sql`update evt_node set overdue_at = deadline where overdue_at is not null`);
}

/** People have read what is older than two days; the rest is unread, as it would be. */
async function readOldMessages(tx: Tx, now: number) {
  await tx.execute(sql`update msg_message set read_at = created_at + (5 + 100 * random()) * interval '1 minute'
    where event_id is not null and read_at is null and created_at < ${new Date(now - 2 * DAY).toISOString()}::timestamptz`);
}

// ---------------------------------------------------------------------------------------------
// The plan: which events, when, and how far each goes.
// ---------------------------------------------------------------------------------------------

interface Planned {
  options: RunOptions;
  rnd: Random;
  flow: (r: Run) => Promise<void>;
}

/** What a flow needs to know about the event it drives. */
interface Subject {
  type: string;
  source: string;
  area: Area;
}

async function plan(w: World, s: Services, rnd: Random, now: number): Promise<Planned[]> {
  const { P, O } = w;

  // Types of the catalogue that are selectable now, with their limits in minutes of elapsed time.
  const spans = new Map<string, { minutes: number; natural: boolean }>();
  for (const code of Object.keys(TYPE_TEXTS)) {
    const t = await s.types.get(code);
    if (!t || !t.enabled) continue;
    const minutes = t.limitUnit === 'hour' ? t.limitValue * 60
      : t.limitUnit === 'day' ? t.limitValue * 1440
      : t.limitUnit === 'workhour' ? t.limitValue * 150 : t.limitValue * 1440 * 1.3;
    spans.set(code, { minutes, natural: t.limitUnit === 'hour' || t.limitUnit === 'day' });
  }
  const usable = (codes: readonly string[]) => codes.filter((c) => spans.has(c));
  const typeFor = (handler: keyof typeof TYPES_BY_HANDLER, wanted?: string) => {
    const list = usable(TYPES_BY_HANDLER[handler]);
    if (wanted && spans.has(wanted)) return wanted;
    return list.length ? rnd.pick(list) : [...spans.keys()][0]!;
  };
  if (!spans.size) return [];

  // ---- places ----
  const jitter = () => (rnd.rand() - 0.5) * 0.02;
  const townArea = (town: OrgRow): Area => {
    const code = town.regionCode!;
    const place = rnd.pick(TOWNS[code]!.places);
    const core = code === w.cyTown.regionCode || code === '510184006';
    const named = core || place.startsWith(town.name.slice(0, 2)) ? place : `${town.name}${place}`;
    const at = rnd.chance(0.5) ? `${rnd.int(1, 320)}号附近` : '';
    return {
      regionCode: code, place: named, address: `${town.name}${place}${at}`,
      lat: TOWNS[code]!.lat + jitter(), lng: TOWNS[code]!.lng + jitter(), centreId: w.centreOf.get(town.id)!.id, townCode: code,
    };
  };
  const communityArea = (town: OrgRow, community?: OrgRow): Area => {
    const c = community ?? rnd.pick(w.communitiesOf(town));
    const spot = rnd.pick(SPOTS);
    const base = townArea(town);
    return { ...base, regionCode: c.regionCode!, place: `${c.name}${spot}`, address: `${town.name}${c.name}${spot}` };
  };
  const hsArea = () => communityArea(w.cyTown, w.hsOrg);
  const cyArea = () => (rnd.chance(0.5) ? communityArea(w.cyTown) : townArea(w.cyTown));
  const ymArea = () => (rnd.chance(0.5) ? communityArea(w.ymTown) : townArea(w.ymTown));
  /** Anywhere in Chongzhou, the urban towns more often. */
  const anyArea = () => {
    const r = rnd.rand();
    if (r < 0.25) return cyArea();
    if (r < 0.35) return ymArea();
    return townArea(rnd.pick(w.towns));
  };

  // ---- the input a reporter types ----
  const input = (x: Subject): Omit<EventInput, 'occurredAt'> => {
    const text = TYPE_TEXTS[x.type]!;
    const body = x.source === 'iot' && text.iot ? text.iot : `${SOURCE_LEADS[x.source] ?? ''}${text.content}`;
    return {
      typeCode: x.type, title: `${x.area.place}${rnd.pick(text.titles)}`.slice(0, 100), content: body.replace('{a}', x.area.address), source: x.source,
      regionCode: x.area.regionCode, address: x.area.address, lat: Number(x.area.lat.toFixed(6)), lng: Number(x.area.lng.toFixed(6)),
      formData: text.form ?? {}, fileIds: [],
    };
  };
  const occurred = (x: Subject) => (x.source === 'iot' ? rnd.int(1, 5) : rnd.int(10, 240));
  const text = (x: Subject) => TYPE_TEXTS[x.type]!;

  // ---- flows: each written to the end; `until` leaves the event open before a step ----

  /** 市城运中心 receives (12345, 网络理政, 数字城管, …) and dispatches to a department. */
  const cityDept = (x: Subject & {
    dept: Dept; cc?: string[]; isKey?: boolean; sign?: boolean; track?: boolean; assistOther?: boolean;
    delay?: 'approve' | 'refuse'; rework?: boolean; transfer?: boolean; instruct?: boolean; supervise?: boolean; force?: boolean;
  }) => async (r: Run) => {
    const dept = P[x.dept];
    const other: Dept = x.dept === 'zfj' ? 'gaj' : 'zfj';
    await r.step('create', 0, () => r.create(P.city, input(x), { occurredBefore: occurred(x) }));
    await r.step('dispatch', r.quick(5, 40), () => r.dispatch(P.city, [
      { org: O[x.dept], role: 'main', requirement: rnd.pick(OPINIONS.requirement) },
      ...(x.cc ?? []).map((org) => ({ org, role: 'cc' as const })),
    ], { isKey: x.isKey, transferClose: x.transfer, opinion: rnd.pick(OPINIONS.dispatch) }));
    if (x.instruct) await r.step('instruct', r.quick(20, 90), () => r.directive(P.city, 'instruct', rnd.pick(OPINIONS.instruct)));
    if (x.sign) await r.step('sign', r.quick(10, 60), () => r.sign(dept));
    if (x.cc?.includes(O.cy)) await r.step('read', r.quick(20, 120), () => r.read(P.cy));
    if (x.track) await r.step('track', r.part(0.25), () => r.track(dept, text(x).track));
    if (x.delay) {
      await r.step('delay', r.part(0.2), () => r.delay(dept, rnd.pick(OPINIONS.delay), 3));
      await r.step('audit', r.quick(60, 240), () => r.audit(P.city, x.delay === 'approve', x.delay === 'approve' ? '同意延期，请在新期限内办结。' : '期限内可以办结，不同意延期。'));
    }
    if (x.supervise) await r.step('supervise', r.part(0.15), () => r.directive(P.city, 'supervise', rnd.pick(OPINIONS.supervise)));
    if (x.force) {
      await r.step('close', r.part(0.5), () => r.close(P.city, OPINIONS.force, true));
      return;
    }
    if (x.assistOther) {
      await r.step('assist', r.quick(30, 120), () => r.assist(dept, O[other], OPINIONS.assist));
      await r.step('assist-handle', r.part(0.2), () => r.handle(P[other], '已派员配合开展联合执法。'));
    }
    await r.step('handle', r.part(0.3), () => r.handle(dept, rnd.pick(text(x).handle)));
    if (x.rework) {
      await r.step('rework', r.quick(60, 240), () => r.rework(P.city, O[x.dept], OPINIONS.rework));
      await r.step('rehandle', r.part(0.2), () => r.handle(dept, '已重新处置，现场复查无遗留问题，已补充处置后照片。'));
    }
    await r.step('close', r.quick(30, 300), () => r.close(x.transfer ? dept : P.city, rnd.pick(OPINIONS.close)));
  };

  /** 市城运中心 dispatches to a 镇街城运中心, which may pass it to 汇蜀社区 or ask a department to assist. */
  const cityTown = (x: Subject & {
    town: Town; viaHs?: boolean; assist?: Dept; cc?: string[]; isKey?: boolean; sign?: boolean; track?: boolean;
    wrongTown?: boolean; hsDelay?: boolean; instruct?: boolean; supervise?: boolean; force?: boolean;
  }) => async (r: Run) => {
    const town = P[x.town];
    const wrong: Town = x.town === 'cy' ? 'ym' : 'cy';
    await r.step('create', 0, () => r.create(P.city, input(x), { occurredBefore: occurred(x) }));
    const first = x.wrongTown ? wrong : x.town;
    await r.step('dispatch', r.quick(5, 40), () => r.dispatch(P.city, [
      { org: O[first], role: 'main', requirement: rnd.pick(OPINIONS.requirement) },
      ...(x.cc ?? []).map((org) => ({ org, role: 'cc' as const })),
    ], { isKey: x.isKey, opinion: rnd.pick(OPINIONS.dispatch) }));
    if (x.wrongTown) {
      await r.step('return', r.quick(30, 120), () => r.requestReturn(P[wrong], OPINIONS.returns[0]));
      await r.step('return-audit', r.quick(20, 90), () => r.audit(P.city, true, '同意退回，已重新派发属地。'));
      await r.step('redispatch', r.quick(5, 30), () => r.dispatch(P.city, [{ org: O[x.town], role: 'main', requirement: rnd.pick(OPINIONS.requirement) }]));
    }
    if (x.instruct) await r.step('instruct', r.quick(20, 90), () => r.directive(P.city, 'instruct', rnd.pick(OPINIONS.instruct)));
    if (x.sign) await r.step('sign', r.quick(10, 60), () => r.sign(town));
    if (x.viaHs && x.town === 'cy') {
      await r.step('dispatch-down', r.quick(20, 120), () => r.dispatch(P.cy, [{ org: O.hs, role: 'main', requirement: '请社区组织人员到场处置。' }]));
      if (x.hsDelay) {
        await r.step('hs-delay', r.part(0.2), () => r.delay(P.hs, rnd.pick(OPINIONS.delay), 2));
        await r.step('hs-delay-audit', r.quick(60, 240), () => r.audit(P.cy, true, '同意延期。'));
      }
      if (x.supervise) await r.step('supervise', r.part(0.2), () => r.directive(P.city, 'supervise', rnd.pick(OPINIONS.supervise)));
      await r.step('hs-handle', r.part(0.3), () => r.handle(P.hs, rnd.pick(text(x).handle)));
    } else if (x.supervise) {
      await r.step('supervise', r.part(0.2), () => r.directive(P.city, 'supervise', rnd.pick(OPINIONS.supervise)));
    }
    if (x.assist) {
      await r.step('assist', r.quick(30, 120), () => r.assist(town, O[x.assist!], OPINIONS.assist));
      await r.step('assist-handle', r.part(0.2), () => r.handle(P[x.assist!], '已派员配合处置。'));
    }
    if (x.track) await r.step('track', r.part(0.2), () => r.track(town, text(x).track));
    if (x.force) {
      await r.step('close', r.part(0.4), () => r.close(P.city, OPINIONS.force, true));
      return;
    }
    await r.step('handle', r.part(0.2), () => r.handle(town, x.viaHs ? '街道已复核社区处置结果，符合要求。' : rnd.pick(text(x).handle)));
    await r.step('close', r.quick(30, 300), () => r.close(P.city, rnd.pick(OPINIONS.close)));
  };

  /** 汇蜀社区's grid worker reports to 崇阳街道城运中心, which handles, dispatches, or reports to the city. */
  const gridReport = (x: Subject & { path: 'cy-handle' | 'cy-dispatch' | 'city'; dept?: Dept; isKey?: boolean }) => async (r: Run) => {
    const dept = x.dept ?? 'zfj';
    await r.step('create', 0, () => r.create(P.hs, input(x), { occurredBefore: occurred(x) }));
    await r.step('report', r.quick(10, 60), () => r.report(P.hs, O.cy, rnd.pick(OPINIONS.report)));
    if (x.path === 'cy-handle') {
      if (x.isKey) await r.step('key', r.quick(5, 30), () => r.key(P.cy));
      await r.step('track', r.part(0.3), () => r.track(P.cy, text(x).track));
      await r.step('handle', r.part(0.5), () => r.handle(P.cy, rnd.pick(text(x).handle)));
      await r.step('close', r.quick(30, 240), () => r.close(P.cy, rnd.pick(OPINIONS.close)));
    } else if (x.path === 'cy-dispatch') {
      await r.step('dispatch', r.quick(10, 90), () => r.dispatch(P.cy, [{ org: O[dept], role: 'main', requirement: rnd.pick(OPINIONS.requirement) }]));
      await r.step('handle', r.part(0.6), () => r.handle(P[dept], rnd.pick(text(x).handle)));
      await r.step('close', r.quick(30, 240), () => r.close(P.cy, rnd.pick(OPINIONS.close)));
    } else {
      await r.step('report-city', r.quick(60, 180), () => r.report(P.cy, O.city, OPINIONS.report[1]));
      await r.step('dispatch', r.quick(10, 90), () => r.dispatch(P.city, [{ org: O[dept], role: 'main', requirement: rnd.pick(OPINIONS.requirement) }], { opinion: rnd.pick(OPINIONS.dispatch) }));
      await r.step('sign', r.quick(10, 60), () => r.sign(P[dept]));
      await r.step('handle', r.part(0.6), () => r.handle(P[dept], rnd.pick(text(x).handle)));
      await r.step('close', r.quick(30, 240), () => r.close(P.city, rnd.pick(OPINIONS.close)));
    }
  };

  /** 自查自处: 汇蜀社区 finds and handles it. */
  const gridSelf = (x: Subject) => async (r: Run) => {
    await r.step('create', 0, () => r.create(P.hs, input(x), { occurredBefore: occurred(x) }));
    await r.step('handle', r.part(0.7), () => r.handle(P.hs, rnd.pick(text(x).handle)));
    await r.step('close', r.quick(10, 120), () => r.close(P.hs, '已自行处置完毕，结案。'));
  };

  /** A 镇街城运中心 finds it: handles itself, sends 汇蜀社区, asks a department to assist or dispatches sideways. */
  const townSelf = (x: Subject & { town: Town; mode: 'self' | 'hs' | 'assist' | 'sideways'; dept?: Dept; cc?: string[]; hsDelay?: boolean; deptDelay?: boolean }) => async (r: Run) => {
    const town = P[x.town];
    const dept = x.dept ?? 'zfj';
    await r.step('create', 0, () => r.create(town, input(x), { occurredBefore: occurred(x) }));
    if (x.mode === 'self') {
      await r.step('track', r.part(0.3), () => r.track(town, text(x).track));
      await r.step('handle', r.part(0.5), () => r.handle(town, rnd.pick(text(x).handle)));
    } else if (x.mode === 'hs') {
      await r.step('dispatch', r.quick(10, 60), () => r.dispatch(P.cy, [
        { org: O.hs, role: 'main', requirement: '请社区组织人员到场处置。' }, ...(x.cc ?? []).map((org) => ({ org, role: 'cc' as const })),
      ]));
      if (x.hsDelay) {
        await r.step('hs-delay', r.part(0.3), () => r.delay(P.hs, rnd.pick(OPINIONS.delay), 3));
        await r.step('hs-delay-audit', r.quick(60, 240), () => r.audit(P.cy, true, '同意延期。'));
      }
      await r.step('hs-handle', r.part(0.5), () => r.handle(P.hs, rnd.pick(text(x).handle)));
    } else if (x.mode === 'assist') {
      await r.step('assist', r.quick(10, 60), () => r.assist(town, O[dept], OPINIONS.assist));
      await r.step('assist-handle', r.part(0.4), () => r.handle(P[dept], '已派员配合处置。'));
      await r.step('handle', r.part(0.3), () => r.handle(town, rnd.pick(text(x).handle)));
    } else {
      await r.step('dispatch', r.quick(10, 60), () => r.dispatch(town, [
        { org: O[dept], role: 'main', requirement: rnd.pick(OPINIONS.requirement) }, ...(x.cc ?? []).map((org) => ({ org, role: 'cc' as const })),
      ]));
      if (x.deptDelay) {
        await r.step('delay', r.part(0.3), () => r.delay(P[dept], rnd.pick(OPINIONS.delay), 3));
        await r.step('delay-audit', r.quick(60, 240), () => r.audit(town, true, '同意延期。'));
      }
      await r.step('handle', r.part(0.5), () => r.handle(P[dept], rnd.pick(text(x).handle)));
    }
    await r.step('close', r.quick(30, 240), () => r.close(town, rnd.pick(OPINIONS.close)));
  };

  /** A department finds it (巡查, 物联告警): handles itself, with help, sideways, or reports to the city. */
  const deptSelf = (x: Subject & { dept: Dept; mode: 'self' | 'assist' | 'sideways' | 'report'; cc?: string[]; returned?: boolean; toTown?: Town }) => async (r: Run) => {
    const dept = P[x.dept];
    const other: Dept = x.dept === 'zfj' ? 'gaj' : 'zfj';
    await r.step('create', 0, () => r.create(dept, input(x), { occurredBefore: occurred(x) }));
    if (x.mode === 'self') {
      await r.step('handle', r.part(0.7), () => r.handle(dept, rnd.pick(text(x).handle)));
      await r.step('close', r.quick(10, 120), () => r.close(dept, rnd.pick(OPINIONS.close)));
    } else if (x.mode === 'assist') {
      await r.step('assist', r.quick(10, 60), () => r.assist(dept, O[other], OPINIONS.assist));
      await r.step('assist-handle', r.part(0.4), () => r.handle(P[other], '已派员配合开展联合执法。'));
      await r.step('handle', r.part(0.3), () => r.handle(dept, rnd.pick(text(x).handle)));
      await r.step('close', r.quick(10, 120), () => r.close(dept, rnd.pick(OPINIONS.close)));
    } else if (x.mode === 'sideways') {
      await r.step('dispatch', r.quick(10, 60), () => r.dispatch(dept, [
        { org: O[other], role: 'main', requirement: rnd.pick(OPINIONS.requirement) }, ...(x.cc ?? []).map((org) => ({ org, role: 'cc' as const })),
      ]));
      if (x.returned) {
        await r.step('return', r.quick(30, 180), () => r.requestReturn(P[other], OPINIONS.returns[1]));
        await r.step('return-audit', r.quick(30, 180), () => r.audit(dept, true, '同意退回，由本单位自行处置。'));
        await r.step('handle', r.part(0.5), () => r.handle(dept, rnd.pick(text(x).handle)));
      } else {
        await r.step('handle', r.part(0.6), () => r.handle(P[other], rnd.pick(text(x).handle)));
      }
      await r.step('close', r.quick(10, 120), () => r.close(dept, rnd.pick(OPINIONS.close)));
    } else {
      const target: Who = x.toTown ?? other;
      await r.step('report', r.quick(5, 30), () => r.report(dept, O.city, OPINIONS.report[1]));
      await r.step('dispatch', r.quick(10, 90), () => r.dispatch(P.city, [{ org: O[target], role: 'main', requirement: rnd.pick(OPINIONS.requirement) }], { opinion: rnd.pick(OPINIONS.dispatch) }));
      await r.step('sign', r.quick(10, 60), () => r.sign(P[target]));
      await r.step('handle', r.part(0.6), () => r.handle(P[target], rnd.pick(text(x).handle)));
      await r.step('close', r.quick(30, 240), () => r.close(P.city, rnd.pick(OPINIONS.close)));
    }
  };

  const voided = (x: Subject & { who: Who; reason: string }) => async (r: Run) => {
    await r.step('create', 0, () => r.create(P[x.who], input(x), { occurredBefore: occurred(x) }));
    await r.step('void', r.quick(5, 90), () => r.voidEvent(P[x.who], x.reason));
  };

  const draft = (x: Subject) => async (r: Run) => {
    await r.step('create', 0, () => r.create(P.hs, input(x), { occurredBefore: occurred(x), submit: false }));
  };

  // ---- subjects ----
  const cityLead = () => rnd.pick(['hotline', 'hotline', 'hotline', 'online', 'urban', 'linkage', 'platform'] as const);
  const sub = (type: string, source: string, area: Area): Subject => ({ type, source, area });
  const out: Planned[] = [];
  const natural = (type: string) => spans.get(type)?.natural ?? false;
  const add = (at: number, flow: (r: Run) => Promise<void>, x: Subject, o: { until?: string } = {}) => {
    const age = (now - at) / MIN;
    const span = spans.get(x.type)!.minutes;
    // Open: the steps so far fill most of the age. Closed: handled within (or a little past) the limit.
    const budget = o.until ? age * 0.85 : Math.max(30, Math.min(span * (0.2 + rnd.rand() * 0.95), age * 0.9));
    out.push({ options: { at, budget, until: o.until, anyHour: natural(x.type) || x.source === 'iot' }, rnd, flow });
  };
  const ago = (minutes: number) => now - minutes * MIN;
  /** An area of the other towns (not 崇阳/羊马) for 抄送属地. */
  const ccOf = (a: Area) => (a.townCode !== w.cyTown.regionCode && a.townCode !== w.ymTown.regionCode && rnd.chance(0.5) ? [a.centreId] : []);

  // ---- open: the to-dos each demo account finds on the workbench ----
  const open: [minutesAgo: number, until: string, make: () => [(r: Run) => Promise<void>, Subject]][] = [
    // 市城运中心: 待处理 (reported up), 待结案, 待审核 (delay, return)
    [40, 'dispatch', () => { const x = sub(typeFor('iot', 'eco.air.cooking-fume'), 'iot', anyArea()); return [deptSelf({ ...x, dept: 'zfj', mode: 'report', toTown: 'ym' }), x]; }],
    [27 * 60, 'dispatch', () => { const x = sub(typeFor('zfj', 'housing.construction.illegal-building'), 'grid', hsArea()); return [gridReport({ ...x, path: 'city' }), x]; }],
    [2 * 1440, 'close', () => { const x = sub(typeFor('zfj', 'urban.appearance.street-vending'), 'hotline', cyArea()); return [cityDept({ ...x, dept: 'zfj', sign: true, track: true }), x]; }],
    [3 * 1440, 'close', () => { const x = sub(typeFor('town', 'urban.appearance.clutter'), 'online', hsArea()); return [cityTown({ ...x, town: 'cy', viaHs: true, sign: true, isKey: true }), x]; }],
    [36 * 60, 'audit', () => { const x = sub(typeFor('zfj', 'housing.construction.night-noise'), 'hotline', anyArea()); return [cityDept({ ...x, dept: 'zfj', sign: true, delay: 'approve' }), x]; }],
    [5 * 60, 'return-audit', () => { const x = sub(typeFor('town', 'urban.facility.streetlight'), 'hotline', cyArea()); return [cityTown({ ...x, town: 'cy', wrongTown: true }), x]; }],
    // 临期 (yellow): four-hour emergencies, a little past their 临期 time (the last fifth of the limit)
    [225, 'handle', () => { const x = sub(typeFor('iot', 'urban.facility.manhole'), 'iot', cyArea()); return [cityDept({ ...x, dept: 'zfj', sign: true, track: true }), x]; }],
    [225, 'handle', () => { const x = sub(typeFor('gaj', 'security.stability.gathering'), 'hotline', cyArea()); return [cityDept({ ...x, dept: 'gaj', sign: true, cc: [O.cy], instruct: true }), x]; }],
    [225, 'handle', () => { const x = sub(typeFor('town', 'emergency.disaster.waterlogging'), 'iot', cyArea()); return [cityTown({ ...x, town: 'cy', sign: true, track: true }), x]; }],
    // 崇阳街道城运中心
    [50, 'sign', () => { const x = sub(typeFor('town', 'urban.facility.streetlight'), 'hotline', cyArea()); return [cityTown({ ...x, town: 'cy', sign: true, cc: [O.zfj] }), x]; }],
    [120, 'track', () => { const x = sub(typeFor('grid', 'urban.appearance.exposed-garbage'), 'grid', hsArea()); return [gridReport({ ...x, path: 'cy-handle' }), x]; }],
    [1440, 'close', () => { const x = sub(typeFor('town', 'urban.appearance.clutter'), 'self', hsArea()); return [townSelf({ ...x, town: 'cy', mode: 'hs' }), x]; }],
    [6 * 60, 'handle', () => { const x = sub(typeFor('zfj', 'eco.air.cooking-fume'), 'self', ymArea()); return [townSelf({ ...x, town: 'ym', mode: 'sideways', dept: 'zfj', cc: [O.cy] }), x]; }],
    [2 * 1440, 'hs-handle', () => { const x = sub(typeFor('grid', 'housing.property.facility'), 'platform', hsArea()); return [townSelf({ ...x, town: 'cy', mode: 'hs' }), x]; }],
    [4 * 1440, 'hs-delay-audit', () => { const x = sub(typeFor('grid', 'security.dispute.neighbour'), 'self', hsArea()); return [townSelf({ ...x, town: 'cy', mode: 'hs', hsDelay: true }), x]; }],
    [9 * 1440, 'hs-handle', () => { const x = sub(typeFor('town', 'urban.appearance.clutter'), 'hotline', hsArea()); return [cityTown({ ...x, town: 'cy', viaHs: true, sign: true, isKey: true, supervise: true }), x]; }],
    // 羊马街道城运中心
    [8 * 1440, 'handle', () => { const x = sub(typeFor('town', 'urban.appearance.clutter'), 'hotline', ymArea()); return [cityTown({ ...x, town: 'ym', sign: true, track: true, supervise: true, instruct: true }), x]; }],
    [1440, 'close', () => { const x = sub(typeFor('town', 'urban.appearance.clutter'), 'self', ymArea()); return [townSelf({ ...x, town: 'ym', mode: 'assist', dept: 'zfj' }), x]; }],
    [3 * 1440, 'delay-audit', () => { const x = sub(typeFor('zfj', 'housing.construction.illegal-building'), 'self', ymArea()); return [townSelf({ ...x, town: 'ym', mode: 'sideways', dept: 'zfj', deptDelay: true }), x]; }],
    // 综合行政执法局 and 公安局
    [5 * 60, 'assist-handle', () => { const x = sub(typeFor('zfj', 'urban.appearance.street-vending'), 'self', cyArea()); return [townSelf({ ...x, town: 'cy', mode: 'assist', dept: 'zfj' }), x]; }],
    [2 * 1440, 'close', () => { const x = sub(typeFor('zfj', 'urban.appearance.illegal-ad'), 'urban', anyArea()); return [cityDept({ ...x, dept: 'zfj', sign: true, transfer: true }), x]; }],
    [1440, 'return-audit', () => { const x = sub(typeFor('gaj', 'traffic.order.illegal-parking'), 'self', cyArea()); return [deptSelf({ ...x, dept: 'zfj', mode: 'sideways', returned: true }), x]; }],
    [14 * 1440, 'handle', () => { const x = sub(typeFor('zfj', 'housing.construction.illegal-building'), 'hotline', anyArea()); return [cityDept({ ...x, dept: 'zfj', sign: true, track: true, delay: 'approve', supervise: true }), x]; }],
    [3 * 60, 'handle', () => { const x = sub(typeFor('zfj', 'urban.appearance.street-vending'), 'self', cyArea()); return [townSelf({ ...x, town: 'cy', mode: 'sideways', dept: 'zfj', cc: [O.hs] }), x]; }],
    [60, 'sign', () => { const x = sub(typeFor('gaj', 'traffic.order.illegal-parking'), 'hotline', anyArea()); return [cityDept({ ...x, dept: 'gaj', sign: true }), x]; }],
    [1440, 'handle', () => { const x = sub(typeFor('iot', 'housing.construction.dust'), 'iot', ymArea()); return [deptSelf({ ...x, dept: 'zfj', mode: 'report', toTown: 'ym' }), x]; }],
    // 汇蜀社区: its own find, not yet handled
    [25, 'handle', () => { const x = sub(typeFor('grid', 'urban.appearance.clutter'), 'grid', hsArea()); return [gridSelf(x), x]; }],
  ];
  for (const [minutes, until, make] of open) {
    const [flow, x] = make();
    add(ago(minutes), flow, x, { until });
  }

  // ---- voided and drafts ----
  for (const [days, who, type, source, area] of [
    [6, 'city', typeFor('zfj'), 'hotline', anyArea()],
    [31, 'hs', typeFor('grid'), 'grid', hsArea()],
    [76, 'zfj', typeFor('zfj'), 'self', anyArea()],
    [152, 'cy', typeFor('town'), 'self', cyArea()],
  ] as [number, Who, string, string, Area][]) {
    const x = sub(type, source, area);
    add(officeHours(cstMidnight(ago(days * 1440)) + rnd.int(0, 600) * MIN, rnd), voided({ ...x, who, reason: OPINIONS.voids[days % 3]! }), x);
  }
  for (const minutes of [20, 3 * 1440 + 100]) {
    const x = sub(typeFor('grid'), 'grid', hsArea());
    add(ago(minutes), draft(x), x);
  }

  // ---- closed: a year of ordinary work, and a few of today, yesterday and the same day last year ----
  const closed: [(r: Run) => Promise<void>, Subject][] = [];
  const push = (flow: (r: Run) => Promise<void>, x: Subject) => closed.push([flow, x]);
  for (let i = 0; i < 20; i++) {
    const dept: Dept = i % 3 === 2 ? 'gaj' : 'zfj';
    const iot = dept === 'zfj' && i % 7 === 4;
    const x = sub(iot ? typeFor('iot') : typeFor(dept), iot ? 'iot' : cityLead(), anyArea());
    push(cityDept({
      ...x, dept, cc: ccOf(x.area), sign: rnd.chance(0.7), track: rnd.chance(0.6), isKey: i % 10 === 1,
      delay: i % 9 === 3 ? 'approve' : i === 13 ? 'refuse' : undefined, rework: i === 5 || i === 18, transfer: i % 8 === 6,
      instruct: i % 12 === 7, supervise: i === 9, force: i === 17, assistOther: i % 11 === 2,
    }), x);
  }
  for (let i = 0; i < 14; i++) {
    const town: Town = i % 7 < 4 ? 'cy' : 'ym';
    const viaHs = town === 'cy' && i % 2 === 0;
    const x = sub(typeFor(viaHs ? 'grid' : 'town'), cityLead(), viaHs ? hsArea() : town === 'cy' ? cyArea() : ymArea());
    push(cityTown({
      ...x, town, viaHs, sign: rnd.chance(0.8), track: rnd.chance(0.5), assist: i % 5 === 3 ? 'zfj' : undefined,
      wrongTown: i === 2 || i === 9, hsDelay: i === 4, isKey: i === 6, supervise: i === 8, instruct: i === 11, force: i === 12,
    }), x);
  }
  for (let i = 0; i < 10; i++) {
    const path = (['cy-handle', 'cy-dispatch', 'cy-handle', 'cy-dispatch', 'city'] as const)[i % 5];
    const dept: Dept = i % 4 === 1 ? 'gaj' : 'zfj';
    const x = sub(path === 'cy-handle' ? typeFor('grid') : typeFor(dept), 'grid', hsArea());
    push(gridReport({ ...x, path, dept, isKey: i === 2 }), x);
  }
  for (let i = 0; i < 8; i++) {
    const x = sub(typeFor('grid'), i % 3 === 0 ? 'self' : 'grid', hsArea());
    push(gridSelf(x), x);
  }
  for (let i = 0; i < 12; i++) {
    const town: Town = i < 7 ? 'cy' : 'ym';
    const mode = town === 'cy' ? (['hs', 'hs', 'self', 'hs', 'assist', 'hs', 'sideways'] as const)[i]! : (['self', 'assist', 'self', 'sideways', 'self'] as const)[i - 7]!;
    const dept: Dept = i % 3 === 0 ? 'gaj' : 'zfj';
    const type = mode === 'sideways' ? typeFor(dept) : mode === 'hs' ? typeFor('grid') : typeFor('town');
    const x = sub(type, rnd.pick(['self', 'self', 'urban', 'platform']), mode === 'hs' ? hsArea() : town === 'cy' ? cyArea() : ymArea());
    push(townSelf({ ...x, town, mode, dept, cc: mode === 'hs' && i === 3 ? [O.zfj] : undefined, hsDelay: i === 5, deptDelay: i === 10 }), x);
  }
  for (let i = 0; i < 10; i++) {
    const dept: Dept = i % 5 === 1 || i % 5 === 3 ? 'gaj' : 'zfj';
    const mode = (['self', 'self', 'assist', 'self', 'report', 'sideways', 'self', 'report'] as const)[i % 8]!;
    const iot = dept === 'zfj' && mode === 'report';
    const x = sub(iot ? typeFor('iot') : typeFor(dept), iot ? 'iot' : 'self', anyArea());
    push(deptSelf({ ...x, dept, mode, toTown: i % 2 ? 'cy' : 'ym', returned: i === 5, cc: mode === 'sideways' ? ccOf(x.area) : undefined }), x);
  }
  // Shuffled once, then laid on the dates oldest first.
  for (let i = closed.length - 1; i > 0; i--) {
    const j = rnd.int(0, i);
    [closed[i], closed[j]] = [closed[j]!, closed[i]!];
  }
  const yesterday = cstMidnight(now) - DAY;
  const lastYear = sameDayLastYear(now);
  const special = [
    lastYear + rnd.int(0, 300) * MIN, lastYear + rnd.int(300, 420) * MIN,
    yesterday + 9 * HOUR + rnd.int(0, 120) * MIN, yesterday + 11 * HOUR + rnd.int(0, 120) * MIN, yesterday + 14 * HOUR + rnd.int(0, 120) * MIN,
    Math.max(cstMidnight(now) + 30 * MIN, now - rnd.int(150, 300) * MIN), Math.max(cstMidnight(now) + 15 * MIN, now - rnd.int(300, 420) * MIN),
  ];
  const spread = closed.length - special.length;
  const times = [...special];
  for (let k = 0; k < spread; k++) {
    const days = 2 + ((k + rnd.rand()) * 393) / spread;
    times.push(officeHours(cstMidnight(ago(days * 1440)) + rnd.int(480, 1140) * MIN, rnd));
  }
  closed.forEach(([flow, x], i) => add(Math.min(times[i]!, now - 30 * MIN), flow, x));

  // The last week in every other town, so that 区域办件 shows each of them.
  const others = w.towns.filter((t) => t.id !== w.cyTown.id && t.id !== w.ymTown.id);
  others.forEach((town, i) => {
    const days = 0.3 + (i * 5.5) / others.length + rnd.rand() * 0.2;
    const at = Math.min(officeHours(ago(days * 1440), rnd), now - 60 * MIN);
    const dept: Dept = i % 3 === 1 ? 'gaj' : 'zfj';
    const x = sub(typeFor(dept), i % 3 === 2 ? 'self' : cityLead(), townArea(town));
    add(at, i % 3 === 2 ? deptSelf({ ...x, dept, mode: 'self' }) : cityDept({ ...x, dept, sign: true, cc: [x.area.centreId] }), x);
  });
  return out;
}
