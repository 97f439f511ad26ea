import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../../test/backends.js';
import { startHarness, type Harness } from '../../test/harness.js';
import { sysOrg } from '../system/org.table.js';
import { messageHub } from './message.hub.js';
import { messageService } from './message.service.js';

const PW = 'Chongzhou@2026';
const TYPE = 'urban.appearance.clutter';

interface StreamEvent {
  event: string;
  data: any;
  id?: string;
}

/** An EventSource as a test sees it: every event received, waits for the next matching one, knows when it ends. */
async function openStream(base: string, token: string, lastEventId?: string) {
  const ctrl = new AbortController();
  const res = await fetch(`${base}/api/messages/stream`, {
    headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream', ...(lastEventId ? { 'last-event-id': lastEventId } : {}) },
    signal: ctrl.signal,
  });
  const events: StreamEvent[] = [];
  const waiters = new Set<() => void>();
  let ended = false;
  const wake = () => waiters.forEach((w) => w());
  const reading = (async () => {
    if (!res.body) return;
    const decoder = new TextDecoder();
    let buf = '';
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buf += decoder.decode(chunk, { stream: true });
        let cut: number;
        while ((cut = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, cut);
          buf = buf.slice(cut + 2);
          const e: Partial<StreamEvent> = {};
          for (const line of block.split('\n')) {
            if (line.startsWith('event: ')) e.event = line.slice(7);
            else if (line.startsWith('data: ')) e.data = JSON.parse(line.slice(6));
            else if (line.startsWith('id: ')) e.id = line.slice(4);
          }
          if (e.event) events.push(e as StreamEvent);
          wake();
        }
      }
    } catch {
      // aborted by the test
    }
    ended = true;
    wake();
  })();

  /** The first event (from `from` on) satisfying `match`, or undefined after `ms`. */
  const next = (match: (e: StreamEvent) => boolean, ms = 1000, from = 0): Promise<StreamEvent | undefined> =>
    new Promise((resolve) => {
      const check = () => {
        const hit = events.slice(from).find(match);
        if (hit || ended) {
          waiters.delete(check);
          clearTimeout(timer);
          resolve(hit);
        }
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        resolve(events.slice(from).find(match));
      }, ms);
      waiters.add(check);
      check();
    });
  return {
    status: res.status,
    contentType: res.headers.get('content-type'),
    events,
    next,
    get ended() {
      return ended;
    },
    async close() {
      ctrl.abort();
      await reading;
    },
  };
}
type Stream = Awaited<ReturnType<typeof openStream>>;

