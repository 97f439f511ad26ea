import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventNumberPrefix, type Plate } from '@cityops/contracts';
import { TEST_PG_URL, backends } from '../../../test/backends.js';
import { startHarness, type Harness } from '../../../test/harness.js';
import { messageService } from '../../messaging/message.service.js';
import { reminderService } from '../reminder.service.js';
import { cstDate } from '../working-time.js';
import { DEMO_EVENT_ACCOUNTS } from './demo-events.js';

const PW = 'Chongzhou@2026';
const ON = { DEMO_DATA: 'true', DEMO_EVENTS: 'true', EVENT_REMINDER_SECONDS: '0' };
/** As designed in demo-events.ts: 27 open (5 of them awaiting 结案), 4 voided, 2 drafts of hs_grid, the rest closed. */
const STATUSES = { closed: 87, processing: 22, handled: 5, voided: 4, draft: 2 };

const rowsOf = <T>(r: unknown) => (Array.isArray(r) ? r : (r as { rows: unknown[] }).rows) as T[];

interface Summary { handle: number; closing: number; cc: number; dispatched: number; audits: number; drafts: number; plates: Record<Plate, number> }

/**
 * The demo events: a first start with demo data fills the event hub through its own services, as
 * designed; a restart adds nothing; without demo data (or with DEMO_EVENTS=false) there are none.
 */
