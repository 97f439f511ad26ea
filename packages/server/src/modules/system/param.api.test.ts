import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { PARAM } from '@cityops/contracts';
import { ADMIN_PASSWORD, startHarness, type Harness } from '../../test/harness.js';
import { backends } from '../../test/backends.js';
import { paramRepository } from './param.repository.js';
import { paramService } from './param.service.js';
import { seedParams } from './seed/params.js';

interface Param { code: string; name: string; value: string; defaultValue: string; builtin: boolean; valueType: string; min: number | null; max: number | null; unit: string | null }

describe.each(backends)('系统参数 API on %s', (backend) => {
  let h: Harness;
  let admin: string;
  let auditor: string;
  /** What another module would build to read parameters. */
  let reader: ReturnType<typeof paramService>;

  const list = async (q = '') => (await h.call('GET', `/api/system/params?pageSize=200${q}`, { token: admin })).json();
  const find = async (code: string): Promise<Param | undefined> => (await list()).items.find((p: Param) => p.code === code);

  beforeAll(async () => {
    h = await startHarness(backend, { DEMO_DATA: 'true' });
    const first = await h.login('admin', ADMIN_PASSWORD);
    await h.call('POST', '/api/auth/change-password', { token: first, body: { oldPassword: ADMIN_PASSWORD, newPassword: 'Strong#2026pw' } });
    admin = await h.login('admin', 'Strong#2026pw');
    auditor = await h.login('auditor', 'Chongzhou@2026');
    reader = paramService(paramRepository(h.database.db), h.cache);
  });
  afterAll(async () => h?.dispose());

  it('seeds the built-in parameters with their defaults', async () => {
    const page = await list();
    expect(page.items.map((p: Param) => p.code)).toEqual(expect.arrayContaining(Object.values(PARAM)));
    expect(await find(PARAM.systemName)).toMatchObject({ name: '平台名称', value: '崇州市城市运行管理平台', builtin: true, valueType: 'text' });
    expect(await find(PARAM.oplogRetentionDays)).toMatchObject({ name: '操作日志保留天数', value: '180', defaultValue: '180', valueType: 'integer', min: 180, unit: '天' });
    expect(await find(PARAM.uploadMaxMb)).toMatchObject({ name: '附件大小上限', value: '50', unit: 'MB' });
    expect(await find(PARAM.eventDefaultTimeLimitHours)).toMatchObject({ name: '事件默认办理时限', value: '72', unit: '小时' });
    expect(await reader.get(PARAM.systemName)).toBe('崇州市城市运行管理平台');
    expect(await reader.getInt(PARAM.uploadMaxMb)).toBe(50);
    expect(await reader.get('no.such.param')).toBeUndefined();
  });

  it('searches by code, name or description', async () => {
    expect((await list(`&keyword=${encodeURIComponent('时限')}`)).items.map((p: Param) => p.code).sort()).toEqual([PARAM.eventDefaultTimeLimitHours, 'event.work_hours'].sort());
    expect((await list('&keyword=UPLOAD')).items.map((p: Param) => p.code)).toEqual([PARAM.uploadMaxMb]);
    expect((await list(`&keyword=${encodeURIComponent('等级保护')}`)).items.map((p: Param) => p.code)).toEqual([PARAM.oplogRetentionDays]);
    expect((await list('&keyword=%25')).total).toBe(0); // '%' is taken literally
    expect((await list('&keyword=max_mb')).items.map((p: Param) => p.code)).toEqual([PARAM.uploadMaxMb]);
  });

  it('only holders of the parameter permissions may read or change them', async () => {
    expect((await h.call('GET', '/api/system/params', { token: auditor })).statusCode).toBe(403);
    const r = await h.call('PUT', `/api/system/params/${PARAM.uploadMaxMb}`, { token: auditor, body: { value: '100' } });
    expect(r.statusCode).toBe(403);
    expect(await reader.getInt(PARAM.uploadMaxMb)).toBe(50);
  });

  it('updates a value, seen by readers at once, and resets it to the default', async () => {
    expect(await reader.getInt(PARAM.uploadMaxMb)).toBe(50); // cached now
    const r = await h.call('PUT', `/api/system/params/${PARAM.uploadMaxMb}`, { token: admin, body: { value: ' 100 ' } });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ code: PARAM.uploadMaxMb, value: '100', defaultValue: '50' });
    expect(await reader.getInt(PARAM.uploadMaxMb)).toBe(100);

    for (const [value, message] of [
      ['abc', '附件大小上限必须是整数'],
      ['0', '附件大小上限须在 1 至 2048 MB 之间'],
      ['', '请输入附件大小上限'],
    ]) {
      const bad = await h.call('PUT', `/api/system/params/${PARAM.uploadMaxMb}`, { token: admin, body: { value } });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().message).toBe(message);
    }
    const short = await h.call('PUT', `/api/system/params/${PARAM.oplogRetentionDays}`, { token: admin, body: { value: '30' } });
    expect(short.json().message).toBe('操作日志保留天数须在 180 至 3650 天 之间');
    const rename = await h.call('PUT', `/api/system/params/${PARAM.uploadMaxMb}`, { token: admin, body: { value: '100', name: '上传上限' } });
    expect(rename.json().message).toBe('内置参数只能修改参数值');
    expect(await reader.getInt(PARAM.uploadMaxMb)).toBe(100);

    const reset = await h.call('POST', `/api/system/params/${PARAM.uploadMaxMb}/reset`, { token: admin });
    expect(reset.json()).toMatchObject({ value: '50' });
    expect(await reader.getInt(PARAM.uploadMaxMb)).toBe(50);

    const log = (await h.call('GET', '/api/system/oplogs?pageSize=50', { token: admin })).json();
    expect(log.items.find((l: { url: string }) => l.url === `/api/system/params/${PARAM.uploadMaxMb}/reset`))
      .toMatchObject({ type: '修改', subjectType: '系统参数', subjectName: '附件大小上限（upload.max_mb）', content: '恢复默认值' });
  });

  it('keeps an edited value when the seed runs again (a restart), and refreshes the definition', async () => {
    await h.call('PUT', `/api/system/params/${PARAM.systemName}`, { token: admin, body: { value: '崇州城运' } });
    await h.database.db.execute(sql`update sys_param set name = '旧名称' where code = ${PARAM.systemName}`);
    await seedParams(h.database.db);
    expect(await find(PARAM.systemName)).toMatchObject({ name: '平台名称', value: '崇州城运', defaultValue: '崇州市城市运行管理平台' });
    expect(await reader.get(PARAM.systemName)).toBe('崇州城运');
  });

  it('creates, edits and deletes custom parameters; built-in ones cannot be deleted', async () => {
    expect(await reader.get('screen.refresh_seconds')).toBeUndefined(); // a miss is cached too
    const created = await h.call('POST', '/api/system/params', {
      token: admin, body: { code: 'screen.refresh_seconds', name: '大屏刷新间隔', value: '30', description: '驾驶舱数据刷新间隔（秒）' },
    });
    expect(created.statusCode).toBe(200);
    expect(created.json()).toMatchObject({ code: 'screen.refresh_seconds', value: '30', defaultValue: '30', builtin: false, valueType: 'text' });
    expect(await reader.get('screen.refresh_seconds')).toBe('30');

    const dup = await h.call('POST', '/api/system/params', { token: admin, body: { code: 'screen.refresh_seconds', name: 'x', value: '1' } });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().message).toBe('参数编码“screen.refresh_seconds”已存在');
    const dupBuiltin = await h.call('POST', '/api/system/params', { token: admin, body: { code: PARAM.systemName, name: 'x', value: '1' } });
    expect(dupBuiltin.statusCode).toBe(409);
    const badCode = await h.call('POST', '/api/system/params', { token: admin, body: { code: '1abc 中文', name: 'x', value: '1' } });
    expect(badCode.statusCode).toBe(400);

    const edited = await h.call('PUT', '/api/system/params/screen.refresh_seconds', {
      token: admin, body: { value: '60', name: '驾驶舱刷新间隔', defaultValue: '30', description: null },
    });
    expect(edited.json()).toMatchObject({ name: '驾驶舱刷新间隔', value: '60', defaultValue: '30', description: null });
    expect(await reader.getInt('screen.refresh_seconds')).toBe(60);

    const refused = await h.call('DELETE', `/api/system/params/${PARAM.oplogRetentionDays}`, { token: admin });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().message).toBe('“操作日志保留天数”为系统内置参数，不能删除');
    expect((await h.call('DELETE', '/api/system/params/screen.refresh_seconds', { token: admin })).json()).toEqual({ ok: true });
    expect(await reader.get('screen.refresh_seconds')).toBeUndefined();
    expect((await h.call('DELETE', '/api/system/params/screen.refresh_seconds', { token: admin })).statusCode).toBe(404);
    expect((await h.call('PUT', '/api/system/params/no.such', { token: admin, body: { value: '1' } })).statusCode).toBe(404);
  });
});