describe.each(backends)('live messages on %s', (backend) => {
  let h: Harness;
  let base: string;
  const t: Record<string, string> = {};
  const org: Record<string, string> = {};
  const streams: Stream[] = [];
  const open = async (token: string, lastEventId?: string) => {
    const s = await openStream(base, token, lastEventId);
    streams.push(s);
    return s;
  };

  beforeAll(async () => {
    h = await startHarness(backend, { DEMO_DATA: 'true' });
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(h.app.server.address() as { port: number }).port}`;
    for (const code of ['CZ-CYZX', '510184001-CYZX', '510184002-CYZX']) {
      const [o] = await h.database.db.select().from(sysOrg).where(eq(sysOrg.code, code));
      org[code] = o!.id;
    }
    for (const u of ['city_op', 'cy_op', 'ym_op', 'zfj_handler']) t[u] = await h.login(u, PW);
  });
  afterAll(async () => {
    for (const s of streams) await s.close();
    await h?.dispose();
  });

  const post = (token: string, url: string, body: unknown = {}) => h.call('POST', url, { token, body });
  const createEvent = async (title: string) => {
    const r = await post(t.city_op!, '/api/events', { typeCode: TYPE, title, content: '路口堆放杂物', source: 'hotline', address: '崇阳街道蜀州中路', lat: 30.63, lng: 103.67 });
    expect(r.statusCode, r.body).toBe(200);
    const id = r.json().id as string;
    const detail = (await h.call('GET', `/api/events/${id}`, { token: t.city_op })).json();
    const nodeId = detail.actions.find((a: { action: string }) => a.action === 'dispatch').nodeId as string;
    return { id, nodeId };
  };

  it('refuses a stream without a session', async () => {
    const r = await fetch(`${base}/api/messages/stream`);
    expect(r.status).toBe(401);
    expect((await r.json()).message).toBe('请先登录');
  });

  it('pushes a dispatch to the target organisation within a second, and nothing to others', async () => {
    const cy = await open(t.cy_op!);
    const ym = await open(t.ym_op!);
    expect(cy.status).toBe(200);
    expect(cy.contentType).toMatch(/^text\/event-stream/);
    const ready = await cy.next((e) => e.event === 'ready');
    expect(ready?.data).toMatchObject({ count: expect.any(Number), work: expect.any(Number), notice: expect.any(Number), chat: expect.any(Number) });
    await ym.next((e) => e.event === 'ready');

    const ev = await createEvent('实时推送测试：路口杂物');
    const started = Date.now();
    const r = await post(t.city_op!, `/api/events/${ev.id}/nodes/${ev.nodeId}/dispatch`, { targets: [{ orgId: org['510184001-CYZX'], role: 'main', requirement: '请尽快清理' }] });
    expect(r.statusCode, r.body).toBe(200);

    const got = await cy.next((e) => e.event === 'message' && e.data.eventId === ev.id, 1000);
    expect(got, 'no message within a second').toBeTruthy();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(got!.data).toMatchObject({ kind: 'dispatch', title: '「崇州市城市运行管理中心」交办事件「实时推送测试：路口杂物」，请办理', read: false, noticeId: null });
    expect(got!.id).toBe(got!.data.id);
    // The counts follow the message, so the client never has to ask.
    const counts = await cy.next((e) => e.event === 'sync', 1000, cy.events.indexOf(got!));
    expect(counts?.data.work).toBeGreaterThanOrEqual(1);
    // The same message is in the list, unread.
    const listed = (await h.call('GET', '/api/messages?unread=true', { token: t.cy_op })).json();
    expect(listed.items.map((m: { id: string }) => m.id)).toContain(got!.data.id);

    expect(await ym.next((e) => e.event === 'message' && e.data.eventId === ev.id, 300)).toBeUndefined();
  });

  it('sends nothing for a refused or rolled-back action', async () => {
    const cy = await open(t.cy_op!);
    await cy.next((e) => e.event === 'ready');
    const ev = await createEvent('实时推送测试：被拒绝的交办');
    // 羊马 may not dispatch the city's node.
    const refused = await post(t.ym_op!, `/api/events/${ev.id}/nodes/${ev.nodeId}/dispatch`, { targets: [{ orgId: org['510184001-CYZX'], role: 'main' }] });
    expect(refused.statusCode).toBe(403);
    // A transaction that wrote (and announced) a message, then failed.
    const messenger = messageService(h.database.db);
    await expect(
      h.database.db.transaction(async (tx) => {
        await messenger.notifyOrgs(tx, [org['510184001-CYZX']!], { kind: 'dispatch', title: '回滚的交办', content: '', eventId: ev.id });
        throw new Error('the action failed after notifying');
      }),
    ).rejects.toThrow('the action failed');
    expect(await cy.next((e) => e.event === 'message' && e.data.eventId === ev.id, 1200)).toBeUndefined();
    expect((await h.call('GET', `/api/messages?keyword=${encodeURIComponent('回滚的交办')}`, { token: t.cy_op })).json().total).toBe(0);
  });

  it('gives the other tabs the new counts after a read', async () => {
    const tab1 = await open(t.cy_op!);
    const ready = await tab1.next((e) => e.event === 'ready');
    expect(ready?.data.work).toBeGreaterThan(0);
    const from = tab1.events.length;
    const r = await post(t.cy_op!, '/api/messages/read-all');
    expect(r.json().count).toBeGreaterThan(0);
    expect((await tab1.next((e) => e.event === 'sync', 1000, from))?.data).toMatchObject({ work: 0 });
    const again = await open(t.cy_op!);
    expect((await again.next((e) => e.event === 'ready'))?.data).toMatchObject({ work: 0 });
  });

  it('replays what came after the Last-Event-ID of a reconnecting stream', async () => {
    const first = await createEvent('实时推送测试：断线前');
    await post(t.city_op!, `/api/events/${first.id}/nodes/${first.nodeId}/dispatch`, { targets: [{ orgId: org['510184002-CYZX'], role: 'main' }] });
    const [before] = (await h.call('GET', '/api/messages', { token: t.ym_op })).json().items;
    expect(before.eventId).toBe(first.id);
    // While disconnected, a second dispatch.
    const second = await createEvent('实时推送测试：断线期间');
    await post(t.city_op!, `/api/events/${second.id}/nodes/${second.nodeId}/dispatch`, { targets: [{ orgId: org['510184002-CYZX'], role: 'main' }] });

    const back = await open(t.ym_op!, before.id);
    const replayed = await back.next((e) => e.event === 'message' && e.data.eventId === second.id);
    expect(replayed?.data.title).toContain('断线期间');
    expect(back.events.filter((e) => e.event === 'message').map((e) => e.data.id)).not.toContain(before.id);
    // Another user's message id replays nothing.
    const stranger = await open(t.cy_op!, before.id);
    await stranger.next((e) => e.event === 'ready');
    expect(await stranger.next((e) => e.event === 'message', 300)).toBeUndefined();
  });

  it('ends the stream when its session logs out, and only that one', async () => {
    const token = await h.login('zfj_handler', PW);
    const leaving = await open(token);
    const staying = await open(t.zfj_handler!);
    await leaving.next((e) => e.event === 'ready');
    await staying.next((e) => e.event === 'ready');
    expect((await post(token, '/api/auth/logout')).statusCode).toBe(200);
    const end = await leaving.next((e) => e.event === 'end', 1500);
    expect(end?.data).toEqual({ reason: 'logout' });
    await expect.poll(() => leaving.ended, { timeout: 2000 }).toBe(true);
    expect(staying.ended).toBe(false);
    expect(staying.events.some((e) => e.event === 'end')).toBe(false);
  });

  it('closes a stream at the heartbeat once its session has ended otherwise (idle timeout)', async () => {
    // A hub of its own with a fast heartbeat, on the same database, behind a bare server.
    let alive = true;
    const hub = messageHub({
      database: h.database,
      log: { warn: () => {} },
      heartbeatMs: 100,
      sources: {
        messages: async () => [], chats: async () => [], replay: async () => [],
        counts: async (ids) => new Map(ids.map((id) => [id, { count: 0, work: 0, notice: 0, chat: 0 }])),
        sessionAlive: async () => alive,
      },
    });
    await hub.start();
    const bare = fastify();
    bare.get('/api/messages/stream', (req, reply) => hub.open(req, reply, { id: randomUUID(), token: 'a-token' } as never));
    await bare.listen({ port: 0, host: '127.0.0.1' });
    try {
      const s = await openStream(`http://127.0.0.1:${(bare.server.address() as { port: number }).port}`, 'a-token');
      streams.push(s);
      await s.next((e) => e.event === 'ready');
      await new Promise((r) => setTimeout(r, 250));
      expect(s.ended).toBe(false);
      alive = false;
      expect((await s.next((e) => e.event === 'end', 1000))?.data).toEqual({ reason: 'expired' });
      await expect.poll(() => hub.size(), { timeout: 1000 }).toBe(0);
    } finally {
      await hub.stop();
      hub.closeAll();
      await bare.close();
    }
  });

  it.runIf(backend === 'postgres')('delivers to a stream open on another API node', async () => {
    // A second node on the same database; its sessions are its own (no shared cache here).
    const name = (await h.database.db.execute(sql`select current_database() as db`)) as unknown as { rows: { db: string }[] };
    const other = await startHarness('postgres', { DEMO_DATA: 'true' }, { postgresUrl: pgUrlOf(name.rows[0]!.db) });
    try {
      await other.app.listen({ port: 0, host: '127.0.0.1' });
      const otherBase = `http://127.0.0.1:${(other.app.server.address() as { port: number }).port}`;
      const cyThere = await openStream(otherBase, await other.login('cy_op', PW));
      streams.push(cyThere);
      await cyThere.next((e) => e.event === 'ready');
      const ev = await createEvent('实时推送测试：跨节点');
      await post(t.city_op!, `/api/events/${ev.id}/nodes/${ev.nodeId}/dispatch`, { targets: [{ orgId: org['510184001-CYZX'], role: 'main' }] });
      const got = await cyThere.next((e) => e.event === 'message' && e.data.eventId === ev.id, 1000);
      expect(got?.data.kind).toBe('dispatch');
      await cyThere.close();
    } finally {
      await other.dispose();
    }
  });
});

/** The test server's URL with another database name. */
function pgUrlOf(db: string) {
  const u = new URL(process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
  u.pathname = `/${db}`;
  return u.toString();
}
