import type { z } from 'zod';

/**
 * One HTTP endpoint, described once: the server registers it (validation, OpenAPI, access policy)
 * and the web client calls it with the same types.
 */
export type AccessPolicy = 'anonymous' | 'authenticated' | 'authorized';
/**
 * How an endpoint is reached: one of the session policies above, or `apiKey` — a third-party system
 * with an API key (header X-Api-Key) holding the endpoint's `scope`. Kept apart from AccessPolicy,
 * which function resources (menus) use too and where an API key means nothing.
 */
export type EndpointAccess = AccessPolicy | 'apiKey';

export interface Endpoint<
  P extends z.ZodType | undefined = z.ZodType | undefined,
  Q extends z.ZodType | undefined = z.ZodType | undefined,
  B extends z.ZodType | undefined = z.ZodType | undefined,
  R extends z.ZodType = z.ZodType,
> {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  summary: string;
  tags: string[];
  /** anonymous: anybody; authenticated: any logged-in user; authorized: holders of `permission`; apiKey: keys with `scope`. */
  access: EndpointAccess;
  permission?: string;
  /** apiKey: the scope the key must hold (e.g. 'devices:read'). */
  scope?: string;
  /** The response is a file (binary body), not JSON; `response` is then FileDownload. */
  file?: boolean;
  params?: P;
  query?: Q;
  body?: B;
  response: R;
}

export const defineEndpoint = <
  P extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
  R extends z.ZodType = z.ZodType,
>(e: Endpoint<P, Q, B, R>) => e;

type Infer<T> = T extends z.ZodType ? z.infer<T> : undefined;
type Input<T> = T extends z.ZodType ? z.input<T> : undefined;

export type ParamsOf<E> = E extends Endpoint<infer P, any, any, any> ? Infer<P> : never;
export type QueryOf<E> = E extends Endpoint<any, infer Q, any, any> ? Infer<Q> : never;
export type BodyOf<E> = E extends Endpoint<any, any, infer B, any> ? Infer<B> : never;
export type ResponseOf<E> = E extends Endpoint<any, any, any, infer R> ? z.infer<R> : never;

/** What a caller passes: the input shapes (before defaults are applied). */
export type CallArgs<E> = E extends Endpoint<infer P, infer Q, infer B, any>
  ? (P extends z.ZodType ? { params: Input<P> } : { params?: undefined }) &
      (Q extends z.ZodType ? { query?: Input<Q> } : { query?: undefined }) &
      (B extends z.ZodType ? { body: Input<B> } : { body?: undefined })
  : never;
