import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { sm2Encrypt } from '../../core/crypto/sm.js';
import { ADMIN_PASSWORD, startHarness, type Harness } from '../../test/harness.js';
import { backends } from '../../test/backends.js';

describe.each(backends)('auth on %s', (backend) => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(backend, { DEMO_DATA: 'true' });
  });
  afterAll(async () => h?.dispose());

  it('health reports the database and cache', async () => {
    const r = await h.call('GET', '/api/health');
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ status: 'ok', database: { status: 'up', driver: backend }, cache: { status: 'up', driver: 'memory' } });
  });

  it('admin must change the initial password before anything else', async () => {
    const login = await h.call('POST', '/api/auth/login', { body: { username: 'admin', password: ADMIN_PASSWORD } });
    expect(login.statusCode).toBe(200);
    expect(login.json()).toMatchObject({ mustChangePassword: true, reason: 'initial' });
    const token = login.json().token;

    const blocked = await h.call('GET', '/api/system/oplogs', { token });
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().code).toBe('PASSWORD_CHANGE_REQUIRED');
    expect((await h.call('GET', '/api/auth/me', { token })).json().menus).toEqual([]);

    const weak = await h.call('POST', '/api/auth/change-password', { token, body: { oldPassword: ADMIN_PASSWORD, newPassword: 'abcdefgh' } });
    expect(weak.statusCode).toBe(400);
    expect(weak.json()).toMatchObject({ code: 'WEAK_PASSWORD' });
    expect(weak.json().message).toContain('至少 3 类');

    const withName = await h.call('POST', '/api/auth/change-password', { token, body: { oldPassword: ADMIN_PASSWORD, newPassword: 'Admin#2026x' } });
    expect(withName.json().message).toBe('密码不能包含账号名');

    const wrongOld = await h.call('POST', '/api/auth/change-password', { token, body: { oldPassword: 'nope', newPassword: 'Strong#2026pw' } });
    expect(wrongOld.json().code).toBe('WRONG_PASSWORD');

    const ok = await h.call('POST', '/api/auth/change-password', { token, body: { oldPassword: ADMIN_PASSWORD, newPassword: 'Strong#2026pw' } });
    expect(ok.statusCode).toBe(200);

    const me = (await h.call('GET', '/api/auth/me', { token })).json();
    expect(me.user.mustChangePassword).toBe(false);
    expect(me.permissions).toEqual(['*:*:*']);
    const system = me.menus.find((m: { name: string }) => m.name === '系统管理');
    expect(system.children.map((c: { name: string }) => c.name)).toEqual(['组织人员', '资源权限', '基础管理']);
    const basic = system.children.find((c: { name: string }) => c.name === '基础管理');
    expect(basic.children.map((c: { name: string }) => c.name)).toContain('操作日志');
    expect((await h.call('GET', '/api/system/oplogs', { token })).statusCode).toBe(200);

    expect((await h.call('POST', '/api/auth/login', { body: { username: 'admin', password: ADMIN_PASSWORD } })).statusCode).toBe(401);
    expect((await h.login('admin', 'Strong#2026pw')).length).toBeGreaterThan(20);
  });

  it('accepts the SM2-encrypted password the web client sends, and refuses a bad ciphertext', async () => {
    const { publicKey } = (await h.call('GET', '/api/auth/public-key')).json();
    const r = await h.call('POST', '/api/auth/login', { body: { username: 'city_op', password: sm2Encrypt('Chongzhou@2026', publicKey), encrypted: true } });
    expect(r.statusCode).toBe(200);
    const bad = await h.call('POST', '/api/auth/login', { body: { username: 'city_op', password: 'abcd', encrypted: true } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toContain('无法解密');
  });

  it('locks the account after 5 wrong passwords and says so in Chinese', async () => {
    const attempt = (password: string) => h.call('POST', '/api/auth/login', { body: { username: 'ym_op', password } });
    for (let i = 1; i <= 4; i++) {
      const r = await attempt('wrong-password');
      expect(r.statusCode).toBe(401);
      expect(r.json().message).toBe(`账号或密码错误，再错 ${5 - i} 次账号将被锁定`);
    }
    const fifth = await attempt('wrong-password');
    expect(fifth.statusCode).toBe(423);
    expect(fifth.json().message).toMatch(/^密码连续错误 5 次，账号已锁定 30 分钟/);

    const right = await attempt('Chongzhou@2026');
    expect(right.statusCode).toBe(423);
    expect(right.json().message).toMatch(/^账号已锁定，请于 \d\d:\d\d 后重试/);

    // When the lock has run out the right password works again.
    await h.database.db.execute(sql`update sys_user set locked_until = now() - interval '1 minute' where username = 'ym_op'`);
    expect((await attempt('Chongzhou@2026')).statusCode).toBe(200);
  });

  it('an unknown account gets the same answer as a wrong password', async () => {
    const r = await h.call('POST', '/api/auth/login', { body: { username: 'nobody', password: 'whatever1' } });
    expect(r.statusCode).toBe(401);
    expect(r.json().message).toBe('账号或密码错误');
  });

  it('keeps no plain password anywhere in the user rows', async () => {
    const rows = (await h.database.db.execute(sql`select * from sys_user`)) as unknown as { rows?: unknown[] } | unknown[];
    const dump = JSON.stringify(Array.isArray(rows) ? rows : rows.rows);
    expect(dump).toContain('pbkdf2-sm3$');
    for (const pw of ['Chongzhou@2026', 'Strong#2026pw', ADMIN_PASSWORD]) expect(dump).not.toContain(pw);
  });

  it('forces a change of an expired password', async () => {
    await h.database.db.execute(sql`update sys_user set password_changed_at = now() - interval '91 days' where username = 'gaj_handler'`);
    const r = await h.call('POST', '/api/auth/login', { body: { username: 'gaj_handler', password: 'Chongzhou@2026' } });
    expect(r.json()).toMatchObject({ mustChangePassword: true, reason: 'expired' });
  });

  it('refuses bad input with a clear 400 and the field at fault', async () => {
    const r = await h.call('POST', '/api/auth/login', { body: { username: '', password: 'x' } });
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({ code: 'INVALID', details: [{ path: 'username', message: '请输入账号' }] });
    expect(r.json().message).toContain('请输入账号');
    const notJson = await h.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'application/json' }, payload: '{"username":' });
    expect(notJson.statusCode).toBe(400);
    expect(notJson.json().requestId).toBeTruthy();
  });

  it('ends the session on logout', async () => {
    const token = await h.login('city_op', 'Chongzhou@2026');
    expect((await h.call('POST', '/api/auth/logout', { token })).statusCode).toBe(200);
    const r = await h.call('GET', '/api/auth/me', { token });
    expect(r.statusCode).toBe(401);
    expect(r.json().message).toBe('登录已超时，请重新登录');
    expect((await h.call('GET', '/api/auth/me')).json().message).toBe('请先登录');
  });

  it('shows each user the menus and data their roles grant', async () => {
    const op = await h.login('city_op', 'Chongzhou@2026');
    const me = (await h.call('GET', '/api/auth/me', { token: op })).json();
    expect(me.user.orgName).toBe('崇州市城市运行管理中心');
    expect(me.menus.map((m: { name: string }) => m.name)).toEqual(['工作台', '事件枢纽', '物联感知', '消息中心']);
    // The city centre watches the devices, their alarms and the rules behind them; it does not manage them.
    expect(me.menus[2].children.map((c: { name: string }) => c.name)).toEqual(['物联概览', '设备管理', '设备地图', '消息追踪', '规则引擎', '告警记录']);
    expect(me.menus[1].children.map((c: { name: string }) => c.name)).toEqual(['事件发起', '草稿箱', '我的待办', '交办后任务', '事件审核', '事件查询', '事件配置']);
    const denied = await h.call('GET', '/api/system/oplogs', { token: op });
    expect(denied.statusCode).toBe(403);
    expect(denied.json().message).toBe('没有权限执行此操作');

    const auditor = await h.login('auditor', 'Chongzhou@2026');
    const am = (await h.call('GET', '/api/auth/me', { token: auditor })).json();
    expect(am.menus.map((m: { name: string }) => m.name)).toEqual(['工作台', '消息中心', '系统管理']);
    // Only the pages granted, inside their folders; other folders of 系统管理 are pruned.
    expect(am.menus[2].children.map((c: { name: string }) => c.name)).toEqual(['基础管理']);
    expect(am.menus[2].children[0].children.map((c: { name: string }) => c.name)).toEqual(['系统异常', '操作日志']);
    expect((await h.call('GET', '/api/system/oplogs', { token: auditor })).statusCode).toBe(200);
  });
});
