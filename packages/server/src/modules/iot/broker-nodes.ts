import crypto from 'node:crypto';
import os from 'node:os';
import { sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import type { BrokerNode } from '@cityops/contracts';
import type { Database } from '../../core/db.js';

/**
 * Which nodes carry devices (连接管理's node list): every node announces itself on `iot_nodes` every
 * third of IOT_NODE_TIMEOUT_SECONDS with its figures, and every node keeps what it heard; a node that
 * stops announcing drops off the list after the timeout. The same announcement is the node's beat in
 * `iot_node`, by which the lost-node sweep (maintenance.ts) tells a node that died from one alive.
 */
export const NODES_CHANNEL = 'iot_nodes';

/** A name for this run of this process (a restarted process is another node). */
export const newNodeId = () => `${os.hostname()}-${process.pid}-${crypto.randomBytes(2).toString('hex')}`;

export interface NodeFigures {
  mqttPort: number | null;
  clients: number;
  messagesInPerMinute: number;
  messagesOutPerMinute: number;
}

type Announcement = NodeFigures & { nodeId: string; role: BrokerNode['role']; hostname: string; pid: number };

export function brokerNodes(d: {
  database: Database; nodeId: string; role: BrokerNode['role']; figures: () => NodeFigures; log: FastifyBaseLogger; timeoutSeconds: number;
  /**
   * After beats went missing (database out of reach, process stalled), others may have taken this
   * node for dead and marked its devices offline: it says again which devices it holds.
   */
  onRejoin?: () => Promise<unknown>;
}) {
  const shared = d.database.driver === 'postgres';
  const beatMs = (d.timeoutSeconds * 1000) / 3;
  const forgetMs = d.timeoutSeconds * 1000;
  const seen = new Map<string, Announcement & { at: number }>();
  const self = (): Announcement => ({ nodeId: d.nodeId, role: d.role, hostname: os.hostname(), pid: process.pid, ...d.figures() });
  let timer: NodeJS.Timeout | undefined;
  let unlisten: (() => Promise<void>) | undefined;
  let lastBeat: number | undefined;
  /** Beats still to be followed by a rejoin (two: a sweep that started before the late beat may commit after the first). */
  let rejoins = 0;

  const announce = async () => {
    const a = self();
    try {
      await d.database.db.execute(sql`
        with beat as (
          insert into iot_node (id, role, hostname, pid) values (${a.nodeId}, ${a.role}, ${a.hostname}, ${a.pid})
          on conflict (id) do update set seen_at = now()
        )
        select pg_notify(${NODES_CHANNEL}, ${JSON.stringify(a)})`);
    } catch (err) {
      d.log.warn({ err }, 'node announcement failed');
      return;
    }
    const now = Date.now();
    if (lastBeat !== undefined && now - lastBeat > 2 * beatMs) rejoins = 2;
    lastBeat = now;
    if (rejoins > 0) {
      rejoins--;
      await d.onRejoin?.().catch((err: unknown) => d.log.warn({ err }, 'node rejoin failed'));
    }
  };

  return {
    /** Starts beating (before the broker takes connections: a device is never held by a node that has no beat). */
    async start() {
      if (!shared) return;
      unlisten = await d.database.listen(NODES_CHANNEL, (raw) => {
        try {
          const a = JSON.parse(raw) as Announcement;
          if (a.nodeId !== d.nodeId) seen.set(a.nodeId, { ...a, at: Date.now() });
        } catch {
          /* a newer node may say more; ignore what this one cannot read */
        }
      });
      await announce();
      timer = setInterval(() => void announce(), beatMs);
      timer.unref();
    },

    /** Announces at once (the figures changed: the broker started listening). */
    async announce() {
      if (timer) await announce();
    },

    list(): BrokerNode[] {
      const now = Date.now();
      const others = [...seen.values()].filter((n) => now - n.at < forgetMs);
      for (const [id, n] of seen) if (now - n.at >= forgetMs) seen.delete(id);
      return [
        { ...self(), seenAt: new Date(now).toISOString(), self: true },
        ...others.sort((a, b) => a.hostname.localeCompare(b.hostname) || a.pid - b.pid).map(({ at, ...n }) => ({ ...n, seenAt: new Date(at).toISOString(), self: false })),
      ];
    },

    async stop() {
      clearInterval(timer);
      timer = undefined;
      await unlisten?.();
      unlisten = undefined;
    },
  };
}
export type BrokerNodes = ReturnType<typeof brokerNodes>;
