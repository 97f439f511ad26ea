/**
 * Typed API client built on the endpoint contracts of `@cityops/contracts`.
 *
 * `call(endpoint, args)` performs one request; `api.<name>(args)` is the same, one function per entry
 * of `endpoints`, generated generically. Failures throw `ApiError`; unless the caller opts out, the
 * globally installed error handler (see `./error-handler.ts`) reacts to them as well.
 */
import { endpoints } from '@cityops/contracts';
import type { CallArgs, Endpoint, Endpoints, ErrorBody, ResponseOf } from '@cityops/contracts';

/** A field-level validation problem reported by the server with `INVALID`. */
export interface FieldIssue {
  path: string;
  message: string;
}

/** Error codes the client itself produces (no server response). */
export const CLIENT_ERROR_CODES = { network: 'NETWORK', aborted: 'ABORTED', badResponse: 'BAD_RESPONSE' } as const;

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;
  readonly requestId: string | undefined;

  constructor(init: { status: number; code: string; message: string; details?: unknown; requestId?: string }) {
    super(init.message);
    this.name = 'ApiError';
    this.status = init.status;
    this.code = init.code;
    this.details = init.details;
    this.requestId = init.requestId;
  }

  /**
   * `details` as a list of field issues, when the server sent one (code `INVALID`): a list of
   * `{ path, message }`, or a service's `{ fields: { field: message } }`.
   */
  get fieldIssues(): FieldIssue[] {
    const fields = (this.details as { fields?: unknown } | null | undefined)?.fields;
    if (fields && typeof fields === 'object') {
      return Object.entries(fields).filter((e): e is [string, string] => typeof e[1] === 'string').map(([path, message]) => ({ path, message }));
    }
    if (!Array.isArray(this.details)) return [];
    return this.details.filter(
      (d): d is FieldIssue => typeof d === 'object' && d !== null && typeof (d as FieldIssue).message === 'string',
    ).map((d) => ({ path: String(d.path ?? ''), message: d.message }));
  }
}

export const isApiError = (e: unknown): e is ApiError => e instanceof ApiError;

export interface CallOptions {
  /** Show the error message globally (ElMessage). Default true; set false when the caller shows it itself. */
  showError?: boolean;
  /** React globally to session errors (401 → login page, PASSWORD_CHANGE_REQUIRED → change-password page). Default true. */
  handleAuth?: boolean;
  signal?: AbortSignal;
  /**
   * A refresh the screen makes by itself (e.g. after a live message), not the user's doing: the
   * server then does not restart the session's idle timer, so an unattended screen still times out.
   */
  background?: boolean;
}

export type ApiErrorHandler = (error: ApiError, options: Required<Pick<CallOptions, 'showError' | 'handleAuth'>>) => void;

let errorHandler: ApiErrorHandler | undefined;

/** Installs the handler that every failed call goes through (after which the error is still thrown). */
export function setApiErrorHandler(handler: ApiErrorHandler | undefined): void {
  errorHandler = handler;
}

interface LooseArgs {
  params?: Record<string, unknown>;
  query?: Record<string, unknown>;
  body?: unknown;
}

/** Replaces `:name` segments of the path with the URL-encoded parameter values. */
export function buildPath(path: string, params?: Record<string, unknown>): string {
  return path.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, (_, name: string) => {
    const value = params?.[name];
    if (value === undefined || value === null || value === '') {
      throw new Error(`Missing path parameter "${name}" for ${path}`);
    }
    return encodeURIComponent(String(value));
  });
}

