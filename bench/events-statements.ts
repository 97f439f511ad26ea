/**
 * Times every SQL statement the bench process sends to PostgreSQL by wrapping pg's
 * Client.prototype.query (Pool.query and drizzle both end there), because pg_stat_statements needs
 * shared_preload_libraries and a server restart. A statement's time runs from the call to its
 * result: server time plus the round trip, without the wait for a pooled connection.
 */
import pg from 'pg';

interface Stat {
  text: string;
  /** The statement as sent and the values of its slowest call, to EXPLAIN it afterwards. */
  sql: string;
  values: unknown[];
  calls: number;
  total: number;
  max: number;
  times: number[];
}

/** Literals out, whitespace collapsed: statements that differ only in values count as one. */
export const normalizeSql = (text: string) =>
  text
    .replace(/'(?:[^']|'')*'/g, '?')
    .replace(/\b\d+(\.\d+)?\b/g, '?')
    .replace(/\s+/g, ' ')
    .trim();

/** A long statement shortened to its start and its conditions, the part that tells statements apart. */
export const briefSql = (text: string, max = 320) => {
  if (text.length <= max) return text;
  const where = text.indexOf(' where ');
  if (where < 0) return `${text.slice(0, max)} …`;
  return `${text.slice(0, 60)} … ${text.slice(where, where + max - 60)}${text.length > where + max - 60 ? ' …' : ''}`;
};

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;

export function statementTimer() {
  const stats = new Map<string, Stat>();
  let on = false;
  /** Every call in order while capturing (bench/events-explain.ts replays them one by one). */
  let captured: { sql: string; values: unknown[]; ms: number }[] | undefined;
  const record = (text: string, values: unknown[], ms: number) => {
    captured?.push({ sql: text, values, ms });
    if (!on) return;
    const key = normalizeSql(text);
    let s = stats.get(key);
    if (!s) stats.set(key, (s = { text: key, sql: text, values, calls: 0, total: 0, max: 0, times: [] }));
    s.calls++;
    s.total += ms;
    if (ms > s.max) Object.assign(s, { max: ms, sql: text, values });
    s.times.push(ms);
  };

  const original = pg.Client.prototype.query as (...args: unknown[]) => unknown;
  (pg.Client.prototype as unknown as { query: unknown }).query = function (this: pg.Client, ...args: unknown[]) {
    const first = args[0] as string | { text?: string; values?: unknown[]; submit?: unknown } | undefined;
    // Cursors and streams (objects with submit) are passed through untimed; the app uses none.
    if ((!on && !captured) || !first || (typeof first === 'object' && typeof first.submit === 'function')) return original.apply(this, args);
    const text = typeof first === 'string' ? first : (first.text ?? '');
    const values = (Array.isArray(args[1]) ? args[1] : typeof first === 'object' ? first.values : undefined) ?? [];
    const t = performance.now();
    const cb = args.findIndex((a) => typeof a === 'function');
    if (cb >= 0) {
      const done = args[cb] as (err: unknown, res: unknown) => void;
      args[cb] = (err: unknown, res: unknown) => {
        record(text, values, performance.now() - t);
        done(err, res);
      };
      return original.apply(this, args);
    }
    return (original.apply(this, args) as Promise<unknown>).finally(() => record(text, values, performance.now() - t));
  };

  return {
    start() {
      stats.clear();
      on = true;
    },
    stop() {
      on = false;
    },
    /** Runs `fn` and returns the statements it sent, in order. */
    async capture(fn: () => Promise<unknown>) {
      const calls: { sql: string; values: unknown[]; ms: number }[] = [];
      captured = calls;
      try {
        await fn();
      } finally {
        captured = undefined;
      }
      return calls;
    },
    /** The top `n` statements by maximum and by total time. */
    report(n = 5) {
      const all = [...stats.values()].map((s) => {
        const sorted = [...s.times].sort((a, b) => a - b);
        return { text: s.text, sql: s.sql, values: s.values, calls: s.calls, total: s.total, mean: s.total / s.calls, p99: pct(sorted, 0.99), max: s.max };
      });
      const statements = all.reduce((a, s) => a + s.calls, 0);
      return {
        statements,
        byMax: [...all].sort((a, b) => b.max - a.max).slice(0, n),
        byTotal: [...all].sort((a, b) => b.total - a.total).slice(0, n),
        over50ms: [...stats.values()].reduce((a, s) => a + s.times.filter((x) => x > 50).length, 0),
      };
    },
  };
}
export type StatementTimer = ReturnType<typeof statementTimer>;

/** EXPLAIN (ANALYZE, BUFFERS) of a statement with the values of its slowest call: the plan and the server's own time. */
export async function explainStatement(url: string, sql: string, values: unknown[]) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query('begin');
    const { rows } = await c.query(`explain (analyze, buffers) ${sql}`, values);
    await c.query('rollback');
    const plan = rows.map((r: Record<string, string>) => r['QUERY PLAN']!);
    const ms = Number(/Execution Time: ([\d.]+)/.exec(plan.at(-1) ?? '')?.[1] ?? NaN);
    return { plan, ms };
  } finally {
    await c.end();
  }
}
