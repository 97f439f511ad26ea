import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Principal } from './principal.js';
import './request-context.js';

export const SESSION_COOKIE = 'cityops_session';

export function tokenOf(req: FastifyRequest): string | undefined {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice(7).trim() || undefined;
  return req.cookies?.[SESSION_COOKIE] || undefined;
}

/**
 * Resolves the session of every API request into `req.principal` (guards decide what it may do). A
 * request marked `X-Background: 1` (a screen refreshing itself) does not restart the idle timer.
 */
export function registerAuthentication(app: FastifyInstance, resolve: (token: string, touch: boolean) => Promise<Principal | undefined>) {
  app.decorateRequest('principal', undefined);
  app.decorateRequest('sessionExpired', false);
  app.addHook('onRequest', async (req) => {
    if (!req.url.startsWith('/api/')) return;
    const token = tokenOf(req);
    if (!token) return;
    const p = await resolve(token, req.headers['x-background'] !== '1');
    if (p) req.principal = p;
    else req.sessionExpired = true;
  });
}
