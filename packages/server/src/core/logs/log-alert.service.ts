import { LOG_LEVEL_LABELS, type LogAlert, type LogAlertBody, type LogLevel } from '@cityops/contracts';
import type { z } from 'zod';
import { runBatch } from '../batch.js';
import { Invalid, NotFound } from '../errors.js';
import { isUuid } from '../ids.js';
import { listNames } from '../text.js';
import type { LogAlertRow, LogRepository, NewSystemLog } from './log.repository.js';
import { LEVEL_VALUES } from './system-log.sink.js';

/** Who can be warned: the roles, and a way to message their people (the system and messaging modules). */
export interface LogAlertNotifier {
  /** Enabled roles, for the policy form. */
  roles(): Promise<{ code: string; name: string }[]>;
  /** Names of these role codes (any state); unknown codes are left out. */
  roleNames(codes: string[]): Promise<Map<string, string>>;
  /** One in-app message to every enabled person holding one of the roles; returns how many. */
  notify(roleCodes: string[], message: { title: string; content: string }): Promise<number>;
}

/** The policy every installation starts with: 5 errors within a minute warn the system administrators. */
export const DEFAULT_LOG_ALERT = {
  name: '错误日志突增', level: 'error', logger: '', threshold: 5, windowSeconds: 60, roleCodes: ['admin'], enabled: true,
} as const;

/** Message kind of a log alert (站内消息). */
export const LOG_ALERT_MESSAGE_KIND = 'log_alert';

const toDto = (r: LogAlertRow, names: Map<string, string>): LogAlert => ({
  id: r.id, name: r.name, level: r.level as LogLevel, logger: r.logger, threshold: r.threshold, windowSeconds: r.windowSeconds,
  roleCodes: r.roleCodes, roleNames: r.roleCodes.map((c) => names.get(c) ?? c), enabled: r.enabled,
  lastFiredAt: r.lastFiredAt?.toISOString() ?? null, createdAt: r.createdAt.toISOString(),
});

interface Watch {
  policy: LogAlertRow;
  /** Arrival times (ms) of the matching lines inside the window. */
  hits: number[];
  /** Until then the policy stays quiet on this node (it fired, or another node did). */
  quietUntil: number;
}

/**
 * 告警策略: policies kept in the database, and their evaluation as the 系统日志 lines of this node
 * arrive. A policy counts lines at its level or above whose logger starts with its prefix; when the
 * count within its window reaches the threshold it warns the roles' people once, then stays quiet for
 * a window. Across nodes, the database stamp (`lastFiredAt`) lets only one node send.
 */
export function logAlertService(repo: LogRepository, notifier: LogAlertNotifier, o: { now?: () => number; reloadMs?: number } = {}) {
  const now = o.now ?? Date.now;
  let watches: Watch[] = [];
  let timer: NodeJS.Timeout | undefined;
  const report = (what: string, err: unknown) => process.stderr.write(`log alert: ${what}: ${(err as Error)?.message ?? err}\n`);

  /** Takes the enabled policies anew, keeping the counts of those that did not change. */
  async function reload() {
    const rows = (await repo.alerts()).filter((r) => r.enabled);
    const old = new Map(watches.map((w) => [w.policy.id, w]));
    watches = rows.map((policy) => {
      const w = old.get(policy.id);
      const same = w && w.policy.level === policy.level && w.policy.logger === policy.logger && w.policy.windowSeconds === policy.windowSeconds;
      return { policy, hits: same ? w.hits : [], quietUntil: same ? w.quietUntil : 0 };
    });
  }

  async function fire(w: Watch, count: number, row: NewSystemLog) {
    const p = w.policy;
    const at = new Date(now());
    if (!(await repo.claimFiring(p.id, at, p.windowSeconds))) return;
    const level = LOG_LEVEL_LABELS[p.level as LogLevel] ?? p.level;
    await notifier.notify(p.roleCodes, {
      title: `系统日志告警：${p.name}`,
      content: `${p.windowSeconds} 秒内出现 ${count} 条“${level}”及以上级别的系统日志（来源：${p.logger || '全部'}，节点：${row.service}）。最近一条：${row.content.slice(0, 300)}`,
    });
  }

  async function checked(body: z.output<typeof LogAlertBody>) {
    const known = new Set((await notifier.roles()).map((r) => r.code));
    const unknown = body.roleCodes.filter((c) => !known.has(c));
    if (unknown.length) throw new Invalid(`角色不存在或已停用：${unknown.join('、')}`, [{ path: 'roleCodes', message: '请选择启用中的角色' }]);
    return body;
  }

  const byId = async (id: string) => {
    const r = isUuid(id) ? await repo.alertById(id) : undefined;
    if (!r) throw new NotFound('告警策略不存在或已删除');
    return r;
  };
  const one = async (r: LogAlertRow) => toDto(r, await notifier.roleNames(r.roleCodes));

  return {
    /** Loads the policies, seeds the default one into an empty table, and re-reads them now and then (other nodes' changes). */
    async start() {
      if ((await repo.alertCount()) === 0) await repo.insertAlert({ ...DEFAULT_LOG_ALERT, roleCodes: [...DEFAULT_LOG_ALERT.roleCodes] });
      await reload();
      timer = setInterval(() => void reload().catch((err) => report('reload failed', err)), o.reloadMs ?? 60_000);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
    },

    /** Called for every 系统日志 line of this node, synchronously: counting only; sending runs apart. */
    observe(row: NewSystemLog) {
      const t = now();
      const value = LEVEL_VALUES[row.level] ?? 0;
      for (const w of watches) {
        const p = w.policy;
        if (value < (LEVEL_VALUES[p.level] ?? 99) || !row.logger.startsWith(p.logger)) continue;
        const since = t - p.windowSeconds * 1000;
        w.hits.push(t);
        while (w.hits.length && w.hits[0]! <= since) w.hits.shift();
        if (w.hits.length < p.threshold || t < w.quietUntil) continue;
        const count = w.hits.length;
        w.hits = [];
        w.quietUntil = t + p.windowSeconds * 1000;
        fire(w, count, row).catch((err) => report(`policy ${p.name} not sent`, err));
      }
    },

    async list() {
      const rows = await repo.alerts();
      const names = await notifier.roleNames([...new Set(rows.flatMap((r) => r.roleCodes))]);
      return rows.map((r) => toDto(r, names));
    },

    roles: () => notifier.roles(),

    async create(body: z.output<typeof LogAlertBody>) {
      const r = await repo.insertAlert({ ...(await checked(body)) });
      await reload();
      return one(r);
    },

    async update(id: string, body: z.output<typeof LogAlertBody>) {
      await byId(id);
      const r = await repo.updateAlert(id, { ...(await checked(body)) });
      await reload();
      return one(r!);
    },

    /** Names for the operation log. */
    async names(ids: string[]) {
      return listNames((await repo.alertsByIds(ids.filter(isUuid))).map((r) => r.name));
    },

    async setEnabled(ids: string[], enabled: boolean) {
      const result = await runBatch(ids, async (id) => {
        await byId(id);
        await repo.updateAlert(id, { enabled });
      });
      await reload();
      return result;
    },

    async remove(ids: string[]) {
      const result = await runBatch(ids, async (id) => {
        await byId(id);
        await repo.deleteAlert(id);
      });
      await reload();
      return result;
    },
  };
}
export type LogAlertService = ReturnType<typeof logAlertService>;
