import os from 'node:os';
import { sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import type { BrokerNode } from '@cityops/contracts';
import type { Database } from '../../core/db.js';

/**
 * Which nodes carry devices (连接管理's node list): every node announces itself on `iot_nodes` every
 * few seconds with its figures, and every node keeps what it heard. Nothing is stored: a node that
 * stops announcing drops off the list after `FORGET_MS`.
 */
export const NODES_CHANNEL = 'iot_nodes';
const ANNOUNCE_MS = 10_000;
const FORGET_MS = 35_000;

export interface NodeFigures {
  mqttPort: number | null;
  clients: number;
  messagesInPerMinute: number;
  messagesOutPerMinute: number;
}

type Announcement = NodeFigures & { nodeId: string; role: BrokerNode['role']; hostname: string; pid: number };

export function brokerNodes(d: { database: Database; nodeId: string; role: BrokerNode['role']; figures: () => NodeFigures; log: FastifyBaseLogger; announceMs?: number }) {
  const shared = d.database.driver === 'postgres';
  const seen = new Map<string, Announcement & { at: number }>();
  const self = (): Announcement => ({ nodeId: d.nodeId, role: d.role, hostname: os.hostname(), pid: process.pid, ...d.figures() });
  let timer: NodeJS.Timeout | undefined;
  let unlisten: (() => Promise<void>) | undefined;

  const announce = () =>
    d.database.db.execute(sql`select pg_notify(${NODES_CHANNEL}, ${JSON.stringify(self())})`).catch((err) => d.log.warn({ err }, 'node announcement failed'));

  return {
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
      timer = setInterval(announce, d.announceMs ?? ANNOUNCE_MS);
      timer.unref();
    },

    list(): BrokerNode[] {
      const now = Date.now();
      const others = [...seen.values()].filter((n) => now - n.at < FORGET_MS);
      for (const [id, n] of seen) if (now - n.at >= FORGET_MS) seen.delete(id);
      return [
        { ...self(), seenAt: new Date(now).toISOString(), self: true },
        ...others.sort((a, b) => a.hostname.localeCompare(b.hostname) || a.pid - b.pid).map(({ at, ...n }) => ({ ...n, seenAt: new Date(at).toISOString(), self: false })),
      ];
    },

    async stop() {
      clearInterval(timer);
      await unlisten?.();
      unlisten = undefined;
    },
  };
}
export type BrokerNodes = ReturnType<typeof brokerNodes>;
