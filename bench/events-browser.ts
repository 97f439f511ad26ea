/**
 * The event screens on the benchmark's 1,000,000 events, measured in a real browser: the product
 * (built web app + API) runs on the bench database, Chromium logs in as the demo users of the city
 * centre, a town centre, a department and a community, opens every list page and every view of
 * 事件查询, and prints how long each took until its data had arrived and the page had drawn it (from
 * navigation start — a full page load — or from the click on a tab, to the last API answer of the
 * page plus one frame). Target (issue 5): every list under one second.
 *
 * Needs the bench database seeded first (`node --import tsx bench/events.ts`) and the web app built
 * (`npm run build`). Run: node --import tsx bench/events-browser.ts
 *
 * BENCH_DATABASE_URL  default postgres://postgres@127.0.0.1:5432/cityops_bench
 * BENCH_ROUNDS        loads per page and user (3; the first is cold)
 */
import os from 'node:os';
import pg from 'pg';
import type { Page } from 'playwright-core';
// The browser tests' product and browser (the built web app, or WEB_DIST; Chromium at CHROMIUM_PATH).
import { DEMO_PASSWORD, launch, signIn, startProduct } from '../e2e/product.js';

const url = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/cityops_bench';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const TARGET_MS = 1000;

const db = new pg.Client({ connectionString: url });
await db.connect();
const [{ n }] = (await db.query<{ n: number }>('select count(*)::int as n from evt_event')).rows as [{ n: number }];
await db.end();
if (n < 1000) throw new Error(`the bench database holds ${n} events: seed it first with node --import tsx bench/events.ts`);

const app = await startProduct({ DATABASE_URL: url, DEMO_DATA: 'true', EVENT_REMINDER_SECONDS: '0' });
const base = app.url;
console.log(`event screens in the browser: ${n.toLocaleString('en')} events, ${ROUNDS} loads each (the first cold); ${os.cpus().length} CPUs, load ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);

const browser = await launch();

/** Times `act` until the page's API calls (the live message stream aside) are answered and drawn. */
async function timed(page: Page, act: () => Promise<unknown>): Promise<{ ms: number; slowest: string }> {
  let pending = 0;
  let last = 0;
  let slowest = { ms: 0, path: '' };
  const isApi = (u: string) => u.includes('/api/') && !u.includes('/api/messages/stream');
  const started = new Map<unknown, number>();
  const onRequest = (r: { url(): string }) => {
    if (!isApi(r.url())) return;
    pending++;
    started.set(r, Date.now());
  };
  const onDone = (r: { url(): string }) => {
    if (!isApi(r.url())) return;
    pending--;
    last = Date.now();
    const took = last - (started.get(r) ?? last);
    if (took > slowest.ms) slowest = { ms: took, path: new URL(r.url()).pathname + new URL(r.url()).search };
  };
  page.on('request', onRequest);
  page.on('requestfinished', onDone);
  page.on('requestfailed', onDone);
  const t0 = Date.now();
  try {
    await act();
    // Settled: nothing pending for 500 ms and no loading mask.
    for (;;) {
      await page.waitForTimeout(100);
      const masked = await page.locator('.el-loading-mask').evaluateAll((els) => els.some((e) => (e as HTMLElement).offsetParent !== null));
      if (pending === 0 && last > 0 && Date.now() - last > 500 && !masked) break;
      if (Date.now() - t0 > 30_000) throw new Error('the page did not settle in 30 s');
    }
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(null))));
    return { ms: last - t0, slowest: `${slowest.path} ${slowest.ms} ms` };
  } finally {
    page.off('request', onRequest);
    page.off('requestfinished', onDone);
    page.off('requestfailed', onDone);
  }
}

const USERS = [
  { user: 'city_op', who: '市城运中心' },
  { user: 'cy_op', who: '崇阳街道城运中心' },
  { user: 'zfj_handler', who: '综合行政执法局' },
  { user: 'hs_grid', who: '汇蜀社区网格员' },
];
const PAGES = [
  { name: '工作台', path: '/home' },
  { name: '我的待办', path: '/events/todo' },
  { name: '交办后任务', path: '/events/dispatched' },
  { name: '事件审核', path: '/events/audit' },
  { name: '草稿箱', path: '/events/drafts' },
  { name: '消息中心', path: '/messages' },
  { name: '事件查询·处置中', path: '/events/query' },
];
const TABS = ['已完成', '我参与', '市级下派', '全部事件', '重点工单'];

interface Row { who: string; page: string; times: number[]; slowest: string }
const rows: Row[] = [];
for (const u of USERS) {
  const page = await signIn(browser, base, u.user, DEMO_PASSWORD);
  for (const p of PAGES) {
    const row: Row = { who: u.who, page: p.name, times: [], slowest: '' };
    for (let i = 0; i < ROUNDS; i++) {
      const r = await timed(page, () => page.goto(`${base}${p.path}`));
      row.times.push(r.ms);
      row.slowest = r.slowest;
    }
    rows.push(row);
  }
  // The other views of 事件查询, switched by their tabs on the loaded page.
  for (const tab of TABS) {
    const row: Row = { who: u.who, page: `事件查询·${tab}`, times: [], slowest: '' };
    for (let i = 0; i < ROUNDS; i++) {
      await page.locator('.el-tabs__item', { hasText: '处置中' }).first().click();
      await page.waitForTimeout(300);
      const r = await timed(page, () => page.locator('.el-tabs__item', { hasText: tab }).first().click());
      row.times.push(r.ms);
      row.slowest = r.slowest;
    }
    rows.push(row);
  }
  await page.context().close();
}

const pad = (s: string, w: number) => s + ' '.repeat(Math.max(0, w - [...s].reduce((a, c) => a + (c.charCodeAt(0) > 255 ? 2 : 1), 0)));
console.log(`\n${pad('who', 20)}${pad('page', 22)}${'cold'.padStart(8)}${'warm'.padStart(8)}  slowest API call (last load)`);
for (const r of rows) {
  const warm = r.times.slice(1);
  const w = warm.length ? Math.max(...warm) : r.times[0]!;
  console.log(`${pad(r.who, 20)}${pad(r.page, 22)}${String(r.times[0]).padStart(8)}${String(w).padStart(8)}  ${r.slowest}`);
}
const all = rows.flatMap((r) => r.times);
const over = rows.filter((r) => Math.max(...r.times) >= TARGET_MS);
console.log(`\n${rows.length} page loads × ${ROUNDS}: max ${Math.max(...all)} ms; ${over.length ? `over ${TARGET_MS} ms: ${over.map((r) => `${r.who} ${r.page}`).join(', ')}` : `all under ${TARGET_MS} ms`}`);

await browser.close();
await app.close();
