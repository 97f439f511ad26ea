import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { buildApp, type App } from '../app.js';
import { loadConfig } from '../core/config.js';
import { freshPostgres } from './backends.js';

export const ADMIN_PASSWORD = 'Initial#2026pw';

export interface Harness extends App {
  dataDir: string;
  /** Same-origin JSON request; pass `token` to act as a logged-in user. */
  call(method: InjectOptions['method'], url: string, opts?: { body?: unknown; token?: string }): Promise<LightMyRequestResponse>;
  login(username: string, password: string): Promise<string>;
  dispose(): Promise<void>;
}

/** Builds the real app on a fresh database of the given kind, with a temporary DATA_DIR. */
export async function startHarness(
  backend: 'pglite' | 'postgres',
  env: Record<string, string> = {},
  opts: { dataDir?: string; keepData?: boolean; postgresUrl?: string; persistent?: boolean } = {},
): Promise<Harness> {
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'cityops-test-'));
  const pgdb = backend === 'postgres' && !opts.postgresUrl ? await freshPostgres() : undefined;
  const config = loadConfig({
    DATA_DIR: dataDir,
    // PGlite: in memory, or files under DATA_DIR when the test restarts the app.
    DATABASE_URL: backend === 'postgres' ? (opts.postgresUrl ?? pgdb!.url) : opts.persistent ? '' : 'memory://',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DEMO_DATA: 'false',
    // Tests that turn demo data on keep an empty event hub for their own events unless they ask for the demo events.
    DEMO_EVENTS: 'false',
    // …and no IoT demo devices either, unless asked for.
    DEMO_IOT: 'false',
    ADMIN_INITIAL_PASSWORD: ADMIN_PASSWORD,
    PASSWORD_KDF_ITERATIONS: '1000',
    WEB_DIST: path.join(dataDir, 'no-web'),
    ...env,
  });
  const app = await buildApp(config);
  const call: Harness['call'] = (method, url, o = {}) =>
    app.app.inject({
      method,
      url,
      headers: o.token ? { authorization: `Bearer ${o.token}` } : {},
      ...(o.body !== undefined ? { payload: o.body as object } : {}),
    });
  return {
    ...app,
    dataDir,
    call,
    async login(username, password) {
      const r = await call('POST', '/api/auth/login', { body: { username, password } });
      if (r.statusCode !== 200) throw new Error(`login ${username} failed: ${r.body}`);
      return r.json().token as string;
    },
    async dispose() {
      await app.close();
      await pgdb?.drop();
      if (!opts.keepData) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
