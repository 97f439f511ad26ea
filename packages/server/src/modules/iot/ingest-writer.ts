import { sql, type SQL } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../../core/db.js';
import type { TraceRow } from './ports.js';

/** One history row: a property's value at a time; numbers also in `num`. */
export interface TelemetryWrite {
  deviceId: string;
  identifier: string;
  ts: number;
  num: number | null;
  value: unknown;
}

export interface EventWrite {
  deviceId: string;
  identifier: string;
  name: string;
  level: string;
  output: Record<string, unknown>;
  ts: number;
}

/** A message from the device: it is alive (last seen, address, firmware it announced). */
export interface SeenWrite {
  deviceId: string;
  ts: number;
  ip?: string | null;
  firmwareVersion?: string | null;
}

export interface PresenceWrite {
  deviceId: string;
  online: boolean;
  ts: number;
  ip?: string | null;
  /** The node whose broker took or lost the connection: online claims the device for it; offline counts only from the node holding it. */
  nodeId: string;
}

export interface StateWrite {
  deviceId: string;
  props: Record<string, { value: unknown; ts: number }>;
}

/** A trace row; `measure` fills in its latency (commit time − ts) when the batch is written. */
export type TraceWrite = TraceRow & { measure?: boolean };

/** What one message (or one presence change) adds to the next batch. */
export interface WritePart {
  telemetry?: TelemetryWrite[];
  /** Latest values to merge into each device's state. */
  state?: StateWrite[];
  events?: EventWrite[];
  traces?: TraceWrite[];
  seen?: SeenWrite[];
  presence?: PresenceWrite;
}

interface Batch {
  telemetry: Map<string, TelemetryWrite>;
  state: Map<string, Record<string, { value: unknown; ts: number }>>;
  events: EventWrite[];
  traces: TraceWrite[];
  seen: Map<string, SeenWrite>;
  presence: Map<string, PresenceWrite>;
  rows: number;
  waiters: { resolve: () => void; reject: (err: unknown) => void }[];
}

const emptyBatch = (): Batch => ({
  telemetry: new Map(), state: new Map(), events: [], traces: [], seen: new Map(), presence: new Map(), rows: 0, waiters: [],
});

/**
 * PostgreSQL's jsonb holds no NUL character: drop `\u0000` escapes (those not themselves escaped)
 * so that one odd payload cannot fail a whole batch.
 */
const NUL_ESCAPE = /(?<!\\)((?:\\\\)*)\\u0000/g;
const json = (rows: unknown[]) => JSON.stringify(rows).replace(NUL_ESCAPE, '$1');
const recordset = (rows: unknown[], shape: string) => sql`jsonb_to_recordset(${json(rows)}::jsonb) as x(${sql.raw(shape)})`;
const at = (col: string) => sql.raw(`to_timestamp(${col} / 1000.0)`);

const isRetryable = (err: unknown) => {
  for (let e = err as { code?: string; cause?: unknown } | undefined, i = 0; e && i < 4; e = e.cause as typeof e, i++) {
    if (e.code === '40P01' || e.code === '40001') return true;
  }
  return false;
};

/**
 * The ingest pipeline's writes, batched: everything queued within `flushMs` (or as soon as
 * `maxRows` rows wait) is committed in ONE transaction — history as one multi-row insert, latest
 * values merged per device (one upsert row per device; per property the newer report time wins),
 * device events, trace rows, and one UPDATE for the devices seen. Each caller's promise resolves
 * after the commit that holds its rows, so nothing acknowledged to a device can be lost. One batch is written at a time, which keeps the
 * latest values of a device in the order its messages arrived.
 */
