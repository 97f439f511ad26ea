import type { FastifyInstance } from 'fastify';
import type { Cache } from '../../core/cache.js';
import type { Config } from '../../core/config.js';
import type { Database } from '../../core/db.js';
import type { ScopeService } from '../system/scope.service.js';
import type { DictService } from '../system/dict.service.js';
import type { EventFiles, EventMessenger } from './ports.js';
import { eventConfigServices } from './config.services.js';
import { eventConfigRoutes } from './config.routes.js';
import { dispatchGroupRoutes } from './dispatch-group.routes.js';
import { dispatchGroupService } from './dispatch-group.service.js';
import type { HubDeps } from './hub.js';
import { operationRunner } from './operation.js';
import { eventTargetService } from './event-targets.service.js';
import { eventIntakeService } from './event-intake.service.js';
import { nodeActionService } from './node-actions.service.js';
import { eventActionService } from './event-actions.service.js';
import { eventActionRoutes } from './action.routes.js';
import { eventTargetRoutes } from './target.routes.js';
import { availableActionService } from './available-actions.js';
import { reminderService, type ReminderService } from './reminder.service.js';
import { eventQueryRoutes } from './query.routes.js';
import { eventQueryService } from './event-query.service.js';
import { eventDetailService } from './event-detail.service.js';
import { eventOverviewRepository } from './event-overview.repository.js';
import { eventOverviewService } from './event-overview.service.js';
import { eventOverviewRoutes } from './overview.routes.js';

/** What the event hub is built from (app.ts provides it). */
export interface EventsDeps {
  config: Config;
  database: Database;
  cache: Cache;
  scope: ScopeService;
  dicts: DictService;
  files: EventFiles;
  messages: EventMessenger;
}

/** Runs the reminder sweep every `seconds` on this node until the app closes. */
function scheduleReminders(app: FastifyInstance, reminders: ReminderService, seconds: number) {
  if (!seconds) return;
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    reminders.sweep().catch((err) => app.log.error({ err }, 'event reminder sweep failed')).finally(() => (running = false));
  }, seconds * 1000);
  timer.unref();
  app.addHook('onClose', async () => clearInterval(timer));
}

/**
 * The hub's services without routes: what registerEventsModule serves, and what a process without
 * HTTP (the IoT broker node) needs to start events from alarms.
 */
export function eventHub(d: Pick<EventsDeps, 'database' | 'cache' | 'scope' | 'files' | 'messages'>) {
  const db = d.database.db;
  const config = eventConfigServices(db, d.cache);
  const hub: HubDeps = {
    db, files: d.files, clock: config.clock, types: config.types, scope: d.scope,
    runner: operationRunner(db, d.messages), targets: eventTargetService(db),
  };
  return { config, hub, intake: eventIntakeService(hub), types: config.types };
}

/** Registers every route of the event hub, explicitly; returns what other modules use (the IoT platform's alarms start events through the intake). */
export function registerEventsModule(app: FastifyInstance, d: EventsDeps) {
  const db = d.database.db;
  const { config, hub, intake } = eventHub(d);
  eventActionRoutes(app, { intake, nodes: nodeActionService(hub), events: eventActionService(hub) });
  eventTargetRoutes(app, hub);
  const actionsFor = availableActionService(hub);
  dispatchGroupRoutes(app, { dispatchGroups: dispatchGroupService(db) });
  eventConfigRoutes(app, config);
  eventOverviewRoutes(app, { overview: eventOverviewService({ repo: eventOverviewRepository(db), scope: d.scope, types: config.types, cache: d.cache }) });
  scheduleReminders(app, reminderService(db, d.messages), d.config.eventReminderSeconds);
  eventQueryRoutes(app, { queries: eventQueryService({ db, scope: d.scope, types: config.types }), detail: eventDetailService({ db, scope: d.scope, dicts: d.dicts, actionsFor }) });
  return { intake, types: config.types };
}
export type EventsModule = ReturnType<typeof registerEventsModule>;