describe.each(backends)('demo events on %s', (backend) => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityops-demo-events-'));
  let h: Harness;
  let url = '';
  const start = (env: Record<string, string> = ON) =>
    backend === 'pglite' ? startHarness('pglite', env, { dataDir, keepData: true, persistent: true }) : startHarness('postgres', env, url ? { postgresUrl: url } : {});
  const q = async <T = Record<string, unknown>>(query: ReturnType<typeof sql>) => rowsOf<T>(await h.database.db.execute(query));
  const get = async (token: string, u: string) => {
    const r = await h.call('GET', u, { token });
    expect(r.statusCode, r.body).toBe(200);
    return r.json();
  };

  beforeAll(async () => {
    h = await start();
    if (backend === 'postgres') {
      const [db] = await q<{ db: string }>(sql`select current_database() as db`);
      const u = new URL(TEST_PG_URL);
      u.pathname = `/${db!.db}`;
      url = u.toString();
    }
  });
  afterAll(async () => {
    await h?.dispose();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('makes the designed number of events in each status', async () => {
    const rows = await q<{ status: string; n: number }>(sql`select status, count(*)::int as n from evt_event group by status`);
    expect(Object.fromEntries(rows.map((r) => [r.status, r.n]))).toEqual(STATUSES);
    const flags = (await q<{ key: number; supervised: number; forced: number; towns: number }>(sql`select
      count(*) filter (where is_key)::int as key, count(*) filter (where supervised)::int as supervised,
      count(*) filter (where forced)::int as forced, count(distinct left(region_code, 9))::int as towns from evt_event`))[0]!;
    expect(flags.key).toBeGreaterThanOrEqual(3);
    expect(flags.supervised).toBeGreaterThanOrEqual(3);
    expect(flags.forced).toBeGreaterThanOrEqual(2);
    expect(flags.towns).toBe(15);
    const sources = await q<{ source: string }>(sql`select distinct source from evt_event`);
    expect(sources.map((s) => s.source)).toEqual(expect.arrayContaining(['hotline', 'grid', 'iot', 'self', 'online', 'urban']));
    // Drafts are hs_grid's, as the 草稿箱 shows them.
    const drafts = await q<{ username: string }>(sql`select u.username from evt_event e join sys_user u on u.id = e.creator_id where e.status = 'draft'`);
    expect(drafts.map((d) => d.username)).toEqual(['hs_grid', 'hs_grid']);
  });

  it('gives every demo account to-dos, audits and unread messages', async () => {
    const summary: Record<string, Summary> = {};
    for (const u of DEMO_EVENT_ACCOUNTS) {
      const token = await h.login(u, PW);
      summary[u] = await get(token, '/api/events/todos/summary');
      expect(summary[u]!.handle + summary[u]!.closing + summary[u]!.cc, u).toBeGreaterThan(0);
      expect((await get(token, '/api/messages/unread-count')).work, u).toBeGreaterThan(0);
    }
    const { city_op: city, cy_op: cy, ym_op: ym, zfj_handler: zfj, hs_grid: hs } = summary;
    for (const [who, s] of Object.entries({ city, cy, ym, zfj })) {
      expect(s!.handle, who).toBeGreaterThanOrEqual(1);
      expect(s!.closing, who).toBeGreaterThanOrEqual(1);
      expect(s!.dispatched, who).toBeGreaterThanOrEqual(1);
      expect(s!.audits, who).toBeGreaterThanOrEqual(1);
    }
    expect(cy!.cc).toBeGreaterThanOrEqual(1);
    expect(zfj!.cc).toBeGreaterThanOrEqual(1);
    expect(hs!.handle).toBeGreaterThanOrEqual(3);
    expect(hs!.cc).toBeGreaterThanOrEqual(1);
    expect(hs!.drafts).toBe(2);
    // Green, yellow (four-hour emergencies near their limit) and red (overdue backlog) all occur.
    const plates = Object.values(summary).reduce((a, s) => ({ green: a.green + s.plates.green, yellow: a.yellow + s.plates.yellow, red: a.red + s.plates.red }), { green: 0, yellow: 0, red: 0 });
    expect(plates.green).toBeGreaterThan(0);
    expect(plates.yellow).toBeGreaterThan(0);
    expect(plates.red).toBeGreaterThan(0);
  });

  it('numbers events uniquely by source and created day, and the sequences go on from there', async () => {
    const rows = await q<{ id: string; no: string; source: string; created_at: string | Date }>(
      sql`select id, no, source, created_at from evt_event where status <> 'draft' order by created_at, id`);
    expect(new Set(rows.map((r) => r.no)).size).toBe(rows.length);
    const seen = new Map<string, number>();
    for (const r of rows) {
      const key = `${eventNumberPrefix(r.source)}${cstDate(new Date(r.created_at)).replaceAll('-', '')}`;
      const n = (seen.get(key) ?? 0) + 1;
      seen.set(key, n);
      expect(r.no).toBe(`${key}${String(n).padStart(6, '0')}`);
    }
    const sequences = await q<{ key: string; value: number }>(sql`select key, value from evt_sequence`);
    expect(Object.fromEntries(sequences.map((s) => [s.key, s.value]))).toEqual(Object.fromEntries(seen));
    // Over 13 months: every month of the workbench's trend has events, and the same day last year too.
    const token = await h.login('city_op', PW);
    const overview = await get(token, '/api/events/overview');
    expect(overview.trend.intake.every((n: number) => n > 0)).toBe(true);
    expect(overview.trend.closed.filter((n: number) => n > 0).length).toBeGreaterThanOrEqual(11);
    expect(overview.today.intake.lastYear).toBeGreaterThan(0);
    expect(overview.today.intake.yesterday).toBeGreaterThan(0);
    expect(overview.totals.returned).toBeGreaterThan(0);
    expect(overview.areas).toHaveLength(15);
    for (const a of overview.areas) expect(a.week.intake, a.name).toBeGreaterThan(0);
  });

  it('dates every step in the past, in order, with a computable plate on every open to-do', async () => {
    const late = await q(sql`select e.no, l.action from evt_log l join evt_event e on e.id = l.event_id
      where l.created_at < e.created_at or l.created_at > now() or (e.closed_at is not null and l.created_at > e.closed_at + interval '1 second')`);
    expect(late).toEqual([]);
    const events = await q(sql`select no from evt_event where created_at > now() or updated_at < created_at or closed_at < created_at or occurred_at > created_at`);
    expect(events).toEqual([]);
    const messages = await q(sql`select m.title from msg_message m join evt_event e on e.id = m.event_id where m.created_at < e.created_at or m.created_at > now()`);
    expect(messages).toEqual([]);
    // Every open handling node has a deadline and a 临期 time before it; reminders already due went out once.
    const open = await q<{ deadline: unknown; warn_at: unknown; warned: boolean; overdue: boolean; is_overdue: boolean; in_warning: boolean }>(sql`select deadline, warn_at,
      warned_at is not null as warned, overdue_at is not null as overdue, deadline <= now() as is_overdue, warn_at <= now() and deadline > now() as in_warning
      from evt_node where status in ('todo', 'waiting', 'closing') and role <> 'cc'`);
    expect(open.length).toBeGreaterThan(30);
    for (const n of open) {
      expect(n.deadline).not.toBeNull();
      expect(new Date(n.warn_at as string).getTime()).toBeLessThan(new Date(n.deadline as string).getTime());
      expect(n.overdue).toBe(n.is_overdue);
      if (n.in_warning) expect(n.warned).toBe(true);
    }
    expect(await reminderService(h.database.db, messageService(h.database.db)).sweep()).toEqual({ warned: 0, overdue: 0 });
    // The to-do lists show a plate on each row.
    for (const u of DEMO_EVENT_ACCOUNTS) {
      const token = await h.login(u, PW);
      for (const box of ['handle', 'closing', 'dispatched']) {
        const list = await get(token, `/api/events/todos?box=${box}&pageSize=100`);
        for (const item of list.items) expect(['green', 'yellow', 'red'], `${u} ${box} ${item.title}`).toContain(item.plate);
      }
    }
  });

  it('adds nothing on a restart', async () => {
    const count = async () => (await q<{ events: number; messages: number; logs: number }>(sql`select
      (select count(*) from evt_event)::int as events, (select count(*) from msg_message)::int as messages, (select count(*) from evt_log)::int as logs`))[0];
    const before = await count();
    if (backend === 'pglite') {
      await h.close();
      h = await start();
    } else {
      // A second node on the same database, as after a restart.
      const other = await start();
      await other.dispose();
    }
    expect(await count()).toEqual(before);
  });

  it('makes none without demo data, or with DEMO_EVENTS=false', async () => {
    for (const env of [{ DEMO_DATA: 'false', DEMO_EVENTS: 'true' }, { DEMO_DATA: 'true', DEMO_EVENTS: 'false' }]) {
      const other = await startHarness(backend, env);
      try {
        const [r] = rowsOf<{ n: number }>(await other.database.db.execute(sql`select count(*)::int as n from evt_event`));
        expect(r!.n, JSON.stringify(env)).toBe(0);
      } finally {
        await other.dispose();
      }
    }
  });
});
