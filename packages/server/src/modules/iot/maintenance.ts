import { sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../../core/db.js';
import type { LocalDirectory } from './device-directory.js';
import type { Ingest } from './ports.js';

const CHUNK = 10_000;

/** RETURNING rows, as either driver gives them. */
const rowsOf = <T>(r: unknown): T[] => (Array.isArray(r) ? r : ((r as { rows?: T[] }).rows ?? []));

/**
 * Marks offline the devices whose last message is older than their product's offlineSeconds. Only
 * devices without a connection the platform holds: HTTP, CoAP and gateway sub-devices — and every
 * device when an external broker holds the MQTT connections (the embedded broker reports their
 * disconnects itself). One UPDATE claims the rows, so nodes sweeping together never trace twice.
 */
export async function sweepOffline(d: { db: Db; directory: LocalDirectory; ingest: Pick<Ingest, 'trace'>; externalBroker: boolean }) {
  const protocols = d.externalBroker ? sql`true` : sql`p.protocol <> 'mqtt'`;
  const list = rowsOf<Row>(await d.db.execute(sql`
    update iot_device d set status = 'offline', offline_at = now()
    from iot_product p
    where p.id = d.product_id and d.status = 'online' and d.deregistered_at is null and ${protocols}
      and d.last_seen_at < now() - make_interval(secs => p.offline_seconds)
    returning d.id, d.device_key, p.product_key, p.offline_seconds`));
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

/**
 * Marks offline the devices held by an embedded broker that is gone: its node (`node_id`) has not
 * beaten in `iot_node` for `timeoutSeconds` — crashed or cut off, so its connections are too. With
 * PGlite (`onlyNode`) no other process can share the database: every other node is a past run of
 * this one. The rows are claimed with SKIP LOCKED, so nodes sweeping together never trace twice,
 * and a device taking a new connection meanwhile keeps it.
 */
export async function sweepLostNodes(d: { db: Db; directory: LocalDirectory; ingest: Pick<Ingest, 'trace'>; nodeId: string; onlyNode: boolean; timeoutSeconds: number }) {
  const gone = d.onlyNode
    ? sql`true`
    : sql`not exists (select 1 from iot_node n where n.id = d.node_id and n.seen_at > now() - make_interval(secs => ${d.timeoutSeconds}))`;
  const list = rowsOf<LostRow>(await d.db.execute(sql`
    with lost as (
      select d.id, d.node_id from iot_device d
      where d.status = 'online' and d.node_id is not null and d.node_id <> ${d.nodeId} and ${gone}
      for update skip locked
    )
    update iot_device d set status = 'offline', offline_at = now(), node_id = null
    from lost, iot_product p
    where d.id = lost.id and p.id = d.product_id
    returning d.id, d.device_key, p.product_key, lost.node_id`));
  for (const r of list) {
    d.directory.noteStatus(r.id, 'offline');
    d.ingest.trace({
      deviceId: r.id, productKey: r.product_key, deviceKey: r.device_key, direction: 'up', channel: 'mqtt', kind: 'disconnect',
      result: 'ok', reason: `接入节点 ${r.node_id} 已失联，连接随之断开，判定离线`,
    });
  }
  // Nodes silent for a day are history (their devices were freed long ago).
  await d.db.execute(sql`delete from iot_node where seen_at < now() - interval '1 day'`);
  return list.length;
}
interface LostRow {
  id: string;
  device_key: string;
  product_key: string;
  node_id: string;
}

/**
 * The devices this node's broker holds, online and held here again — after its beats went missing
 * another node may have taken it for dead (sweepLostNodes) while the connections lived on.
 */
export async function reclaimDevices(d: { db: Db; directory: LocalDirectory; ingest: Pick<Ingest, 'trace'>; nodeId: string; deviceIds: string[] }) {
  if (!d.deviceIds.length) return 0;
  const list = rowsOf<Omit<LostRow, 'node_id'>>(await d.db.execute(sql`
    update iot_device d set status = 'online', node_id = ${d.nodeId}, online_at = case when d.status = 'online' then d.online_at else now() end
    from iot_product p
    where p.id = d.product_id and d.id = any(string_to_array(${d.deviceIds.join(',')}, ',')::uuid[])
      and d.status <> 'disabled' and d.deregistered_at is null and (d.status <> 'online' or d.node_id is distinct from ${d.nodeId})
    returning d.id, d.device_key, p.product_key`));
  for (const r of list) {
    d.directory.noteStatus(r.id, 'online');
    d.ingest.trace({
      deviceId: r.id, productKey: r.product_key, deviceKey: r.device_key, direction: 'up', channel: 'mqtt', kind: 'connect',
      result: 'ok', reason: `接入节点 ${d.nodeId} 恢复联系，连接仍在，判定在线`,
    });
  }
  return list.length;
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

/**
 * Runs the offline sweep every `offlineEveryMs`, the lost-node sweep at start and every third of the
 * node timeout, and the retention sweep daily; returns the stop function.
 */
export function startMaintenance(d: {
  db: Db; directory: LocalDirectory; ingest: Pick<Ingest, 'trace'>; externalBroker: boolean; traceDays: number; historyDays: number;
  nodeId: string; onlyNode: boolean; nodeTimeoutSeconds: number;
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
  const lostNodes = guard('lost-node sweep', () => sweepLostNodes({ ...d, timeoutSeconds: d.nodeTimeoutSeconds }));
  const offline = setInterval(guard('offline sweep', () => sweepOffline(d)), d.offlineEveryMs ?? 30_000);
  const nodes = setInterval(lostNodes, (d.nodeTimeoutSeconds * 1000) / 3);
  const retention = setInterval(guard('retention sweep', () => sweepRetention(d)), d.retentionEveryMs ?? 86_400_000);
  // The first retention pass a few minutes after start, not with it (starts are busy enough).
  const first = setTimeout(guard('retention sweep', () => sweepRetention(d)), 5 * 60_000);
  // Devices of a node that died (this one's last run, say) need not wait for the first interval.
  const firstNodes = setTimeout(lostNodes, 0);
  for (const t of [offline, nodes, retention, first, firstNodes]) t.unref();
  return () => {
    clearInterval(offline);
    clearInterval(nodes);
    clearInterval(retention);
    clearTimeout(first);
    clearTimeout(firstNodes);
  };
}
