import type { FastifyInstance } from 'fastify';
import { endpoints } from '@cityops/contracts';
import { route } from '../../core/http.js';
import type { EventOverviewService } from './event-overview.service.js';

/** 工作台 · 事件统计图: the overview of the user's scope and the areas of a chosen day. */
export function eventOverviewRoutes(app: FastifyInstance, d: { overview: EventOverviewService }) {
  route(app, endpoints.eventOverview, ({ user }) => d.overview.overview(user));
  route(app, endpoints.eventOverviewAreas, ({ user, query }) => d.overview.areasOn(user, query.date));
}
