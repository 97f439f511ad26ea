import type { FastifyBaseLogger } from 'fastify';
import { pino, type Level, type StreamEntry } from 'pino';
import { LEVEL_VALUES } from './system-log.sink.js';

type LevelOrSilent = Level | 'silent';

/**
 * The server's logger: lines at `level` and above to stdout (as before), and those at `systemLevel`
 * and above to the 系统日志 sink. The logger itself runs at the lower of the two.
 */
export function createLogger(o: {
  level: LevelOrSilent;
  redact: string[];
  systemLevel: LevelOrSilent;
  systemStream?: { write(line: string): void };
}): FastifyBaseLogger {
  const streams: StreamEntry<Level>[] = [];
  if (o.level !== 'silent') streams.push({ level: o.level, stream: pino.destination(1) });
  if (o.systemLevel !== 'silent' && o.systemStream) streams.push({ level: o.systemLevel, stream: o.systemStream });
  const lowest = streams.map((s) => s.level!).sort((a, b) => LEVEL_VALUES[a]! - LEVEL_VALUES[b]!)[0];
  return pino({ level: lowest ?? 'silent', redact: o.redact }, pino.multistream(streams));
}
