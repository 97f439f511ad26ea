import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import type { AccessLog } from '@cityops/contracts';
import { ADMIN_PASSWORD, startHarness, type Harness } from '../../test/harness.js';
import { backends } from '../../test/backends.js';
import { loggedPath } from './access-log.hook.js';

const NEW_PASSWORD = 'Strong#2026pw';
/** No device listeners: these tests are about the platform's logs. */
const NO_LISTENERS = { IOT_MQTT_PORT: '0', IOT_COAP_PORT: '0' };

describe('the logged address', () => {
  it('keeps the query string but drops credentials in it', () => {
    expect(loggedPath('/api/files/1/download?token=abc&inline=1')).toBe('/api/files/1/download?inline=1');
    expect(loggedPath('/api/x?password=p&sign=s&typeCode=road')).toBe('/api/x?typeCode=road');
    expect(loggedPath('/api/x?token=abc')).toBe('/api/x');
    expect(loggedPath('/api/x')).toBe('/api/x');
  });
});

describe.each(backends)('访问日志 on %s', (backend) => {
  let h: Harness;
  let token: string;

  const list = async (query: string) => {
    await h.flushLogs();
    const r = await h.call('GET', `/api/iot/logs/access?${query}`, { token });
    expect(r.statusCode).toBe(200);
    return r.json() as { items: AccessLog[]; total: number; capped: boolean };
  };

  beforeAll(async () => {
    h = await startHarness(backend, NO_LISTENERS);
    const first = await h.login('admin', ADMIN_PASSWORD);
    await h.call('POST', '/api/auth/change-password', { token: first, body: { oldPassword: ADMIN_PASSWORD, newPassword: NEW_PASSWORD } });
    token = await h.login('admin', NEW_PASSWORD);
  });
  afterAll(async () => h?.dispose());

  it('records reads with ip, address, the endpoint summary, user, status and duration', async () => {
    const r = await h.call('GET', '/api/system/oplogs?page=1&token=should-not-be-kept', { token });
    expect(r.statusCode).toBe(200);
    const { items } = await list('path=/api/system/oplogs');
    const row = items.find((i) => i.path.startsWith('/api/system/oplogs?'));
    expect(row).toMatchObject({
      method: 'GET', path: '/api/system/oplogs?page=1', description: '操作日志查询', username: 'admin', status: 200, ip: '127.0.0.1',
    });
    expect(row!.userId).toMatch(/^[0-9a-f-]{36}$/);
    expect(row!.durationMs).toBeGreaterThanOrEqual(0);
    expect(Date.now() - Date.parse(row!.at)).toBeLessThan(60_000);
  });

  it('names the account of a login and leaves anonymous refusals without a user', async () => {
    await h.call('GET', '/api/system/users');
    const refused = await list('statusClass=4xx&path=/api/system/users');
    expect(refused.items[0]).toMatchObject({ path: '/api/system/users', status: 401, username: null });
    const logins = await list('path=/api/auth/login&username=admin');
    expect(logins.items.length).toBeGreaterThanOrEqual(2);
    expect(logins.items[0]).toMatchObject({ method: 'POST', description: expect.stringContaining('登录'), status: 200 });
  });

  it('filters by ip, user, status class and time, newest first', async () => {
    expect((await list('ip=10.9.')).total).toBe(0);
    expect((await list('username=nobody-here')).total).toBe(0);
    const ok = await list('statusClass=2xx&pageSize=200');
    expect(ok.items.every((i) => i.status >= 200 && i.status < 300)).toBe(true);
    expect(ok.capped).toBe(false);
    const ats = ok.items.map((i) => Date.parse(i.at));
    expect([...ats].sort((a, b) => b - a)).toEqual(ats);
    const future = new Date(Date.now() + 3600_000).toISOString();
    expect((await list(`from=${encodeURIComponent(future)}`)).total).toBe(0);
  });

  it('does not log what is not an API request', async () => {
    await h.call('GET', '/index.html');
    expect((await list('path=index.html')).total).toBe(0);
  });

  it('exports the filtered rows to Excel and notes the export in the operation log', async () => {
    const r = await h.call('GET', '/api/iot/logs/access/export?path=/api/system/oplogs', { token });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-disposition']).toContain(encodeURIComponent('访问日志_'));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(r.rawPayload as unknown as ArrayBuffer);
    const rows: string[][] = [];
    wb.getWorksheet('访问日志')!.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((v) => String(v ?? ''))));
    expect(rows[0]).toEqual(['访问时间', 'IP', '方法', '地址', '访问说明', '用户', '状态', '耗时(ms)']);
    expect(rows.some((x) => x[3] === '/api/system/oplogs?page=1' && x[4] === '操作日志查询' && x[5] === 'admin')).toBe(true);
    const oplog = (await h.call('GET', '/api/system/oplogs?type=导出', { token })).json();
    expect(oplog.items[0]).toMatchObject({ subjectType: '访问日志', content: expect.stringContaining('地址包含“/api/system/oplogs”') });
  });

  it('is refused to people without the log permission', async () => {
    expect((await h.call('GET', '/api/iot/logs/access')).statusCode).toBe(401);
  });
});

describe('访问日志 switched off', () => {
  it('writes nothing with ACCESS_LOG=false', async () => {
    const h = await startHarness('pglite', { ...NO_LISTENERS, ACCESS_LOG: 'false' });
    try {
      await h.call('GET', '/api/health');
      await h.flushLogs();
      const first = await h.login('admin', ADMIN_PASSWORD);
      await h.call('POST', '/api/auth/change-password', { token: first, body: { oldPassword: ADMIN_PASSWORD, newPassword: NEW_PASSWORD } });
      const token = await h.login('admin', NEW_PASSWORD);
      await h.flushLogs();
      expect((await h.call('GET', '/api/iot/logs/access', { token })).json().total).toBe(0);
    } finally {
      await h.dispose();
    }
  });
});
