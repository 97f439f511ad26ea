import { describeRuleCondition } from '@cityops/contracts';
import type { Cache } from '../../core/cache.js';
import type { Db } from '../../core/db.js';
import { alarmRepository } from './alarm.repository.js';
import type { AcceptedMessage, DeviceDirectory, DeviceRef } from './ports.js';
import type { RuleActions } from './rule-actions.js';
import { durationDue, evaluateReport, eventMatches, type RuleState } from './rule-evaluate.js';
import { ruleRepository, type RuleRow } from './rule.repository.js';

/** Bumped by every change of a rule: each node reloads its cached rules (core/access-version.ts pattern). */
const VERSION_KEY = 'iot:rules:version';
/** How long a node trusts the version it read: a change on another node is seen within this. */
const VERSION_CHECK_MS = 1000;
/** What a rule remembers of a device outlives a quiet week, not more. */
const STATE_TTL_SECONDS = 7 * 86_400;
export const DURATION_SWEEP_MS = 10_000;
export const OFFLINE_SWEEP_MS = 30_000;

export interface RuleEngineDeps {
  db: Db;
  cache: Cache;
  directory: Pick<DeviceDirectory, 'productById' | 'deviceById'>;
  actions: Pick<RuleActions, 'fire' | 'clear'>;
  log?: { error(obj: unknown, msg: string): void };
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The rule engine: every accepted report and device event is evaluated against the enabled rules of
 * its product (cached per product, reloaded when the rules' version changes). What a rule remembers
 * per device lives in the cache (memory, or Redis shared by ingest nodes) under a key that includes
 * the rule's last change, so editing a rule starts afresh. Messages of one device are evaluated in
 * order; devices run in parallel. Sweeps fire what no report would: a duration whose device went
 * silent while the condition held, and devices offline for too long.
 */
export function ruleEngine(d: RuleEngineDeps) {
  let version = { value: '', checkedAt: 0 };
  /** Per product: its enabled rules, and which of their devices have an open alarm ("rule:device"), loaded together. */
  const byProduct = new Map<string, { version: string; loaded: Promise<{ rules: RuleRow[]; open: Set<string> }> }>();
  const chains = new Map<string, Promise<void>>();
  const inflight = new Set<Promise<unknown>>();
  /** duration rules whose condition holds and has not fired yet, on this node: state key → who. */
  const pending = new Map<string, { ruleId: string; productId: string; deviceId: string }>();

  async function currentVersion() {
    if (Date.now() - version.checkedAt < VERSION_CHECK_MS) return version.value;
    version = { value: (await d.cache.get<string>(VERSION_KEY)) ?? '0', checkedAt: Date.now() };
    return version.value;
  }

  async function load(productId: string) {
    const rules = await ruleRepository(d.db).enabledOfProduct(productId);
    const pairs = await alarmRepository(d.db).openPairs(rules.map((r) => r.id));
    return { rules, open: new Set(pairs.map((p) => `${p.ruleId}:${p.deviceId}`)) };
  }

  async function loaded(productId: string) {
    const v = await currentVersion();
    let hit = byProduct.get(productId);
    if (!hit || hit.version !== v) {
      hit = { version: v, loaded: load(productId) };
      const mine = hit;
      mine.loaded.catch(() => byProduct.get(productId) === mine && byProduct.delete(productId));
      byProduct.set(productId, hit);
    }
    return hit.loaded;
  }
  const rulesOf = async (productId: string) => (await loaded(productId)).rules;

  const applies = (rule: RuleRow, deviceId: string) => !rule.deviceIds.length || rule.deviceIds.includes(deviceId);
  const stateKey = (rule: RuleRow, deviceId: string) => `iot:rule-state:${rule.id}:${rule.updatedAt.getTime()}:${deviceId}`;

  function track<T>(p: Promise<T>) {
    inflight.add(p);
    void p.finally(() => inflight.delete(p)).catch(() => undefined);
    return p;
  }

  /** One device's messages in order; errors are logged, never thrown back at ingest. */
  function enqueue(deviceId: string, fn: () => Promise<void>) {
    const next = (chains.get(deviceId) ?? Promise.resolve())
      .then(fn)
      .catch((err) => d.log?.error({ err, deviceId }, 'iot rule evaluation failed'));
    chains.set(deviceId, next);
    void next.finally(() => chains.get(deviceId) === next && chains.delete(deviceId));
    return track(next);
  }

  async function fire(rule: RuleRow, device: DeviceRef, detail: Record<string, unknown>) {
    const product = await d.directory.productById(device.productId);
    await d.actions.fire({ rule, device, product, detail });
  }

  /**
   * A state key seen for the first time (new or edited rule, restart, expiry): an open alarm means the
   * episode runs. The open alarms come with the rules, not one query per device.
   */
  async function stateOf(rule: RuleRow, deviceId: string) {
    const key = stateKey(rule, deviceId);
    const s = await d.cache.get<RuleState>(key);
    if (s) return { key, state: s, missing: false };
    const { open } = await loaded(rule.productId);
    return { key, state: { firing: open.has(`${rule.id}:${deviceId}`) } as RuleState, missing: true };
  }

  /** Any message proves the device is back: its offline alarm of this rule ends. */
  async function backOnline(rule: RuleRow, device: DeviceRef, ts: number) {
    const { key, state, missing } = await stateOf(rule, device.id);
    if (state.firing) await d.actions.clear(rule.id, device.id, { clearReason: '设备已恢复上报', clearedAt: iso(ts) });
    if (state.firing || missing) await d.cache.set(key, { firing: false }, STATE_TTL_SECONDS);
  }

  async function evaluate(m: Extract<AcceptedMessage, { kind: 'property' | 'event' }>) {
    const rules = (await rulesOf(m.device.productId)).filter((r) => applies(r, m.device.id));
    for (const rule of rules) {
      if (rule.kind === 'offline') {
        await backOnline(rule, m.device, m.ts);
        continue;
      }
      if (m.kind === 'event') {
        if (rule.kind === 'event' && eventMatches(rule.params, m.identifier, m.level)) {
          await fire(rule, m.device, {
            kind: 'event', condition: describeRuleCondition('event', rule.params), event: m.identifier, eventLevel: m.level,
            output: m.output, reportedAt: iso(m.ts),
          });
        }
        continue;
      }
      if (rule.kind === 'event') continue;
      const { key, state, missing } = await stateOf(rule, m.device.id);
      const v = evaluateReport(rule.kind as 'threshold' | 'duration' | 'rate', rule.params, state, m.values, m.ts);
      if (!v) continue;
      // The alarm first: if it fails the state stays, and the next report tries again.
      if (v.fire) await fire(rule, m.device, v.fire);
      if (v.clear) await d.actions.clear(rule.id, m.device.id, v.clear);
      if (v.changed || missing) await d.cache.set(key, v.state, STATE_TTL_SECONDS);
      if (rule.kind === 'duration') {
        if (v.state.since !== undefined && !v.state.firing) pending.set(key, { ruleId: rule.id, productId: rule.productId, deviceId: m.device.id });
        else pending.delete(key);
      }
    }
  }

  async function sweepDurations(now = Date.now()) {
    for (const [key, p] of [...pending]) {
      const rule = (await rulesOf(p.productId)).find((r) => r.id === p.ruleId);
      if (!rule || stateKey(rule, p.deviceId) !== key) {
        pending.delete(key);
        continue;
      }
      await enqueue(p.deviceId, async () => {
        const s = await d.cache.get<RuleState>(key);
        if (!s || s.since === undefined || s.firing) {
          pending.delete(key);
          return;
        }
        if (!durationDue(rule.params, s, now)) return;
        const device = await d.directory.deviceById(p.deviceId);
        pending.delete(key);
        if (!device) return;
        await fire(rule, device, {
          kind: 'duration', condition: describeRuleCondition('duration', rule.params), property: rule.params.property, value: s.lastValue,
          threshold: rule.params.value, operator: rule.params.operator, since: iso(s.since), reportedAt: iso(s.since),
          heldSeconds: Math.round((now - s.since) / 1000), note: '条件成立后设备未再上报，持续时长到期',
        });
        await d.cache.set(key, { ...s, firing: true }, STATE_TTL_SECONDS);
      });
    }
  }

  async function sweepOffline() {
    const rules = await ruleRepository(d.db).enabledOfKind('offline');
    if (!rules.length) return;
    const alarms = alarmRepository(d.db);
    const byId = new Map(rules.map((r) => [r.id, r]));
    for (const c of await alarms.clearBackOnline(rules.map((r) => r.id))) {
      const rule = byId.get(c.ruleId);
      if (rule) await d.cache.set(stateKey(rule, c.deviceId), { firing: false }, STATE_TTL_SECONDS);
    }
    for (const rule of rules) {
      if (!rule.params.minutes) continue;
      for (const row of await alarms.offlineDue(rule, rule.params.minutes)) {
        const device = await d.directory.deviceById(row.id);
        if (!device) continue;
        await enqueue(device.id, async () => {
          await fire(rule, device, {
            kind: 'offline', condition: describeRuleCondition('offline', rule.params), minutes: rule.params.minutes,
            offlineSince: row.offlineSince.toISOString(), reportedAt: row.offlineSince.toISOString(),
          });
          await d.cache.set(stateKey(rule, device.id), { firing: true }, STATE_TTL_SECONDS);
        });
      }
    }
  }

  return {
    /** The ingest listener: evaluation runs in the background, in order per device. */
    handle(m: AcceptedMessage): Promise<void> {
      if (m.kind !== 'property' && m.kind !== 'event') return Promise.resolve();
      return enqueue(m.device.id, () => evaluate(m));
    },

    /** Rules changed (any node): every node reloads within a second, this one at once. */
    async invalidate() {
      const value = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
      await d.cache.set(VERSION_KEY, value);
      version = { value, checkedAt: Date.now() };
      byProduct.clear();
    },

    sweepDurations,
    sweepOffline,

    /** Starts the sweeps; returns the function that stops them. */
    start(o: { durationMs?: number; offlineMs?: number } = {}) {
      const every = (ms: number, fn: () => Promise<void>, what: string) => {
        let running = false;
        const t = setInterval(() => {
          if (running) return;
          running = true;
          track(fn().catch((err) => d.log?.error({ err }, `iot ${what} sweep failed`)).finally(() => (running = false)));
        }, ms);
        t.unref();
        return t;
      };
      const timers = [
        every(o.durationMs ?? DURATION_SWEEP_MS, () => sweepDurations(), 'duration'),
        every(o.offlineMs ?? OFFLINE_SWEEP_MS, sweepOffline, 'offline'),
      ];
      return () => timers.forEach(clearInterval);
    },

    /** Waits until every evaluation and action under way has finished (tests, shutdown). */
    async idle() {
      while (inflight.size) await Promise.allSettled([...inflight]);
    },
  };
}
export type RuleEngine = ReturnType<typeof ruleEngine>;
