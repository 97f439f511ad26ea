/**
 * Processes the bench starts and measures: Mosquitto instances with their own config files, the
 * resident memory of a set of processes, the kernel's TCP memory, and waiting for a port.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export const MOSQUITTO = process.env.BENCH_MOSQUITTO ?? '/usr/sbin/mosquitto';

/** Resident set size of a process in bytes (0 once it is gone). */
export function rssOf(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** CPU seconds (user + system) a process has used so far. */
export function cpuOf(pid: number | undefined): number {
  if (!pid) return 0;
  try {
    const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return 0;
  }
}

/** Sockets in use and the kernel's TCP buffer memory (bytes), from /proc/net/sockstat. */
export function tcpKernel() {
  const s = fs.readFileSync('/proc/net/sockstat', 'utf8');
  const m = /TCP: inuse (\d+) orphan \d+ tw (\d+) alloc (\d+) mem (\d+)/.exec(s);
  return m ? { inuse: Number(m[1]), timeWait: Number(m[2]), alloc: Number(m[3]), memBytes: Number(m[4]) * 4096 } : { inuse: 0, timeWait: 0, alloc: 0, memBytes: 0 };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export async function waitForPort(port: number, ms: number, alive: () => boolean = () => true) {
  const end = Date.now() + ms;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host: '127.0.0.1', port }, () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (!alive()) throw new Error(`the process for port ${port} exited before listening`);
    if (Date.now() > end) throw new Error(`nothing listens on port ${port} after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Stops a child and waits for its exit (SIGKILL after 10 s). */
export function stop(p: ChildProcess, signal: NodeJS.Signals = 'SIGTERM') {
  return new Promise<void>((resolve) => {
    if (p.exitCode !== null || p.signalCode !== null) return resolve();
    p.once('exit', () => resolve());
    p.kill(signal);
    setTimeout(() => p.kill('SIGKILL'), 10_000).unref();
  });
}

export interface Mosquitto {
  port: number;
  proc: ChildProcess;
}

/** Our own Mosquitto on a free port: anonymous, no connection limit, no persistence, generous in-flight window for the QoS 1 consumer. */
export async function startMosquitto(dir: string): Promise<Mosquitto> {
  const port = await freePort();
  const conf = path.join(dir, `mosquitto-${port}.conf`);
  fs.writeFileSync(conf, [
    `listener ${port} 127.0.0.1`,
    'allow_anonymous true',
    'max_connections -1',
    'persistence false',
    'max_inflight_messages 1000',
    'max_queued_messages 100000',
    'set_tcp_nodelay true',
    'log_dest stderr',
    'log_type error',
    'log_type warning',
    '',
  ].join('\n'));
  const proc = spawn(MOSQUITTO, ['-c', conf], { stdio: ['ignore', 'ignore', 'inherit'] });
  await waitForPort(port, 10_000, () => proc.exitCode === null);
  return { port, proc };
}
