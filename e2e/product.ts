/**
 * The product, a browser and the API for the browser tests — no vitest here, so that the benchmarks
 * (bench/events-browser.ts) drive the same product the same way. Tests import it through ./browser.js.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { buildApp, type App } from '../packages/server/src/app.js';
import { loadConfig } from '../packages/server/src/core/config.js';
export { DEMO_PASSWORD } from '../packages/server/src/modules/system/seed/demo.js';

export const skipBrowser = process.env.SKIP_BROWSER_TESTS === '1';
const root = fileURLToPath(new URL('..', import.meta.url));
export const SHOTS = path.join(root, 'test-results', 'screenshots');

/** The administrator's initial password (each product started here uses it) and the one it is changed to. */
export const ADMIN_INITIAL = 'Initial#2026pw';
export const ADMIN_PASSWORD = 'Strong#2026pw';
/** A 1×1 PNG for uploads: the file service checks the content signature. */
export const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

/** The real product (built web app + API on PGlite with demo data) on a free port. */
export async function startProduct(env: Record<string, string> = {}): Promise<App & { url: string; dataDir: string }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cityops-e2e-'));
  const webDist = process.env.WEB_DIST || path.join(root, 'packages/web/dist');
  if (!fs.existsSync(path.join(webDist, 'index.html'))) throw new Error('web app not built: run `npm run build` first');
  const app = await buildApp(
    // The browser tests make their own events: the demo events only when a test asks for them.
    loadConfig({ DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'silent', WEB_DIST: webDist, PASSWORD_KDF_ITERATIONS: '1000', ADMIN_INITIAL_PASSWORD: ADMIN_INITIAL, DEMO_EVENTS: 'false', ...env }),
  );
  await app.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.app.server.address() as { port: number };
  return { ...app, url: `http://127.0.0.1:${port}`, dataDir };
}

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export async function newPage(browser: Browser): Promise<Page> {
  const ctx = await browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const page = await ctx.newPage();
  // Fail a step in seconds with the locator named, rather than the whole test at its timeout.
  page.setDefaultTimeout(30_000);
  return page;
}

export async function shot(page: Page, name: string) {
  fs.mkdirSync(SHOTS, { recursive: true });
  // Let dialogs and drawers finish fading in, so the picture shows what the user ends up seeing.
  await page
    .evaluate(() => Promise.race([
      Promise.all(document.getAnimations().filter((a) => a.effect?.getTiming().iterations !== Infinity).map((a) => a.finished)),
      new Promise((r) => setTimeout(r, 2000)),
    ]))
    .catch(() => {});
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
}

export async function login(page: Page, base: string, username: string, password: string) {
  await page.goto(`${base}/login`);
  await page.locator('[data-test="username"] input, input[data-test="username"]').first().fill(username);
  await page.locator('[data-test="password"] input, input[data-test="password"]').first().fill(password);
  await page.locator('[data-test="login-submit"]').click();
}

/** The text input of a form field marked with data-test (on the <input> itself or on its Element Plus wrapper). */
export const input = (scope: Page | Locator, name: string) => scope.locator(`input[data-test="${name}"], [data-test="${name}"] input`).first();

/** A new page (its own cookies) of `username`, logged in and on /home. */
export async function signIn(browser: Browser, base: string, username: string, password: string): Promise<Page> {
  const page = await newPage(browser);
  await login(page, base, username, password);
  if (!(await page.waitForURL(/\/home/, { timeout: 15_000 }).then(() => true, () => false))) {
    // Seen once in a full run: the login did not land. Say what the page showed, then try again.
    console.warn(`[e2e] ${username}'s login did not reach /home; the page shows: ${(await page.locator('body').innerText()).slice(0, 300)}`);
    await shot(page, `login-debug-${username}`);
    await login(page, base, username, password);
    await page.waitForURL(/\/home/);
  }
  return page;
}

/** On /change-password: replaces the initial password and submits. */
async function changeInitialPassword(page: Page, password: string) {
  await page.waitForURL(/\/change-password/);
  await input(page, 'old-password').fill(ADMIN_INITIAL);
  await input(page, 'new-password').fill(password);
  await input(page, 'confirm-password').fill(password);
  await page.locator('[data-test="password-submit"]').click();
}

/** The administrator's first login: signs in with the initial password, changes it, and lands on /home. */
export async function loginAsAdmin(page: Page, base: string, password = ADMIN_PASSWORD) {
  await login(page, base, 'admin', ADMIN_INITIAL);
  await changeInitialPassword(page, password);
  if (await page.waitForURL(/\/home/).then(() => true, () => false)) return;
  // Once seen on a loaded CI machine: the change answered with an error. Say what the page said, then
  // try once more — submitting again if the password is still the initial one, else logging in anew.
  const said = await page.locator('[data-test="password-error"]').innerText().catch(() => '(no message)');
  console.warn(`[e2e] admin's password change did not reach /home; the page says: ${said}`);
  await shot(page, 'admin-login-debug');
  await login(page, base, 'admin', password);
  if (await page.waitForURL(/\/home/).then(() => true, () => false)) return;
  await login(page, base, 'admin', ADMIN_INITIAL);
  await changeInitialPassword(page, password);
  await page.waitForURL(/\/home/);
}

/** The product's API as some demo users, for a test's setup and checks (see `apiAs`). */
export interface ApiAs {
  /** JSON in and out with the user's token; throws with the server's answer unless 2xx. */
  call<T = any>(user: string, method: string, url: string, body?: unknown): Promise<T>;
  /** POST /api/files; returns the new file's id. */
  upload(user: string, name: string, bytes: Buffer, type?: string): Promise<string>;
  /** The node on which `user` may take `action` on an event (from the detail's actions); throws when not offered. */
  actionNode(user: string, eventId: string, action: string): Promise<string>;
}

/** Logs `users` in through the API (bearer tokens) and calls it as any of them. */
export async function apiAs(base: string, password: string, users: string[]): Promise<ApiAs> {
  const tokens: Record<string, string> = {};
  for (const username of users) {
    const r = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
    if (!r.ok) throw new Error(`login ${username} → ${r.status} ${await r.text()}`);
    tokens[username] = ((await r.json()) as { token: string }).token;
  }
  const auth = (user: string) => ({ authorization: `Bearer ${tokens[user]}` });
  const api: ApiAs = {
    async call(user, method, url, body) {
      const r = await fetch(`${base}${url}`, {
        method,
        headers: { ...auth(user), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await r.text();
      if (!r.ok) throw new Error(`${user} ${method} ${url} → ${r.status} ${text}`);
      return text ? JSON.parse(text) : undefined;
    },
    async upload(user, name, bytes, type = '') {
      const form = new FormData();
      form.append('file', new Blob([bytes], { type }), name);
      const r = await fetch(`${base}/api/files`, { method: 'POST', headers: auth(user), body: form });
      if (!r.ok) throw new Error(`upload ${name} → ${r.status} ${await r.text()}`);
      return ((await r.json()) as { id: string }).id;
    },
    async actionNode(user, eventId, action) {
      const { actions } = await api.call<{ actions: { action: string; nodeId: string | null }[] }>(user, 'GET', `/api/events/${eventId}`);
      const nodeId = actions.find((a) => a.action === action)?.nodeId;
      if (!nodeId) throw new Error(`${action} not offered to ${user} on event ${eventId}`);
      return nodeId;
    },
  };
  return api;
}
