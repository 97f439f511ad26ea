import { accessVersion } from '../../core/access-version.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type SQL } from 'drizzle-orm';
import { ADMIN_PASSWORD, startHarness, type Harness } from '../../test/harness.js';
import { backends } from '../../test/backends.js';

const DEMO_PASSWORD = 'Chongzhou@2026';

/** Appends the GB 11643 check character to the first 17 characters of an ID number. */
function withCheck(first17: string) {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = w.reduce((s, x, i) => s + x * Number(first17[i]), 0);
  return first17 + '10X98765432'[sum % 11];
}
const wrongCheck = (id: string) => id.slice(0, 17) + (id[17] === '0' ? '1' : '0');

describe.each(backends)('人员管理 on %s', (backend) => {
  let h: Harness;
  let admin: string;
  const org: Record<string, string> = {};
  const ids: Record<string, string> = {};

  const rows = async <T = Record<string, unknown>>(q: SQL): Promise<T[]> => {
    const r = (await h.database.db.execute(q)) as unknown as { rows?: T[] } | T[];
    return Array.isArray(r) ? r : (r.rows ?? []);
  };
  const list = async (query: string, token = admin) => {
    const r = await h.call('GET', `/api/system/users?pageSize=200&${query}`, { token });
    expect(r.statusCode, r.body).toBe(200);
    return r.json() as { total: number; items: Record<string, any>[] };
  };
  const usernames = (page: { items: Record<string, any>[] }) => page.items.map((i) => i.username as string);
  const create = (body: Record<string, unknown>, token = admin) => h.call('POST', '/api/system/users', { token, body });

  beforeAll(async () => {
    h = await startHarness(backend, { DEMO_DATA: 'true' });
    const t = await h.login('admin', ADMIN_PASSWORD);
    await h.call('POST', '/api/auth/change-password', { token: t, body: { oldPassword: ADMIN_PASSWORD, newPassword: 'Strong#2026pw' } });
    admin = await h.login('admin', 'Strong#2026pw');
    for (const r of await rows<{ id: string; code: string }>(sql`select id, code from sys_org`)) org[r.code] = r.id;
    for (const r of await rows<{ id: string; username: string }>(sql`select id, username from sys_user`)) ids[r.username] = r.id;
  });
  afterAll(async () => h?.dispose());

  const ID = withCheck('51018419900307123');
  const MOBILE = '13912345678';

  it('stores the ID number and mobile encrypted, finds them by exact value, and masks them in lists', async () => {
    const r = await create({
      username: 'duty_a', name: '值守员', orgId: org['510184001018'], gender: 'male', staffNo: 'HS-001',
      idType: '01', idNumber: ID, mobile: MOBILE,
    });
    expect(r.statusCode, r.body).toBe(200);
    const created = r.json();
    ids.duty_a = created.user.id;
    // Generated once, compliant, and the person must change it at the first login.
    expect(created.generatedPassword).toMatch(/^.{12,}$/);
    expect(created.user).toMatchObject({ orgName: '汇蜀社区', idNumber: ID, mobile: MOBILE, passwordChangeReason: 'initial' });
    const login = await h.call('POST', '/api/auth/login', { body: { username: 'duty_a', password: created.generatedPassword } });
    expect(login.json()).toMatchObject({ mustChangePassword: true, reason: 'initial' });

    // The raw row holds neither value, nor any fragment a LIKE could find.
    const raw = JSON.stringify(await rows(sql`select * from sys_user where username = 'duty_a'`));
    expect(raw).not.toContain(ID);
    expect(raw).not.toContain(MOBILE);
    expect(raw).not.toContain(ID.slice(-8));
    expect(raw).not.toContain(MOBILE.slice(-6));
    expect(raw).toContain('sm4$');
    // Neither does the operation log.
    const log = JSON.stringify(await rows(sql`select * from sys_oplog where url like '/api/system/users%'`));
    expect(log).toContain('值守员（duty_a）');
    expect(log).not.toContain(ID);
    expect(log).not.toContain(MOBILE);

    // Smart search by the full mobile or ID number; advanced search by the exact ID number.
    for (const kw of [MOBILE, ID, ID.toLowerCase()]) expect(usernames(await list(`keyword=${kw}`))).toEqual(['duty_a']);
    expect(usernames(await list(`idNumber=${ID}`))).toEqual(['duty_a']);
    expect(usernames(await list(`mobile=${MOBILE}`))).toEqual(['duty_a']);
    // A fragment of either finds nobody: only exact values are searchable.
    expect((await list(`keyword=${MOBILE.slice(0, 7)}`)).total).toBe(0);
    // Name, pinyin initials and account prefix.
    expect(usernames(await list(`keyword=${encodeURIComponent('值守')}`))).toContain('duty_a');
    expect(usernames(await list('keyword=zsy'))).toContain('duty_a');
    expect(usernames(await list('keyword=duty_'))).toEqual(['duty_a']);

    const item = (await list('keyword=duty_a')).items[0]!;
    expect(item).toMatchObject({
      name: '值守员', orgName: '汇蜀社区', gender: 'male', staffNo: 'HS-001',
      idNumberMasked: `510184********${ID.slice(-4)}`, mobileMasked: '139****5678', locked: false, enabled: true,
    });
    expect(item).not.toHaveProperty('idNumber');
    expect(item).not.toHaveProperty('mobile');
    expect(JSON.stringify(await list(''))).not.toContain(MOBILE);

    // The detail (for editing) decrypts.
    const detail = await h.call('GET', `/api/system/users/${ids.duty_a}`, { token: admin });
    expect(detail.json()).toMatchObject({ idNumber: ID, mobile: MOBILE });
  });

  it('lists people of an organisation, with or without its sub-organisations, and shows roles', async () => {
    const town = await list(`orgId=${org['510184001']}`);
    expect(town.total).toBe(0); // nobody sits on the town itself
    const withChildren = usernames(await list(`orgId=${org['510184001']}&includeChildren=true`));
    expect(withChildren).toEqual(expect.arrayContaining(['cy_op', 'hs_grid', 'duty_a']));
    expect(withChildren).not.toContain('ym_op');
    const cy = (await list(`orgId=${org['510184001-CYZX']}`)).items;
    expect(cy.map((i) => i.username)).toEqual(['cy_op']);
    expect(cy[0]).toMatchObject({ orgName: '崇阳街道城运中心', roles: ['镇街城运中心值班员'] });
    expect(usernames(await list(`gender=male&orgId=${org['510184001']}&includeChildren=true`))).toEqual(['duty_a']);
  });

  it('refuses an ID number with a wrong check digit, and creates nothing', async () => {
    const r = await create({ username: 'clerk_a', name: '受理员', orgId: org['510184001018'], idType: '01', idNumber: wrongCheck(ID) });
    expect(r.statusCode).toBe(400);
    expect(r.json().details).toEqual([{ path: 'idNumber', message: '居民身份证号码校验位不正确' }]);
    expect(r.json().message).toContain('校验位不正确');
    const bad = await Promise.all([
      create({ username: 'clerk_a', name: '受理员', orgId: org['510184001018'], idType: '01', idNumber: '51018419901301123X' }),
      create({ username: 'clerk_a', name: '受理员', orgId: org['510184001018'], mobile: '12345678901' }),
      create({ username: 'l!', name: '受理员', orgId: org['510184001018'] }),
      create({ username: 'clerk_a', name: '受理员', orgId: org['510184001018'], idNumber: 'E1234567' }),
      create({ username: 'clerk_a', name: '', orgId: org['510184001018'] }),
      create({ username: 'clerk_a', name: '受理员' }),
      create({ username: 'clerk_a', name: '受理员', orgId: org['510184001018'], gender: 'robot' }),
      create({ username: 'clerk_a', name: '受理员', orgId: org['510184001018'], password: 'abcdefgh' }),
    ]);
    expect(bad.map((b) => b.statusCode)).toEqual([400, 400, 400, 400, 400, 400, 400, 400]);
    expect(bad.map((b) => b.json().details?.[0]?.message)).toEqual([
      '居民身份证号码格式不正确', '请输入正确的 11 位手机号码', '账号须为 3–32 位字母、数字或下划线',
      '填写证件号时须选择证件类别', '请输入姓名', '请选择所属组织', '性别取值无效', expect.stringContaining('至少 3 类'),
    ]);
    expect(await rows(sql`select id from sys_user where username = 'clerk_a'`)).toEqual([]);
    // Failed attempts are logged without the values.
    const log = JSON.stringify(await rows(sql`select content from sys_oplog where url = '/api/system/users' and status = 400`));
    expect(log).not.toContain(wrongCheck(ID));
    expect(log).not.toContain('12345678901');
  });

  it('refuses a duplicate account with 409, whatever its case', async () => {
    for (const username of ['duty_a', 'DUTY_A', 'cy_op']) {
      const r = await create({ username, name: '重复', orgId: org['510184001018'] });
      expect(r.statusCode).toBe(409);
      expect(r.json()).toMatchObject({ code: 'CONFLICT', message: `账号「${username}」已存在，请换一个账号` });
    }
  });

  it('takes a given initial password when it complies with the policy', async () => {
    const r = await create({ username: 'patrol_a', name: '巡查员', orgId: org['510184001-CYZX'], password: 'Wf#2026start', mobile: '13800001111' });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).not.toHaveProperty('generatedPassword');
    ids.patrol_a = r.json().user.id;
    expect((await h.call('POST', '/api/auth/login', { body: { username: 'patrol_a', password: 'Wf#2026start' } })).json()).toMatchObject({ reason: 'initial' });
  });

  it('edits a person but not the account, and can clear the mobile', async () => {
    const r = await h.call('PUT', `/api/system/users/${ids.patrol_a}`, {
      token: admin,
      body: { name: '巡查员乙', orgId: org['510184001-CYZX'], gender: 'female', staffNo: 'CY-9', idType: '03', idNumber: 'e12345678', mobile: '', username: 'hacked' },
    });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ username: 'patrol_a', name: '巡查员乙', gender: 'female', idType: '03', idNumber: 'E12345678', mobile: null, idNumberMasked: 'E1*****78' });
    expect(usernames(await list('keyword=xcyy'))).toEqual(['patrol_a']);
    expect((await list('keyword=13800001111')).total).toBe(0);
    expect((await h.call('PUT', `/api/system/users/${crypto.randomUUID()}`, { token: admin, body: { name: 'x', orgId: org['510184001'] } })).statusCode).toBe(404);
  });

  it('disables in batch, row by row: a normal user yes, yourself no', async () => {
    const r = await h.call('POST', '/api/system/users/disable', { token: admin, body: { ids: [ids.patrol_a, ids.admin] } });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({
      succeeded: 1, failed: 1,
      results: [{ id: ids.patrol_a, ok: true }, { id: ids.admin, ok: false, message: '不能禁用当前登录的账号' }],
    });
    const state = await rows<{ username: string; enabled: boolean }>(sql`select username, enabled from sys_user where username in ('patrol_a', 'admin') order by username`);
    expect(state).toEqual([{ username: 'admin', enabled: true }, { username: 'patrol_a', enabled: false }]);
    expect((await h.call('POST', '/api/auth/login', { body: { username: 'patrol_a', password: 'Wf#2026start' } })).json().code).toBe('ACCOUNT_DISABLED');
    // The built-in 物联感知平台 account (creator of alarm events) is disabled, so that nobody logs in as it.
    expect(usernames(await list('enabled=false')).sort()).toEqual(['iot-platform', 'patrol_a']);

    const back = await h.call('POST', '/api/system/users/enable', { token: admin, body: { ids: [ids.patrol_a, 'not-an-id'] } });
    expect(back.json()).toMatchObject({ succeeded: 1, failed: 1, results: [{ ok: true }, { id: 'not-an-id', ok: false, message: '人员不存在' }] });
    const log = (await rows<{ type: string; subject_name: string; content: string }>(sql`select type, subject_name, content from sys_oplog where url = '/api/system/users/disable'`))[0]!;
    expect(log).toMatchObject({ type: '禁用', subject_name: '巡查员乙（patrol_a）、系统管理员（admin）' });
    expect(log.content).toContain('成功 1 人，失败 1 人');
  });

  it('unlocks a person locked by 5 failed logins', async () => {
    for (let i = 0; i < 5; i++) await h.call('POST', '/api/auth/login', { body: { username: 'patrol_a', password: 'wrong-password' } });
    expect((await h.call('POST', '/api/auth/login', { body: { username: 'patrol_a', password: 'Wf#2026start' } })).statusCode).toBe(423);
    const locked = await list('locked=true');
    expect(usernames(locked)).toEqual(['patrol_a']);
    expect(locked.items[0]!.lockedUntil).toBeTruthy();
    expect(usernames(await list('locked=false'))).not.toContain('patrol_a');

    const r = await h.call('POST', '/api/system/users/unlock', { token: admin, body: { ids: [ids.patrol_a] } });
    expect(r.json()).toMatchObject({ succeeded: 1, failed: 0 });
    expect((await list('locked=true')).total).toBe(0);
    expect((await list('keyword=patrol_a')).items[0]).toMatchObject({ locked: false, lockedUntil: null });
    expect((await h.call('POST', '/api/auth/login', { body: { username: 'patrol_a', password: 'Wf#2026start' } })).statusCode).toBe(200);
  });

  it('resets a password: generated and shown once, to be changed at the next login', async () => {
    const weak = await h.call('POST', `/api/system/users/${ids.ym_op}/reset-password`, { token: admin, body: { password: 'ym_op#2026A' } });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().message).toContain('密码不能包含账号名');

    const r = await h.call('POST', `/api/system/users/${ids.ym_op}/reset-password`, { token: admin, body: {} });
    expect(r.statusCode, r.body).toBe(200);
    const { generatedPassword } = r.json();
    expect(generatedPassword).toMatch(/[A-Z]/);
    expect(generatedPassword).toMatch(/[a-z]/);
    expect(generatedPassword).toMatch(/\d/);
    expect((await h.call('POST', '/api/auth/login', { body: { username: 'ym_op', password: DEMO_PASSWORD } })).statusCode).toBe(401);
    const login = await h.call('POST', '/api/auth/login', { body: { username: 'ym_op', password: generatedPassword } });
    expect(login.json()).toMatchObject({ mustChangePassword: true, reason: 'reset' });
    const blocked = await h.call('GET', '/api/auth/me', { token: login.json().token });
    expect(blocked.json().user).toMatchObject({ mustChangePassword: true, passwordChangeReason: 'reset' });
    // The new password is in no log.
    expect(JSON.stringify(await rows(sql`select * from sys_oplog`))).not.toContain(generatedPassword);

    // Back to the demo password for the tests below.
    await h.call('POST', `/api/system/users/${ids.ym_op}/reset-password`, { token: admin, body: { password: DEMO_PASSWORD } });
  });

  it('moves people to another organisation in batch', async () => {
    const r = await h.call('POST', '/api/system/users/move', { token: admin, body: { ids: [ids.patrol_a], orgId: org['510184002-CYZX'] } });
    expect(r.json()).toMatchObject({ succeeded: 1 });
    expect((await list('keyword=patrol_a')).items[0]).toMatchObject({ orgName: '羊马街道城运中心' });
    const missing = await h.call('POST', '/api/system/users/move', { token: admin, body: { ids: [ids.patrol_a], orgId: crypto.randomUUID() } });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().message).toContain('所选组织不存在');
  });

  describe('an administrator scoped to 崇阳街道', () => {
    let scoped: string;
    beforeAll(async () => {
      const r = await create({ username: 'cy_admin', name: '崇阳街道管理员', orgId: org['510184001'], password: 'Cy#admin2026' });
      const userId = r.json().user.id;
      const t = await h.login('cy_admin', 'Cy#admin2026');
      await h.call('POST', '/api/auth/change-password', { token: t, body: { oldPassword: 'Cy#admin2026', newPassword: 'Cy#admin2027' } });
      // The roles slice builds role management; here the rows are written directly.
      const [role] = await rows<{ id: string }>(sql`insert into sys_role (code, name, is_admin) values ('cy-admin', '崇阳街道管理员', true) returning id`);
      await h.database.db.execute(sql`insert into sys_role_org_scope (role_id, org_id) values (${role!.id}, ${org['510184001']})`);
      await h.database.db.execute(sql`insert into sys_role_resource (role_id, resource_id)
        select ${role!.id}, id from sys_resource where permission in ('system:user:list', 'system:user:edit', 'system:user:reset-password')`);
      await h.database.db.execute(sql`insert into sys_user_role (user_id, role_id) values (${userId}, ${role!.id})`);
      // Written behind the API's back: tell the permission cache, as an API change would.
      await accessVersion(h.cache).bump();
      scoped = await h.login('cy_admin', 'Cy#admin2027');
    });

    it('lists only the people of 崇阳街道 and its tree', async () => {
      const all = usernames(await list('', scoped));
      expect(all).toEqual(expect.arrayContaining(['cy_op', 'hs_grid', 'duty_a', 'cy_admin']));
      for (const other of ['ym_op', 'city_op', 'admin', 'patrol_a', 'gaj_handler']) expect(all).not.toContain(other);
      // Searching does not reach outside either.
      expect((await list('keyword=ym_op', scoped)).total).toBe(0);
      const outside = await h.call('GET', `/api/system/users?orgId=${org['510184002']}`, { token: scoped });
      expect(outside.statusCode).toBe(403);
      expect(outside.json()).toMatchObject({ code: 'OUT_OF_SCOPE', details: { orgName: '羊马街道' } });

      const tops = (await h.call('GET', '/api/system/users/orgs', { token: scoped })).json();
      expect(tops).toMatchObject([{ name: '崇阳街道', hasChildren: true }]);
      const kids = (await h.call('GET', `/api/system/users/orgs?parentId=${org['510184001']}`, { token: scoped })).json();
      expect(kids.map((k: { name: string }) => k.name)).toEqual(expect.arrayContaining(['崇阳街道城运中心', '汇蜀社区']));
      const hits = (await h.call('GET', `/api/system/users/orgs?keyword=${encodeURIComponent('城运中心')}`, { token: scoped })).json();
      expect(hits).toEqual([expect.objectContaining({ name: '崇阳街道城运中心', trail: ['崇阳街道'] })]);
      expect((await h.call('GET', `/api/system/users/orgs?parentId=${org['510184002']}`, { token: scoped })).statusCode).toBe(403);
      // The super administrator's tree starts at the city.
      expect((await h.call('GET', '/api/system/users/orgs', { token: admin })).json()).toMatchObject([{ name: '崇州市' }]);
    });

    it('cannot create a person in 羊马街道, nor edit ym_op, but edits cy_op', async () => {
      const r = await create({ username: 'ym_new', name: '羊马新人', orgId: org['510184002-CYZX'] }, scoped);
      expect(r.statusCode).toBe(403);
      expect(r.json()).toMatchObject({ code: 'OUT_OF_SCOPE', message: '组织「羊马街道城运中心」不在您的管理范围内' });
      expect(await rows(sql`select id from sys_user where username = 'ym_new'`)).toEqual([]);

      const body = { name: '改名', orgId: org['510184001-CYZX'] };
      const ym = await h.call('PUT', `/api/system/users/${ids.ym_op}`, { token: scoped, body });
      expect(ym.statusCode).toBe(403);
      expect(ym.json()).toMatchObject({ code: 'OUT_OF_SCOPE', details: { username: 'ym_op' } });
      expect((await h.call('GET', `/api/system/users/${ids.ym_op}`, { token: scoped })).statusCode).toBe(403);
      expect((await h.call('POST', `/api/system/users/${ids.ym_op}/reset-password`, { token: scoped, body: {} })).statusCode).toBe(403);

      const cy = await h.call('PUT', `/api/system/users/${ids.cy_op}`, {
        token: scoped, body: { name: '崇阳街道城运中心值班员', orgId: org['510184001-CYZX'], staffNo: 'CY-001', mobile: '13600001234' },
      });
      expect(cy.statusCode, cy.body).toBe(200);
      expect(cy.json()).toMatchObject({ staffNo: 'CY-001', mobile: '13600001234', mobileMasked: '136****1234' });
      // …but not into 羊马街道.
      const away = await h.call('PUT', `/api/system/users/${ids.cy_op}`, { token: scoped, body: { name: '崇阳', orgId: org['510184002'] } });
      expect(away.statusCode).toBe(403);
      const move = await h.call('POST', '/api/system/users/move', { token: scoped, body: { ids: [ids.cy_op], orgId: org['510184002'] } });
      expect(move.statusCode).toBe(403);

      // In a batch, people outside the scope fail row by row and stay unchanged.
      const batch = await h.call('POST', '/api/system/users/disable', { token: scoped, body: { ids: [ids.hs_grid, ids.ym_op, ids.admin] } });
      expect(batch.json()).toMatchObject({
        succeeded: 1, failed: 2,
        results: [
          { id: ids.hs_grid, ok: true },
          { id: ids.ym_op, ok: false, message: '人员「羊马街道城运中心值班员」不在您的管理范围内' },
          { id: ids.admin, ok: false, message: '人员「系统管理员」不在您的管理范围内' },
        ],
      });
      const enabled = await rows<{ username: string; enabled: boolean }>(sql`select username, enabled from sys_user where username in ('hs_grid', 'ym_op', 'admin') order by username`);
      expect(enabled.map((e) => `${e.username}:${e.enabled}`)).toEqual(['admin:true', 'hs_grid:false', 'ym_op:true']);
    });

    it('a holder of the list permission without an admin role sees nobody', async () => {
      await h.database.db.execute(sql`insert into sys_role_resource (role_id, resource_id)
        select r.id, s.id from sys_role r, sys_resource s where r.code = 'auditor' and s.permission = 'system:user:list'`);
      const auditor = await h.login('auditor', DEMO_PASSWORD);
      expect((await list('', auditor)).total).toBe(0);
      expect((await h.call('GET', '/api/system/users/orgs', { token: auditor })).json()).toEqual([]);
      expect((await h.call('POST', '/api/system/users/disable', { token: auditor, body: { ids: [ids.cy_op] } })).statusCode).toBe(403);
    });
  });

  it('deletes in batch, refusing yourself and the built-in admin', async () => {
    const [cyAdmin] = await rows<{ id: string }>(sql`select id from sys_user where username = 'cy_admin'`);
    const scoped = await h.login('cy_admin', 'Cy#admin2027');
    const byScoped = await h.call('POST', '/api/system/users/delete', { token: scoped, body: { ids: [ids.duty_a, cyAdmin!.id] } });
    expect(byScoped.json()).toMatchObject({ succeeded: 1, failed: 1, results: [{ ok: true }, { ok: false, message: '不能删除当前登录的账号' }] });

    const r = await h.call('POST', '/api/system/users/delete', { token: admin, body: { ids: [ids.patrol_a, ids.admin] } });
    expect(r.json()).toMatchObject({ succeeded: 1, failed: 1, results: [{ ok: true }, { ok: false, message: '不能删除当前登录的账号' }] });
    // Another super administrator cannot delete the built-in admin either.
    await h.database.db.execute(sql`insert into sys_user_role (user_id, role_id) select ${ids.gaj_handler}, id from sys_role where code = 'admin'`);
    await accessVersion(h.cache).bump();
    const other = await h.login('gaj_handler', DEMO_PASSWORD);
    const builtin = await h.call('POST', '/api/system/users/delete', { token: other, body: { ids: [ids.admin] } });
    expect(builtin.json().results).toEqual([{ id: ids.admin, ok: false, message: '内置管理员账号 admin 不能删除' }]);

    const remaining = await rows<{ username: string }>(sql`select username from sys_user where username in ('duty_a', 'patrol_a', 'admin')`);
    expect(remaining.map((x) => x.username)).toEqual(['admin']);
    expect(await rows(sql`select * from sys_user_role where user_id in (${ids.duty_a}, ${ids.patrol_a})`)).toEqual([]);
    expect((await h.call('GET', `/api/system/users/${ids.duty_a}`, { token: admin })).statusCode).toBe(404);
  });

  it('refuses anyone without the permissions', async () => {
    const op = await h.login('city_op', DEMO_PASSWORD);
    expect((await h.call('GET', '/api/system/users', { token: op })).statusCode).toBe(403);
    expect((await h.call('POST', '/api/system/users/unlock', { token: op, body: { ids: [ids.cy_op] } })).statusCode).toBe(403);
    expect((await h.call('GET', '/api/system/users')).statusCode).toBe(401);
  });

  it('documents its endpoints in the OpenAPI description', async () => {
    const doc = (await h.call('GET', '/api/docs/openapi.json')).json();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/system/users', '/api/system/users/{id}', '/api/system/users/{id}/reset-password']));
    expect(doc.paths['/api/system/users'].get.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['keyword', 'includeChildren', 'locked']));
  });
});
