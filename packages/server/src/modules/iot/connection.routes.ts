import type { FastifyInstance } from 'fastify';
import { DEVICE_TOKEN_HEADER, endpoints } from '@cityops/contracts';
import { route } from '../../core/http.js';
import type { Connectivity } from './connectivity.js';

/** Paths devices and brokers call: traced by the IoT platform, not operations for the operation log. */
const DEVICE_PATHS = new Set([endpoints.iotDeviceAuth.path, endpoints.iotDeviceReport.path, endpoints.iotBrokerAuth.path, endpoints.iotBrokerAcl.path]);

/** Device-facing HTTP (token, reports, external-broker hooks) and 连接管理. */
export function connectionRoutes(app: FastifyInstance, c: Connectivity) {
  app.addHook('onRequest', async (req) => {
    if (DEVICE_PATHS.has(req.routeOptions.url ?? '')) req.audit = { skip: true };
  });

  route(app, endpoints.iotDeviceAuth, ({ body, req }) => c.access.token(body, req.ip));
  route(app, endpoints.iotDeviceReport, ({ body, req }) => {
    const token = req.headers[DEVICE_TOKEN_HEADER];
    return c.access.report(Array.isArray(token) ? token[0] : token, body, req.ip);
  });
  route(app, endpoints.iotBrokerAuth, ({ body }) => c.access.brokerAuth(body));
  route(app, endpoints.iotBrokerAcl, ({ body }) => c.access.brokerAcl(body));

  route(app, endpoints.iotConnections, async () => c.status());
  route(app, endpoints.iotConnectionClients, async ({ query }) => c.clients(query));
  route(app, endpoints.iotConnectionSync, async ({ req }) => {
    req.audit = { type: '同步', subjectType: '外部 Broker', subjectName: '设备账号与主题权限' };
    return c.syncExternalBroker();
  });
}
