import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import type { OpLog } from '@cityops/contracts';
import { ADMIN_PASSWORD, startHarness, type Harness } from '../../test/harness.js';
import { backends } from '../../test/backends.js';
import { loadKeys } from '../crypto/keys.js';
import { auditRepository } from './audit.repository.js';
import { auditService } from './audit.service.js';
import { lastDays, lastHours, shanghaiDateTime, shanghaiDay } from './buckets.js';
import { sysExceptionLog } from './audit.table.js';
import { oplogWorkbook } from './oplog-export.js';

const HEADER = ['操作时间', '操作人', '机构', '操作类型', '请求', '影响主体类型', '影响主体名称', '操作内容', '状态', '耗时(ms)', 'IP', '请求ID'];
const DAY = 24 * 3600_000;

/** What the screen shows in each column, as text. */
const screenRow = (r: OpLog) => [
  shanghaiDateTime(new Date(r.at)), r.username ?? '', r.orgName ?? '', r.type, `${r.method} ${r.url}`, r.subjectType ?? '',
  r.subjectName ?? '', r.content ?? '', String(r.status), String(r.durationMs), r.ip ?? '', r.requestId,
];

async function readXlsx(body: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ArrayBuffer);
  const sheet = (name: string) => {
    const ws = wb.getWorksheet(name);
    const rows: string[][] = [];
    ws?.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map((v) => (v === null || v === undefined ? '' : String(v)))));
    return rows;
  };
  return { names: wb.worksheets.map((w) => w.name), rows: sheet('操作日志'), notes: sheet('导出说明') };
}