/** Serialises a query object, skipping undefined, null and empty values; arrays repeat the key. */
export function buildQuery(query?: Record<string, unknown>): string {
  if (!query) return '';
  const search = new URLSearchParams();
  const append = (key: string, value: unknown) => {
    if (value === undefined || value === null) return;
    if (typeof value === 'string' && value.trim() === '') return;
    if (value instanceof Date) search.append(key, value.toISOString());
    else search.append(key, String(value));
  };
  for (const [key, value] of Object.entries(query)) {
    if (Array.isArray(value)) value.forEach((v) => append(key, v));
    else append(key, value);
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

function isErrorBody(value: unknown): value is ErrorBody {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ErrorBody).code === 'string' &&
    typeof (value as ErrorBody).message === 'string'
  );
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function fail(error: ApiError, options: CallOptions): never {
  errorHandler?.(error, { showError: options.showError ?? true, handleAuth: options.handleAuth ?? true });
  throw error;
}

let backgroundDepth = 0;

/**
 * Runs `refresh` (a screen reloading itself, e.g. after a live message) with every request it starts
 * synchronously marked as background, so that the session still times out on an unattended screen.
 */
export function inBackground<T>(refresh: () => T): T {
  backgroundDepth++;
  try {
    return refresh();
  } finally {
    backgroundDepth--;
  }
}

/** Performs one request described by `endpoint`. */
export async function call<E extends Endpoint>(
  endpoint: E,
  args?: CallArgs<E>,
  options: CallOptions = {},
): Promise<ResponseOf<E>> {
  const { params, query, body } = (args ?? {}) as LooseArgs;
  const url = buildPath(endpoint.path, params) + buildQuery(query);
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (options.background || backgroundDepth > 0) headers['X-Background'] = '1';
  const init: RequestInit = { method: endpoint.method, credentials: 'same-origin', headers, signal: options.signal };
  if (body !== undefined && endpoint.method !== 'GET') {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }

  let response: Response;
  try {
    response = await fetch(url, init);
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') {
      // Cancelled by the caller: not worth a message.
      throw new ApiError({ status: 0, code: CLIENT_ERROR_CODES.aborted, message: '请求已取消' });
    }
    return fail(
      new ApiError({ status: 0, code: CLIENT_ERROR_CODES.network, message: '网络连接失败，请检查网络后重试' }),
      options,
    );
  }

  if (endpoint.file && response.ok) {
    await saveDownload(response);
    return undefined as ResponseOf<E>;
  }

  const data = await readJson(response);
  if (!response.ok) {
    const error = isErrorBody(data)
      ? new ApiError({ status: response.status, ...data })
      : new ApiError({
          status: response.status,
          code: response.status === 401 ? 'UNAUTHENTICATED' : `HTTP_${response.status}`,
          message: response.status >= 500 ? `服务暂时不可用（${response.status}），请稍后重试` : `请求失败（${response.status}）`,
          requestId: response.headers.get('x-request-id') ?? undefined,
        });
    return fail(error, options);
  }
  if (data === undefined && response.status !== 204) {
    return fail(
      new ApiError({ status: response.status, code: CLIENT_ERROR_CODES.badResponse, message: '服务器返回了无法识别的数据' }),
      options,
    );
  }
  return data as ResponseOf<E>;
}

/** Saves a file response under the name the server gave (Content-Disposition, RFC 5987). */
async function saveDownload(response: Response): Promise<void> {
  const disposition = response.headers.get('content-disposition') ?? '';
  const encoded = /filename\*=UTF-8''([^;]+)/i.exec(disposition)?.[1];
  const plain = /filename="?([^";]+)"?/i.exec(disposition)?.[1];
  const name = encoded ? decodeURIComponent(encoded) : (plain ?? 'download');
  const url = URL.createObjectURL(await response.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** One function per endpoint; `args` may be left out when the endpoint needs none. */
export type ApiFunction<E> = {} extends CallArgs<E>
  ? (args?: CallArgs<E>, options?: CallOptions) => Promise<ResponseOf<E>>
  : (args: CallArgs<E>, options?: CallOptions) => Promise<ResponseOf<E>>;

export type Api = { [K in keyof Endpoints]: ApiFunction<Endpoints[K]> };

function buildApi(): Api {
  const entries = Object.entries(endpoints).map(([name, endpoint]) => [
    name,
    (args?: LooseArgs, options?: CallOptions) => call(endpoint as Endpoint, args as never, options),
  ]);
  return Object.freeze(Object.fromEntries(entries)) as Api;
}

/** The whole API, e.g. `api.login({ body })`, `api.oplogs({ query: { page: 1 } })`. */
export const api: Api = buildApi();
