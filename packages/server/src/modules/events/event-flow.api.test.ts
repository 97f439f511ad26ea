import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../core/crypto/sm.js';
import { backends } from '../../test/backends.js';
import { startHarness, type Harness } from '../../test/harness.js';
import { accessRepository } from '../system/access.repository.js';
import { sysOrg } from '../system/org.table.js';
import { orgRepository } from '../system/org.repository.js';
import { userRepository } from '../system/user.repository.js';

const PW = 'Chongzhou@2026';
const TYPE = 'urban.appearance.clutter';

interface Detail {
  event: { status: string; no: string; deadline: string | null; isKey: boolean; reportedToCity: boolean; ownerOrgName: string | null };
  tree: { id: string; orgName: string; role: string; status: string; deadline: string | null; parentId: string | null; signedAt: string | null }[];
  timeline: { action: string; actorOrgName: string | null; opinion: string | null; isCity: boolean }[];
  actions: { action: string; nodeId: string | null; requestId: string | null }[];
  requests: { id: string; kind: string; status: string }[];
}

/**
 * The tender's scenarios, end to end through the API: each user acts on their organisation's to-dos
 * as the detail page offers them, on PGlite and PostgreSQL.
 */
describe.each(backends)('event hub workflow on %s', (backend) => {
  let h: Harness;
  const t: Record<string, string> = {};
  const org: Record<string, string> = {};

  beforeAll(async () => {
    h = await startHarness(backend, { DEMO_DATA: 'true' });
    const db = h.database.db;
    for (const code of ['CZ-CYZX', 'CZ-ZFJ', 'CZ-GAJ', '510184001-CYZX', '510184002-CYZX', '510184001018']) {
      const [o] = await db.select().from(sysOrg).where(eq(sysOrg.code, code));
      org[code] = o!.id;
    }
    // A grid under 汇蜀社区 with its grid worker, and a second duty officer at 崇阳街道城运中心.
    const community = (await orgRepository(db).byId(org['510184001018']!))!;
    const grid = await orgRepository(db).insertUnder(community, { code: '510184001018-G01', name: '汇蜀社区第一网格', level: 'grid', type: 'grid' });
    org.grid = grid.id;
    const roles = await accessRepository(db).roleIdsByCode();
    const users = userRepository(db);
    const passwordHash = hashPassword(PW, 1000);
    for (const [username, name, orgId, role] of [
      ['grid_worker', '网格员甲', grid.id, 'community-worker'],
      ['cy_op2', '崇阳街道城运中心值班员乙', org['510184001-CYZX']!, 'town-operator'],
    ] as const) {
      const u = await users.insert({ username, name, orgId, passwordHash, pinyin: '' });
      await users.grantRoles(u.id, [roles.get(role)!]);
    }
    for (const u of ['city_op', 'cy_op', 'cy_op2', 'ym_op', 'hs_grid', 'zfj_handler', 'gaj_handler', 'grid_worker']) t[u] = await h.login(u, PW);
  });
  afterAll(async () => h?.dispose());

  const post = (token: string, url: string, body: unknown = {}) => h.call('POST', url, { token, body });
  const detail = async (token: string, id: string): Promise<Detail> => {
    const r = await h.call('GET', `/api/events/${id}`, { token });
    expect(r.statusCode, r.body).toBe(200);
    return r.json();
  };
  /** The node on which the user's organisation may take `action` now (as the detail page offers it). */
  const nodeFor = async (token: string, id: string, action: string) => {
    const a = (await detail(token, id)).actions.find((x) => x.action === action);
    expect(a, `${action} not offered`).toBeTruthy();
    return a!.nodeId!;
  };
  const act = async (token: string, id: string, action: string, body: unknown = {}, expected = 200) => {
    const nodeId = await nodeFor(token, id, action);
    const r = await post(token, `/api/events/${id}/nodes/${nodeId}/${action}`, body);
    expect(r.statusCode, r.body).toBe(expected);
    return r.json();
  };
  const create = async (token: string, title: string, extra: Record<string, unknown> = {}) => {
    const r = await post(token, '/api/events', { typeCode: TYPE, title, content: '小区门口堆放建筑垃圾', source: 'hotline', address: '崇阳街道蜀州中路', lat: 30.63, lng: 103.67, ...extra });
    expect(r.statusCode, r.body).toBe(200);
    return r.json() as { id: string; no: string; status: string };
  };
  const statusOf = async (token: string, id: string, orgName: string) => (await detail(token, id)).tree.filter((n) => n.orgName === orgName).map((n) => n.status);

  it('city → two towns (main + assist) → community handles → town submits → assistant submits → city sends back once, then closes', async () => {
    const ev = await create(t.city_op!, '蜀州中路乱堆乱放');
    expect(ev.status).toBe('processing');
    expect(ev.no).toMatch(/^RX\d{8}\d{6}$/);

    const cityNode = await nodeFor(t.city_op!, ev.id, 'dispatch');
    const dispatched = await post(t.city_op!, `/api/events/${ev.id}/nodes/${cityNode}/dispatch`, {
      targets: [
        { orgId: org['510184001-CYZX'], role: 'main', requirement: '请于三日内清运' },
        { orgId: org['510184002-CYZX'], role: 'assist', requirement: '协助查明倾倒车辆' },
        { orgId: org['CZ-ZFJ'], role: 'cc' },
      ],
      isKey: true,
    });
    expect(dispatched.statusCode, dispatched.body).toBe(200);

    // The towns have a to-do and a message; the CC department can only read.
    const cyTodos = (await h.call('GET', '/api/events/todos?box=handle', { token: t.cy_op })).json();
    expect(cyTodos.items.map((r: { eventId: string }) => r.eventId)).toContain(ev.id);
    const unread = (await h.call('GET', '/api/messages?unread=true', { token: t.ym_op })).json();
    expect(unread.items.some((m: { eventId: string; kind: string }) => m.eventId === ev.id && m.kind === 'dispatch')).toBe(true);
    expect((await detail(t.zfj_handler!, ev.id)).actions.map((a) => a.action)).toContain('read');

    // 崇阳 signs (optional step) and passes the job on to 汇蜀社区.
    await act(t.cy_op!, ev.id, 'sign', { opinion: '已签收，马上安排' });
    const cyNode = await nodeFor(t.cy_op!, ev.id, 'dispatch');
    const down = await post(t.cy_op!, `/api/events/${ev.id}/nodes/${cyNode}/dispatch`, { targets: [{ orgId: org['510184001018'], role: 'main', requirement: '社区组织清运' }] });
    expect(down.statusCode, down.body).toBe(200);
    expect(await statusOf(t.cy_op!, ev.id, '崇阳街道城运中心')).toEqual(['waiting']);

    // The community handles; the town's node comes back as a to-do for it to submit.
    await act(t.hs_grid!, ev.id, 'handle', { opinion: '已组织清运完毕' });
    expect(await statusOf(t.cy_op!, ev.id, '汇蜀社区')).toEqual(['submitted']);
    expect(await statusOf(t.cy_op!, ev.id, '崇阳街道城运中心')).toEqual(['todo']);
    // Acting again on a finished to-do is refused with the reason.
    const again = await post(t.hs_grid!, `/api/events/${ev.id}/nodes/${(await detail(t.hs_grid!, ev.id)).tree.find((n) => n.orgName === '汇蜀社区')!.id}/handle`, { opinion: '重复提交' });
    expect(again.statusCode).toBe(409);
    expect(again.json().message).toContain('已提交');

    await act(t.cy_op!, ev.id, 'handle', { opinion: '街道已核实清运' });
    // The assistant has not submitted: the city cannot close yet.
    let city = await detail(t.city_op!, ev.id);
    expect(city.event.status).toBe('processing');
    expect(city.actions.map((a) => a.action)).not.toContain('close');
    const early = await post(t.city_op!, `/api/events/${ev.id}/close`, { opinion: '结案' });
    expect(early.statusCode).toBe(409);

    await act(t.ym_op!, ev.id, 'handle', { opinion: '已查明倾倒车辆并移交执法' });
    city = await detail(t.city_op!, ev.id);
    expect(city.event.status).toBe('handled');
    expect(city.actions.map((a) => a.action)).toEqual(expect.arrayContaining(['close', 'rework']));
    const closingTodos = (await h.call('GET', '/api/events/todos?box=closing', { token: t.city_op })).json();
    expect(closingTodos.items.map((r: { eventId: string }) => r.eventId)).toContain(ev.id);

    // 处置核验: sent back to 崇阳 once; the closing to-do disappears until 崇阳 submits again.
    const cyNodeId = city.tree.find((n) => n.orgName === '崇阳街道城运中心')!.id;
    const rework = await post(t.city_op!, `/api/events/${ev.id}/rework`, { nodeIds: [cyNodeId], opinion: '现场仍有残留，请再次清理' });
    expect(rework.statusCode, rework.body).toBe(200);
    expect(rework.json().status).toBe('processing');
    expect((await h.call('GET', '/api/events/todos?box=closing', { token: t.city_op })).json().items.map((r: { eventId: string }) => r.eventId)).not.toContain(ev.id);
    await act(t.cy_op!, ev.id, 'handle', { opinion: '残留已清理' });
    expect((await detail(t.city_op!, ev.id)).event.status).toBe('handled');

    const closed = await post(t.city_op!, `/api/events/${ev.id}/close`, { opinion: '经核验已处置到位，同意结案' });
    expect(closed.statusCode, closed.body).toBe(200);
    const final = await detail(t.city_op!, ev.id);
    expect(final.event.status).toBe('closed');
    expect(final.event.isKey).toBe(true);
    expect(final.tree.every((n) => !['todo', 'waiting', 'closing'].includes(n.status))).toBe(true);
    expect(final.timeline.map((e) => e.action)).toEqual([
      'initiate', 'dispatch', 'sign', 'dispatch', 'handle', 'handle', 'handle', 'rework', 'handle', 'close',
    ]);
    expect(final.timeline.filter((e) => e.isCity).map((e) => e.action)).toEqual(['initiate', 'dispatch', 'rework', 'close']);
    // Closed: no one has anything left to do on it.
    expect((await detail(t.zfj_handler!, ev.id)).actions.map((a) => a.action)).not.toContain('read');
  });

  it('reports up from a grid to the city, each level taking over the closing rights', async () => {
    const ev = await create(t.grid_worker!, '网格内燃气管道异味', { source: 'grid' });
    expect(ev.no).toMatch(/^WG/);
    const node = await nodeFor(t.grid_worker!, ev.id, 'report');
    // A grid reports to its community only.
    const targets = (await h.call('GET', `/api/events/${ev.id}/nodes/${node}/targets?mode=report`, { token: t.grid_worker })).json();
    expect(targets.map((o: { name: string }) => o.name)).toEqual(['汇蜀社区']);
    const skip = await post(t.grid_worker!, `/api/events/${ev.id}/nodes/${node}/report`, { targetOrgId: org['CZ-CYZX'], opinion: '越级上报' });
    expect(skip.statusCode).toBe(400);

    await act(t.grid_worker!, ev.id, 'report', { targetOrgId: org['510184001018'], opinion: '网格无法处置，请社区协调' });
    // The community may not go straight to the city; its superior is the town.
    const hsNode = await nodeFor(t.hs_grid!, ev.id, 'report');
    const toCity = await post(t.hs_grid!, `/api/events/${ev.id}/nodes/${hsNode}/report`, { targetOrgId: org['CZ-CYZX'], opinion: '请市级协调' });
    expect(toCity.statusCode).toBe(400);
    await act(t.hs_grid!, ev.id, 'report', { targetOrgId: org['510184001-CYZX'], opinion: '涉及燃气公司，社区无法协调' });
    await act(t.cy_op!, ev.id, 'report', { targetOrgId: org['CZ-CYZX'], opinion: '跨区域燃气管网，请市级协调' });

    let d = await detail(t.city_op!, ev.id);
    expect(d.event.reportedToCity).toBe(true);
    expect(d.event.ownerOrgName).toBe('崇州市城市运行管理中心');
    expect(d.tree.map((n) => [n.orgName, n.status])).toEqual([
      ['汇蜀社区第一网格', 'reported'], ['汇蜀社区', 'reported'], ['崇阳街道城运中心', 'reported'], ['崇州市城市运行管理中心', 'todo'],
    ]);
    // The reporters can still follow it but no longer act.
    expect((await detail(t.grid_worker!, ev.id)).actions.filter((a) => a.nodeId)).toEqual([]);
    // A town centre cannot change the key-order mark of an event reported to the city.
    expect((await post(t.cy_op!, `/api/events/${ev.id}/key`, { isKey: true })).statusCode).toBe(409);

    await act(t.city_op!, ev.id, 'handle', { opinion: '已协调燃气公司抢修' });
    expect((await post(t.city_op!, `/api/events/${ev.id}/close`, { opinion: '抢修完毕' })).statusCode).toBe(200);
    d = await detail(t.grid_worker!, ev.id);
    expect(d.event.status).toBe('closed');
  });

  it('delays: at once for a self-handled event, by the dispatcher’s audit otherwise', async () => {
    // Self-handled: 崇阳 started it, the new deadline applies at once.
    const own = await create(t.cy_op!, '街道自查：路灯不亮', { source: 'self' });
    const before = (await detail(t.cy_op!, own.id)).event.deadline!;
    const later = new Date(Date.parse(before) + 5 * 86400_000).toISOString();
    await act(t.cy_op!, own.id, 'delay', { newDeadline: later, reason: '需等待配件到货' });
    const d1 = await detail(t.cy_op!, own.id);
    expect(d1.event.deadline).toBe(later);
    expect(d1.tree[0]!.deadline).toBe(later);
    expect(d1.requests).toEqual([]);

    // Dispatched by the city: a request the city audits.
    const ev = await create(t.city_op!, '道路破损待修复');
    const cityNode = await nodeFor(t.city_op!, ev.id, 'dispatch');
    await post(t.city_op!, `/api/events/${ev.id}/nodes/${cityNode}/dispatch`, { targets: [{ orgId: org['510184001-CYZX'], role: 'main' }] });
    const node = (await detail(t.cy_op!, ev.id)).tree.find((n) => n.orgName === '崇阳街道城运中心')!;
    const wanted = new Date(Date.parse(node.deadline!) + 3 * 86400_000).toISOString();
    await act(t.cy_op!, ev.id, 'delay', { newDeadline: wanted, reason: '沥青供应延迟' });
    expect((await detail(t.cy_op!, ev.id)).tree.find((n) => n.id === node.id)!.deadline).toBe(node.deadline);
    // A second request while one is pending is refused.
    expect((await post(t.cy_op!, `/api/events/${ev.id}/nodes/${node.id}/delay`, { newDeadline: wanted, reason: '再次申请' })).statusCode).toBe(409);

    const audits = (await h.call('GET', '/api/events/requests?box=todo', { token: t.city_op })).json();
    const request = audits.items.find((r: { eventId: string }) => r.eventId === ev.id);
    expect(request).toMatchObject({ kind: 'delay', status: 'pending', reason: '沥青供应延迟', applicantOrgName: '崇阳街道城运中心' });
    // Only the dispatching organisation audits.
    expect((await post(t.ym_op!, `/api/events/requests/${request.id}/audit`, { approve: true })).statusCode).toBe(403);
    expect((await post(t.city_op!, `/api/events/requests/${request.id}/audit`, { approve: true, opinion: '同意' })).statusCode).toBe(200);
    expect((await detail(t.cy_op!, ev.id)).tree.find((n) => n.id === node.id)!.deadline).toBe(wanted);
    // Audited once only.
    expect((await post(t.city_op!, `/api/events/requests/${request.id}/audit`, { approve: false })).statusCode).toBe(409);

    // Refused: the deadline stays.
    const further = new Date(Date.parse(wanted) + 86400_000).toISOString();
    await act(t.cy_op!, ev.id, 'delay', { newDeadline: further, reason: '天气原因' });
    const second = (await h.call('GET', '/api/events/requests?box=todo', { token: t.city_op })).json().items.find((r: { eventId: string }) => r.eventId === ev.id);
    expect((await post(t.city_op!, `/api/events/requests/${second.id}/audit`, { approve: false, opinion: '请按期完成' })).statusCode).toBe(200);
    expect((await detail(t.cy_op!, ev.id)).tree.find((n) => n.id === node.id)!.deadline).toBe(wanted);
  });

  it('returns: refused means keep handling, approved hands the event back', async () => {
    const ev = await create(t.city_op!, '商铺占道经营');
    const cityNode = await nodeFor(t.city_op!, ev.id, 'dispatch');
    await post(t.city_op!, `/api/events/${ev.id}/nodes/${cityNode}/dispatch`, { targets: [{ orgId: org['CZ-GAJ'], role: 'main' }] });
    await act(t.gaj_handler!, ev.id, 'return', { reason: '不属于公安职责' });
    const refuse = (await h.call('GET', '/api/events/requests?box=todo', { token: t.city_op })).json().items.find((r: { eventId: string }) => r.eventId === ev.id);
    expect(refuse.kind).toBe('return');
    await post(t.city_op!, `/api/events/requests/${refuse.id}/audit`, { approve: false, opinion: '涉及治安，请继续办理' });
    expect(await statusOf(t.city_op!, ev.id, '崇州市公安局')).toEqual(['todo']);

    await act(t.gaj_handler!, ev.id, 'return', { reason: '经核实为城管职责' });
    const approve = (await h.call('GET', '/api/events/requests?box=todo', { token: t.city_op })).json().items.find((r: { eventId: string }) => r.eventId === ev.id);
    await post(t.city_op!, `/api/events/requests/${approve.id}/audit`, { approve: true, opinion: '同意退回' });
    expect(await statusOf(t.city_op!, ev.id, '崇州市公安局')).toEqual(['returned']);
    // The city holds it again and dispatches to the right department.
    expect(await statusOf(t.city_op!, ev.id, '崇州市城市运行管理中心')).toEqual(['todo']);
    await act(t.city_op!, ev.id, 'dispatch', { targets: [{ orgId: org['CZ-ZFJ'], role: 'main' }] });
    const mine = (await h.call('GET', '/api/events/requests?box=mine', { token: t.gaj_handler })).json();
    expect(mine.items.filter((r: { eventId: string }) => r.eventId === ev.id).map((r: { status: string }) => r.status).sort()).toEqual(['approved', 'refused']);
  });

  it('回复需审核: a handling result counts only once the dispatcher approves it; others submit at once', async () => {
    const ev = await create(t.city_op!, '背街小巷垃圾清运');
    await act(t.city_op!, ev.id, 'dispatch', {
      targets: [{ orgId: org['510184001-CYZX'], role: 'main', replyAudit: true }, { orgId: org['510184002-CYZX'], role: 'assist' }],
    });
    const tree = (await detail(t.cy_op!, ev.id)).tree as (Detail['tree'][number] & { replyAudit: boolean; opinion: string | null })[];
    expect(tree.filter((n) => n.parentId).map((n) => [n.orgName, n.replyAudit])).toEqual([['崇阳街道城运中心', true], ['羊马街道城运中心', false]]);
    // Without the mark the assistant's result counts at once.
    await act(t.ym_op!, ev.id, 'handle', { opinion: '已协助清运' });
    expect(await statusOf(t.city_op!, ev.id, '羊马街道城运中心')).toEqual(['submitted']);

    // With it, 办理 files a 回复申请: nothing is submitted, the to-do stays and cannot be handled twice.
    await act(t.cy_op!, ev.id, 'handle', { opinion: '已清运完毕，第一次回复' });
    const pending = await detail(t.cy_op!, ev.id);
    expect(pending.event.status).toBe('processing');
    expect(await statusOf(t.cy_op!, ev.id, '崇阳街道城运中心')).toEqual(['todo']);
    expect(pending.timeline.at(-1)).toMatchObject({ action: 'reply_request', opinion: '已清运完毕，第一次回复' });
    expect(pending.actions.map((a) => a.action)).not.toContain('handle');
    const cyNode = pending.tree.find((n) => n.orgName === '崇阳街道城运中心')!.id;
    const twice = await post(t.cy_op!, `/api/events/${ev.id}/nodes/${cyNode}/handle`, { opinion: '重复提交' });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().message).toBe('已有待审核的申请，请等待审核结果');
    expect((await post(t.cy_op!, `/api/events/${ev.id}/nodes/${cyNode}/return`, { reason: '改为退回' })).statusCode).toBe(409);

    // The city audits it in 待我审核, filtered by kind, with a message and an audit action on the event.
    const box = (await h.call('GET', '/api/events/requests?box=todo&kind=reply', { token: t.city_op })).json();
    const first = box.items.find((r: { eventId: string }) => r.eventId === ev.id);
    expect(first).toMatchObject({ kind: 'reply', status: 'pending', reason: '已清运完毕，第一次回复', applicantOrgName: '崇阳街道城运中心', auditorOrgName: '崇州市城市运行管理中心' });
    expect((await h.call('GET', '/api/events/requests?box=todo&kind=delay', { token: t.city_op })).json().items.some((r: { eventId: string }) => r.eventId === ev.id)).toBe(false);
    expect((await detail(t.city_op!, ev.id)).actions).toContainEqual({ action: 'audit', nodeId: cyNode, requestId: first.id });
    const cityMessages = (await h.call('GET', '/api/messages?pageSize=200', { token: t.city_op })).json().items;
    expect(cityMessages.some((m: { kind: string; eventId: string; title: string }) => m.kind === 'audit' && m.eventId === ev.id && m.title.includes('办理结果，请审核'))).toBe(true);

    // Refused: the town handles again.
    expect((await post(t.city_op!, `/api/events/requests/${first.id}/audit`, { approve: false, opinion: '现场仍有垃圾，请重新清理' })).statusCode).toBe(200);
    const refused = await detail(t.cy_op!, ev.id);
    expect(await statusOf(t.cy_op!, ev.id, '崇阳街道城运中心')).toEqual(['todo']);
    expect(refused.timeline.at(-1)).toMatchObject({ action: 'audit_refuse', opinion: '现场仍有垃圾，请重新清理' });
    expect(refused.actions.map((a) => a.action)).toContain('handle');
    const cyMessages = (await h.call('GET', '/api/messages?pageSize=200', { token: t.cy_op })).json().items;
    expect(cyMessages.some((m: { kind: string; eventId: string; title: string }) => m.kind === 'audit_result' && m.eventId === ev.id && m.title.includes('回复申请未通过'))).toBe(true);

    // Handled again and approved: the result takes effect as a 办理 would, and the city may close.
    await act(t.cy_op!, ev.id, 'handle', { opinion: '已彻底清理，第二次回复' });
    const second = (await h.call('GET', '/api/events/requests?box=todo', { token: t.city_op })).json().items.find((r: { eventId: string }) => r.eventId === ev.id);
    expect(second).toMatchObject({ kind: 'reply', reason: '已彻底清理，第二次回复' });
    expect((await post(t.city_op!, `/api/events/requests/${second.id}/audit`, { approve: true, opinion: '同意' })).statusCode).toBe(200);
    const done = await detail(t.city_op!, ev.id);
    const cy = (done.tree as typeof tree).find((n) => n.orgName === '崇阳街道城运中心')!;
    expect([cy.status, cy.opinion]).toEqual(['submitted', '已彻底清理，第二次回复']);
    expect(done.event.status).toBe('handled');
    expect(await statusOf(t.city_op!, ev.id, '崇州市城市运行管理中心')).toEqual(['closing']);
    expect(done.actions.map((a) => a.action)).toContain('close');
    expect(done.timeline.map((e) => e.action).filter((a) => a.startsWith('reply') || a.startsWith('audit'))).toEqual(['reply_request', 'audit_refuse', 'reply_request', 'audit_approve']);
    const mine = (await h.call('GET', '/api/events/requests?box=mine&kind=reply', { token: t.cy_op })).json().items.filter((r: { eventId: string }) => r.eventId === ev.id);
    expect(mine.map((r: { status: string }) => r.status).sort()).toEqual(['approved', 'refused']);
  });

  it('refuses to void an event in dispatch, voids a fresh one that stays searchable', async () => {
    const ev = await create(t.city_op!, '重复受理的投诉');
    await act(t.city_op!, ev.id, 'dispatch', { targets: [{ orgId: org['510184002-CYZX'], role: 'main' }] });
    const refused = await post(t.city_op!, `/api/events/${ev.id}/void`, { reason: '重复事件' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().message).toBe('事件处于交办、上报等处置中状态，不能作废');
    expect((await detail(t.city_op!, ev.id)).event.status).toBe('processing');

    const fresh = await create(t.city_op!, '误报事件');
    // Only the initiating organisation may void.
    expect((await post(t.cy_op!, `/api/events/${fresh.id}/void`, { reason: '误报' })).statusCode).toBe(403);
    const voided = await post(t.city_op!, `/api/events/${fresh.id}/void`, { reason: '经核实为误报' });
    expect(voided.statusCode, voided.body).toBe(200);
    expect(voided.json().status).toBe('voided');
    const found = (await h.call('GET', `/api/events?view=all&keyword=${encodeURIComponent('误报事件')}`, { token: t.city_op })).json();
    expect(found.items.map((r: { id: string; status: string }) => [r.id, r.status])).toEqual([[fresh.id, 'voided']]);
  });

  it('two people handling one to-do at once: one wins, the other gets 409', async () => {
    const ev = await create(t.city_op!, '并发办理测试');
    await act(t.city_op!, ev.id, 'dispatch', { targets: [{ orgId: org['510184001-CYZX'], role: 'main' }] });
    const nodeId = await nodeFor(t.cy_op!, ev.id, 'handle');
    const url = `/api/events/${ev.id}/nodes/${nodeId}/handle`;
    const results = await Promise.all([post(t.cy_op!, url, { opinion: '值班员甲办理' }), post(t.cy_op2!, url, { opinion: '值班员乙办理' })]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    const d = await detail(t.city_op!, ev.id);
    expect(d.timeline.filter((e) => e.action === 'handle')).toHaveLength(1);
    expect(d.event.status).toBe('handled');
  });

  it('bad input changes nothing: an unreachable target fails the whole dispatch', async () => {
    const ev = await create(t.cy_op!, '街道内部事件');
    const nodeId = await nodeFor(t.cy_op!, ev.id, 'dispatch');
    const r = await post(t.cy_op!, `/api/events/${ev.id}/nodes/${nodeId}/dispatch`, {
      targets: [{ orgId: org['510184001018'], role: 'main' }, { orgId: org['CZ-CYZX'], role: 'assist' }],
    });
    expect(r.statusCode).toBe(400);
    expect(r.json().message).toContain('崇州市城市运行管理中心');
    const d = await detail(t.cy_op!, ev.id);
    expect(d.tree).toHaveLength(1);
    expect(d.timeline.map((e) => e.action)).toEqual(['initiate']);
    // Two mains at once are refused too.
    const two = await post(t.cy_op!, `/api/events/${ev.id}/nodes/${nodeId}/dispatch`, {
      targets: [{ orgId: org['510184001018'], role: 'main' }, { orgId: org['CZ-ZFJ'], role: 'main' }],
    });
    expect(two.statusCode).toBe(400);
    // An unknown event type or source is refused before anything is written.
    expect((await post(t.cy_op!, '/api/events', { typeCode: 'nope', title: 'x', source: 'hotline' })).statusCode).toBe(400);
    expect((await post(t.cy_op!, '/api/events', { typeCode: TYPE, title: 'x', source: 'nope' })).statusCode).toBe(400);
  });

  it('assist requests hold the closing until the assistants submit; a recalled one no longer counts', async () => {
    const ev = await create(t.zfj_handler!, '执法局自查：违规广告');
    await act(t.zfj_handler!, ev.id, 'assist', {
      targets: [
        { orgId: org['510184001-CYZX'], requirement: '请协助通知商户' },
        { orgId: org['510184002-CYZX'], requirement: '请协助排查同类广告' },
      ],
    });
    await act(t.zfj_handler!, ev.id, 'handle', { opinion: '已责令拆除' });
    let d = await detail(t.zfj_handler!, ev.id);
    expect(d.event.status).toBe('processing');
    expect(d.actions.map((a) => a.action)).not.toContain('close');

    // The requester recalls one assist request; the other assistant submits; now it can close.
    const ym = d.tree.find((n) => n.orgName === '羊马街道城运中心')!;
    expect((await post(t.zfj_handler!, `/api/events/${ev.id}/nodes/${ym.id}/recall`, { reason: '羊马无同类广告' })).statusCode).toBe(200);
    expect((await detail(t.ym_op!, ev.id)).actions.filter((a) => a.nodeId)).toEqual([]);
    await act(t.cy_op!, ev.id, 'handle', { opinion: '已通知商户' });
    d = await detail(t.zfj_handler!, ev.id);
    expect(d.event.status).toBe('handled');
    expect((await post(t.zfj_handler!, `/api/events/${ev.id}/close`, { opinion: '广告已拆除' })).statusCode).toBe(200);
  });

  it('hands closing rights to the main organisation when the dispatcher says so', async () => {
    const ev = await create(t.city_op!, '河道漂浮物');
    await act(t.city_op!, ev.id, 'dispatch', { targets: [{ orgId: org['510184002-CYZX'], role: 'main' }], transferClose: true });
    expect((await detail(t.city_op!, ev.id)).event.ownerOrgName).toBe('羊马街道城运中心');
    await act(t.ym_op!, ev.id, 'handle', { opinion: '已打捞' });
    const d = await detail(t.ym_op!, ev.id);
    expect(d.event.status).toBe('handled');
    expect(d.actions.map((a) => a.action)).toContain('close');
    // The city no longer closes it.
    expect((await post(t.city_op!, `/api/events/${ev.id}/close`, { opinion: '结案' })).statusCode).toBe(403);
    expect((await post(t.ym_op!, `/api/events/${ev.id}/close`, { opinion: '已打捞完毕' })).statusCode).toBe(200);
    // Reopened by the closing organisation, it is a to-do again; force-closed, it is done for everyone.
    expect((await post(t.ym_op!, `/api/events/${ev.id}/reopen`, { reason: '群众反映仍有漂浮物' })).statusCode).toBe(200);
    expect((await detail(t.ym_op!, ev.id)).event.status).toBe('processing');
    const below = (await h.call('GET', `/api/events/${ev.id}/nodes/${await nodeFor(t.ym_op!, ev.id, 'dispatch')}/targets?mode=dispatch&belowOnly=true`, { token: t.ym_op })).json();
    await act(t.ym_op!, ev.id, 'dispatch', { targets: [{ orgId: below[0].id, role: 'main' }] });
    const forced = await post(t.ym_op!, `/api/events/${ev.id}/force-close`, { opinion: '已核实处置完毕，村社区未反馈' });
    expect(forced.statusCode, forced.body).toBe(200);
    const f = await detail(t.city_op!, ev.id);
    expect(f.event.status).toBe('closed');
    expect(f.tree.every((n) => !['todo', 'waiting', 'closing'].includes(n.status))).toBe(true);
  });

  it('instructs any event, supervises only those in progress, and marks key orders by the rules', async () => {
    const ev = await create(t.cy_op!, '街道自查：积水');
    const directive = { person: '街道分管负责人', dept: '崇阳街道办事处', position: '副主任', content: '请尽快排水' };
    expect((await post(t.cy_op!, `/api/events/${ev.id}/instruct`, directive)).statusCode).toBe(200);
    expect((await post(t.city_op!, `/api/events/${ev.id}/supervise`, { ...directive, person: '市城运中心负责人', dept: '市城运中心' })).statusCode).toBe(200);
    // 羊马 is neither involved nor above: it cannot see the event.
    expect((await post(t.ym_op!, `/api/events/${ev.id}/instruct`, directive)).statusCode).toBe(404);
    expect((await post(t.cy_op!, `/api/events/${ev.id}/key`, { isKey: true })).statusCode).toBe(200);
    // Departments are not operations centres.
    expect((await post(t.zfj_handler!, `/api/events/${ev.id}/key`, { isKey: false })).statusCode).toBe(403);
    await act(t.cy_op!, ev.id, 'handle', { opinion: '已排水' });
    expect((await post(t.cy_op!, `/api/events/${ev.id}/close`, { opinion: '完成' })).statusCode).toBe(200);
    expect((await post(t.cy_op!, `/api/events/${ev.id}/supervise`, directive)).statusCode).toBe(409);
    expect((await post(t.cy_op!, `/api/events/${ev.id}/instruct`, directive)).statusCode).toBe(200);
    expect((await post(t.cy_op!, `/api/events/${ev.id}/key`, { isKey: false })).statusCode).toBe(409);
    const d = await detail(t.cy_op!, ev.id);
    expect(d.event.isKey).toBe(true);
    expect(d.timeline.map((e) => e.action)).toEqual(['initiate', 'instruct', 'supervise', 'key', 'handle', 'close', 'instruct']);
    const messages = (await h.call('GET', '/api/messages?pageSize=200', { token: t.cy_op })).json().items;
    expect(messages.some((m: { kind: string; eventId: string }) => m.kind === 'supervise' && m.eventId === ev.id)).toBe(true);
  });

  it('marks 重点工单 with a dispatch by the same rules as on its own', async () => {
    // A town centre's own event: marked in the same request as the dispatch.
    const own = await create(t.cy_op!, '街道自查：占道堆物');
    await act(t.cy_op!, own.id, 'dispatch', { targets: [{ orgId: org['510184001018'], role: 'main' }], isKey: true });
    expect((await detail(t.cy_op!, own.id)).event.isKey).toBe(true);
    // A city-dispatched event keeps the city's mark: the town's dispatch is refused whole, nothing dispatched.
    const fromCity = await create(t.city_op!, '市级下派：占道堆物');
    await act(t.city_op!, fromCity.id, 'dispatch', { targets: [{ orgId: org['510184001-CYZX'], role: 'main' }] });
    const refused = await act(t.cy_op!, fromCity.id, 'dispatch', { targets: [{ orgId: org['510184001018'], role: 'main' }], isKey: true }, 409);
    expect(refused.message).toBe('市级派发的事件以市级的重点工单标记为准，不能修改');
    expect(await statusOf(t.city_op!, fromCity.id, '汇蜀社区')).toEqual([]);
    // A department may dispatch but not mark.
    const dept = await create(t.zfj_handler!, '部门自查：占道经营');
    const none = await act(t.zfj_handler!, dept.id, 'dispatch', { targets: [{ orgId: org['510184001-CYZX'], role: 'main' }], isKey: true }, 403);
    expect(none.message).toBe('您没有标记重点工单的权限');
  });

  it('keeps drafts private until they are started', async () => {
    const body = { typeCode: TYPE, title: '草稿：人行道杂物', source: 'grid', submit: false };
    const draft = (await post(t.hs_grid!, '/api/events', body)).json();
    expect(draft).toMatchObject({ status: 'draft', no: null });
    expect((await h.call('GET', '/api/events/drafts', { token: t.hs_grid })).json().items.map((r: { id: string }) => r.id)).toContain(draft.id);
    expect((await h.call('GET', `/api/events/${draft.id}`, { token: t.cy_op })).statusCode).toBe(404);
    expect((await h.call('PUT', `/api/events/drafts/${draft.id}`, { token: t.cy_op, body: { ...body, title: '改' } })).statusCode).toBe(404);
    const edited = await h.call('PUT', `/api/events/drafts/${draft.id}`, { token: t.hs_grid, body: { ...body, title: '人行道杂物堆放' } });
    expect(edited.statusCode, edited.body).toBe(200);
    const started = (await post(t.hs_grid!, `/api/events/drafts/${draft.id}/submit`)).json();
    expect(started.status).toBe('processing');
    expect(started.no).toMatch(/^WG/);
    expect((await detail(t.hs_grid!, draft.id)).event.status).toBe('processing');
    expect((await post(t.hs_grid!, `/api/events/drafts/${draft.id}/submit`)).statusCode).toBe(404);
    const gone = (await post(t.hs_grid!, '/api/events', body)).json();
    expect((await h.call('DELETE', `/api/events/drafts/${gone.id}`, { token: t.hs_grid })).statusCode).toBe(200);
    expect((await h.call('DELETE', `/api/events/drafts/${gone.id}`, { token: t.hs_grid })).statusCode).toBe(404);
  });
});