/** RFC 4180 CSV (quoted fields may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(field), (field = '');
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field), rows.push(row), (row = []), (field = '');
    } else field += c;
  }
  if (field || row.length) row.push(field), rows.push(row);
  return rows;
}

function findSoffice(): string | null {
  try {
    return execFileSync('sh', ['-c', 'command -v soffice || command -v libreoffice'], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
}
const soffice = findSoffice();
if (!soffice && ['1', 'true'].includes(process.env.REQUIRE_LIBREOFFICE ?? '')) {
  throw new Error('LibreOffice required (REQUIRE_LIBREOFFICE=1) but soffice is not on PATH');
}
if (!soffice) {
  console.warn('[tests] LibreOffice (soffice) not on PATH: the LibreOffice interop check of the operation-log export is skipped ' +
    '(apt-get install libreoffice-calc-nogui to run it)');
}

describe.each(backends)('operation-log charts and export, exception charts on %s', (backend) => {
  let h: Harness;
  let admin: string;
  let audit: ReturnType<typeof auditService>;
  const now = new Date();

  const page = async (q: string, token = admin): Promise<{ items: OpLog[]; total: number }> =>
    (await h.call('GET', `/api/system/oplogs?pageSize=200${q}`, { token })).json();
  const exportFile = (q: string, token = admin) => h.call('GET', `/api/system/oplogs/export${q ? `?${q.replace(/^&/, '')}` : ''}`, { token });

  beforeAll(async () => {
    h = await startHarness(backend, { DEMO_DATA: 'true' });
    // A route that fails as a bug would, to see a real exception counted.
    h.app.post('/api/test/boom-stats', async () => {
      throw new Error('boom');
    });
    const first = await h.login('admin', ADMIN_PASSWORD);
    await h.call('POST', '/api/auth/change-password', { token: first, body: { oldPassword: ADMIN_PASSWORD, newPassword: 'Strong#2026pw' } });
    admin = await h.login('admin', 'Strong#2026pw');
    audit = auditService(auditRepository(h.database.db), (await loadKeys(h.database.db)).auditKey);

    // Operations spread over the past days (chained like real ones), one outside the 7-day window.
    const base = {
      userId: null, username: 'zhangsan', orgName: '崇州市城运中心', method: 'POST', url: '/api/system/roles/grant',
      content: '{"ids":["r1"]}', status: 200, durationMs: 12, ip: '10.0.0.8',
    };
    const at = (daysAgo: number) => new Date(now.getTime() - daysAgo * DAY);
    let n = 0;
    const rec = (daysAgo: number, type: string, subjectType: string | null) =>
      audit.record({ ...base, at: at(daysAgo), type, subjectType, subjectName: '测试', requestId: `seed-${n++}` });
    for (let i = 0; i < 3; i++) await rec(2, '授权', '角色');
    await rec(5, '删除', '组织机构');
    await rec(6, '新增', null);
    await rec(9, '授权', '角色'); // older than 7 days: not counted
    // Exceptions: 2 three days ago, 1 two hours ago, 1 thirty hours ago (in the 7 days, not in the 24 hours).
    const ex = (msAgo: number) => ({ at: new Date(now.getTime() - msAgo), type: 'Error', method: 'GET', url: '/api/x', message: 'boom', detail: null, requestId: `ex-${msAgo}`, username: null });
    await h.database.db.insert(sysExceptionLog).values([ex(3 * DAY), ex(3 * DAY + 1000), ex(2 * 3600_000), ex(30 * 3600_000)]);
  });
  afterAll(async () => h?.dispose());

  it('charts the last 7 days per operation type and per subject type, counting what was logged', async () => {
    const r = await h.call('GET', '/api/system/oplogs/stats', { token: admin });
    expect(r.statusCode).toBe(200);
    const stats = r.json() as { days: string[]; byType: { name: string; data: number[] }[]; bySubjectType: { name: string; data: number[] }[]; total: number };
    expect(stats.days).toEqual(lastDays(new Date(), 7).keys);
    expect(stats.days[6]).toBe(shanghaiDay(new Date()));
    for (const s of [...stats.byType, ...stats.bySubjectType]) expect(s.data).toHaveLength(7);

    const series = (list: { name: string; data: number[] }[], name: string) => list.find((s) => s.name === name)?.data;
    const dayIndex = (daysAgo: number) => stats.days.indexOf(shanghaiDay(new Date(now.getTime() - daysAgo * DAY)));
    expect(series(stats.byType, '授权')![dayIndex(2)]).toBe(3);
    expect(series(stats.byType, '授权')!.reduce((a, b) => a + b)).toBe(3); // the 9-day-old one is out
    expect(series(stats.byType, '删除')![dayIndex(5)]).toBe(1);
    expect(series(stats.bySubjectType, '角色')![dayIndex(2)]).toBe(3);
    expect(series(stats.bySubjectType, '组织机构')![dayIndex(5)]).toBe(1);
    expect(series(stats.bySubjectType, '未标注')![dayIndex(6)]).toBeGreaterThanOrEqual(1);

    // Everything the list holds in the window is counted, by type and by subject type alike.
    const all = (await page('')).items.filter((l) => stats.days.includes(shanghaiDay(new Date(l.at))));
    const sum = (list: { data: number[] }[]) => list.reduce((a, s) => a + s.data.reduce((x, y) => x + y, 0), 0);
    expect(stats.total).toBe(all.length);
    expect(sum(stats.byType)).toBe(all.length);
    expect(sum(stats.bySubjectType)).toBe(all.length);
    const todayLogins = all.filter((l) => l.type === '登录' && shanghaiDay(new Date(l.at)) === stats.days[6]).length;
    expect(todayLogins).toBeGreaterThanOrEqual(2);
    expect(series(stats.byType, '登录')![6]).toBe(todayLogins);
  });

  it('charts exceptions per day (7 days) and per hour (24 hours)', async () => {
    // And one raised through the API right now.
    expect((await h.call('POST', '/api/test/boom-stats', { token: admin })).statusCode).toBe(500);

    const stats = (await h.call('GET', '/api/system/exception-logs/stats', { token: admin })).json();
    expect(stats.days).toEqual(lastDays(new Date(), 7).keys);
    expect(stats.daily).toHaveLength(7);
    expect(stats.hours).toEqual(lastHours(new Date(), 24).keys);
    expect(stats.hourly).toHaveLength(24);
    expect(stats.daily[stats.days.indexOf(shanghaiDay(new Date(now.getTime() - 3 * DAY)))]).toBe(2);
    expect(stats.daily.reduce((a: number, b: number) => a + b)).toBe(5);
    expect(stats.hourly.reduce((a: number, b: number) => a + b)).toBe(2);
    expect(stats.hourly[23]).toBeGreaterThanOrEqual(1);
    expect(stats.hourly[stats.hours.indexOf(lastHours(new Date(now.getTime() - 2 * 3600_000), 1).keys[0])]).toBeGreaterThanOrEqual(1);
  });

  it('exports the same rows as the list for the same filter, with the screen columns', async () => {
    const to = new Date().toISOString();
    for (const q of [`&type=${encodeURIComponent('登录')}`, `&username=zhang&to=${encodeURIComponent(to)}`, `&to=${encodeURIComponent(to)}`]) {
      const listed = await page(q);
      expect(listed.total).toBeGreaterThan(0);
      const r = await exportFile(q);
      expect(r.statusCode).toBe(200);
      expect(r.headers['content-type']).toContain('spreadsheetml');
      const fileName = decodeURIComponent(/filename\*=UTF-8''([^;]+)/.exec(String(r.headers['content-disposition']))![1]!);
      expect(fileName).toMatch(/^操作日志_\d{8}_\d{4}\.xlsx$/);
      expect(r.headers['x-export-truncated']).toBe('false');
      const book = await readXlsx(r.rawPayload);
      expect(book.names).toEqual(['操作日志', '导出说明']);
      expect(book.rows[0]).toEqual(HEADER);
      expect(book.rows.slice(1)).toEqual(listed.items.map(screenRow));
      expect(Object.fromEntries(book.notes.map(([k, v]) => [k, v]))).toMatchObject({
        系统: '崇州市城市运行管理平台', 导出人: '系统管理员（admin）', 符合条件: `${listed.total} 条`,
      });
    }
  });

  it('records each export in the operation log and cuts at the limit, saying so', async () => {
    const r = await exportFile(`type=${encodeURIComponent('授权')}`);
    expect(r.statusCode).toBe(200);
    const logged = (await page(`&type=${encodeURIComponent('导出')}`)).items[0]!;
    expect(logged).toMatchObject({ username: 'admin', subjectType: '操作日志', subjectName: '4 条', url: expect.stringContaining('/api/system/oplogs/export') });
    expect(logged.content).toContain('操作类型为“授权”');

    const cut = await audit.exportOplogs({ type: '授权' }, 2);
    expect(cut).toMatchObject({ total: 4, truncated: true });
    expect(cut.rows).toHaveLength(2);
    const book = await readXlsx(await oplogWorkbook(cut, { exportedBy: 'x', filter: { type: '授权' }, at: new Date(), limit: 2 }));
    expect(book.rows).toHaveLength(3);
    expect(book.notes.find(([k]) => k === '提示')?.[1]).toContain('超过单次导出上限 2 条，仅导出最新的 2 条');
  });

  it('lets only holders of the export permission export', async () => {
    const cityOp = await h.login('city_op', 'Chongzhou@2026');
    expect((await exportFile('', cityOp)).statusCode).toBe(403);
    expect((await h.call('GET', '/api/system/oplogs/stats', { token: cityOp })).statusCode).toBe(403);
    const auditor = await h.login('auditor', 'Chongzhou@2026');
    expect((await exportFile('', auditor)).statusCode).toBe(200);
    expect((await h.call('GET', '/api/system/exception-logs/stats', { token: auditor })).statusCode).toBe(200);
    expect((await exportFile('from=yesterday')).statusCode).toBe(400);
    expect((await h.call('GET', '/api/system/oplogs?to=not-a-time', { token: admin })).statusCode).toBe(400);
  });

  it.skipIf(!soffice)('opens in LibreOffice with the same rows as the list', async () => {
    const to = new Date().toISOString();
    const q = `&to=${encodeURIComponent(to)}`;
    const listed = await page(q);
    const r = await exportFile(q);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityops-lo-'));
    try {
      const file = path.join(dir, 'oplog.xlsx');
      fs.writeFileSync(file, r.rawPayload);
      execFileSync(soffice!, [
        `-env:UserInstallation=file://${path.join(dir, 'profile')}`, '--headless', '--norestore',
        '--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,76', '--outdir', dir, file,
      ], { timeout: 120_000, stdio: 'pipe' });
      const rows = parseCsv(fs.readFileSync(path.join(dir, 'oplog.csv'), 'utf8'));
      expect(rows[0]).toEqual(HEADER);
      expect(rows.slice(1)).toEqual(listed.items.map(screenRow));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
