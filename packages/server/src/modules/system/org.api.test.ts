import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { ADMIN_PASSWORD, startHarness, type Harness } from '../../test/harness.js';
import { backends } from '../../test/backends.js';
import { orgService } from './org.service.js';

const DEMO_PW = 'Chongzhou@2026';
const ADMIN_PW = 'Strong#2026pw';

interface Node {
  id: string;
  name: string;
  code: string;
  path: string;
  level: string;
  tags: string[];
  enabled: boolean;
  hasChildren: boolean;
  childCount: number;
  userCount: number;
  userTotal: number;
  canManage: boolean;
  pathNames?: string[];
}

const rowsOf = (r: unknown) => (Array.isArray(r) ? r : ((r as { rows: unknown[] }).rows ?? [])) as Record<string, unknown>[];

describe.each(backends)('organisations on %s', (backend) => {
  let h: Harness;
  let admin: string;
  const get = async <T = Node[]>(url: string, token = admin) => {
    const r = await h.call('GET', url, { token });
    expect(r.statusCode, r.body).toBe(200);
    return r.json() as T;
  };
  const byCode = async (code: string) => (await get<{ items: Node[] }>(`/api/system/orgs?keyword=${encodeURIComponent(code)}`)).items.find((o) => o.code === code)!;
  const create = (body: Record<string, unknown>, token = admin) => h.call('POST', '/api/system/orgs', { token, body });

  beforeAll(async () => {
    h = await startHarness(backend, { DEMO_DATA: 'true' });
    const first = await h.login('admin', ADMIN_PASSWORD);
    await h.call('POST', '/api/auth/change-password', { token: first, body: { oldPassword: ADMIN_PASSWORD, newPassword: ADMIN_PW } });
    admin = await h.login('admin', ADMIN_PW);
  });
  afterAll(async () => h?.dispose());

  it('shows the tree lazily with children flags and head counts', async () => {
    const roots = await get('/api/system/orgs/children');
    expect(roots.map((o) => o.name)).toEqual(['崇州市']);
    const city = roots[0]!;
    expect(city).toMatchObject({ level: 'district', hasChildren: true, canManage: true, userCount: 0 });
    expect(city.userTotal).toBe(8); // every demo user works somewhere below 崇州市

    const cityChildren = await get(`/api/system/orgs/children?parentId=${city.id}`);
    expect(cityChildren.filter((o) => o.level === 'town')).toHaveLength(15);
    expect(cityChildren.find((o) => o.name === '崇州市城市运行管理中心')).toMatchObject({ userCount: 3, tags: ['市级城运中心'] });

    const cy = cityChildren.find((o) => o.name === '崇阳街道')!;
    expect(cy).toMatchObject({ childCount: 18, userCount: 0, userTotal: 2 });
    const cyChildren = await get(`/api/system/orgs/children?parentId=${cy.id}`);
    expect(cyChildren).toHaveLength(18);
    expect(cyChildren.filter((o) => o.level === 'community')).toHaveLength(17);
    expect(cyChildren.filter((o) => o.tags.includes('镇街城运中心')).map((o) => o.name)).toEqual(['崇阳街道城运中心']);
    expect(cyChildren.find((o) => o.name === '汇蜀社区')).toMatchObject({ userCount: 1, hasChildren: false });

    const missing = await h.call('GET', `/api/system/orgs/children?parentId=${crypto.randomUUID()}`, { token: admin });
    expect(missing.statusCode).toBe(404);
    expect((await h.call('GET', '/api/system/orgs/children')).statusCode).toBe(401);
  });

  it('finds organisations by pinyin initials, code prefix or part of the name, with their ancestors', async () => {
    const cyjd = await get<{ items: Node[]; total: number }>('/api/system/orgs?keyword=cyjd');
    expect(cyjd.items[0]).toMatchObject({ name: '崇阳街道', pathNames: ['崇州市'] });
    expect(cyjd.items.map((o) => o.name)).toContain('崇阳街道城运中心');

    const byCodePrefix = await get<{ items: Node[] }>('/api/system/orgs?keyword=510184001&pageSize=200');
    expect(byCodePrefix.items.every((o) => o.code.startsWith('510184001'))).toBe(true);
    expect(byCodePrefix.items).toHaveLength(19); // the town, its centre and 17 communities

    const hs = await get<{ items: Node[] }>(`/api/system/orgs?keyword=${encodeURIComponent('汇蜀')}`);
    expect(hs.items).toMatchObject([{ name: '汇蜀社区', pathNames: ['崇州市', '崇阳街道'] }]);
    expect((await get<{ total: number }>('/api/system/orgs?keyword=%25')).total).toBe(0); // % is literal
  });

  it('searches by region (and below), level, tag, type, org code and enabled flag, paged', async () => {
    const communities = await get<{ items: Node[]; total: number }>('/api/system/orgs?regionCode=510184001&level=community&pageSize=10');
    expect(communities.total).toBe(17);
    expect(communities.items).toHaveLength(10);
    const page2 = await get<{ items: Node[]; page: number }>('/api/system/orgs?regionCode=510184001&level=community&pageSize=10&page=2');
    expect(page2.items).toHaveLength(7);
    expect((await get<{ total: number }>('/api/system/orgs?regionCode=510184001')).total).toBe(19);
    const centres = await get<{ total: number }>(`/api/system/orgs?tag=${encodeURIComponent('镇街城运中心')}`);
    expect(centres.total).toBe(15);
    expect((await get<{ total: number }>('/api/system/orgs?enabled=false')).total).toBe(0);
    expect((await get<{ total: number }>('/api/system/orgs?type=party_gov')).total).toBe(13); // 崇州市 and its 12 departments
    expect((await get<{ total: number }>('/api/system/orgs?orgCode=1151')).total).toBe(0);
    const bad = await h.call('GET', '/api/system/orgs?level=planet', { token: admin });
    expect(bad.statusCode).toBe(400);
  });

  it('creates under a parent only at an allowed level, and keeps codes unique', async () => {
    const hs = await byCode('510184001018');
    const grid = await create({
      parentId: hs.id, name: '汇蜀社区第一网格', code: '510184001018-W01', level: 'grid', type: 'grid',
      regionCode: '510184001018', leader: '负责人甲', phone: '028-82111111', superiorIds: [],
    });
    expect(grid.statusCode, grid.body).toBe(200);
    expect(grid.json()).toMatchObject({ name: '汇蜀社区第一网格', level: 'grid', parentName: '汇蜀社区', pathNames: ['崇州市', '崇阳街道', '汇蜀社区'], regionName: expect.any(String) });
    expect(grid.json().path).toBe(`${hs.path}${grid.json().id}/`);
    expect((await get<{ items: Node[] }>('/api/system/orgs?keyword=hssqdywg')).items.map((o) => o.name)).toEqual(['汇蜀社区第一网格']);

    const city = await byCode('510184');
    const wrong = await create({ parentId: city.id, name: '错层社区', code: 'X-WRONG', level: 'community' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().message).toBe('「村（社区）」不能建在「崇州市」（区县（县级市））下，其下级只能是：部门、镇（街道）');
    const underGrid = await create({ parentId: grid.json().id, name: '网格下的网格', code: 'X-GG', level: 'grid' });
    expect(underGrid.json().message).toContain('下不能再建下级组织');

    const town = await create({ parentId: city.id, name: '测试镇', code: 'T-TEST', level: 'town', tags: ['镇街城运中心'] });
    expect(town.statusCode).toBe(200);

    const dup = await create({ parentId: city.id, name: '重复', code: 'T-TEST', level: 'town' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().message).toBe('自定义编码「T-TEST」已被「测试镇」使用');
    const noRegion = await create({ parentId: city.id, name: '无区划', code: 'T-NOREG', level: 'town', regionCode: '999999' });
    expect(noRegion.json()).toMatchObject({ code: 'INVALID', message: '行政区划「999999」不存在' });
    const noName = await create({ parentId: city.id, name: '', code: 'T-X', level: 'town' });
    expect(noName.statusCode).toBe(400);
    expect(noName.json().message).toContain('请输入组织名称');
    const badTag = await create({ parentId: city.id, name: '坏标签', code: 'T-BADTAG', level: 'town', tags: ['不存在的标签'] });
    expect(badTag.json().message).toBe('组织标签「不存在的标签」不存在');
  });

  it('updates every field and its business superiors, but never to itself or below itself', async () => {
    const town = await byCode('T-TEST');
    const gaj = await byCode('CZ-GAJ');
    const zfj = await byCode('CZ-ZFJ');
    const sub = await create({ parentId: town.id, name: '测试社区', code: 'T-TEST-C1', level: 'community' });
    const body = {
      name: '测试镇（改）', code: 'T-TEST', orgCode: '11510184MB0000000X', type: 'town_gov', level: 'town', tags: ['镇街城运中心'],
      regionCode: '510184002', leader: '负责人乙', contact: '联系人甲', phone: '13800000000', address: '崇州市某路 1 号', sort: 5, enabled: true,
      superiorIds: [gaj.id, zfj.id],
    };
    const ok = await h.call('PUT', `/api/system/orgs/${town.id}`, { token: admin, body });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ name: '测试镇（改）', orgCode: '11510184MB0000000X', type: 'town_gov', leader: '负责人乙', contact: '联系人甲', address: '崇州市某路 1 号', sort: 5 });
    const detail = await get<{ superiors: { id: string; name: string }[] }>(`/api/system/orgs/${town.id}`);
    expect(detail.superiors.map((s) => s.name).sort()).toEqual(['崇州市公安局', '崇州市综合行政执法局'].sort());
    expect((await get<{ total: number }>('/api/system/orgs?orgCode=11510184MB')).total).toBe(1);

    const self = await h.call('PUT', `/api/system/orgs/${town.id}`, { token: admin, body: { ...body, superiorIds: [town.id] } });
    expect(self.json().message).toBe('业务上级不能是组织本身');
    const below = await h.call('PUT', `/api/system/orgs/${town.id}`, { token: admin, body: { ...body, superiorIds: [sub.json().id] } });
    expect(below.json().message).toBe('业务上级不能是本组织的下级：「测试社区」');
    const badRegion = await h.call('PUT', `/api/system/orgs/${town.id}`, { token: admin, body: { ...body, regionCode: '123' } });
    expect(badRegion.json().message).toBe('行政区划「123」不存在');
    const toGrid = await h.call('PUT', `/api/system/orgs/${town.id}`, { token: admin, body: { ...body, level: 'grid' } });
    expect(toGrid.statusCode).toBe(400);
    expect((await get<{ superiors: unknown[] }>(`/api/system/orgs/${town.id}`)).superiors).toHaveLength(2);
  });

  it('moves a subtree under another parent, rewriting every path below, never under itself', async () => {
    const town = await byCode('T-TEST');
    const comm = await byCode('T-TEST-C1');
    const g1 = (await create({ parentId: comm.id, name: '测试网格一', code: 'T-TEST-G1', level: 'grid' })).json();
    const ym = await byCode('510184002');

    const intoSelf = await h.call('POST', `/api/system/orgs/${town.id}/move`, { token: admin, body: { parentId: g1.id } });
    expect(intoSelf.statusCode).toBe(400);
    expect(intoSelf.json().message).toBe('不能移动到本组织的下级「测试网格一」下面');
    const wrongLevel = await h.call('POST', `/api/system/orgs/${comm.id}/move`, { token: admin, body: { parentId: (await byCode('CZ-GAJ')).id } });
    expect(wrongLevel.json().message).toContain('不能建在「崇州市公安局」');

    const moved = await h.call('POST', `/api/system/orgs/${comm.id}/move`, { token: admin, body: { parentId: ym.id } });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json()).toMatchObject({ parentName: '羊马街道', path: `${ym.path}${comm.id}/` });
    const grid = await get<{ path: string; pathNames: string[] }>(`/api/system/orgs/${g1.id}`);
    expect(grid.path).toBe(`${ym.path}${comm.id}/${g1.id}/`);
    expect(grid.pathNames).toEqual(['崇州市', '羊马街道', '测试社区']);
    expect((await get(`/api/system/orgs/children?parentId=${town.id}`))).toEqual([]);
    const ymKids = await get(`/api/system/orgs/children?parentId=${ym.id}`);
    expect(ymKids.map((o) => o.name)).toContain('测试社区');
  });

  it('refuses to delete while children, people or subordinates refer to it, saying which and how many', async () => {
    const cy = await byCode('510184001');
    const r1 = await h.call('DELETE', `/api/system/orgs/${cy.id}`, { token: admin });
    expect(r1.statusCode).toBe(409);
    expect(r1.json().message).toBe('「崇阳街道」还有 18 个下级组织，不能删除');
    const centre = await byCode('510184001-CYZX');
    expect((await h.call('DELETE', `/api/system/orgs/${centre.id}`, { token: admin })).json().message).toBe('「崇阳街道城运中心」还有 1 名人员，不能删除');
    const gaj = await byCode('CZ-GAJ');
    expect((await h.call('DELETE', `/api/system/orgs/${gaj.id}`, { token: admin })).json().message).toBe('「崇州市公安局」还有 1 名人员，是 1 个组织的业务上级，不能删除');
    const g1 = await byCode('T-TEST-G1');
    expect((await h.call('DELETE', `/api/system/orgs/${g1.id}`, { token: admin })).statusCode).toBe(200);
    expect((await h.call('GET', `/api/system/orgs/${g1.id}`, { token: admin })).statusCode).toBe(404);
  });

  it('runs batches row by row: the good ones change, the bad ones stay untouched with a reason', async () => {
    const city = await byCode('510184');
    const a = (await create({ parentId: city.id, name: '批量甲', code: 'B-A', level: 'department' })).json();
    const b = (await create({ parentId: city.id, name: '批量乙', code: 'B-B', level: 'department' })).json();
    const cy = await byCode('510184001');
    const ghost = crypto.randomUUID();

    const disabled = (await h.call('POST', '/api/system/orgs/batch/disable', { token: admin, body: { ids: [a.id, b.id] } })).json();
    expect(disabled).toMatchObject({ succeeded: 2, failed: 0 });
    expect((await get<{ total: number }>('/api/system/orgs?enabled=false')).total).toBe(2);
    expect((await h.call('POST', '/api/system/orgs/batch/enable', { token: admin, body: { ids: [a.id, ghost] } })).json()).toMatchObject({
      succeeded: 1, failed: 1, results: [{ id: a.id, ok: true }, { id: ghost, ok: false, message: '组织机构不存在或已删除' }],
    });

    const r = await h.call('POST', '/api/system/orgs/batch/delete', { token: admin, body: { ids: [a.id, cy.id, b.id, ghost] } });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({
      succeeded: 2,
      failed: 2,
      results: [
        { id: a.id, ok: true },
        { id: cy.id, ok: false, message: '「崇阳街道」还有 18 个下级组织，不能删除' },
        { id: b.id, ok: true },
        { id: ghost, ok: false, message: '组织机构不存在或已删除' },
      ],
    });
    expect((await h.call('GET', `/api/system/orgs/${a.id}`, { token: admin })).statusCode).toBe(404);
    expect((await h.call('GET', `/api/system/orgs/${b.id}`, { token: admin })).statusCode).toBe(404);
    expect((await get<{ childCount: number; enabled: boolean }>(`/api/system/orgs/${cy.id}`))).toMatchObject({ childCount: 18, enabled: true });
    const empty = await h.call('POST', '/api/system/orgs/batch/delete', { token: admin, body: { ids: [] } });
    expect(empty.json().message).toContain('请至少选择一条记录');
  });

  it('limits editing to the admin scope of a scoped administrator (403 OUT_OF_SCOPE elsewhere)', async () => {
    const cy = await byCode('510184001');
    const ym = await byCode('510184002');
    const hs = await byCode('510184001018');
    const db = h.database.db;
    // An admin role scoped to 崇阳街道 holding the organisation functions, given to cy_op.
    const role = rowsOf(await db.execute(sql`insert into sys_role (code, name, is_admin) values ('cy-admin', '崇阳街道管理员', true) returning id`))[0]!.id as string;
    await db.execute(sql`insert into sys_role_org_scope (role_id, org_id) values (${role}, ${cy.id})`);
    await db.execute(sql`insert into sys_role_resource (role_id, resource_id) select ${role}, id from sys_resource where permission in ('system:org:list', 'system:org:edit')`);
    await db.execute(sql`insert into sys_user_role (user_id, role_id) select id, ${role} from sys_user where username = 'cy_op'`);
    const cyOp = await h.login('cy_op', DEMO_PW);

    const kids = await get(`/api/system/orgs/children?parentId=${(await byCode('510184')).id}`, cyOp);
    expect(kids.find((o) => o.id === cy.id)!.canManage).toBe(true);
    expect(kids.find((o) => o.id === ym.id)!.canManage).toBe(false);

    const ymDetail = await get<Record<string, unknown>>(`/api/system/orgs/${ym.id}`);
    const { id: _i, superiors: _s, ...ymBody } = ymDetail;
    const refused = await h.call('PUT', `/api/system/orgs/${ym.id}`, { token: cyOp, body: { ...ymBody, leader: '越权', superiorIds: [] } });
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ code: 'OUT_OF_SCOPE', message: '「羊马街道」不在您的管理范围内' });
    const refusedCreate = await create({ parentId: ym.id, name: '越权社区', code: 'X-OUT', level: 'community' }, cyOp);
    expect(refusedCreate.json().code).toBe('OUT_OF_SCOPE');
    const batch = (await h.call('POST', '/api/system/orgs/batch/disable', { token: cyOp, body: { ids: [ym.id] } })).json();
    expect(batch.results[0]).toMatchObject({ ok: false, message: '「羊马街道」不在您的管理范围内' });
    expect((await get<{ enabled: boolean; leader: string | null }>(`/api/system/orgs/${ym.id}`))).toMatchObject({ enabled: true, leader: null });

    const hsDetail = await get<Record<string, unknown>>(`/api/system/orgs/${hs.id}`);
    const { id: _j, superiors: _t, ...hsBody } = hsDetail;
    const allowed = await h.call('PUT', `/api/system/orgs/${hs.id}`, { token: cyOp, body: { ...hsBody, leader: '汇蜀社区书记', superiorIds: [] } });
    expect(allowed.statusCode, allowed.body).toBe(200);
    expect(allowed.json().leader).toBe('汇蜀社区书记');
    const grid = await create({ parentId: hs.id, name: '汇蜀社区第二网格', code: '510184001018-W02', level: 'grid' }, cyOp);
    expect(grid.statusCode).toBe(200);
    const moveOut = await h.call('POST', `/api/system/orgs/${grid.json().id}/move`, { token: cyOp, body: { parentId: (await byCode('T-TEST-C1')).id } });
    expect(moveOut.json().code).toBe('OUT_OF_SCOPE');

    // Without any admin role a user cannot edit at all (no function permission).
    const ymOp = await h.login('ym_op', DEMO_PW);
    expect((await h.call('PUT', `/api/system/orgs/${ym.id}`, { token: ymOp, body: { ...ymBody, superiorIds: [] } })).statusCode).toBe(403);
  });

  it('lets only a 镇街城运中心 report to the city centre', async () => {
    const orgs = orgService({ db: h.database.db, dicts: { options: async () => [] } });
    expect(await orgs.canReportToCity((await byCode('510184001-CYZX')).id)).toBe(true);
    expect(await orgs.canReportToCity((await byCode('510184001')).id)).toBe(false);
    expect(await orgs.canReportToCity((await byCode('CZ-CYZX')).id)).toBe(false);
    expect(await orgs.canReportToCity('nope')).toBe(false);
  });

  it('writes the operation log with the organisation as subject', async () => {
    const logs = await get<{ items: { type: string; subjectType: string; subjectName: string }[] }>('/api/system/oplogs?pageSize=100');
    const org = logs.items.filter((l) => l.subjectType === '组织机构');
    expect(org.map((l) => l.type)).toEqual(expect.arrayContaining(['新增', '修改', '删除', '启用', '禁用']));
    expect(org.find((l) => l.type === '新增' && l.subjectName === '汇蜀社区第一网格')).toBeTruthy();
  });
});
