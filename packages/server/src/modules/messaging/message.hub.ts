import type { ServerResponse } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ChatLine, Message, UnreadCounts } from '@cityops/contracts';
import type { Database } from '../../core/db.js';
import { sm3Hex } from '../../core/crypto/sm.js';
import type { Principal } from '../../core/principal.js';
import { decodeAnnouncement, MESSAGE_CHANNEL, type Announcement } from './message.channel.js';

/** What the hub reads to fill the pushes; the services answer. */
export interface HubSources {
  messages(ids: string[]): Promise<Message[]>;
  chats(ids: string[]): Promise<ChatLine[]>;
  replay(userId: string, lastEventId: string): Promise<Message[]>;
  /** Every given user's counts (zeros included). */
  counts(userIds: string[]): Promise<Map<string, UnreadCounts>>;
  /** Whether the session still exists; must not restart its idle timer. */
  sessionAlive(token: string): Promise<boolean>;
}

interface Connection {
  userId: string;
  token: string;
  tokenHash: string;
  raw: ServerResponse;
  open: boolean;
}

/** Streams of one user on this node beyond this close the oldest (a forgotten tab, a leak). */
const MAX_PER_USER = 10;

/**
 * The live side of 站内消息 on one API node: the users' open event streams, fed by the PostgreSQL
 * channel every node listens to. Nothing is pushed that was not committed; a stream that missed
 * something (reconnect, lost listener) is told to reload its counts, and replays by Last-Event-ID.
 */
export function messageHub(d: {
  database: Database;
  sources: HubSources;
  log: { warn(o: object, m: string): void };
  heartbeatMs?: number;
}) {
  const byUser = new Map<string, Set<Connection>>();
  let stopListening: (() => Promise<void>) | undefined;
  let heartbeat: NodeJS.Timeout | undefined;

  const send = (c: Connection, event: string, data: unknown, id?: string) => {
    if (!c.open) return;
    c.raw.write(`${id ? `id: ${id}\n` : ''}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  };
  const remove = (c: Connection) => {
    c.open = false;
    const set = byUser.get(c.userId);
    set?.delete(c);
    if (set && !set.size) byUser.delete(c.userId);
  };
  /** Closes a stream; with a reason the client is told not to come back (session over). */
  const finish = (c: Connection, reason?: string) => {
    if (!c.open) return;
    if (reason) send(c, 'end', { reason });
    remove(c);
    c.raw.end();
  };
  const all = () => [...byUser.values()].flatMap((s) => [...s]);
  const of = (userId: string) => [...(byUser.get(userId) ?? [])];

  /**
   * The fresh counts to every stream of these users, so that no client has to ask (an automatic
   * request would keep an idle session alive).
   */
  async function pushCounts(userIds: Iterable<string>) {
    const here = [...new Set(userIds)].filter((id) => byUser.has(id));
    if (!here.length) return;
    for (const [userId, counts] of await d.sources.counts(here)) for (const c of of(userId)) send(c, 'sync', counts);
  }

  async function deliver(a: Announcement) {
    if (a.kind === 's') return pushCounts([a.userId]);
    if (a.kind === 'e') {
      for (const c of all()) if (c.tokenHash === a.tokenHash) finish(c, 'logout');
      return;
    }
    // Only what concerns the people connected here is loaded.
    const wanted = a.pairs.filter((p) => byUser.has(p.userId));
    if (!wanted.length) return;
    const ids = [...new Set(wanted.map((p) => p.id))];
    if (a.kind === 'm') {
      const rows = new Map((await d.sources.messages(ids)).map((m) => [m.id, m]));
      for (const p of wanted) {
        const m = rows.get(p.id);
        if (m) for (const c of of(p.userId)) send(c, 'message', m, m.id);
      }
    } else {
      const rows = new Map((await d.sources.chats(ids)).map((l) => [l.id, l]));
      for (const p of wanted) {
        const l = rows.get(p.id);
        if (l) for (const c of of(p.userId)) send(c, 'chat', l);
      }
    }
    await pushCounts(wanted.map((p) => p.userId));
  }

  const onPayload = (payload: string) => {
    const a = decodeAnnouncement(payload);
    if (!a) return;
    // Off the database driver's callback: loading rows must not wait on the notification itself.
    setImmediate(() => {
      deliver(a).catch((err) => d.log.warn({ err }, 'live message push failed'));
    });
  };

  /** Every stream pinged (proxies keep idle connections for a minute at most); ended sessions closed. */
  async function beat() {
    const conns = all();
    for (const c of conns) if (c.open) c.raw.write(': ping\n\n');
    const alive = new Map<string, Promise<boolean>>();
    for (const c of conns) {
      if (!alive.has(c.token)) alive.set(c.token, d.sources.sessionAlive(c.token).catch(() => true));
    }
    for (const c of conns) if (!(await alive.get(c.token))) finish(c, 'expired');
  }

  return {
    async start() {
      stopListening = await d.database.listen(MESSAGE_CHANNEL, onPayload, () => {
        // The listener was down for a moment: what it missed is at least counted.
        pushCounts(byUser.keys()).catch((err) => d.log.warn({ err }, 'live counts push failed'));
      });
      heartbeat = setInterval(() => void beat(), d.heartbeatMs ?? 25_000);
      heartbeat.unref();
    },

    /** Turns the request into the user's event stream (the route has authenticated it). */
    async open(req: FastifyRequest, reply: FastifyReply, user: Principal) {
      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        // nginx and the like must pass events on at once instead of buffering the response.
        'x-accel-buffering': 'no',
        'x-request-id': req.id,
      });
      raw.write('retry: 3000\n\n');
      const c: Connection = { userId: user.id, token: user.token, tokenHash: sm3Hex(user.token), raw, open: true };
      const mine = byUser.get(user.id) ?? new Set<Connection>();
      byUser.set(user.id, mine);
      mine.add(c);
      if (mine.size > MAX_PER_USER) finish([...mine][0]!, 'replaced');
      req.raw.on('close', () => remove(c));
      raw.on('error', () => remove(c));

      try {
        send(c, 'ready', (await d.sources.counts([user.id])).get(user.id));
        const last = req.headers['last-event-id'];
        if (typeof last === 'string' && last) for (const m of await d.sources.replay(user.id, last)) send(c, 'message', m, m.id);
      } catch (err) {
        d.log.warn({ err }, 'live message stream start failed');
        // The client reconnects and tries again.
        remove(c);
        raw.end();
      }
    },

    /** Tells every node that this session ended (logout), so its streams close everywhere. */
    sessionEnded: (token: string): Announcement => ({ kind: 'e', tokenHash: sm3Hex(token) }),

    /**
     * Ends every stream before the server closes (it would wait for them otherwise); the clients
     * reconnect, to another node when this one is gone.
     */
    closeAll() {
      for (const c of all()) {
        remove(c);
        c.raw.end();
      }
    },

    async stop() {
      clearInterval(heartbeat);
      await stopListening?.();
      stopListening = undefined;
    },

    /** Streams open on this node (health and tests). */
    size: () => all().length,
  };
}
export type MessageHub = ReturnType<typeof messageHub>;
