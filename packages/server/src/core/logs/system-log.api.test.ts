import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogAlert, Message, SystemLog } from '@cityops/contracts';
import { ADMIN_PASSWORD, startHarness, type Harness } from '../../test/harness.js';
import { backends } from '../../test/backends.js';
import { systemLogRow } from './system-log.sink.js';

const NEW_PASSWORD = 'Strong#2026pw';
/** No device listeners: these tests are about the platform's logs. */
const NO_LISTENERS = { IOT_MQTT_PORT: '0', IOT_COAP_PORT: '0' };

describe('a 系统日志 row', () => {
  it('takes the module as logger, and the error type, message and first stack frame into the content', () => {
    const err = new TypeError('连接被拒绝');
    const line = JSON.stringify({ level: 50, time: 1_700_000_000_000, msg: '设备数据写入失败', module: 'iot.ingest', err: { type: 'TypeError', message: err.message, stack: err.stack } });
    const row = systemLogRow(line, 'node-a')!;
    expect(row).toMatchObject({ level: 'error', logger: 'iot.ingest', service: 'node-a', thread: `${process.pid}/main` });
    expect(row.content).toMatch(/^设备数据写入失败 — TypeError: 连接被拒绝 \(at .+\)$/);
    expect(row.at.getTime()).toBe(1_700_000_000_000);
    expect(systemLogRow(JSON.stringify({ level: 40, msg: '无来源' }), 'n')!.logger).toBe('app');
    expect(systemLogRow('not json', 'n')).toBeUndefined();
  });
});

