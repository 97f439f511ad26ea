import type { Db } from '../../core/db.js';
import type { ScopeService } from '../system/scope.service.js';
import type { EventTargetService } from './event-targets.service.js';
import type { OperationRunner } from './operation.js';
import type { EventClock, EventFiles, EventTypes } from './ports.js';

/** What the event hub's services are built from (events/index.ts assembles it). */
export interface HubDeps {
  db: Db;
  files: EventFiles;
  clock: EventClock;
  types: EventTypes;
  scope: ScopeService;
  runner: OperationRunner;
  targets: EventTargetService;
}
