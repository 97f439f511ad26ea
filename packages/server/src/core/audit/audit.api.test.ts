import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { ADMIN_PASSWORD, startHarness, type Harness } from '../../test/harness.js';
import { backends } from '../../test/backends.js';

describe.each(backends)('operation and exception logs on %s', (backend) => {
  let h: Harness;
  let token: string;
  beforeAll(async () => {
    h = await startHarness(backend, { ADMIN_INITIAL_PASSWORD: ADMIN_PASSWORD });
    // A route that fails as a bug would, to see what the client and the exception log get.
    h.app.post('/api/test/boom', async () => {
      throw new Error('secret internal detail');
    });
    const first = await h.login('admin', ADMIN_PASSWORD);
    await h.call('POST', '/api/auth/change-password', { token: first, body: { oldPassword: ADMIN_PASSWORD, newPassword: 'Strong#2026pw' } });
    token = await h.login('admin', 'Strong#2026pw');
  });
  afterAll(async () => h?.dispose());

  it('logs every mutating request, including failed logins, with secrets masked', async () => {
    await h.call('POST', '/api/auth/login', { body: { username: 'admin', password: 'Wrong#password1' } });
    const page = (await h.call('GET', '/api/system/oplogs?pageSize=50', { token })).json();
    expect(page.total).toBeGreaterThanOrEqual(4);
    const types = page.items.map((i: { type: string }) => i.type);
    expect(types).toContain('登录');
    expect(types).toContain('修改');
    const failed = page.items.find((i: { status: number }) => i.status === 401);
    expect(failed).toMatchObject({ type: '登录', username: 'admin', url: '/api/auth/login' });
    expect(failed.content).toContain('失败：账号或密码错误');
    const change = page.items.find((i: { url: string }) => i.url === '/api/auth/change-password');
    expect(change).toMatchObject({ username: 'admin', subjectName: 'admin', status: 200 });
    const all = JSON.stringify(page.items);
    for (const pw of [ADMIN_PASSWORD, 'Strong#2026pw', 'Wrong#password1']) expect(all).not.toContain(pw);
  });

  it('filters by person and type and pages', async () => {
    const byType = (await h.call('GET', `/api/system/oplogs?type=${encodeURIComponent('登录')}&pageSize=1`, { token })).json();
    expect(byType.items).toHaveLength(1);
    expect(byType.total).toBeGreaterThan(1);
    expect(byType.items[0].type).toBe('登录');
    const nobody = (await h.call('GET', '/api/system/oplogs?username=nobody', { token })).json();
    expect(nobody).toMatchObject({ total: 0, items: [] });
    const bad = await h.call('GET', '/api/system/oplogs?pageSize=100000', { token });
    expect(bad.statusCode).toBe(400);
  });

  it('detects a row changed behind the application', async () => {
    const before = (await h.call('GET', '/api/system/oplogs/chain', { token })).json();
    expect(before.intact).toBe(true);
    expect(before.checked).toBeGreaterThanOrEqual(4);
    const [victim] = (await h.call('GET', '/api/system/oplogs?pageSize=200', { token })).json().items.slice(-2);
    await h.database.db.execute(sql`update sys_oplog set username = 'someone-else' where id = ${victim.id}`);
    const after = (await h.call('GET', '/api/system/oplogs/chain', { token })).json();
    expect(after).toMatchObject({ intact: false, firstBrokenId: victim.id });
  });

  it('answers a 5xx without internals and records it in the exception log', async () => {
    const r = await h.call('POST', '/api/test/boom', { token });
    expect(r.statusCode).toBe(500);
    const body = r.json();
    expect(body.code).toBe('INTERNAL');
    expect(r.body).not.toContain('secret internal detail');
    expect(body.message).toContain(body.details.exceptionId);
    const found = (await h.call('GET', `/api/system/exception-logs?id=${body.details.exceptionId}`, { token })).json();
    expect(found.total).toBe(1);
    expect(found.items[0]).toMatchObject({ url: '/api/test/boom', message: 'secret internal detail', username: 'admin', requestId: body.requestId });
    expect(found.items[0].detail).toContain('audit.api.test.ts');
  });

  it('returns JSON 404 for unknown API paths', async () => {
    const r = await h.call('GET', '/api/nothing-here');
    expect(r.statusCode).toBe(404);
    expect(r.json()).toMatchObject({ code: 'NOT_FOUND' });
  });
});
