import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../../test/backends.js';
import { startHarness, type Harness } from '../../test/harness.js';
import { sysOrg } from '../system/org.table.js';
import { msgChat, msgMessage, msgNotice } from './message.table.js';
import { messageService } from './message.service.js';

const PW = 'Chongzhou@2026';

interface Person {
  token: string;
  id: string;
  orgId: string;
  name: string;
}

/** The message centre beyond the basics: kinds, many at once, deletion, system notices and chat. */
describe.each(backends)('message centre on %s', (backend) => {
  let h: Harness;
  let city: Person;
  let auditor: Person;
  let cy: Person;
  let ym: Person;
  let zfj: Person;
  const org: Record<string, string> = {};

  const person = async (username: string): Promise<Person> => {
    const token = await h.login(username, PW);
    const { user } = (await h.call('GET', '/api/auth/me', { token })).json();
    return { token, id: user.id, orgId: user.orgId, name: user.name };
  };

  beforeAll(async () => {
    h = await startHarness(backend, { DEMO_DATA: 'true' });
    for (const code of ['CZ-CYZX', '510184001-CYZX', '510184002-CYZX', 'CZ-ZFJ']) {
      const [o] = await h.database.db.select().from(sysOrg).where(eq(sysOrg.code, code));
      org[code] = o!.id;
    }
    [city, auditor, cy, ym, zfj] = await Promise.all(['city_op', 'auditor', 'cy_op', 'ym_op', 'zfj_handler'].map(person));
  });
  afterAll(async () => h?.dispose());

  const get = (p: Person, url: string) => h.call('GET', url, { token: p.token });
  const post = (p: Person, url: string, body: unknown = {}) => h.call('POST', url, { token: p.token, body });
  const send = (orgIds: string[], kind: string, title: string) =>
    h.database.db.transaction((tx) => messageService(h.database.db).notifyOrgs(tx, orgIds, { kind, title, content: '', eventId: randomUUID() }));
  const titles = async (p: Person, query = '') => (await get(p, `/api/messages?${query}`)).json().items.map((m: { title: string }) => m.title);
  const counts = async (p: Person) => (await get(p, '/api/messages/unread-count')).json();
  const idsOf = async (p: Person, query = '') => (await get(p, `/api/messages?${query}`)).json().items.map((m: { id: string }) => m.id) as string[];

  describe('messages', () => {
    it('filters by kind and by category', async () => {
      await send([org['CZ-ZFJ']!], 'dispatch', '交办：占道经营');
      await send([org['CZ-ZFJ']!], 'supervise', '督办：占道经营');
      await send([org['CZ-ZFJ']!], 'overdue', '超期：占道经营');
      expect(await titles(zfj, 'kind=supervise')).toEqual(['督办：占道经营']);
      expect(await titles(zfj, 'category=work')).toEqual(['超期：占道经营', '督办：占道经营', '交办：占道经营']);
      expect(await titles(zfj, 'category=notice')).toEqual([]);
      expect(await counts(zfj)).toMatchObject({ count: 3, work: 3, notice: 0, chat: 0 });
    });

    it('marks several read, only the own ones', async () => {
      const [a, b] = await idsOf(zfj);
      const [others] = await idsOf(city);
      await send([org['CZ-CYZX']!], 'dispatch', '交办：市中心的消息');
      const cityIds = await idsOf(city);
      const r = await post(zfj, '/api/messages/read', { ids: [a, b, ...cityIds, others].filter(Boolean) });
      expect(r.statusCode, r.body).toBe(200);
      expect(r.json()).toEqual({ count: 2 });
      expect(await counts(zfj)).toMatchObject({ work: 1 });
      expect((await counts(city)).work).toBe(cityIds.length);
      // Again: nothing left to mark among those.
      expect((await post(zfj, '/api/messages/read', { ids: [a, b] })).json()).toEqual({ count: 0 });
      const bad = await post(zfj, '/api/messages/read', { ids: [] });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().message).toContain('请至少选择一条消息');
      expect((await post(zfj, '/api/messages/read', { ids: ['x'] })).json().message).toContain('消息标识无效');
    });

    it('deletes one and many, only the own ones', async () => {
      const mine = await idsOf(zfj);
      expect(mine).toHaveLength(3);
      const [cityOne] = await idsOf(city);

      const other = await h.call('DELETE', `/api/messages/${cityOne}`, { token: zfj.token });
      expect(other.statusCode).toBe(404);
      expect(other.json().message).toBe('消息不存在或已删除');
      expect(await idsOf(city)).toContain(cityOne);

      const one = await h.call('DELETE', `/api/messages/${mine[0]}`, { token: zfj.token });
      expect(one.json()).toEqual({ ok: true });
      expect(await idsOf(zfj)).toEqual(mine.slice(1));
      expect((await h.call('DELETE', `/api/messages/${mine[0]}`, { token: zfj.token })).statusCode).toBe(404);

      const many = await post(zfj, '/api/messages/delete', { ids: [...mine.slice(1), cityOne] });
      expect(many.json()).toEqual({ count: 2 });
      expect(await idsOf(zfj)).toEqual([]);
      expect(await idsOf(city)).toContain(cityOne);
      expect(await counts(zfj)).toMatchObject({ count: 0 });
    });
  });

  describe('system notices', () => {
    let fileId: string;

    beforeAll(async () => {
      const form = new FormData();
      form.append('file', new Blob([Buffer.from('防汛值守安排：请各单位做好值班。')], { type: 'text/plain' }), '防汛值守安排.txt');
      const req = new Request('http://x/api/files', { method: 'POST', body: form });
      const r = await h.app.inject({
        method: 'POST', url: '/api/files',
        headers: { authorization: `Bearer ${city.token}`, 'content-type': req.headers.get('content-type')! },
        payload: Buffer.from(await req.arrayBuffer()),
      });
      expect(r.statusCode, r.body).toBe(200);
      fileId = r.json().id;
    });

    it('is published by the city centre to chosen organisations, with attachments', async () => {
      const before = (await h.database.db.select().from(msgMessage)).length;
      const r = await post(city, '/api/messages/notices', {
        title: '关于做好防汛值守的通知', content: '请各单位于今晚 20 时前落实值守人员。', fileIds: [fileId], scope: 'orgs', orgIds: [org['510184001-CYZX'], org['510184002-CYZX']],
      });
      expect(r.statusCode, r.body).toBe(200);
      const { id, recipients } = r.json();
      expect(recipients).toBe(2);
      expect((await h.database.db.select().from(msgMessage)).length).toBe(before + 2);

      const [m] = (await get(cy, '/api/messages?category=notice')).json().items;
      expect(m).toMatchObject({ kind: 'notice', noticeId: id, title: '关于做好防汛值守的通知', read: false });
      expect(await counts(cy)).toMatchObject({ notice: 1 });
      expect(await titles(cy, 'category=work')).not.toContain('关于做好防汛值守的通知');
      expect(await titles(zfj, 'category=notice')).toEqual([]);

      const d = await get(ym, `/api/messages/notices/${id}`);
      expect(d.statusCode, d.body).toBe(200);
      expect(d.json()).toMatchObject({
        title: '关于做好防汛值守的通知', content: '请各单位于今晚 20 时前落实值守人员。', publisherName: city.name,
        orgNames: ['崇阳街道城运中心', '羊马街道城运中心'], files: [{ id: fileId, name: '防汛值守安排.txt', url: `/api/files/${fileId}` }],
      });
      const file = await h.call('GET', `/api/files/${fileId}`, { token: ym.token });
      expect(file.body).toBe('防汛值守安排：请各单位做好值班。');
      // Not for 执法局: as if it did not exist.
      const hidden = await get(zfj, `/api/messages/notices/${id}`);
      expect(hidden.statusCode).toBe(404);
      expect(hidden.json().message).toBe('通知不存在或已删除');

      const list = (await get(city, '/api/messages/notices')).json();
      expect(list.items[0]).toMatchObject({ id, title: '关于做好防汛值守的通知', fileCount: 1, publisherName: city.name });
    });

    it('goes to every enabled person when published to all', async () => {
      const r = await post(city, '/api/messages/notices', { title: '平台升级公告', content: '今晚 22 时至 23 时系统升级。', scope: 'all' });
      expect(r.statusCode, r.body).toBe(200);
      expect(r.json().recipients).toBeGreaterThanOrEqual(8);
      for (const p of [city, auditor, cy, zfj]) expect(await titles(p, 'category=notice')).toContain('平台升级公告');
      const id = r.json().id;
      expect((await get(zfj, `/api/messages/notices/${id}`)).json().orgNames).toEqual([]);
    });

    it('refuses those without the permission and bad input, keeping nothing', async () => {
      const notices = (await h.database.db.select().from(msgNotice)).length;
      const messages = (await h.database.db.select().from(msgMessage)).length;
      const denied = await post(cy, '/api/messages/notices', { title: '越权通知', content: '内容', scope: 'all' });
      expect(denied.statusCode).toBe(403);
      expect((await get(cy, '/api/messages/notices')).statusCode).toBe(403);
      expect((await get(cy, '/api/messages/notice-orgs')).statusCode).toBe(403);

      const cases: [unknown, string][] = [
        [{ title: ' ', content: '内容', scope: 'all' }, '请输入通知标题'],
        [{ title: '标题', content: '', scope: 'all' }, '请输入通知内容'],
        [{ title: '标题', content: '内容', scope: 'orgs', orgIds: [] }, '请选择接收单位'],
        [{ title: '标题', content: '内容', scope: 'orgs', orgIds: [randomUUID()] }, '所选接收单位不存在或已删除'],
        [{ title: '标题', content: '内容', scope: 'all', fileIds: [randomUUID()] }, '附件不存在或已删除'],
      ];
      for (const [body, message] of cases) {
        const r = await post(city, '/api/messages/notices', body);
        expect(r.statusCode, JSON.stringify(body)).toBe(400);
        expect(r.body).toContain(message);
      }
      expect((await h.database.db.select().from(msgNotice)).length).toBe(notices);
      expect((await h.database.db.select().from(msgMessage)).length).toBe(messages);
    });

    it('lists the organisations to publish to', async () => {
      const r = await get(city, '/api/messages/notice-orgs');
      expect(r.statusCode).toBe(200);
      const rows = r.json() as { id: string; parentId: string | null; name: string }[];
      expect(rows.find((o) => o.id === org['510184001-CYZX'])).toMatchObject({ name: '崇阳街道城运中心' });
      expect(rows.filter((o) => o.parentId === null).length).toBeGreaterThan(0);
    });
  });

  describe('chat', () => {
    it('finds colleagues by name or organisation, the own organisation by default', async () => {
      const own = (await get(city, '/api/messages/chat/contacts')).json();
      expect(own.map((p: { name: string }) => p.name)).toContain('审计管理员');
      expect(own.map((p: { id: string }) => p.id)).not.toContain(city.id);
      const found = (await get(city, `/api/messages/chat/contacts?keyword=${encodeURIComponent('羊马')}`)).json();
      expect(found).toContainEqual({ id: ym.id, name: ym.name, orgName: '羊马街道城运中心' });
      expect((await get(city, `/api/messages/chat/contacts?keyword=${encodeURIComponent('%')}`)).json()).toEqual([]);
    });

    it('sends, counts unread per conversation, shows the thread and marks it read', async () => {
      const first = await post(city, '/api/messages/chat', { toUserId: ym.id, content: '交办的积水事件请今天回复' });
      expect(first.statusCode, first.body).toBe(200);
      expect(first.json()).toMatchObject({ fromUserId: city.id, toUserId: ym.id, content: '交办的积水事件请今天回复', read: false });
      await post(city, '/api/messages/chat', { toUserId: ym.id, content: '收到请回复' });
      await post(cy, '/api/messages/chat', { toUserId: ym.id, content: '崇阳这边已处理' });

      expect(await counts(ym)).toMatchObject({ chat: 3 });
      const convs = (await get(ym, '/api/messages/chat/conversations')).json();
      expect(convs.map((c: { peer: { name: string }; unread: number; lastContent: string }) => [c.peer.name, c.unread, c.lastContent])).toEqual([
        [cy.name, 1, '崇阳这边已处理'],
        [city.name, 2, '收到请回复'],
      ]);

      const thread = (await get(ym, `/api/messages/chat/threads/${city.id}`)).json();
      expect(thread.peer).toMatchObject({ id: city.id, orgName: '崇州市城市运行管理中心' });
      expect(thread.items.map((l: { content: string }) => l.content)).toEqual(['交办的积水事件请今天回复', '收到请回复']);
      expect(thread.hasMore).toBe(false);
      const paged = (await get(ym, `/api/messages/chat/threads/${city.id}?limit=1`)).json();
      expect(paged).toMatchObject({ hasMore: true, items: [{ content: '收到请回复' }] });
      const older = (await get(ym, `/api/messages/chat/threads/${city.id}?limit=1&before=${paged.items[0].id}`)).json();
      expect(older).toMatchObject({ hasMore: false, items: [{ content: '交办的积水事件请今天回复' }] });

      expect((await post(ym, `/api/messages/chat/threads/${city.id}/read`)).json()).toEqual({ count: 2 });
      expect(await counts(ym)).toMatchObject({ chat: 1 });
      const reply = await post(ym, '/api/messages/chat', { toUserId: city.id, content: '已安排人员处理' });
      expect(reply.statusCode).toBe(200);
      const cityConvs = (await get(city, '/api/messages/chat/conversations')).json();
      expect(cityConvs[0]).toMatchObject({ peer: { id: ym.id }, lastContent: '已安排人员处理', lastFromMe: false, unread: 1 });
      // Nobody else reads it.
      expect((await get(zfj, '/api/messages/chat/conversations')).json()).toEqual([]);
    });

    it('refuses writing to oneself, to nobody, and empty lines', async () => {
      const before = (await h.database.db.select().from(msgChat)).length;
      const cases: [unknown, string][] = [
        [{ toUserId: city.id, content: '自己' }, '不能给自己发送私信'],
        [{ toUserId: randomUUID(), content: '不存在' }, '私信对象不存在或已停用'],
        [{ toUserId: ym.id, content: '   ' }, '请输入私信内容'],
        [{ toUserId: 'x', content: '内容' }, '请选择私信对象'],
        [{ toUserId: ym.id, content: '长'.repeat(1001) }, '私信内容不能超过 1000 个字'],
      ];
      for (const [body, message] of cases) {
        const r = await post(city, '/api/messages/chat', body);
        expect(r.statusCode, JSON.stringify(body)).toBe(400);
        expect(r.body).toContain(message);
      }
      expect((await h.database.db.select().from(msgChat)).length).toBe(before);
      expect((await get(city, `/api/messages/chat/threads/${randomUUID()}`)).statusCode).toBe(404);
    });

    it('keeps the chat content out of the operation log', async () => {
      const admin = await h.login('auditor', PW);
      const logs = (await h.call('GET', `/api/system/oplogs?pageSize=50`, { token: admin })).json();
      const chatRows = logs.items.filter((l: { subjectType: string | null }) => l.subjectType === '私信');
      expect(chatRows.length).toBeGreaterThan(0);
      expect(JSON.stringify(chatRows)).not.toContain('已安排人员处理');
    });
  });
});