export function ingestWriter(d: { db: Db; flushMs: number; maxRows?: number; log?: FastifyBaseLogger }) {
  const maxRows = d.maxRows ?? 1000;
  let pending = emptyBatch();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let closed = false;
  const stats = { batches: 0, rows: 0, failures: 0 };

  const write = async (b: Batch) => {
    const now = Date.now();
    const db = d.db;
    await db.transaction(async (tx) => {
      const run = (q: SQL) => tx.execute(q);
      if (b.telemetry.size) {
        const rows = [...b.telemetry.values()].map((t) => ({ d: t.deviceId, i: t.identifier, t: t.ts, n: t.num, v: t.value ?? null }));
        await run(sql`insert into iot_telemetry (device_id, identifier, ts, num, value)
          select x.d, x.i, ${at('x.t')}, x.n, x.v from ${recordset(rows, 'd uuid, i text, t bigint, n float8, v jsonb')}
          on conflict (device_id, identifier, ts) do update set num = excluded.num, value = excluded.value`);
      }
      if (b.state.size) {
        const rows = [...b.state.entries()].sort(([a], [c]) => (a < c ? -1 : 1)).map(([id, p]) => ({ d: id, p }));
        await run(sql`insert into iot_device_state (device_id, props, updated_at)
          select x.d, x.p, now() from ${recordset(rows, 'd uuid, p jsonb')}
          on conflict (device_id) do update set updated_at = excluded.updated_at,
            props = iot_device_state.props || (
              select coalesce(jsonb_object_agg(n.key, n.value), '{}'::jsonb) from jsonb_each(excluded.props) n
              where coalesce((n.value->>'ts')::bigint >= (iot_device_state.props->n.key->>'ts')::bigint, true))`);
      }
      if (b.events.length) {
        const rows = b.events.map((e) => ({ d: e.deviceId, i: e.identifier, n: e.name, l: e.level, o: e.output, t: e.ts }));
        await run(sql`insert into iot_device_event (device_id, identifier, name, level, output, ts)
          select x.d, x.i, x.n, x.l, x.o, ${at('x.t')} from ${recordset(rows, 'd uuid, i text, n text, l text, o jsonb, t bigint')}`);
      }
      if (b.presence.size) {
        const rows = [...b.presence.values()].sort((a, c) => (a.deviceId < c.deviceId ? -1 : 1)).map((p) => ({ id: p.deviceId, o: p.online, t: p.ts, ip: p.ip ?? null, n: p.nodeId }));
        // A device that moved to another node meanwhile stays online there: the old node's "offline" is stale.
        await run(sql`update iot_device d set
            status = case when x.o then 'online' else 'offline' end,
            node_id = case when x.o then x.n end,
            online_at = case when x.o then ${at('x.t')} else d.online_at end,
            offline_at = case when x.o then d.offline_at else ${at('x.t')} end,
            activated_at = coalesce(d.activated_at, case when x.o then ${at('x.t')} end),
            last_seen_at = case when x.o then greatest(d.last_seen_at, ${at('x.t')}) else d.last_seen_at end,
            last_ip = coalesce(x.ip, d.last_ip)
          from ${recordset(rows, 'id uuid, o boolean, t bigint, ip text, n text')}
          where d.id = x.id and d.status <> 'disabled' and d.deregistered_at is null
            and (x.o or d.node_id is null or d.node_id = x.n)`);
      }
      if (b.seen.size) {
        const rows = [...b.seen.values()].sort((a, c) => (a.deviceId < c.deviceId ? -1 : 1)).map((s) => ({ id: s.deviceId, t: s.ts, ip: s.ip ?? null, fw: s.firmwareVersion ?? null }));
        await run(sql`update iot_device d set
            last_seen_at = greatest(d.last_seen_at, ${at('x.t')}),
            last_ip = coalesce(x.ip, d.last_ip),
            firmware_version = coalesce(x.fw, d.firmware_version),
            status = case when d.status in ('inactive', 'offline') then 'online' else d.status end,
            online_at = case when d.status in ('inactive', 'offline') then ${at('x.t')} else d.online_at end,
            activated_at = coalesce(d.activated_at, ${at('x.t')})
          from ${recordset(rows, 'id uuid, t bigint, ip text, fw text')}
          where d.id = x.id and d.status <> 'disabled' and d.deregistered_at is null`);
      }
      if (b.traces.length) {
        const rows = b.traces.map((t) => {
          const ts = t.ts ? t.ts.getTime() : now;
          return {
            t: ts, d: t.deviceId ?? null, pk: t.productKey ?? null, dk: t.deviceKey ?? null, dir: t.direction, ch: t.channel, k: t.kind,
            tp: t.topic ?? '', pl: t.payload ?? '', r: t.result, rs: t.reason ?? null,
            l: t.latencyMs ?? (t.measure ? Math.max(0, now - ts) : null), m: t.msgId ?? null, ip: t.clientIp ?? null,
          };
        });
        await run(sql`insert into iot_message (ts, device_id, product_key, device_key, direction, channel, kind, topic, payload, result, reason, latency_ms, msg_id, client_ip)
          select ${at('x.t')}, x.d, x.pk, x.dk, x.dir, x.ch, x.k, x.tp, x.pl, x.r, x.rs, x.l, x.m, x.ip
          from ${recordset(rows, 'd uuid, pk text, dk text, dir text, ch text, k text, tp text, pl text, r text, rs text, l int, m text, ip text, t bigint')}`);
      }
    });
  };

  const commit = async (b: Batch) => {
    for (let attempt = 1; ; attempt++) {
      try {
        await write(b);
        stats.batches++;
        stats.rows += b.rows;
        return;
      } catch (err) {
        // Two nodes updating the same devices may deadlock; PostgreSQL aborts one of them.
        if (attempt < 3 && isRetryable(err)) continue;
        stats.failures++;
        throw err;
      }
    }
  };

  const kick = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (running || !pending.waiters.length) return;
    const b = pending;
    pending = emptyBatch();
    running = commit(b)
      .then(
        () => b.waiters.forEach((w) => w.resolve()),
        (err) => {
          d.log?.error({ err, rows: b.rows }, 'iot ingest batch failed');
          b.waiters.forEach((w) => w.reject(err));
        },
      )
      .finally(() => {
        running = undefined;
        if (pending.waiters.length) schedule();
      });
  };

  const schedule = () => {
    if (pending.rows >= maxRows) kick();
    else if (!timer && !running) timer = setTimeout(kick, d.flushMs);
  };

  const add = (p: WritePart, b: Batch) => {
    for (const t of p.telemetry ?? []) b.telemetry.set(`${t.deviceId}|${t.identifier}|${t.ts}`, t);
    for (const st of p.state ?? []) {
      const props = b.state.get(st.deviceId) ?? {};
      // A late report of an older time does not replace a newer value (here nor in the upsert).
      for (const [k, v] of Object.entries(st.props)) if (!props[k] || v.ts >= props[k].ts) props[k] = v;
      b.state.set(st.deviceId, props);
    }
    if (p.events) b.events.push(...p.events);
    if (p.traces) b.traces.push(...p.traces);
    for (const s of p.seen ?? []) {
      const o = b.seen.get(s.deviceId);
      b.seen.set(s.deviceId, { ...s, ts: Math.max(s.ts, o?.ts ?? 0), firmwareVersion: s.firmwareVersion ?? o?.firmwareVersion ?? null });
    }
    if (p.presence) b.presence.set(p.presence.deviceId, p.presence);
    b.rows += (p.telemetry?.length ?? 0) + (p.events?.length ?? 0) + (p.traces?.length ?? 0) + (p.state?.length ?? 0);
  };

  return {
    /** Queues the writes; resolves once they are committed (rejects if that batch failed). */
    write(p: WritePart): Promise<void> {
      if (closed) return Promise.reject(new Error('ingest writer closed'));
      return new Promise<void>((resolve, reject) => {
        add(p, pending);
        pending.waiters.push({ resolve, reject });
        schedule();
      });
    },

    /** Commits everything queued so far (and what is being written). */
    async flush() {
      while (running || pending.waiters.length) {
        if (!running) kick();
        await running?.catch(() => {});
      }
    },

    async close() {
      await this.flush();
      closed = true;
    },

    stats: () => ({ ...stats, queued: pending.rows }),
  };
}
export type IngestWriter = ReturnType<typeof ingestWriter>;
