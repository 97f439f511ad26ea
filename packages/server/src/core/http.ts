import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { BatchBody, BatchResult, BodyOf, Endpoint, ParamsOf, QueryOf, ResponseOf } from '@cityops/contracts';
import { Forbidden, Unauthenticated } from './errors.js';
import { hasPermission, type Principal } from './principal.js';

/** What a route handler receives. */
export interface RouteContext<E> {
  params: ParamsOf<E>;
  query: QueryOf<E>;
  body: BodyOf<E>;
  /** Always present unless the endpoint is anonymous. */
  user: Principal;
  req: FastifyRequest;
  reply: FastifyReply;
}

export interface RouteOptions {
  /** Reachable while the user still has to change an initial or expired password. */
  allowPendingPasswordChange?: boolean;
}

/** Enforces the endpoint's access policy; the single place where function permissions are checked. */
function guard(ep: Endpoint, opts: RouteOptions) {
  return async (req: FastifyRequest) => {
    if (ep.access === 'anonymous') return;
    if (ep.access === 'apiKey') {
      // The key itself (validity, expiry, rate) was checked by the API-key hook; here only its scope.
      if (!req.apiClient) throw new Unauthenticated(req.apiKeyProblem ?? '缺少接口密钥（请求头 X-Api-Key）', 'API_KEY_INVALID');
      if (!ep.scope || !req.apiClient.scopes.includes(ep.scope)) throw new Forbidden('接口密钥没有调用此接口的权限范围', 'API_KEY_SCOPE');
      return;
    }
    const user = req.principal;
    if (!user) throw new Unauthenticated(req.sessionExpired ? '登录已超时，请重新登录' : '请先登录');
    if (user.passwordChangeReason && !opts.allowPendingPasswordChange) {
      throw new Forbidden('请先修改密码后再继续操作', 'PASSWORD_CHANGE_REQUIRED');
    }
    if (ep.access === 'authorized' && (!ep.permission || !hasPermission(user, ep.permission))) {
      throw new Forbidden();
    }
  };
}

const ACCESS_TEXT = { anonymous: '匿名可访问', authenticated: '登录用户可访问' } as const;
const describeAccess = (ep: Endpoint) =>
  ep.access === 'authorized' ? `权限：${ep.permission}` : ep.access === 'apiKey' ? `接口密钥权限范围：${ep.scope}` : ACCESS_TEXT[ep.access];

/** Registers a contract endpoint: zod validation, OpenAPI, access guard, one handler call. */
export function route<E extends Endpoint>(
  app: FastifyInstance,
  ep: E,
  handler: (ctx: RouteContext<E>) => Promise<ResponseOf<E>>,
  opts: RouteOptions = {},
) {
  app.withTypeProvider<ZodTypeProvider>().route({
    method: ep.method,
    url: ep.path,
    schema: {
      summary: ep.summary,
      tags: ep.tags,
      description: describeAccess(ep),
      ...(ep.access === 'apiKey' ? { security: [{ apiKey: [] }] } : ep.access !== 'anonymous' ? { security: [{ session: [] }, { bearer: [] }] } : {}),
      ...(ep.params ? { params: ep.params } : {}),
      ...(ep.query ? { querystring: ep.query } : {}),
      ...(ep.body ? { body: ep.body } : {}),
      ...(ep.file ? {} : { response: { 200: ep.response } }),
    },
    preHandler: guard(ep, opts),
    handler: (req, reply) =>
      handler({
        params: req.params as ParamsOf<E>,
        query: req.query as QueryOf<E>,
        body: req.body as BodyOf<E>,
        user: req.principal as Principal,
        req,
        reply,
      }),
  });
}

type BatchEndpoint = Endpoint<undefined, undefined, typeof BatchBody, typeof BatchResult>;

/**
 * The enable/disable/delete batch routes of an entity, each logged with its operation type and the
 * names of the rows it touches.
 */
export function batchRoutes(
  app: FastifyInstance,
  o: { subjectType: string; names: (ids: string[]) => Promise<string> | string },
  routes: [endpoint: BatchEndpoint, type: '启用' | '禁用' | '删除', run: (ids: string[], user: Principal) => Promise<BatchResult>][],
) {
  for (const [ep, type, run] of routes) {
    route(app, ep, async ({ body, user, req }) => {
      req.audit = { type, subjectType: o.subjectType, subjectName: await o.names(body.ids) };
      return run(body.ids, user);
    });
  }
}