describe.each(backends)('系统日志 and 告警策略 on %s', (backend) => {
  let h: Harness;
  let token: string;

  const systemLogs = async (query: string) => {
    await h.flushLogs();
    const r = await h.call('GET', `/api/iot/logs/system?${query}`, { token });
    expect(r.statusCode).toBe(200);
    return r.json() as { items: SystemLog[]; total: number };
  };
  const alertMessages = async () => {
    const r = await h.call('GET', '/api/messages?kind=log_alert', { token });
    return r.json().items as Message[];
  };
  /** Waits for what the alert sends apart from the logging call (at most 5 s). */
  const eventually = async <T>(probe: () => Promise<T>, ok: (v: T) => boolean) => {
    for (let i = 0; ; i++) {
      const v = await probe();
      if (ok(v) || i >= 50) return v;
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  beforeAll(async () => {
    h = await startHarness(backend, NO_LISTENERS);
    const first = await h.login('admin', ADMIN_PASSWORD);
    await h.call('POST', '/api/auth/change-password', { token: first, body: { oldPassword: ADMIN_PASSWORD, newPassword: NEW_PASSWORD } });
    token = await h.login('admin', NEW_PASSWORD);
  });
  afterAll(async () => h?.dispose());

  it('keeps warnings and errors of the server with level, logger, thread and node; not info lines', async () => {
    const log = h.app.log.child({ module: 'test.broker' });
    log.info('设备已连接');
    log.warn('MQTT 端口被占用，内置接入服务未启动');
    const { items } = await systemLogs('logger=test.');
    expect(items.map((i) => i.content)).toEqual(['MQTT 端口被占用，内置接入服务未启动']);
    expect(items[0]).toMatchObject({ level: 'warn', logger: 'test.broker', thread: `${process.pid}/main`, service: os.hostname() });
    expect((await systemLogs('level=info&logger=test.')).total).toBe(0);
    expect((await systemLogs('keyword=端口被占用')).total).toBe(1);
  });

  it('seeds one policy: 5 errors within a minute warn the system administrators', async () => {
    const alerts = (await h.call('GET', '/api/iot/logs/alerts', { token })).json() as LogAlert[];
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ name: '错误日志突增', level: 'error', logger: '', threshold: 5, windowSeconds: 60, roleCodes: ['admin'], roleNames: ['系统管理员'], enabled: true, lastFiredAt: null });
  });

  it('sends one in-app message for a burst of errors, then stays quiet for the window', async () => {
    // Only this test's lines count (whatever else the server may report meanwhile).
    const [seeded] = (await h.call('GET', '/api/iot/logs/alerts', { token })).json() as LogAlert[];
    await h.call('PUT', `/api/iot/logs/alerts/${seeded!.id}`, { token, body: { ...seeded, logger: 'test.' } });
    const log = h.app.log.child({ module: 'test.ingest' });
    for (let i = 0; i < 4; i++) log.error({ err: new Error(`写入超时 ${i}`) }, '批量写入失败');
    await h.flushLogs();
    expect(await alertMessages()).toHaveLength(0);
    log.error({ err: new Error('写入超时 4') }, '批量写入失败');
    const sent = await eventually(alertMessages, (m) => m.length > 0);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.title).toBe('系统日志告警：错误日志突增');
    expect(sent[0]!.content).toContain('60 秒内出现 5 条“错误”及以上级别的系统日志');

    for (let i = 0; i < 10; i++) log.error('又一次失败');
    await h.flushLogs();
    await new Promise((r) => setTimeout(r, 300));
    expect(await alertMessages()).toHaveLength(1);
    const [policy] = (await h.call('GET', '/api/iot/logs/alerts', { token })).json() as LogAlert[];
    expect(policy!.lastFiredAt).not.toBeNull();
    const errors = await systemLogs('level=error&logger=test.ingest&pageSize=50');
    expect(errors.total).toBe(15);
    expect(errors.items.at(-1)!.content).toMatch(/^批量写入失败 — Error: 写入超时 0/);
  });

  it('edits, disables and deletes policies, refusing unknown roles', async () => {
    const roles = (await h.call('GET', '/api/iot/logs/alerts/roles', { token })).json() as { code: string; name: string }[];
    expect(roles).toContainEqual({ code: 'auditor', name: '审计管理员' });

    const bad = await h.call('POST', '/api/iot/logs/alerts', { token, body: { name: '物联告警', level: 'warn', threshold: 3, windowSeconds: 30, roleCodes: ['no-such-role'] } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details).toEqual([{ path: 'roleCodes', message: '请选择启用中的角色' }]);
    const tooShort = await h.call('POST', '/api/iot/logs/alerts', { token, body: { name: '物联告警', level: 'warn', threshold: 3, windowSeconds: 5, roleCodes: ['auditor'] } });
    expect(tooShort.statusCode).toBe(400);

    const created = await h.call('POST', '/api/iot/logs/alerts', { token, body: { name: '物联告警', level: 'warn', logger: 'iot.', threshold: 3, windowSeconds: 30, roleCodes: ['auditor', 'admin'] } });
    expect(created.statusCode).toBe(200);
    const id = created.json().id as string;
    expect(created.json()).toMatchObject({ roleNames: ['审计管理员', '系统管理员'], enabled: true });

    const updated = await h.call('PUT', `/api/iot/logs/alerts/${id}`, { token, body: { name: '物联警告', level: 'warn', logger: 'iot.', threshold: 10, windowSeconds: 120, roleCodes: ['admin'] } });
    expect(updated.json()).toMatchObject({ name: '物联警告', threshold: 10, windowSeconds: 120, roleNames: ['系统管理员'] });

    const disabled = await h.call('POST', '/api/iot/logs/alerts/batch/disable', { token, body: { ids: [id] } });
    expect(disabled.json()).toMatchObject({ succeeded: 1, failed: 0 });
    const list = (await h.call('GET', '/api/iot/logs/alerts', { token })).json() as LogAlert[];
    expect(list.find((a) => a.id === id)!.enabled).toBe(false);

    const removed = await h.call('POST', '/api/iot/logs/alerts/batch/delete', { token, body: { ids: [id, '00000000-0000-0000-0000-000000000000'] } });
    expect(removed.json()).toMatchObject({ succeeded: 1, failed: 1 });
    expect(removed.json().results[1].message).toBe('告警策略不存在或已删除');
    const oplog = (await h.call('GET', '/api/system/oplogs?type=删除', { token })).json();
    expect(oplog.items[0]).toMatchObject({ subjectType: '日志告警策略', subjectName: '物联警告' });
  });

  it('exports the filtered lines to Excel', async () => {
    const r = await h.call('GET', '/api/iot/logs/system/export?level=warn&logger=test.', { token });
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-disposition']).toContain(encodeURIComponent('系统日志_'));
    expect(r.headers['x-export-rows']).toBe('1');
  });
});
