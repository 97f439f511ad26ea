import type { FastifyInstance } from 'fastify';
import { endpoints } from '@cityops/contracts';
import { NotFound } from '../../core/errors.js';
import { route } from '../../core/http.js';
import { eventRepository } from './event.repository.js';
import type { HubDeps } from './hub.js';

/** The organisations the dispatch, report and assist dialogs offer. */
export function eventTargetRoutes(app: FastifyInstance, d: Pick<HubDeps, 'db' | 'runner' | 'targets'>) {
  route(app, endpoints.eventTargets, async ({ user, params, query }) => {
    const event = await eventRepository(d.db).byId(params.id);
    if (!event || event.status === 'draft') throw new NotFound('事件不存在');
    const actor = await d.runner.actor(user);
    return d.targets.list(actor, query.mode, { keyword: query.keyword, belowOnly: query.belowOnly === 'true', typeCode: event.typeCode });
  });
}
