import type { FastifyInstance, FastifyRequest } from 'fastify';
import { endpoints } from '@cityops/contracts';
import { batchRoutes, route } from '../../core/http.js';
import type { ApiClient } from '../../core/request-context.js';
import type { ApiKeyService } from './api-key.service.js';
import type { OpenApiService } from './open-api.service.js';

/** 第三方接口 keys, managed by holders of iot:api-key:edit. */
export function apiKeyRoutes(app: FastifyInstance, d: { keys: ApiKeyService }) {
  const SUBJECT = '第三方接口密钥';
  route(app, endpoints.apiKeys, ({ query }) => d.keys.list(query));
  route(app, endpoints.apiKeyCreate, async ({ body, user, req }) => {
    req.audit = { subjectType: SUBJECT, subjectName: body.name };
    return d.keys.create(user, body);
  });
  route(app, endpoints.apiKeyUpdate, async ({ params, body, req }) => {
    req.audit = { subjectType: SUBJECT, subjectName: body.name };
    return d.keys.update(params.id, body);
  });
  route(app, endpoints.apiKeyRenew, async ({ params, req }) => {
    req.audit = { type: '重置密钥', subjectType: SUBJECT, subjectName: await d.keys.label(params.id) };
    return d.keys.renew(params.id);
  });
  batchRoutes(app, { subjectType: SUBJECT, names: (ids) => d.keys.names(ids) }, [
    [endpoints.apiKeyEnable, '启用', (ids) => d.keys.setEnabled(ids, true)],
    [endpoints.apiKeyDisable, '禁用', (ids) => d.keys.setEnabled(ids, false)],
    [endpoints.apiKeyDelete, '删除', (ids) => d.keys.remove(ids)],
  ]);
}

/** /api/open/iot: reached with an API key (the hook resolved it, the guard checked its scope). */
export function openApiRoutes(app: FastifyInstance, d: { open: OpenApiService }) {
  const client = (req: FastifyRequest) => req.apiClient as ApiClient;
  /** Adds what was written to the operation log's note (the hook put the key's name there). */
  const note = (req: FastifyRequest, n: { type?: string; subjectType: string; subjectName: string; content?: string }) => {
    req.audit = { ...req.audit, ...n };
  };

  route(app, endpoints.openDevices, ({ query, req }) => d.open.devices(client(req), query));
  route(app, endpoints.openDevice, ({ params, req }) => d.open.device(client(req), params.productKey, params.deviceKey));
  route(app, endpoints.openDeviceProperties, ({ params, req }) => d.open.properties(client(req), params.productKey, params.deviceKey));
  route(app, endpoints.openPropertyHistory, ({ params, query, req }) =>
    d.open.history(client(req), params.productKey, params.deviceKey, params.identifier, query));

  route(app, endpoints.openPropertySet, async ({ params, body, req }) => {
    note(req, { type: '指令下发', subjectType: '设备', subjectName: `${params.productKey}/${params.deviceKey}` });
    return d.open.setProperties(client(req), params.productKey, params.deviceKey, body);
  });
  route(app, endpoints.openServiceCall, async ({ params, body, req }) => {
    note(req, { type: '指令下发', subjectType: '设备', subjectName: `${params.productKey}/${params.deviceKey}：${params.identifier}` });
    return d.open.callService(client(req), params.productKey, params.deviceKey, params.identifier, body);
  });
  route(app, endpoints.openCommand, ({ params }) => d.open.command(params.id));

  route(app, endpoints.openIngest, async ({ body, req }) => {
    const devices = new Set(body.items.map((i) => `${i.productKey}/${i.deviceKey}`));
    // The reports themselves are in 消息追踪; the operation log keeps a summary, not thousands of values.
    note(req, { type: '数据上报', subjectType: '设备数据', subjectName: `${body.items.length} 条`, content: `子平台批量上报 ${body.items.length} 条数据，涉及 ${devices.size} 台设备` });
    return d.open.ingest(body.items, req.ip);
  });
}
