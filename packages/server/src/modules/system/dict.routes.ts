import type { FastifyInstance } from 'fastify';
import { endpoints } from '@cityops/contracts';
import { route } from '../../core/http.js';
import type { DictService } from './dict.service.js';

export function dictReadRoutes(app: FastifyInstance, d: { dicts: DictService }) {
  route(app, endpoints.dictOptions, ({ params }) => d.dicts.options(params.type));
}
