import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startHarness, type Harness } from '../../test/harness.js';
import { backends } from '../../test/backends.js';
import { eventConfigServices } from './config.services.js';
import { seedEvents } from './seed/index.js';

interface Type { code: string; parentCode: string | null; name: string; level: number; enabled: boolean; limitValue: number; limitUnit: string; formFields: { key: string }[] }

const PW = 'Chongzhou@2026';
const typeBody = { name: '占道经营', category: 'normal', limitValue: 3, limitUnit: 'workday', warnRatio: 0.2, enabled: true };

describe.each(backends)('事件清单与工作日历 on %s', (backend) => {
  let h: Harness;
  let admin: string;
  let grid: string;

  const types = async (all = false): Promise<Type[]> => (await h.call('GET', `/api/events/types${all ? '?all=true' : ''}`, { token: grid })).json();
  const preview = async (from: string, limitValue: number, limitUnit: string, warnRatio?: number) => {
    const q = new URLSearchParams({ from, limitValue: String(limitValue), limitUnit, ...(warnRatio ? { warnRatio: String(warnRatio) } : {}) });
    return h.call('GET', `/api/events/deadline-preview?${q}`, { token: grid });
  };
  const setDay = (date: string, body: unknown, token = admin) => h.call('PUT', `/api/events/calendar/${date}`, { token, body });

  beforeAll(async () => {
    h = await startHarness(backend, { DEMO_DATA: 'true' });
    // Idempotent: also runs at start once app.ts calls it.
    await seedEvents(h.database.db);
    const first = await h.login('admin', ADMIN_PASSWORD);
    await h.call('POST', '/api/auth/change-password', { token: first, body: { oldPassword: ADMIN_PASSWORD, newPassword: 'Strong#2026pw' } });
    admin = await h.login('admin', 'Strong#2026pw');
    grid = await h.login('hs_grid', PW);
  });
  afterAll(async () => h?.dispose());

  it('lists the catalogue as a tree: each 大类 followed by its 小类 and their 子类', async () => {
    const list = await types();
    expect(list.slice(0, 3).map((t) => t.name)).toEqual(['城市管理', '市容环境', '占道经营']);
    expect(list.filter((t) => t.level === 1).map((t) => t.name)).toEqual(['城市管理', '住房建设', '生态环境', '市场监管', '道路交通', '公共卫生', '安全维稳', '应急处突']);
    const seen = new Set<string>();
    for (const t of list) {
      if (t.parentCode) expect(seen.has(t.parentCode)).toBe(true);
      seen.add(t.code);
    }
    const stall = list.find((t) => t.name === '占道经营')!;
    expect(stall).toMatchObject({ level: 3, limitValue: 3, limitUnit: 'workday', handlingForce: expect.stringContaining('综合行政执法局') });
    expect(stall.formFields.map((f) => f.key)).toEqual(['businessType', 'blocksTraffic']);
  });

  it('hides a disabled type and everything under it, except with all=true', async () => {
    const r = await h.call('PUT', '/api/events/types/urban.appearance', { token: admin, body: { ...typeBody, name: '市容环境', enabled: false } });
    expect(r.statusCode).toBe(200);
    expect((await types()).map((t) => t.name)).not.toEqual(expect.arrayContaining(['市容环境']));
    expect((await types()).find((t) => t.name === '占道经营')).toBeUndefined();
    expect((await types(true)).find((t) => t.name === '市容环境')).toMatchObject({ enabled: false });
    expect((await types(true)).find((t) => t.name === '占道经营')).toBeDefined();
    await h.call('PUT', '/api/events/types/urban.appearance', { token: admin, body: { ...typeBody, name: '市容环境', enabled: true } });
    expect((await types()).find((t) => t.name === '占道经营')).toBeDefined();
  });

  it('changes a time limit, and refuses bad values in Chinese without changing anything', async () => {
    const ok = await h.call('PUT', '/api/events/types/urban.appearance.street-vending', { token: admin, body: { ...typeBody, limitValue: 2, limitUnit: 'workhour', warnRatio: 0.3 } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ limitValue: 2, limitUnit: 'workhour', warnRatio: 0.3 });

    const ratio = await h.call('PUT', '/api/events/types/urban.appearance.street-vending', { token: admin, body: { ...typeBody, warnRatio: 1.5 } });
    expect(ratio.statusCode).toBe(400);
    expect(ratio.json().message).toContain('临期比例须小于 1');
    const zero = await h.call('PUT', '/api/events/types/urban.appearance.street-vending', { token: admin, body: { ...typeBody, limitValue: 0 } });
    expect(zero.json().message).toContain('时限至少为 1');
    const missing = await h.call('PUT', '/api/events/types/no.such.type', { token: admin, body: typeBody });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().message).toBe('事件类型不存在');

    expect((await types()).find((t) => t.name === '占道经营')).toMatchObject({ limitValue: 2, limitUnit: 'workhour' });
    await h.call('PUT', '/api/events/types/urban.appearance.street-vending', { token: admin, body: typeBody });
  });

  it('lists the 2026 holidays and 调休 working days', async () => {
    const days = (await h.call('GET', '/api/events/calendar?year=2026', { token: grid })).json();
    expect(days.find((d: { date: string }) => d.date === '2026-10-01')).toMatchObject({ workday: false, name: '国庆节' });
    expect(days.find((d: { date: string }) => d.date === '2026-10-10')).toMatchObject({ workday: true, name: '国庆节调休上班' });
    expect(days.find((d: { date: string }) => d.date === '2026-02-17')).toMatchObject({ workday: false, name: '春节' });
    expect((await h.call('GET', '/api/events/calendar?year=2025', { token: grid })).json()).toEqual([]);
  });

  it('counts working days over the National Day holiday; a date marked a holiday moves the deadline, removing it restores', async () => {
    const before = await preview('2026-09-30T10:00:00+08:00', 3, 'workday');
    expect(before.statusCode).toBe(200);
    expect(before.json().deadline).toBe('2026-10-10T02:00:00.000Z'); // 10-10 (调休 Saturday) 10:00 CST

    const mark = await setDay('2026-10-09', { workday: false, name: '临时停工' });
    expect(mark.statusCode).toBe(200);
    expect(mark.json()).toMatchObject({ date: '2026-10-09', workday: false, name: '临时停工' });
    expect((await preview('2026-09-30T10:00:00+08:00', 3, 'workday')).json().deadline).toBe('2026-10-12T02:00:00.000Z');

    expect((await h.call('DELETE', '/api/events/calendar/2026-10-09', { token: admin })).statusCode).toBe(200);
    expect((await preview('2026-09-30T10:00:00+08:00', 3, 'workday')).json().deadline).toBe('2026-10-10T02:00:00.000Z');
    const again = await h.call('DELETE', '/api/events/calendar/2026-10-09', { token: admin });
    expect(again.statusCode).toBe(404);
  });

  it('another node sharing the cache sees a calendar edit at once', async () => {
    const other = eventConfigServices(h.database.db, h.cache).clock;
    const from = new Date('2026-03-13T15:00:00+08:00');
    const limit = { value: 1, unit: 'workday' as const, warnRatio: 0.2 };
    expect((await other.deadline(from, limit)).deadline.toISOString()).toBe('2026-03-16T07:00:00.000Z');
    await setDay('2026-03-16', { workday: false, name: '临时停工' });
    expect((await other.deadline(from, limit)).deadline.toISOString()).toBe('2026-03-17T07:00:00.000Z');
    await h.call('DELETE', '/api/events/calendar/2026-03-16', { token: admin });
    expect((await other.deadline(from, limit)).deadline.toISOString()).toBe('2026-03-16T07:00:00.000Z');
  });

  it('counts working hours by the 工作时间 parameter', async () => {
    expect((await preview('2026-03-16T11:00:00+08:00', 2, 'workhour')).json().deadline).toBe('2026-03-16T06:30:00.000Z'); // 14:30
    await h.call('PUT', '/api/system/params/event.work_hours', { token: admin, body: { value: '08:30-12:00,14:00-18:00' } });
    expect((await preview('2026-03-16T11:00:00+08:00', 2, 'workhour')).json().deadline).toBe('2026-03-16T07:00:00.000Z'); // 15:00
    await h.call('POST', '/api/system/params/event.work_hours/reset', { token: admin });
    expect((await preview('2026-03-16T11:00:00+08:00', 2, 'workhour')).json().deadline).toBe('2026-03-16T06:30:00.000Z');
  });

  it('refuses a date that does not exist and a bad start time', async () => {
    for (const date of ['2026-02-30', '2026-13-01', '20261001']) {
      const r = await setDay(date, { workday: false, name: '节日' });
      expect(r.statusCode).toBe(400);
    }
    expect((await setDay('2026-02-30', { workday: false, name: '节日' })).json().message).toContain('日期不存在');
    expect((await setDay('2026-11-02', { workday: false, name: '  ' })).json().message).toContain('请填写名称');
    expect((await h.call('GET', '/api/events/calendar?year=1800', { token: grid })).statusCode).toBe(400);
    const badFrom = await preview('下周一', 3, 'workday');
    expect(badFrom.statusCode).toBe(400);
    expect(badFrom.json().message).toContain('起算时间格式不正确');
    expect((await h.call('GET', '/api/events/calendar?year=2026', { token: grid })).json().find((d: { date: string }) => d.date === '2026-11-02')).toBeUndefined();
  });

  it('lets only holders of the permissions change types and the calendar', async () => {
    const type = await h.call('PUT', '/api/events/types/urban.appearance.street-vending', { token: grid, body: { ...typeBody, limitValue: 30 } });
    expect(type.statusCode).toBe(403);
    expect(type.json().message).toBe('没有权限执行此操作');
    expect((await setDay('2026-11-02', { workday: false, name: '节日' }, grid)).statusCode).toBe(403);
    expect((await h.call('DELETE', '/api/events/calendar/2026-10-01', { token: grid })).statusCode).toBe(403);
    expect((await types()).find((t) => t.name === '占道经营')).toMatchObject({ limitValue: 3 });
    expect((await h.call('GET', '/api/events/types')).statusCode).toBe(401);
  });

  it('admits only enabled leaf types for an event, and checks its custom form', async () => {
    const { types: svc } = eventConfigServices(h.database.db, h.cache);
    const stall = await svc.assertSelectable('urban.appearance.street-vending');
    await expect(svc.assertSelectable('urban.appearance')).rejects.toThrow('“市容环境”下还有细分类型，请选择到最末一级');
    await expect(svc.assertSelectable('nothing')).rejects.toThrow('事件类型不存在');
    await h.call('PUT', '/api/events/types/urban', { token: admin, body: { ...typeBody, name: '城市管理', enabled: false } });
    await expect(svc.assertSelectable('urban.appearance.street-vending')).rejects.toThrow('事件类型“城市管理”已停用');
    await h.call('PUT', '/api/events/types/urban', { token: admin, body: { ...typeBody, name: '城市管理', enabled: true } });

    expect(svc.validateForm(stall, { businessType: '流动摊贩', blocksTraffic: false, extra: 'x' })).toEqual({ businessType: '流动摊贩', blocksTraffic: false });
    try {
      svc.validateForm(stall, { businessType: '卖艺' });
      expect.unreachable();
    } catch (e) {
      expect(e).toMatchObject({ status: 400, message: '表单填写有误', details: { fields: { businessType: '经营类型请从可选项中选择', blocksTraffic: '请填写是否影响通行' } } });
    }
  });

  it('seeds the 事件来源 dictionary, and seeding again keeps edits', async () => {
    const items = (await h.call('GET', '/api/dicts/event_source', { token: grid })).json();
    expect(items.map((i: { label: string }) => i.label)).toEqual(expect.arrayContaining(['12345热线', '网格上报', '物联告警']));

    await h.call('PUT', '/api/events/types/urban.facility.streetlight', { token: admin, body: { ...typeBody, name: '路灯不亮', limitValue: 2 } });
    await setDay('2026-12-31', { workday: false, name: '跨年停工' });
    await h.call('DELETE', '/api/events/calendar/2026-10-10', { token: admin });
    await seedEvents(h.database.db);
    expect((await types()).find((t) => t.code === 'urban.facility.streetlight')).toMatchObject({ name: '路灯不亮', limitValue: 2 });
    const days = (await h.call('GET', '/api/events/calendar?year=2026', { token: grid })).json();
    expect(days.find((d: { date: string }) => d.date === '2026-10-10')).toBeUndefined();
  });
});
