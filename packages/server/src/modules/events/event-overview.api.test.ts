import { eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventOverview } from '@cityops/contracts';
import { shanghaiDay } from '../../core/audit/buckets.js';
import { backends } from '../../test/backends.js';
import { startHarness, type Harness } from '../../test/harness.js';
import { sysOrg } from '../system/org.table.js';
import { evtEvent } from './event.table.js';

const PW = 'Chongzhou@2026';
const DAY = 86_400_000;
const URBAN = 'urban.appearance.clutter';
const ECO = 'eco.air.cooking-fume';

/** Noon (CST) of a 'YYYY-MM-DD' day. */
const noon = (date: string) => new Date(`${date}T12:00:00+08:00`);

/**
 * 工作台 figures from events made through the API (a few moved back in time afterwards):
 *
 * 崇阳 (cy_op): A1 grid, today, overdue · A2 hotline, today, handled and closed · A3 grid, yesterday ·
 * A4 hotline, the same day last year · A5 three months ago · a draft (never counted).
 * 羊马 (ym_op): B1 物联告警 (eco), today · B2 hotline, voided.
 * City (city_op): C1 hotline at 三江, dispatched to 公安局, returned with approval.
 */
describe.each(backends)('workbench overview on %s', (backend) => {
  let h: Harness;
  const t: Record<string, string> = {};
  const id: Record<string, string> = {};
  let villageOfYm = '';

  beforeAll(async () => {
    h = await startHarness(backend, { DEMO_DATA: 'true' });
    const db = h.database.db;
    for (const u of ['city_op', 'cy_op', 'ym_op', 'gaj_handler', 'zfj_handler', 'auditor']) t[u] = await h.login(u, PW);
    const [ym] = await db.select().from(sysOrg).where(eq(sysOrg.code, '510184002'));
    const [village] = await db.select().from(sysOrg).where(eq(sysOrg.parentId, ym!.id)).orderBy(sysOrg.code).limit(1);
    villageOfYm = village!.regionCode!;
    const [gaj] = await db.select().from(sysOrg).where(eq(sysOrg.code, 'CZ-GAJ'));

    const post = async (user: string, url: string, body: unknown = {}) => {
      const r = await h.call('POST', url, { token: t[user], body });
      expect(r.statusCode, r.body).toBe(200);
      return r.json();
    };
    const create = async (user: string, title: string, source: string, regionCode: string, typeCode = URBAN, submit = true) =>
      (await post(user, '/api/events', { typeCode, title, content: `${title}，请处置。`, source, regionCode, submit })).id as string;
    const nodeFor = async (user: string, eventId: string, action: string) => {
      const d = (await h.call('GET', `/api/events/${eventId}`, { token: t[user] })).json();
      return d.actions.find((a: { action: string }) => a.action === action).nodeId as string;
    };

    id.a1 = await create('cy_op', '汇蜀社区乱堆乱放', 'grid', '510184001018');
    id.a2 = await create('cy_op', '崇阳街道杂物堆放', 'hotline', '510184001');
    await post('cy_op', `/api/events/${id.a2}/nodes/${await nodeFor('cy_op', id.a2, 'handle')}/handle`, { opinion: '已清理' });
    await post('cy_op', `/api/events/${id.a2}/close`, { opinion: '同意结案' });
    id.a3 = await create('cy_op', '汇蜀社区楼道堆物', 'grid', '510184001018');
    id.a4 = await create('cy_op', '崇阳街道去年同日事件', 'hotline', '510184001018');
    id.a5 = await create('cy_op', '崇阳街道三个月前事件', 'self', '510184001018');
    await create('cy_op', '崇阳街道草稿', 'self', '510184001018', URBAN, false);
    id.b1 = await create('ym_op', '羊马街道油烟告警', 'iot', villageOfYm, ECO);
    id.b2 = await create('ym_op', '羊马街道重复受理', 'hotline', villageOfYm);
    await post('ym_op', `/api/events/${id.b2}/void`, { reason: '重复受理' });
    id.c1 = await create('city_op', '三江街道治安投诉', 'hotline', '510184003');
    await post('city_op', `/api/events/${id.c1}/nodes/${await nodeFor('city_op', id.c1, 'dispatch')}/dispatch`, { targets: [{ orgId: gaj!.id, role: 'main' }] });
    await post('gaj_handler', `/api/events/${id.c1}/nodes/${await nodeFor('gaj_handler', id.c1, 'return')}/return`, { reason: '不属于公安职责' });
    const request = (await h.call('GET', '/api/events/requests?box=todo', { token: t.city_op })).json().items.find((r: { eventId: string }) => r.eventId === id.c1);
    await post('city_op', `/api/events/requests/${request.id}/audit`, { approve: true, opinion: '同意退回' });

    // Back in time: yesterday, the same day last year, three months ago; A1 past its deadline.
    const today = shanghaiDay(new Date());
    const [y, m, d] = today.split('-').map(Number) as [number, number, number];
    const pad = (n: number) => String(n).padStart(2, '0');
    const threeMonthsAgo = new Date(Date.UTC(y, m - 1 - 3, 15));
    const moves: [string, Date][] = [
      [id.a3!, new Date(Date.now() - DAY)],
      [id.a4!, noon(`${y - 1}-${pad(m)}-${pad(Math.min(d, new Date(Date.UTC(y - 1, m, 0)).getUTCDate()))}`)],
      [id.a5!, noon(threeMonthsAgo.toISOString().slice(0, 10))],
    ];
    for (const [eventId, createdAt] of moves) await db.update(evtEvent).set({ createdAt }).where(eq(evtEvent.id, eventId));
    await db.update(evtEvent).set({ deadline: new Date(Date.now() - 3600_000), warnAt: new Date(Date.now() - 7200_000) }).where(eq(evtEvent.id, id.a1!));
    expect((await db.select({ status: evtEvent.status }).from(evtEvent).where(inArray(evtEvent.id, [id.a2!, id.b2!]))).map((r) => r.status).sort()).toEqual(['closed', 'voided']);
  });
  afterAll(async () => h?.dispose());

  const overview = async (user: string): Promise<EventOverview> => {
    const r = await h.call('GET', '/api/events/overview', { token: t[user] });
    expect(r.statusCode, r.body).toBe(200);
    return r.json();
  };
  const trendOf = (o: EventOverview, name: string) => o.trend.types.find((x) => x.name === name)?.counts.reduce((a, b) => a + b, 0);

  it('the city centre sees every town: totals with rates, today against yesterday and last year', async () => {
    const o = await overview('city_op');
    // Received: A1–A5, B1, C1 (the draft never, the voided B2 not).
    expect(o.totals).toEqual({ accepted: 7, closed: 1, returned: 1, overdue: 1, closedRate: 0.1429, returnedRate: 0.1429, overdueRate: 0.1429 });
    expect(o.today.intake).toEqual({ today: 4, yesterday: 1, lastYear: 1 });
    expect(o.today.closed).toEqual({ today: 1, yesterday: 0, lastYear: 0 });
    expect(o.today.grid).toEqual({ today: 1, yesterday: 1, lastYear: 0 });
    expect(o.today.warning).toEqual({ today: 1, yesterday: 0, lastYear: 0 });
    expect(o.today.hotline).toEqual({ today: 2, yesterday: 0, lastYear: 1 });
  });

  it('draws 12 months of intake per 大类 (last year\'s day falls out) and the closures per month', async () => {
    const o = await overview('city_op');
    expect(o.trend.months).toHaveLength(12);
    expect(o.trend.months[11]).toBe(shanghaiDay(new Date()).slice(0, 7));
    expect(o.trend.intake.reduce((a, b) => a + b, 0)).toBe(6);
    expect(o.trend.intake[8]).toBe(1);
    expect(trendOf(o, '城市管理')).toBe(5);
    expect(trendOf(o, '生态环境')).toBe(1);
    // Every enabled 大类 has its line, at zero too.
    expect(trendOf(o, '应急处突')).toBe(0);
    expect(o.trend.closed[11]).toBe(1);
    expect(o.trend.closed.reduce((a, b) => a + b, 0)).toBe(1);
  });

  it('counts intake and closures per town for yesterday, today and the last seven days', async () => {
    const o = await overview('city_op');
    expect(o.areas).toHaveLength(15);
    const town = (name: string) => o.areas.find((a) => a.name === name)!;
    expect(town('崇阳街道')).toMatchObject({ regionCode: '510184001', today: { intake: 2, closed: 1 }, yesterday: { intake: 1, closed: 0 }, week: { intake: 3, closed: 1 } });
    expect(town('羊马街道')).toMatchObject({ today: { intake: 1, closed: 0 }, week: { intake: 1, closed: 0 } });
    expect(town('三江街道')).toMatchObject({ today: { intake: 1, closed: 0 } });
    expect(town('隆兴镇')).toMatchObject({ today: { intake: 0, closed: 0 }, week: { intake: 0, closed: 0 } });
  });

  it('a town centre sees only its town, by village/community; a department only its own events', async () => {
    const cy = await overview('cy_op');
    expect(cy.totals).toMatchObject({ accepted: 5, closed: 1, returned: 0, overdue: 1, closedRate: 0.2 });
    expect(cy.today.intake).toEqual({ today: 2, yesterday: 1, lastYear: 1 });
    // The town itself first (A2 is located at the town), then its villages/communities.
    expect(cy.areas[0]).toMatchObject({ regionCode: '510184001', name: '崇阳街道本级', today: { intake: 1, closed: 1 }, week: { intake: 1, closed: 1 } });
    expect(cy.areas.slice(1).every((a) => a.regionCode.startsWith('510184001') && a.regionCode.length === 12)).toBe(true);
    expect(cy.areas.find((a) => a.name === '汇蜀社区')).toMatchObject({ today: { intake: 1, closed: 0 }, yesterday: { intake: 1, closed: 0 }, week: { intake: 2, closed: 0 } });

    const ym = await overview('ym_op');
    expect(ym.totals).toMatchObject({ accepted: 1, closed: 0, returned: 0, overdue: 0 });
    expect(ym.today.warning.today).toBe(1);

    const gaj = await overview('gaj_handler');
    expect(gaj.totals).toMatchObject({ accepted: 1, returned: 1, returnedRate: 1 });
    expect(gaj.areas).toEqual([]);
    const zfj = await overview('zfj_handler');
    expect(zfj.totals).toEqual({ accepted: 0, closed: 0, returned: 0, overdue: 0, closedRate: null, returnedRate: null, overdueRate: null });
  });

  it('answers from the cache for a minute: a new event shows after it expires', async () => {
    const before = await overview('ym_op');
    const r = await h.call('POST', '/api/events', { token: t.ym_op, body: { typeCode: URBAN, title: '羊马街道新事件', source: 'grid', regionCode: villageOfYm } });
    expect(r.statusCode, r.body).toBe(200);
    const again = await overview('ym_op');
    expect(again.generatedAt).toBe(before.generatedAt);
    expect(again.totals.accepted).toBe(1);
    await h.cache.del(`evt:overview:${(await h.database.db.select().from(sysOrg).where(eq(sysOrg.code, '510184002-CYZX')))[0]!.id}`);
    expect((await overview('ym_op')).totals.accepted).toBe(2);
  });

  it('serves a stale answer at once while it computes the fresh one behind it', async () => {
    const key = `evt:overview:${(await h.database.db.select().from(sysOrg).where(eq(sysOrg.code, '510184002-CYZX')))[0]!.id}`;
    const first = await overview('ym_op');
    const entry = await h.cache.get<{ value: unknown; freshUntil: number }>(key);
    expect(entry?.freshUntil).toBeGreaterThan(Date.now());
    await h.cache.set(key, { ...entry!, freshUntil: Date.now() - 1 }, 600);
    const r = await h.call('POST', '/api/events', { token: t.ym_op, body: { typeCode: URBAN, title: '羊马街道又一事件', source: 'grid', regionCode: villageOfYm } });
    expect(r.statusCode, r.body).toBe(200);
    // The minute is over: the old figures come back at once, and the next request has the new ones.
    expect((await overview('ym_op')).generatedAt).toBe(first.generatedAt);
    await expect.poll(async () => (await overview('ym_op')).totals.accepted).toBe(first.totals.accepted + 1);
  });

  it('shows the areas of a chosen day, and refuses a malformed date in Chinese', async () => {
    const today = shanghaiDay(new Date());
    const r = await h.call('GET', `/api/events/overview/areas?date=${today}`, { token: t.city_op });
    expect(r.statusCode, r.body).toBe(200);
    const day = r.json();
    expect(day.date).toBe(today);
    expect(day.areas.find((a: { name: string }) => a.name === '崇阳街道')).toMatchObject({ intake: 2, closed: 1 });
    const yesterday = (await h.call('GET', `/api/events/overview/areas?date=${shanghaiDay(new Date(Date.now() - DAY))}`, { token: t.city_op })).json();
    expect(yesterday.areas.find((a: { name: string }) => a.name === '崇阳街道')).toMatchObject({ intake: 1, closed: 0 });

    const bad = await h.call('GET', '/api/events/overview/areas?date=2026-02-30', { token: t.city_op });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('日期不存在');
  });

  it('is only for users who may query events', async () => {
    expect((await h.call('GET', '/api/events/overview', { token: t.auditor })).statusCode).toBe(403);
    expect((await h.call('GET', '/api/events/overview')).statusCode).toBe(401);
  });
});
