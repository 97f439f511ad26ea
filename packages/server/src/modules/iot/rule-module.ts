import type { FastifyInstance } from 'fastify';
import type { Cache } from '../../core/cache.js';
import type { Db } from '../../core/db.js';
import { alarmEventBridge, type EventCatalogue, type EventIntake } from './alarm-event.js';
import { alarmRoutes } from './alarm.routes.js';
import { alarmService, type AlarmScope } from './alarm.service.js';
import type { DeviceDirectory, Ingest } from './ports.js';
import { ruleActions, type AlarmMessenger } from './rule-actions.js';
import { ruleEngine } from './rule-engine.js';
import { ruleRoutes } from './rule.routes.js';
import { ruleService } from './rule.service.js';
import { seedPlatformAccount } from './seed/platform-account.js';
import { seedRuleModels } from './seed/rule-models.js';

/** What the rules need from the rest of the platform. */
export interface RulesDeps {
  db: Db;
  cache: Cache;
  directory: Pick<DeviceDirectory, 'productById' | 'deviceById'>;
  /** Accepted reports come from here; HTTP/MQTT forwarding is traced through it. */
  ingest: Pick<Ingest, 'onAccepted' | 'trace'>;
  /** The event hub (events/index.ts registerEventsModule): without it, `event` actions are recorded as not done. */
  events?: { intake: EventIntake; types: EventCatalogue };
  /** Messaging (message.service.ts): without it, `notify` actions are recorded as not done. */
  messages?: AlarmMessenger;
  /** Publishes on the platform's broker, for `mqtt` actions without their own url. */
  publish?: (topic: string, payload: string) => Promise<void>;
  log?: { error(obj: unknown, msg: string): void };
  /** Whose alarms a user sees (the device scope); absent: every alarm. */
  alarmScope?: AlarmScope;
  /** Sweep periods (tests shorten them). */
  sweeps?: { durationMs?: number; offlineMs?: number };
}

/**
 * Starts the rule engine on this node (an API node or a broker node alike): built-in models and
 * the 物联感知平台 account seeded, every accepted message evaluated, the sweeps running.
 */
export async function startRules(d: RulesDeps) {
  await seedRuleModels(d.db);
  const account = await seedPlatformAccount(d.db);
  const events = d.events
    ? alarmEventBridge({ db: d.db, intake: d.events.intake, catalogue: d.events.types, account: async () => account })
    : undefined;
  const actions = ruleActions({ db: d.db, events, messages: d.messages, publish: d.publish, trace: (row) => d.ingest.trace(row), log: d.log });
  const engine = ruleEngine({ db: d.db, cache: d.cache, directory: d.directory, actions, log: d.log });
  // Ingest waits for the evaluation and the alarm, event and messages it leads to (HTTP/MQTT forwarding runs on its own).
  d.ingest.onAccepted((m) => engine.handle(m));
  const stop = engine.start(d.sweeps);
  return {
    engine,
    actions,
    account,
    /** Until every evaluation, action and forward under way has finished (tests). */
    async idle() {
      await engine.idle();
      await actions.idle();
    },
    async close() {
      stop();
      await engine.idle();
      await actions.close();
    },
  };
}
export type Rules = Awaited<ReturnType<typeof startRules>>;

/** The rule engine with the 规则引擎 and 告警记录 routes (API nodes). */
export async function registerRules(app: FastifyInstance, d: RulesDeps) {
  const rules = await startRules(d);
  app.addHook('onClose', () => rules.close());
  ruleRoutes(app, { rules: ruleService({ db: d.db, catalogue: d.events?.types, onChange: () => rules.engine.invalidate() }) });
  alarmRoutes(app, { alarms: alarmService({ db: d.db, scope: d.alarmScope }) });
  return rules;
}
