import { threadId } from 'node:worker_threads';
import { logBuffer } from './log-buffer.js';
import type { NewSystemLog } from './log.repository.js';

export const LEVEL_NAMES: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };
export const LEVEL_VALUES: Record<string, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 };

const MAX_CONTENT = 4000;

interface PinoLine {
  level?: number;
  time?: number;
  msg?: string;
  module?: string;
  err?: { type?: string; message?: string; stack?: string };
}

/** The message, then the error's type and message and the first frame of its stack. */
function contentOf(line: PinoLine): string {
  const parts = [line.msg ?? ''];
  const e = line.err;
  if (e) {
    const frame = e.stack?.split('\n').find((l) => l.trim().startsWith('at '))?.trim();
    parts.push(`${e.type ?? 'Error'}: ${e.message ?? ''}${frame ? ` (${frame})` : ''}`);
  }
  return parts.filter(Boolean).join(' — ').slice(0, MAX_CONTENT);
}

/** A line as 系统日志 stores it, or undefined for what is not a pino JSON line. */
export function systemLogRow(text: string, service: string): NewSystemLog | undefined {
  let line: PinoLine;
  try {
    line = JSON.parse(text) as PinoLine;
  } catch {
    return undefined;
  }
  const level = LEVEL_NAMES[line.level ?? 0];
  if (!level) return undefined;
  return {
    at: new Date(line.time ?? Date.now()),
    thread: `${process.pid}/${threadId || 'main'}`,
    logger: typeof line.module === 'string' && line.module ? line.module.slice(0, 100) : 'app',
    level,
    content: contentOf(line),
    service,
  };
}

export interface SystemLogSink {
  /** What pino writes to (one JSON line per call). */
  stream: { write(line: string): void };
  /** Starts writing to the database; lines logged before wait in the buffer. */
  attach(write: (rows: NewSystemLog[]) => Promise<void>, observe?: (row: NewSystemLog) => void): void;
  flush(): Promise<void>;
  close(): Promise<void>;
}

/**
 * 系统日志: the logger's lines at or above the configured level, buffered and written in batches. A
 * failure to write is told on stderr, never through the logger (it would come back here).
 */
export function systemLogSink(service: string, o: { flushMs?: number; maxRows?: number } = {}): SystemLogSink {
  let write: ((rows: NewSystemLog[]) => Promise<void>) | undefined;
  let observe: ((row: NewSystemLog) => void) | undefined;
  const buffer = logBuffer<NewSystemLog>({
    started: false,
    flushMs: o.flushMs,
    maxRows: o.maxRows,
    write: (rows) => write!(rows),
    onError: (err, n) => process.stderr.write(`system log: ${n} lines not written: ${(err as Error)?.message ?? err}\n`),
  });
  return {
    stream: {
      write(text) {
        const row = systemLogRow(text, service);
        if (!row) return;
        buffer.push(row);
        try {
          observe?.(row);
        } catch (err) {
          process.stderr.write(`system log: alert check failed: ${(err as Error)?.message ?? err}\n`);
        }
      },
    },
    attach(w, obs) {
      write = w;
      observe = obs;
      buffer.start();
    },
    flush: () => buffer.flush(),
    close: () => buffer.close(),
  };
}
