import type { FastifyInstance } from 'fastify';
import { endpoints } from '@cityops/contracts';
import type { AuditService } from '../../core/audit/audit.service.js';
import { route } from '../../core/http.js';

export function logRoutes(app: FastifyInstance, d: { audit: AuditService }) {
  route(app, endpoints.oplogs, ({ query }) => d.audit.oplogs(query));
  route(app, endpoints.oplogChain, () => d.audit.verifyChain());
  route(app, endpoints.exceptions, ({ query }) => d.audit.exceptions(query));
}
