import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../core/db.js';
import { backends } from '../../test/backends.js';
import { startHarness, type Harness } from '../../test/harness.js';
import { sysOrg } from '../system/org.table.js';
import { sysUser } from '../system/user.table.js';
import { evtEvent } from './event.table.js';
import { evtAttachment, evtDirective, evtLog } from './log.table.js';
import { evtNode } from './node.table.js';
import { evtRequest } from './request.table.js';

const PW = 'Chongzhou@2026';
const HOUR = 3600_000;

interface Org {
  id: string;
  name: string;
  path: string;
  level: string;
}

/**
 * Events written straight into the tables (the write side is built alongside), shaped as the
 * operations leave them: a node per organisation, org_ids listing them, a timeline per action.
 *
 * e1 汇蜀社区 reported 占道经营 to 崇阳街道城运中心 (overdue) · e2 羊马街道 dispatched to one of its
 * communities · e3 the city centre dispatched 道路破损 to 崇阳 (main, near its deadline), 执法局
 * (assist) and CC'd 公安局; key, supervised, a pending delay request · e4 closed late at 崇阳 ·
 * e5 voided at 羊马 · e6 a draft of cy_op · e7 handled, waiting for 崇阳's closing.
 */
async function seedFixture(db: Db) {
  const codes = ['CZ-CYZX', '510184', 'CZ-ZFJ', 'CZ-GAJ', '510184001', '510184001-CYZX', '510184001018', '510184002', '510184002-CYZX'];
  const orgRows = await db.select().from(sysOrg).where(inArray(sysOrg.code, codes));
  const byCode = new Map(orgRows.map((o) => [o.code, o]));
  const ymTown = byCode.get('510184002')!;
  const [ymVillage] = await db.select().from(sysOrg).where(and(eq(sysOrg.parentId, ymTown.id), eq(sysOrg.level, 'community'))).orderBy(sysOrg.code).limit(1);
  const org = (code: string): Org => byCode.get(code)!;
  const o = {
    city: org('CZ-CYZX'), zfj: org('CZ-ZFJ'), gaj: org('CZ-GAJ'), cyc: org('510184001-CYZX'), hs: org('510184001018'),
    ymc: org('510184002-CYZX'), ymv: ymVillage as Org,
  };
  const users = new Map((await db.select().from(sysUser)).map((u) => [u.username, u]));
  const user = (name: string) => users.get(name)!;

  const now = Date.now();
  const at = (hours: number) => new Date(now + hours * HOUR);
  let seq = 0;
  const event = async (e: {
    no: string | null; title: string; typeCode: string; source: string; status: 'draft' | 'processing' | 'handled' | 'closed' | 'voided';
    creator: string; creatorOrg: Org; orgs: Org[]; region?: string; isKey?: boolean; supervised?: boolean; fromCity?: boolean;
    deadline?: Date; warnAt?: Date; closedAt?: Date; owner?: Org; createdAt: Date;
  }) => {
    const [r] = await db.insert(evtEvent).values({
      no: e.no, title: e.title, content: `${e.title}，请及时处置。`, typeCode: e.typeCode, source: e.source, status: e.status,
      isKey: e.isKey ?? false, supervised: e.supervised ?? false, regionCode: e.region ?? null,
      creatorId: user(e.creator).id, creatorName: user(e.creator).name, creatorOrgId: e.creatorOrg.id, creatorOrgName: e.creatorOrg.name,
      actorIds: [user(e.creator).id], ownerOrgId: (e.owner ?? e.creatorOrg).id, orgIds: e.orgs.map((x) => x.id), fromCity: e.fromCity ?? false,
      cityDispatchedAt: e.fromCity ? e.createdAt : null, deadline: e.deadline ?? null, warnAt: e.warnAt ?? null,
      closedAt: e.closedAt ?? null, createdAt: e.createdAt, updatedAt: new Date(e.createdAt.getTime() + (++seq) * 60_000),
    }).returning();
    return r!;
  };
  const node = async (eventId: string, n: {
    org: Org; role: 'main' | 'assist' | 'cc'; via: 'initiate' | 'dispatch' | 'report' | 'assist'; status: string; parentId?: string;
    from?: Org; fromCity?: boolean; deadline?: Date; warnAt?: Date; handledAt?: Date; createdAt: Date;
  }) => {
    const [r] = await db.insert(evtNode).values({
      eventId, parentId: n.parentId ?? null, orgId: n.org.id, orgName: n.org.name, orgPath: n.org.path, orgLevel: n.org.level,
      role: n.role, via: n.via, status: n.status as 'todo', requirement: n.from ? '请核实处置' : null,
      fromOrgId: n.from?.id ?? null, fromOrgName: n.from?.name ?? null, fromCity: n.fromCity ?? false,
      deadline: n.deadline ?? null, warnAt: n.warnAt ?? null, handledAt: n.handledAt ?? null, createdAt: n.createdAt,
    }).returning();
    return r!;
  };
  const log = async (eventId: string, action: string, actor: string, org: Org, createdAt: Date, opinion?: string) => {
    const [r] = await db.insert(evtLog).values({
      eventId, action, actorId: user(actor).id, actorName: user(actor).name, actorOrgId: org.id, actorOrgName: org.name,
      opinion: opinion ?? null, isCity: org.id === o.city.id, createdAt,
    }).returning();
    // As the operation runner does: whoever writes on the timeline took part (我参与).
    await db.update(evtEvent).set({ actorIds: sql`array(select distinct unnest(${evtEvent.actorIds} || ${user(actor).id}::uuid))` }).where(eq(evtEvent.id, eventId));
    return r!;
  };

  // e1: reported up by the community, overdue at the town centre.
  const e1 = await event({ no: 'WG20260301000001', title: '汇蜀社区人行道占道经营', typeCode: 'urban.appearance.street-vending', source: 'grid', status: 'processing', creator: 'hs_grid', creatorOrg: o.hs, owner: o.cyc, orgs: [o.hs, o.cyc], region: '510184001018', deadline: at(-2), warnAt: at(-10), createdAt: at(-48) });
  const n1 = await node(e1.id, { org: o.hs, role: 'main', via: 'initiate', status: 'reported', createdAt: at(-48) });
  const n1c = await node(e1.id, { org: o.cyc, role: 'main', via: 'report', status: 'todo', parentId: n1.id, from: o.hs, deadline: at(-2), warnAt: at(-10), createdAt: at(-47) });
  await log(e1.id, 'initiate', 'hs_grid', o.hs, at(-48));
  await log(e1.id, 'report', 'hs_grid', o.hs, at(-47), '本级无法处置，上报街道');

  // e2: 羊马 dispatched to its community.
  const e2 = await event({ no: 'ZC20260301000002', title: '羊马街道垃圾满溢', typeCode: 'urban.appearance.exposed-garbage', source: 'self', status: 'processing', creator: 'ym_op', creatorOrg: o.ymc, orgs: [o.ymc, o.ymv], region: ymVillage!.regionCode!, deadline: at(30), warnAt: at(20), createdAt: at(-40) });
  const n2 = await node(e2.id, { org: o.ymc, role: 'main', via: 'initiate', status: 'waiting', createdAt: at(-40) });
  await node(e2.id, { org: o.ymv, role: 'main', via: 'dispatch', status: 'todo', parentId: n2.id, from: o.ymc, deadline: at(30), warnAt: at(20), createdAt: at(-39) });
  await log(e2.id, 'initiate', 'ym_op', o.ymc, at(-40));
  await log(e2.id, 'dispatch', 'ym_op', o.ymc, at(-39));

  // e3: 市级下派 to 崇阳 (main, yellow), 执法局 (assist, green), CC 公安局; key and supervised.
  const e3 = await event({ no: 'RX20260301000003', title: '崇阳大道道路破损', typeCode: 'urban.facility.road-damage', source: 'hotline', status: 'processing', creator: 'city_op', creatorOrg: o.city, orgs: [o.city, o.cyc, o.zfj, o.gaj], region: '510184001', isKey: true, supervised: true, fromCity: true, deadline: at(5), warnAt: at(-1), createdAt: at(-30) });
  const n3 = await node(e3.id, { org: o.city, role: 'main', via: 'initiate', status: 'waiting', createdAt: at(-30) });
  const n3c = await node(e3.id, { org: o.cyc, role: 'main', via: 'dispatch', status: 'todo', parentId: n3.id, from: o.city, fromCity: true, deadline: at(5), warnAt: at(-1), createdAt: at(-29) });
  await node(e3.id, { org: o.zfj, role: 'assist', via: 'dispatch', status: 'todo', parentId: n3.id, from: o.city, fromCity: true, deadline: at(50), warnAt: at(40), createdAt: at(-29) });
  await node(e3.id, { org: o.gaj, role: 'cc', via: 'dispatch', status: 'todo', parentId: n3.id, from: o.city, fromCity: true, createdAt: at(-29) });
  await log(e3.id, 'initiate', 'city_op', o.city, at(-30));
  const dispatchLog = await log(e3.id, 'dispatch', 'city_op', o.city, at(-29), '请崇阳街道牵头处置');
  await log(e3.id, 'delay_request', 'cy_op', o.cyc, at(-3), '需协调施工单位');
  await db.insert(evtRequest).values({
    eventId: e3.id, nodeId: n3c.id, kind: 'delay', reason: '需协调施工单位', oldDeadline: at(5), newDeadline: at(53),
    applicantOrgId: o.cyc.id, applicantOrgName: o.cyc.name, applicantId: user('cy_op').id, applicantName: user('cy_op').name,
    auditorOrgId: o.city.id, auditorOrgName: o.city.name, createdAt: at(-3),
  });
  await db.insert(evtAttachment).values([
    { eventId: e3.id, logId: null, fileId: '00000000-0000-4000-8000-000000000001', stage: 'before', name: '现场照片.jpg', mime: 'image/jpeg', size: 2048, createdAt: at(-30) },
    { eventId: e3.id, logId: dispatchLog.id, fileId: '00000000-0000-4000-8000-000000000002', stage: 'during', name: '交办说明.pdf', mime: 'application/pdf', size: 4096, createdAt: at(-29) },
  ]);
  await db.insert(evtDirective).values({
    eventId: e3.id, kind: 'supervise', person: '值班领导', dept: o.city.name, position: '主任', issuedAt: at(-5), content: '请加快处置进度', userId: user('city_op').id, orgId: o.city.id,
  });

  // e4: closed after its deadline (red), handled by 汇蜀社区, closed by 崇阳.
  const e4 = await event({ no: 'ZC20260301000004', title: '崇阳街道夜间施工噪声', typeCode: 'housing.construction.night-noise', source: 'self', status: 'closed', creator: 'cy_op', creatorOrg: o.cyc, orgs: [o.cyc, o.hs], region: '510184001018', deadline: at(-20), warnAt: at(-25), closedAt: at(-10), createdAt: at(-60) });
  const n4 = await node(e4.id, { org: o.cyc, role: 'main', via: 'initiate', status: 'finished', createdAt: at(-60) });
  const n4h = await node(e4.id, { org: o.hs, role: 'main', via: 'dispatch', status: 'finished', parentId: n4.id, from: o.cyc, deadline: at(-20), warnAt: at(-25), handledAt: at(-12), createdAt: at(-59) });
  await log(e4.id, 'initiate', 'cy_op', o.cyc, at(-60));
  await log(e4.id, 'dispatch', 'cy_op', o.cyc, at(-59));
  await log(e4.id, 'handle', 'hs_grid', o.hs, at(-12), '已劝停夜间施工');
  await log(e4.id, 'close', 'cy_op', o.cyc, at(-10), '同意结案');
  await db.insert(evtRequest).values({
    eventId: e4.id, nodeId: n4h.id, kind: 'delay', status: 'approved', reason: '施工方配合需要时间', oldDeadline: at(-30), newDeadline: at(-20),
    applicantOrgId: o.hs.id, applicantOrgName: o.hs.name, applicantId: user('hs_grid').id, applicantName: user('hs_grid').name,
    auditorOrgId: o.cyc.id, auditorOrgName: o.cyc.name, auditorId: user('cy_op').id, auditorName: user('cy_op').name, auditOpinion: '同意',
    createdAt: at(-40), auditedAt: at(-39),
  });

  // e5: voided at 羊马; e6: a draft of cy_op; e7: handled, 崇阳 to close.
  const e5 = await event({ no: 'ZC20260301000005', title: '羊马街道餐饮油烟（重复上报）', typeCode: 'eco.air.cooking-fume', source: 'self', status: 'voided', creator: 'ym_op', creatorOrg: o.ymc, orgs: [o.ymc], deadline: at(10), warnAt: at(5), createdAt: at(-35) });
  await node(e5.id, { org: o.ymc, role: 'main', via: 'initiate', status: 'finished', createdAt: at(-35) });
  await log(e5.id, 'void', 'ym_op', o.ymc, at(-34), '重复上报');
  const e6 = await event({ no: null, title: '崇阳街道井盖缺失（草稿）', typeCode: 'urban.facility.manhole', source: 'self', status: 'draft', creator: 'cy_op', creatorOrg: o.cyc, orgs: [o.cyc], createdAt: at(-1) });
  const e7 = await event({ no: 'WZ20260301000007', title: '崇阳街道违法建设', typeCode: 'housing.construction.illegal-building', source: 'online', status: 'handled', creator: 'cy_op', creatorOrg: o.cyc, orgs: [o.cyc, o.hs], region: '510184001018', deadline: at(60), warnAt: at(40), createdAt: at(-20) });
  const n7 = await node(e7.id, { org: o.cyc, role: 'main', via: 'initiate', status: 'closing', deadline: at(60), warnAt: at(40), createdAt: at(-20) });
  await node(e7.id, { org: o.hs, role: 'main', via: 'dispatch', status: 'submitted', parentId: n7.id, from: o.cyc, deadline: at(50), warnAt: at(40), handledAt: at(-2), createdAt: at(-19) });
  await log(e7.id, 'initiate', 'cy_op', o.cyc, at(-20));
  await log(e7.id, 'handle', 'hs_grid', o.hs, at(-2), '已责令停工');

  return { o, e1, e2, e3, e4, e5, e6, e7, n1c, n3c };
}

