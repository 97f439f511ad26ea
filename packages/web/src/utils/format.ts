const pad = (n: number) => String(n).padStart(2, '0');

/** ISO date-time (or Date) → local 'YYYY-MM-DD HH:mm:ss'; '' for empty or invalid input. */
export function formatDateTime(value: string | Date | null | undefined): string {
  if (!value) return '';
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime())) return String(value);
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`
  );
}

/** Seconds → '3 天 4 小时 5 分钟' (coarse, for uptimes). */
export function formatDuration(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const days = Math.floor(s / 86400);
  const hours = Math.floor((s % 86400) / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  if (days > 0) return `${days} 天 ${hours} 小时 ${minutes} 分钟`;
  if (hours > 0) return `${hours} 小时 ${minutes} 分钟`;
  if (minutes > 0) return `${minutes} 分钟`;
  return `${s} 秒`;
}

/** Bytes → '512 B', '3.4 KB', '12.0 MB' (file sizes). */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** Converts a date-time range picked in the UI into the API's `from`/`to` ISO strings. */
export function rangeToQuery(range: [Date, Date] | null | undefined): { from?: string; to?: string } {
  if (!range || range.length !== 2) return {};
  const [from, to] = range;
  return { from: from ? from.toISOString() : undefined, to: to ? to.toISOString() : undefined };
}
