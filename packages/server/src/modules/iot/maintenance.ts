import { sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../../core/db.js';
import type { LocalDirectory } from './device-directory.js';
import type { Ingest } from './ports.js';

const CHUNK = 10_000;

/**
 * Marks offline the devices whose last message is older than their product's offlineSeconds. Only
 * devices without a connection the platform holds: HTTP, CoAP and gateway sub-devices — and every
 * device when an external broker holds the MQTT connections (the embedded broker reports their
 * disconnects itself). One UPDATE claims the rows, so nodes sweeping together never trace twice.
 */
export async function sweepOffline(d: { db: Db; directory: LocalDirectory; ingest: Pick<Ingest, 'trace'>; externalBroker: boolean }) {
  const protocols = d.externalBroker ? sql`true` : sql`p.protocol <> 'mqtt'`;
  const rows = (await d.db.execute(sql`
    update iot_device d set status = 'offline', offline_at = now()
    from iot_product p
    where p.id = d.product_id and d.status = 'online' and d.deregistered_at is null and ${protocols}
      and d.last_seen_at < now() - make_interval(secs => p.offline_seconds)
    returning d.id, d.device_key, p.product_key, p.offline_seconds`)) as unknown as { rows?: Row[] } | Row[];
  const list: Row[] = Array.isArray(rows) ? rows : (rows.rows ?? []);
  for (const r of list) {
    d.directory.noteStatus(r.id, 'offline');
    d.ingest.trace({
      deviceId: r.id, productKey: r.product_key, deviceKey: r.device_key, direction: 'up', channel: 'http', kind: 'disconnect',
      result: 'ok', reason: `超过 ${r.offline_seconds} 秒未上报，判定离线`,
    });
  }
  return list.length;
}
interface Row {
  id: string;
  device_key: string;
  product_key: string;
  offline_seconds: number;
}

/** Deletes trace rows older than `traceDays` and history and device events older than `historyDays`, in chunks. */
export async function sweepRetention(d: { db: Db; traceDays: number; historyDays: number }) {
  const day = 86_400_000;
  const traceBefore = new Date(Date.now() - d.traceDays * day);
  const historyBefore = new Date(Date.now() - d.historyDays * day);
  const deleted = { trace: 0, telemetry: 0, events: 0 };
  const chunked = async (statement: () => ReturnType<Db['execute']>) => {
    let total = 0;
    for (;;) {
      const r = (await statement()) as unknown as { rowCount?: number; affectedRows?: number };
      const n = r.rowCount ?? r.affectedRows ?? 0;
      total += n;
      if (n < CHUNK) return total;
    }
  };
  deleted.trace = await chunked(() =>
    d.db.execute(sql`delete from iot_message where id in (select id from iot_message where ts < ${traceBefore} limit ${CHUNK})`),
  );
  deleted.telemetry = await chunked(() =>
    d.db.execute(sql`delete from iot_telemetry where ctid = any(array(select ctid from iot_telemetry where ts < ${historyBefore} limit ${CHUNK}))`),
  );
  deleted.events = await chunked(() =>
    d.db.execute(sql`delete from iot_device_event where id in (select id from iot_device_event where ts < ${historyBefore} limit ${CHUNK})`),
  );
  return deleted;
}

/** Runs the offline sweep every `offlineEveryMs` and the retention sweep daily; returns the stop function. */
export function startMaintenance(d: {
  db: Db; directory: LocalDirectory; ingest: Pick<Ingest, 'trace'>; externalBroker: boolean; traceDays: number; historyDays: number;
  log?: FastifyBaseLogger; offlineEveryMs?: number; retentionEveryMs?: number;
}) {
  let busy = false;
  const guard = (name: string, fn: () => Promise<unknown>) => async () => {
    if (busy) return;
    busy = true;
    try {
      await fn();
    } catch (err) {
      d.log?.error({ err }, `iot ${name} failed`);
    } finally {
      busy = false;
    }
  };
  const offline = setInterval(guard('offline sweep', () => sweepOffline(d)), d.offlineEveryMs ?? 30_000);
  const retention = setInterval(guard('retention sweep', () => sweepRetention(d)), d.retentionEveryMs ?? 86_400_000);
  // The first retention pass a few minutes after start, not with it (starts are busy enough).
  const first = setTimeout(guard('retention sweep', () => sweepRetention(d)), 5 * 60_000);
  for (const t of [offline, retention, first]) t.unref();
  return () => {
    clearInterval(offline);
    clearInterval(retention);
    clearTimeout(first);
  };
}