async function readXlsx(body: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ArrayBuffer);
  return wb;
}

describe.each(backends)('event hub queries on %s', (backend) => {
  let h: Harness;
  let f: Awaited<ReturnType<typeof seedFixture>>;
  const token: Record<string, string> = {};

  beforeAll(async () => {
    h = await startHarness(backend, { DEMO_DATA: 'true' });
    f = await seedFixture(h.database.db);
    for (const u of ['city_op', 'cy_op', 'ym_op', 'hs_grid', 'zfj_handler', 'gaj_handler']) token[u] = await h.login(u, PW);
  });
  afterAll(async () => h?.dispose());

  const get = (user: string, url: string) => h.call('GET', url, { token: token[user] });
  const list = async (user: string, query: Record<string, string>) => {
    const r = await get(user, `/api/events?${new URLSearchParams(query)}`);
    expect(r.statusCode, r.body).toBe(200);
    return r.json() as { items: { id: string; title: string; no: string; plate: string | null; typeName: string; regionName: string | null; status: string }[]; total: number; capped: boolean };
  };
  const titles = async (user: string, query: Record<string, string>) => (await list(user, query)).items.map((e) => e.title).sort();

  it('the city centre sees every town\'s events; a town centre its town and communities, not another town', async () => {
    expect(await titles('city_op', { view: 'processing' })).toEqual(['崇阳大道道路破损', '崇阳街道违法建设', '汇蜀社区人行道占道经营', '羊马街道垃圾满溢'].sort());
    expect(await titles('cy_op', { view: 'processing' })).toEqual(['崇阳大道道路破损', '崇阳街道违法建设', '汇蜀社区人行道占道经营'].sort());
    expect(await titles('ym_op', { view: 'processing' })).toEqual(['羊马街道垃圾满溢']);
    expect(await titles('hs_grid', { view: 'processing' })).toEqual(['崇阳街道违法建设', '汇蜀社区人行道占道经营'].sort());
  });

  it('本级 is the user\'s own organisation (a centre with the one it acts for), 下级 the ones below', async () => {
    expect(await titles('city_op', { view: 'processing', scope: 'self' })).toEqual(['崇阳大道道路破损']);
    expect((await list('city_op', { view: 'processing', scope: 'children' })).total).toBe(4);
    expect(await titles('cy_op', { view: 'processing', scope: 'self' })).toEqual(['崇阳大道道路破损', '崇阳街道违法建设', '汇蜀社区人行道占道经营'].sort());
    expect(await titles('cy_op', { view: 'processing', scope: 'children' })).toEqual(['崇阳街道违法建设', '汇蜀社区人行道占道经营'].sort());
    expect(await titles('hs_grid', { view: 'processing', scope: 'children' })).toEqual([]);
    expect(await titles('zfj_handler', { view: 'processing', scope: 'self' })).toEqual(['崇阳大道道路破损']);
  });

  it('has the views: 已完成, 全部 (with voided, never drafts), 重点工单, 市级下派, 我参与', async () => {
    expect(await titles('city_op', { view: 'done' })).toEqual(['崇阳街道夜间施工噪声']);
    const all = await list('city_op', { view: 'all' });
    expect(all.total).toBe(6);
    expect(all.items.map((e) => e.title)).not.toContain('崇阳街道井盖缺失（草稿）');
    expect(all.items.find((e) => e.title.includes('油烟'))).toMatchObject({ status: 'voided', plate: null });
    expect(await titles('cy_op', { view: 'key' })).toEqual(['崇阳大道道路破损']);
    expect(await titles('cy_op', { view: 'city' })).toEqual(['崇阳大道道路破损']);
    expect(await titles('ym_op', { view: 'city' })).toEqual([]);
    expect(await titles('hs_grid', { view: 'mine' })).toEqual(['崇阳街道夜间施工噪声', '崇阳街道违法建设', '汇蜀社区人行道占道经营'].sort());
    expect(await titles('cy_op', { view: 'mine' })).toEqual(['崇阳大道道路破损', '崇阳街道夜间施工噪声', '崇阳街道违法建设'].sort());
  });

  it('shows type and region names and the light plate of each event', async () => {
    const rows = (await list('city_op', { view: 'all' })).items;
    const by = (t: string) => rows.find((e) => e.title === t)!;
    expect(by('汇蜀社区人行道占道经营')).toMatchObject({ typeName: '占道经营', regionName: expect.stringContaining('汇蜀'), plate: 'red' });
    expect(by('崇阳大道道路破损')).toMatchObject({ typeName: '道路破损', regionName: '崇阳街道', plate: 'yellow' });
    expect(by('崇阳街道违法建设').plate).toBe('green');
    expect(by('崇阳街道夜间施工噪声')).toMatchObject({ status: 'closed', plate: 'red' });
  });

  it('finds by part of the title or the number, and by the advanced filters', async () => {
    expect(await titles('city_op', { keyword: '占道' })).toEqual(['汇蜀社区人行道占道经营']);
    expect(await titles('city_op', { keyword: '噪' })).toEqual(['崇阳街道夜间施工噪声']); // one character: no index, still found
    expect(await titles('city_op', { keyword: '道路' })).toEqual(['崇阳大道道路破损']); // a pair of characters: the bigram index
    expect(await titles('city_op', { keyword: 'rx2026030100' })).toEqual(['崇阳大道道路破损']);
    expect(await titles('city_op', { keyword: 'rx20260301000003' })).toEqual(['崇阳大道道路破损']);
    expect(await titles('city_op', { keyword: '2026030100000' })).toHaveLength(6);
    expect((await list('city_op', { keyword: '%' })).total).toBe(0);
    expect(await titles('city_op', { source: 'grid' })).toEqual(['汇蜀社区人行道占道经营']);
    expect(await titles('city_op', { isKey: 'true' })).toEqual(['崇阳大道道路破损']);
    expect(await titles('city_op', { supervised: 'true' })).toEqual(['崇阳大道道路破损']);
    expect(await titles('city_op', { status: 'handled' })).toEqual(['崇阳街道违法建设']);
    expect(await titles('city_op', { view: 'processing', status: 'closed' })).toEqual([]);
    // A type matches its sub-types; a town's region code matches its villages.
    expect(await titles('city_op', { typeCode: 'housing' })).toEqual(['崇阳街道夜间施工噪声', '崇阳街道违法建设'].sort());
    expect(await titles('city_op', { typeCode: 'urban.facility.road-damage' })).toEqual(['崇阳大道道路破损']);
    expect(await titles('city_op', { regionCode: '510184001' })).toEqual(['崇阳大道道路破损', '崇阳街道夜间施工噪声', '崇阳街道违法建设', '汇蜀社区人行道占道经营'].sort());
    expect(await titles('city_op', { view: 'key', orgName: '综合行政执法' })).toEqual(['崇阳大道道路破损']);
    expect(await titles('city_op', { orgName: '羊马' })).toEqual(['羊马街道垃圾满溢', '羊马街道餐饮油烟（重复上报）'].sort());
    const from = new Date(Date.now() - 36 * HOUR).toISOString();
    const to = new Date(Date.now() - 25 * HOUR).toISOString();
    expect(await titles('city_op', { createdFrom: from, createdTo: to })).toEqual(['崇阳大道道路破损', '羊马街道餐饮油烟（重复上报）'].sort());
    const bad = await get('city_op', '/api/events?createdFrom=yesterday');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toContain('创建开始时间格式不正确');
  });

  it('pages and sorts, with the total of all pages', async () => {
    const p1 = await list('city_op', { view: 'all', pageSize: '4', page: '1' });
    const p2 = await list('city_op', { view: 'all', pageSize: '4', page: '2' });
    expect([p1.total, p2.total]).toEqual([6, 6]);
    expect(p1).toMatchObject({ page: 1, pageSize: 4, capped: false });
    expect([p1.items.length, p2.items.length]).toEqual([4, 2]);
    expect(p1.items[0]!.title).toBe('崇阳街道违法建设'); // newest first
    expect(new Set([...p1.items, ...p2.items].map((e) => e.id)).size).toBe(6);
    const oldest = await list('city_op', { view: 'all', sort: 'createdAt', order: 'asc', pageSize: '1' });
    expect(oldest.items[0]!.title).toBe('崇阳街道夜间施工噪声');
    const city = await list('cy_op', { view: 'city', sort: 'cityDispatchedAt' });
    expect(city.items.map((e) => e.no)).toEqual(['RX20260301000003']);
  });

  it('lists a user\'s own drafts only', async () => {
    const mine = (await get('cy_op', '/api/events/drafts')).json();
    expect(mine).toMatchObject({ total: 1, items: [{ title: '崇阳街道井盖缺失（草稿）', status: 'draft', no: null, typeName: '井盖缺失' }] });
    expect((await get('cy_op', '/api/events/drafts?keyword=违法')).json().total).toBe(0);
    expect((await get('ym_op', '/api/events/drafts')).json().total).toBe(0);
  });

  it('puts the organisation\'s to-dos in boxes, soonest deadline first, with the pending request', async () => {
    const todos = async (user: string, q: string) => {
      const r = await get(user, `/api/events/todos?${q}`);
      expect(r.statusCode, r.body).toBe(200);
      return r.json() as { total: number; items: { title: string; plate: string; pendingRequest: string | null; role: string; status: string; fromCity: boolean; nodeId: string }[] };
    };
    const handle = await todos('cy_op', 'box=handle');
    expect(handle.items.map((t) => [t.title, t.plate, t.pendingRequest])).toEqual([
      ['汇蜀社区人行道占道经营', 'red', null],
      ['崇阳大道道路破损', 'yellow', 'delay'],
    ]);
    expect(handle.items[1]).toMatchObject({ nodeId: f.n3c.id, fromCity: true, role: 'main', status: 'todo' });
    expect((await todos('cy_op', 'box=handle&plate=red')).items.map((t) => t.title)).toEqual(['汇蜀社区人行道占道经营']);
    expect((await todos('cy_op', 'box=handle&keyword=道路')).items.map((t) => t.title)).toEqual(['崇阳大道道路破损']);
    expect((await todos('cy_op', 'box=handle&source=grid')).total).toBe(1);
    expect((await todos('cy_op', 'box=handle&typeCode=urban.facility')).total).toBe(1);
    expect((await todos('cy_op', `box=handle&deadlineBefore=${encodeURIComponent(new Date().toISOString())}`)).total).toBe(1);
    expect((await todos('cy_op', 'box=closing')).items.map((t) => t.title)).toEqual(['崇阳街道违法建设']);
    expect((await todos('gaj_handler', 'box=cc')).items).toMatchObject([{ title: '崇阳大道道路破损', role: 'cc' }]);
    expect((await todos('gaj_handler', 'box=handle')).total).toBe(0);
    expect((await todos('city_op', 'box=dispatched')).items.map((t) => t.title)).toEqual(['崇阳大道道路破损']);
    expect((await todos('zfj_handler', 'box=handle')).items).toMatchObject([{ title: '崇阳大道道路破损', plate: 'green', role: 'assist' }]);
  });

  it('counts the badge and the plates in one answer', async () => {
    const summary = async (user: string) => (await get(user, '/api/events/todos/summary')).json();
    expect(await summary('cy_op')).toEqual({ total: 3, handle: 2, closing: 1, cc: 0, dispatched: 0, audits: 0, drafts: 1, plates: { red: 1, yellow: 1, green: 1 } });
    expect(await summary('city_op')).toEqual({ total: 1, handle: 0, closing: 0, cc: 0, dispatched: 1, audits: 1, drafts: 0, plates: { red: 0, yellow: 0, green: 0 } });
    expect(await summary('gaj_handler')).toMatchObject({ total: 1, cc: 1, plates: { red: 0, yellow: 0, green: 0 } });
  });

  it('lists requests to audit, audited and filed by the organisation', async () => {
    const requests = async (user: string, q: string) => (await get(user, `/api/events/requests?${q}`)).json();
    expect(await requests('city_op', 'box=todo')).toMatchObject({
      total: 1, items: [{ eventNo: 'RX20260301000003', eventTitle: '崇阳大道道路破损', isKey: true, source: 'hotline', kind: 'delay', status: 'pending', applicantOrgName: '崇阳街道城运中心' }],
    });
    expect((await requests('cy_op', 'box=todo')).total).toBe(0);
    expect((await requests('cy_op', 'box=mine')).items.map((r: { eventTitle: string }) => r.eventTitle)).toEqual(['崇阳大道道路破损']);
    expect(await requests('cy_op', 'box=audited')).toMatchObject({ total: 1, items: [{ status: 'approved', auditorName: '崇阳街道城运中心值班员', applicantOrgName: '汇蜀社区' }] });
    expect((await requests('hs_grid', 'box=mine&keyword=噪声')).total).toBe(1);
    expect((await requests('hs_grid', 'box=mine&kind=return')).total).toBe(0);
    const day = 24 * HOUR;
    expect((await requests('cy_op', `box=audited&auditedFrom=${new Date(Date.now() - 2 * day).toISOString()}`)).total).toBe(1);
    expect((await requests('cy_op', `box=audited&auditedTo=${new Date(Date.now() - 2 * day).toISOString()}`)).total).toBe(0);
  });

  it('shows the detail: information, attachments by stage, tree with plates, timeline, directives, requests', async () => {
    const r = await get('cy_op', `/api/events/${f.e3.id}`);
    expect(r.statusCode, r.body).toBe(200);
    const d = r.json();
    expect(d.event).toMatchObject({ no: 'RX20260301000003', typeName: '道路破损', typeCategory: 'normal', isKey: true, plate: 'yellow', ownerOrgName: '崇州市城市运行管理中心' });
    expect(d.attachments.before).toMatchObject([{ name: '现场照片.jpg', url: '/api/files/00000000-0000-4000-8000-000000000001', logId: null }]);
    expect(d.attachments.during).toHaveLength(1);
    expect(d.attachments.after).toEqual([]);
    expect(d.tree.map((n: { orgName: string; role: string; plate: string | null }) => [n.orgName, n.role, n.plate])).toEqual([
      ['崇州市城市运行管理中心', 'main', null],
      ['崇阳街道城运中心', 'main', 'yellow'],
      ['崇州市综合行政执法局', 'assist', 'green'],
      ['崇州市公安局', 'cc', null],
    ]);
    expect(d.timeline.map((t: { actionName: string }) => t.actionName)).toEqual(['发起', '交办', '申请延期']);
    expect(d.timeline[1]).toMatchObject({ isCity: true, opinion: '请崇阳街道牵头处置', attachments: [{ name: '交办说明.pdf' }] });
    expect(d.directives).toMatchObject([{ kind: 'supervise', person: '值班领导', content: '请加快处置进度' }]);
    expect(d.requests).toMatchObject([{ kind: 'delay', status: 'pending', eventTitle: '崇阳大道道路破损' }]);
    expect(d.summary.done).toEqual([]);
    expect(d.summary.inProgress.map((x: { orgName: string }) => x.orgName)).toEqual(['崇州市城市运行管理中心', '崇阳街道城运中心', '崇州市综合行政执法局']);
    expect(d.actions).toEqual(expect.any(Array));
  });

  it('sums up who handled and who is still at it, ready to copy', async () => {
    const closed = (await get('city_op', `/api/events/${f.e4.id}`)).json();
    expect(closed.summary.done).toEqual([{ orgName: '崇阳街道城运中心', level: '部门科室' }, { orgName: '汇蜀社区', level: '村（社区）' }]);
    expect(closed.summary.inProgress).toEqual([]);
    expect(closed.summary.text).toBe('【处置汇总】事件编号：ZC20260301000004；事件标题：崇阳街道夜间施工噪声；已处置单位（2）：崇阳街道城运中心（部门科室）、汇蜀社区（村社区）；处置中单位（0）：无。');
    const open = (await get('cy_op', `/api/events/${f.e7.id}`)).json();
    expect(open.summary.text).toContain('已处置单位（1）：汇蜀社区（村社区）；处置中单位（1）：崇阳街道城运中心（部门科室）。');
  });

  it('answers "not found" for an event out of the user\'s reach, and for someone else\'s draft', async () => {
    for (const [user, id] of [['ym_op', f.e1.id], ['hs_grid', f.e3.id], ['zfj_handler', f.e2.id], ['city_op', f.e6.id]] as const) {
      const r = await get(user, `/api/events/${id}`);
      expect(r.statusCode, `${user}`).toBe(404);
      expect(r.json().message).toBe('事件不存在或您无权查看');
    }
    expect((await get('cy_op', `/api/events/${f.e6.id}`)).statusCode).toBe(200);
    expect((await get('hs_grid', `/api/events/${f.e4.id}`)).statusCode).toBe(200);
    expect((await get('city_op', '/api/events/00000000-0000-4000-8000-00000000ffff')).statusCode).toBe(404);
  });

  it('exports the list as an Excel file with Chinese headers and labels', async () => {
    const r = await get('city_op', '/api/events/export?view=all&keyword=崇阳大道');
    expect(r.statusCode, r.body).toBe(200);
    expect(r.headers['content-type']).toContain('spreadsheetml');
    expect(decodeURIComponent(String(r.headers['content-disposition']))).toContain('事件查询_');
    const wb = await readXlsx(r.rawPayload);
    const ws = wb.getWorksheet('事件')!;
    expect(ws.getRow(1).values).toEqual([undefined, '事件编号', '事件标题', '事件来源', '是否重点工单', '事件类型', '事发区域', '事件状态', '灯牌', '创建时间', '更新时间']);
    expect((ws.getRow(2).values as unknown[]).slice(1, 9)).toEqual(['RX20260301000003', '崇阳大道道路破损', '12345热线', '是', '道路破损', '崇阳街道', '处置中', '临期']);
    expect(ws.rowCount).toBe(2);
    const notes = wb.getWorksheet('导出说明')!;
    const lines = notes.getSheetValues().filter(Boolean).map((row) => (row as unknown[]).slice(1).join('：'));
    expect(lines).toContain('查询条件：全部事件；范围：本级及下级；标题或编号包含“崇阳大道”');
    expect(lines).toContain('符合条件：1 条');
  });

  it('keeps lists to those with the permission', async () => {
    expect((await h.call('GET', '/api/events')).statusCode).toBe(401);
    expect((await get('hs_grid', '/api/events/todos/summary')).statusCode).toBe(200);
  });
});
