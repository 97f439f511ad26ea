/**
 * The parent's side of the load generators: forks load-client.ts processes (~18,000 devices each),
 * tells them what to do and adds up what they report.
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { mergeHist, newHist, type ClientStats, type FromClient, type Target, type ToClient } from './shared.js';

const here = path.dirname(fileURLToPath(import.meta.url));

export interface FleetOptions {
  devices: number;
  /** Device index of the first device (device keys d000000…). */
  first?: number;
  perProcess: number;
  targets: Target[];
  /** Source addresses `${prefix}${2 + process number}`, e.g. '127.0.1.'; '' lets the kernel choose (see index.ts). */
  sourcePrefix: string;
  connect: Omit<Extract<ToClient, { type: 'connect' }>, 'type' | 'targets' | 'localAddress' | 'first' | 'count'>;
}

interface Child {
  proc: ChildProcess;
  first: number;
  count: number;
  localAddress: string;
  stats?: ClientStats;
}

export type FleetStats = Omit<ClientStats, 'at'> & { processes: number };

/** Each process's figures at one moment. */
export type Snapshot = (ClientStats | undefined)[];

/** What happened between two snapshots: rates per second (each process over its own interval) and the latencies of the acks. */
export interface Interval {
  sentPerSec: number;
  ackedPerSec: number;
  receivedPerSec: number;
  skipped: number;
  failed: number;
  acked: number;
  hist: number[];
}

export interface Fleet {
  stats(): FleetStats;
  /** Connects every device; resolves when each has had its attempt. */
  connect(onProgress?: (s: FleetStats) => void): Promise<void>;
  rate(perSecond: number, maxInflightPerProcess?: number): void;
  snapshot(): Snapshot;
  between(a: Snapshot, b: Snapshot): Interval;
  alarms(devices: number[], perSecond: number, property: string, value: number, onSent: (sent: { device: number; at: number }[]) => void): void;
  subscribe(target: Target, topic: string): void;
  close(): Promise<void>;
}

export async function startFleet(o: FleetOptions): Promise<Fleet> {
  const first = o.first ?? 0;
  const n = Math.ceil(o.devices / o.perProcess);
  const children: Child[] = [];
  const alarmListeners: ((sent: { device: number; at: number }[]) => void)[] = [];
  await Promise.all(
    Array.from({ length: n }, (_, j) =>
      new Promise<void>((resolve, reject) => {
        const proc = fork(path.join(here, 'load-client.ts'), [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
        const child: Child = { proc, first: first + j * o.perProcess, count: Math.min(o.perProcess, o.devices - j * o.perProcess), localAddress: o.sourcePrefix ? `${o.sourcePrefix}${2 + j}` : '' };
        children.push(child);
        proc.on('message', (m: FromClient) => {
          if (m.type === 'ready') resolve();
          else if (m.type === 'stats' || m.type === 'connected') child.stats = m.stats;
          else if (m.type === 'alarm-sent') for (const l of alarmListeners) l(m.sent);
        });
        proc.once('error', reject);
        proc.once('exit', (code) => code && reject(new Error(`load client exited with ${code}`)));
      }),
    ),
  );
  children.sort((a, b) => a.first - b.first);
  const tell = (c: Child, m: ToClient) => c.proc.connected && c.proc.send(m);
  let subscribers = 0;

  const stats = (): FleetStats => {
    const s: FleetStats = { processes: children.length, connected: 0, refused: 0, errors: 0, dropped: 0, pings: 0, pongs: 0, sent: 0, acked: 0, failed: 0, skipped: 0, received: 0, inflight: 0, cpu: 0, rss: 0, hist: newHist(), errorSamples: [] };
    for (const c of children) {
      const x = c.stats;
      if (!x) continue;
      for (const k of ['connected', 'refused', 'errors', 'dropped', 'pings', 'pongs', 'sent', 'acked', 'failed', 'skipped', 'received', 'inflight', 'cpu', 'rss'] as const) s[k] += x[k];
      mergeHist(s.hist, x.hist);
      for (const e of x.errorSamples) if (s.errorSamples.length < 5 && !s.errorSamples.includes(e)) s.errorSamples.push(e);
    }
    return s;
  };

  return {
    stats,
    async connect(onProgress) {
      const done = children.map(
        (c) =>
          new Promise<void>((resolve) => {
            const on = (m: FromClient) => {
              if (m.type !== 'connected') return;
              c.proc.off('message', on);
              resolve();
            };
            c.proc.on('message', on);
            tell(c, { type: 'connect', ...o.connect, targets: o.targets, localAddress: c.localAddress, first: c.first, count: c.count });
          }),
      );
      const t = onProgress && setInterval(() => onProgress(stats()), 5000);
      await Promise.all(done);
      if (t) clearInterval(t);
    },
    rate(perSecond, maxInflight = 2000) {
      const total = children.reduce((a, c) => a + (c.stats?.connected ?? 0), 0);
      for (const c of children) tell(c, { type: 'rate', perSecond: total ? (perSecond * (c.stats?.connected ?? 0)) / total : 0, maxInflight });
    },
    snapshot: () => children.map((c) => c.stats && { ...c.stats, hist: [...c.stats.hist] }),
    between(a, b) {
      const r: Interval = { sentPerSec: 0, ackedPerSec: 0, receivedPerSec: 0, skipped: 0, failed: 0, acked: 0, hist: newHist() };
      b.forEach((y, k) => {
        const x = a[k];
        if (!x || !y || y.at <= x.at) return;
        const secs = (y.at - x.at) / 1000;
        r.sentPerSec += (y.sent - x.sent) / secs;
        r.ackedPerSec += (y.acked - x.acked) / secs;
        r.receivedPerSec += (y.received - x.received) / secs;
        r.skipped += y.skipped - x.skipped;
        r.failed += y.failed - x.failed;
        r.acked += y.acked - x.acked;
        for (let i = 0; i < r.hist.length; i++) r.hist[i] += y.hist[i] - x.hist[i];
      });
      return r;
    },
    alarms(devices, perSecond, property, value, onSent) {
      alarmListeners.push(onSent);
      const per = children.map((c) => devices.filter((d) => d >= c.first && d < c.first + c.count));
      const total = devices.length;
      children.forEach((c, k) => per[k].length && tell(c, { type: 'alarms', devices: per[k], perSecond: (perSecond * per[k].length) / total, property, value }));
    },
    subscribe(target, topic) {
      // Spread over the processes: a consumer of one broker's whole flow is the busiest connection there is.
      const c = children[subscribers++ % children.length];
      tell(c, { type: 'subscribe', target, topic, localAddress: c.localAddress });
    },
    async close() {
      await Promise.all(
        children.map(
          (c) =>
            new Promise<void>((resolve) => {
              if (c.proc.exitCode !== null) return resolve();
              c.proc.once('exit', () => resolve());
              tell(c, { type: 'close' });
              setTimeout(() => c.proc.kill('SIGKILL'), 10_000).unref();
            }),
        ),
      );
    },
  };
}
