import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { endpoints } from '@cityops/contracts';
import { startHarness } from './test/harness.js';
import { backends, freshPostgres } from './test/backends.js';
import { loadConfig } from './core/config.js';

describe('start-up', () => {
  it('creates admin with a random password printed once and written to DATA_DIR', async () => {
    const h = await startHarness('pglite', { ADMIN_INITIAL_PASSWORD: '' });
    try {
      const file = path.join(h.dataDir, 'initial-admin-password');
      const password = fs.readFileSync(file, 'utf8').trim();
      expect(password.length).toBeGreaterThanOrEqual(12);
      const r = await h.call('POST', '/api/auth/login', { body: { username: 'admin', password } });
      expect(r.json()).toMatchObject({ mustChangePassword: true, reason: 'initial' });
    } finally {
      await h.dispose();
    }
  });

  it.each(backends)('keeps data across a restart (%s)', async (backend) => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityops-restart-'));
    const pg = backend === 'postgres' ? await freshPostgres() : undefined;
    const opts = { dataDir, keepData: true, persistent: true, postgresUrl: pg?.url };
    try {
      const a = await startHarness(backend, {}, opts);
      const t = await a.login('admin', 'Initial#2026pw');
      expect((await a.call('POST', '/api/auth/change-password', { token: t, body: { oldPassword: 'Initial#2026pw', newPassword: 'Changed#2026pw' } })).statusCode).toBe(200);
      const key = (await a.call('GET', '/api/auth/public-key')).json().publicKey;
      await a.dispose();

      const b = await startHarness(backend, {}, opts);
      expect((await b.call('POST', '/api/auth/login', { body: { username: 'admin', password: 'Changed#2026pw' } })).json().mustChangePassword).toBe(false);
      expect((await b.call('GET', '/api/auth/public-key')).json().publicKey).toBe(key);
      await b.dispose();
    } finally {
      await pg?.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses a malformed configuration with the variable named', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
  });
});

describe('OpenAPI document', () => {
  it('lists every route with its schema', async () => {
    const h = await startHarness('pglite');
    try {
      const doc = (await h.call('GET', '/api/docs/openapi.json')).json();
      expect(doc.openapi).toMatch(/^3\./);
      for (const ep of Object.values(endpoints)) {
        const p = ep.path.replace(/:(\w+)/g, '{$1}');
        const op = doc.paths[p]?.[ep.method.toLowerCase()];
        expect(op, `${ep.method} ${ep.path}`).toBeDefined();
        expect(op.summary).toBe(ep.summary);
        if (!ep.file) expect(op.responses['200'].content['application/json'].schema).toBeDefined();
        if (ep.body) expect(op.requestBody.content['application/json'].schema.properties).toBeDefined();
      }
      const contractPaths = Object.values(endpoints).map((e) => e.path.replace(/:(\w+)/g, '{$1}'));
      expect(Object.keys(doc.paths).sort()).toEqual([...new Set(contractPaths)].sort());
      const ui = await h.call('GET', '/api/docs/');
      expect(ui.statusCode).toBe(200);
      expect(ui.body).toContain('swagger');
    } finally {
      await h.dispose();
    }
  });
});
