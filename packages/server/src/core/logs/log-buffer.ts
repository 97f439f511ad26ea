/**
 * Collects rows off the request path and writes them in batches: every `flushMs`, or at once when
 * `maxRows` are waiting. One write at a time; while the database is unreachable at most `capacity`
 * rows wait (the oldest are dropped and counted), so a logging backlog never eats the process.
 */
export interface LogBuffer<T> {
  push(row: T): void;
  /** Writes what is waiting now (tests, shutdown). */
  flush(): Promise<void>;
  /** Stops the timer after a last flush. */
  close(): Promise<void>;
  /** Rows given up since start (capacity exceeded or a failed write). */
  readonly dropped: number;
}

export function logBuffer<T>(o: {
  write: (rows: T[]) => Promise<void>;
  /** Told about a failed write; must not log through the logger the buffer serves. */
  onError: (err: unknown, rows: number) => void;
  flushMs?: number;
  maxRows?: number;
  capacity?: number;
  /** False until the database is there: rows wait (up to capacity) and no timer runs. */
  started?: boolean;
}): LogBuffer<T> & { start(): void } {
  const flushMs = o.flushMs ?? 1000;
  const maxRows = o.maxRows ?? 500;
  const capacity = o.capacity ?? 20_000;
  let rows: T[] = [];
  let dropped = 0;
  let running: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let started = o.started ?? true;
  let closed = false;

  const writeNow = async () => {
    while (rows.length) {
      const batch = rows.splice(0, maxRows);
      try {
        await o.write(batch);
      } catch (err) {
        dropped += batch.length;
        o.onError(err, batch.length);
      }
    }
  };

  const flush = (): Promise<void> => {
    if (!started) return Promise.resolve();
    // One write at a time; a flush asked for meanwhile waits for it and then writes what came since.
    const next = (running ?? Promise.resolve()).then(writeNow);
    const mine = next.finally(() => {
      if (running === mine) running = undefined;
    });
    running = mine;
    return mine;
  };

  const arm = () => {
    if (!timer && started && !closed) {
      timer = setTimeout(() => {
        timer = undefined;
        void flush();
      }, flushMs);
      timer.unref();
    }
  };

  return {
    push(row) {
      rows.push(row);
      if (rows.length > capacity) {
        const over = rows.length - capacity;
        rows.splice(0, over);
        dropped += over;
      }
      if (!started) return;
      if (rows.length >= maxRows && !running) void flush();
      else arm();
    },
    flush,
    start() {
      started = true;
      if (rows.length) arm();
    },
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await flush();
    },
    get dropped() {
      return dropped;
    },
  };
}
