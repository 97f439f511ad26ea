import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startHarness, type Harness } from '../../test/harness.js';
import { backends } from '../../test/backends.js';
import { messageService, type MessageService } from './message.service.js';

const PW = 'Chongzhou@2026';

interface Person {
  token: string;
  id: string;
  orgId: string;
}

describe.each(backends)('in-app messages on %s', (backend) => {
  let h: Harness;
  let messenger: MessageService;
  // city_op and auditor both belong to 市城运中心.
  let cityOp: Person;
  let auditor: Person;
  let zfj: Person;
  let admin: string;

  const person = async (username: string): Promise<Person> => {
    const token = await h.login(username, PW);
    const { user } = (await h.call('GET', '/api/auth/me', { token })).json();
    return { token, id: user.id, orgId: user.orgId };
  };

  beforeAll(async () => {
    h = await startHarness(backend, { DEMO_DATA: 'true' });
    // Built the same way the module's index.ts builds it.
    messenger = messageService(h.database.db);
    [cityOp, auditor, zfj] = await Promise.all([person('city_op'), person('auditor'), person('zfj_handler')]);
    const first = await h.login('admin', ADMIN_PASSWORD);
    await h.call('POST', '/api/auth/change-password', { token: first, body: { oldPassword: ADMIN_PASSWORD, newPassword: 'Strong#2026pw' } });
    admin = await h.login('admin', 'Strong#2026pw');
  });
  afterAll(async () => h?.dispose());

  /** Notifies inside a transaction, as the event hub does. */
  const notify = (orgIds: string[], title: string, exceptUserId?: string) =>
    h.database.db.transaction((tx) =>
      messenger.notifyOrgs(tx, orgIds, { kind: 'dispatch', title, content: '请及时处置', eventId: randomUUID() }, exceptUserId),
    );
  const titles = async (p: Person, query = '') =>
    (await h.call('GET', `/api/messages?${query}`, { token: p.token })).json().items.map((m: { title: string }) => m.title);
  const unread = async (p: Person) => (await h.call('GET', '/api/messages/unread-count', { token: p.token })).json().count as number;

  it('reaches every person of the organisation, and nobody else', async () => {
    const before = await unread(zfj);
    await notify([cityOp.orgId], '事件已交办：道路积水');

    const r = await h.call('GET', '/api/messages', { token: cityOp.token });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ total: 1, page: 1, pageSize: 20 });
    expect(r.json().items[0]).toMatchObject({ kind: 'dispatch', title: '事件已交办：道路积水', content: '请及时处置', read: false });
    expect(r.json().items[0].eventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await unread(cityOp)).toBe(1);
    expect(await titles(auditor)).toEqual(['事件已交办：道路积水']);

    expect(await titles(zfj)).not.toContain('事件已交办：道路积水');
    expect(await unread(zfj)).toBe(before);
  });

  it('leaves out the person who acted', async () => {
    await notify([cityOp.orgId, zfj.orgId], '事件已上报：井盖缺失', cityOp.id);
    expect(await titles(cityOp)).not.toContain('事件已上报：井盖缺失');
    expect(await titles(auditor)).toContain('事件已上报：井盖缺失');
    expect(await titles(zfj)).toContain('事件已上报：井盖缺失');
  });

  it('writes nothing when the transaction is rolled back', async () => {
    const before = await unread(zfj);
    const failed = h.database.db.transaction(async (tx) => {
      await messenger.notifyOrgs(tx, [zfj.orgId], { kind: 'dispatch', title: '撤回的交办', content: '', eventId: randomUUID() });
      throw new Error('the action failed after notifying');
    });
    await expect(failed).rejects.toThrow('the action failed');
    expect(await unread(zfj)).toBe(before);
    expect(await titles(zfj, 'keyword=撤回')).toEqual([]);
  });

  it('filters by unread and keyword, newest first', async () => {
    expect(await titles(auditor)).toEqual(['事件已上报：井盖缺失', '事件已交办：道路积水']);
    expect(await titles(auditor, 'keyword=井盖')).toEqual(['事件已上报：井盖缺失']);
    expect(await titles(auditor, `keyword=${encodeURIComponent('%')}`)).toEqual([]);
    expect(await titles(auditor, 'unread=false')).toEqual([]);
    const page = (await h.call('GET', '/api/messages?page=2&pageSize=1', { token: auditor.token })).json();
    expect(page).toMatchObject({ total: 2, page: 2, pageSize: 1, items: [{ title: '事件已交办：道路积水' }] });
  });

  it('marks one read, then all read, and the count follows', async () => {
    const [newest] = (await h.call('GET', '/api/messages', { token: auditor.token })).json().items;
    expect(await unread(auditor)).toBe(2);

    const one = await h.call('POST', `/api/messages/${newest.id}/read`, { token: auditor.token });
    expect(one.json()).toEqual({ ok: true });
    expect(await unread(auditor)).toBe(1);
    expect(await titles(auditor, 'unread=true')).toEqual(['事件已交办：道路积水']);
    expect(await titles(auditor, 'unread=false')).toEqual(['事件已上报：井盖缺失']);
    // Marking it again changes nothing.
    expect((await h.call('POST', `/api/messages/${newest.id}/read`, { token: auditor.token })).statusCode).toBe(200);
    expect(await unread(auditor)).toBe(1);

    const all = await h.call('POST', '/api/messages/read-all', { token: auditor.token });
    expect(all.json()).toEqual({ count: 1 });
    expect(await unread(auditor)).toBe(0);
    expect((await h.call('POST', '/api/messages/read-all', { token: auditor.token })).json()).toEqual({ count: 0 });
    // Another person's messages stay unread.
    expect(await unread(cityOp)).toBe(1);
  });

  it("does not let anyone see or mark another person's message", async () => {
    const [mine] = (await h.call('GET', '/api/messages', { token: cityOp.token })).json().items;
    const other = await h.call('POST', `/api/messages/${mine.id}/read`, { token: zfj.token });
    expect(other.statusCode).toBe(404);
    expect(other.json().message).toBe('消息不存在或已删除');
    expect(await unread(cityOp)).toBe(1);
    expect((await h.call('POST', '/api/messages/not-an-id/read', { token: zfj.token })).statusCode).toBe(404);
    expect((await h.call('GET', '/api/messages/unread-count')).statusCode).toBe(401);
  });

  it('sends nothing to a disabled person', async () => {
    const gaj = await person('gaj_handler');
    const off = await h.call('POST', '/api/system/users/disable', { token: admin, body: { ids: [gaj.id] } });
    expect(off.json()).toMatchObject({ succeeded: 1 });
    await notify([gaj.orgId], '事件已交办：占道经营');
    await h.call('POST', '/api/system/users/enable', { token: admin, body: { ids: [gaj.id] } });

    const again = await person('gaj_handler');
    expect(await titles(again)).not.toContain('事件已交办：占道经营');
    expect(await unread(again)).toBe(0);
  });
});
