import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { eq } from 'drizzle-orm';
import { sysOrg } from '../packages/server/src/modules/system/org.table.js';
import { apiAs, DEMO_PASSWORD as PW, input, launch, login, newPage, shot, skipBrowser, startProduct, type ApiAs } from './browser.js';

const TYPE = 'urban.appearance.clutter';

/**
 * 工作台 and 事件配置 in the browser: the city centre and a town centre see the counts of the to-dos
 * made through the API, their latest to-dos (a row opens the handling page), unread messages and the
 * charts of their scope; the city centre edits a type's time limit and a day of the working calendar.
 */
describe.skipIf(skipBrowser)('workbench and event configuration', () => {
  let product: Awaited<ReturnType<typeof startProduct>>;
  let browser: Browser;
  let page: Page;
  let api: ApiAs;
  let cyOrg = '';
  const ev: Record<string, string> = {};

  const call = <T = any>(user: string, method: string, url: string, body?: unknown) => api.call<T>(user, method, url, body);
  const create = async (who: string, title: string, extra: Record<string, unknown> = {}) =>
    (await call<{ id: string }>(who, 'POST', '/api/events', { typeCode: TYPE, title, content: `${title}，请处置`, source: 'hotline', ...extra })).id;
  const dispatchToTown = async (eventId: string, role: 'main' | 'cc') =>
    call('city_op', 'POST', `/api/events/${eventId}/nodes/${await api.actionNode('city_op', eventId, 'dispatch')}/dispatch`, { targets: [{ orgId: cyOrg, role }] });

  const count = (entry: string) => page.locator(`[data-test="todo-entry-${entry}"] [data-test="todo-entry-count"]`);
  const kpi = (key: string) => page.locator(`[data-test="kpi-${key}"] [data-test="kpi-value"]`);
  const latestRows = () => page.locator('[data-test="todo-latest-table"] .el-table__body-wrapper tbody tr');
  /** ECharts animates for about a second: a picture taken earlier shows half-grown bars. */
  const settle = () => page.waitForTimeout(1200);
  const notify = () => page.evaluate(() => window.dispatchEvent(new CustomEvent('cityops:message', { detail: {} })));
  /** A chart that drew something: its canvas is visible and not replaced by the empty state. */
  const drawn = async (test: string) => {
    const panel = page.locator(`[data-test="${test}"]`);
    await expect.poll(() => panel.locator('canvas').count()).toBeGreaterThan(0);
    await expect.poll(() => panel.locator('.el-empty').count()).toBe(0);
    await expect.poll(() => panel.locator('[data-test="chart-canvas"]').evaluate((el) => el.classList.contains('is-hidden'))).toBe(false);
  };

  beforeAll(async () => {
    product = await startProduct({ EVENT_REMINDER_SECONDS: '0' });
    const [cy] = await product.database.db.select().from(sysOrg).where(eq(sysOrg.code, '510184001-CYZX'));
    cyOrg = cy!.id;
    api = await apiAs(product.url, PW, ['city_op', 'cy_op']);
    // City: one of its own to handle, one dispatched to 崇阳 (主办: the city waits), one CC'd to 崇阳 (the
    // city still handles it). 崇阳: one of its own, grid-reported.
    ev.cityOwn = await create('city_op', '市级值班员乙受理的噪声投诉', { regionCode: '510184003' });
    ev.toTown = await create('city_op', '蜀州中路人行道堆放杂物', { regionCode: '510184001' });
    await dispatchToTown(ev.toTown, 'main');
    ev.ccTown = await create('city_op', '唐安西路垃圾堆放抄送', { regionCode: '510184001' });
    await dispatchToTown(ev.ccTown, 'cc');
    ev.townOwn = await create('cy_op', '汇蜀社区楼道堆物', { source: 'grid', regionCode: '510184001018' });

    browser = await launch();
    page = await newPage(browser);
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await product?.close();
  });

  it('the city centre sees its to-do counts, latest to-dos, messages and the figures of the whole city', async () => {
    const summary = await call('city_op', 'GET', '/api/events/todos/summary');
    expect(summary).toMatchObject({ handle: 2, closing: 0, cc: 0, dispatched: 1 });

    await login(page, product.url, 'city_op', PW);
    await page.waitForURL(/\/home/);
    await expect.poll(() => count('handle').innerText()).toBe('2');
    await expect.poll(() => count('dispatched').innerText()).toBe('1');
    expect(await count('closing').innerText()).toBe('0');
    expect(await count('audits').innerText()).toBe('0');
    await expect.poll(() => latestRows().count()).toBe(2);
    expect((await latestRows().allInnerTexts()).join('\n')).toContain('市级值班员乙受理的噪声投诉');

    // 累计受理 4 (every event of the city), none closed; today's intake 4, all from the hotline but one grid report.
    await expect.poll(() => kpi('accepted').innerText()).toBe('4');
    expect(await kpi('closed').innerText()).toBe('0');
    expect(await page.locator('[data-test="kpi-closed"] [data-test="kpi-rate"]').innerText()).toBe('0.0%');
    expect(await kpi('today-intake').innerText()).toBe('4');
    expect(await kpi('today-grid').innerText()).toBe('1');
    expect(await kpi('today-hotline').innerText()).toBe('3');
    await drawn('chart-type-trend');
    await drawn('chart-monthly');
    await settle();
    await shot(page, 'event-workbench-01-city');

    // 区域办件情况 opens on 昨日 (nothing yet), 今日 shows 崇阳 and 三江.
    const areas = page.locator('[data-test="overview-areas"]');
    await expect.poll(() => areas.locator('.el-empty').innerText()).toContain('昨日暂无受理事件');
    await page.locator('[data-test="area-period-today"]').click();
    await drawn('overview-areas');
    await areas.scrollIntoViewIfNeeded();
    await page.mouse.move(10, 10);
    await settle();
    await shot(page, 'event-workbench-02-city-charts');
  });

  it('a to-do row opens its handling page; 更多 opens 我的待办', async () => {
    await page.goto(`${product.url}/home`);
    await expect.poll(() => latestRows().count()).toBe(2);
    const node = await api.actionNode('city_op', ev.cityOwn!, 'handle');
    await latestRows().filter({ hasText: '市级值班员乙受理的噪声投诉' }).click();
    await page.waitForURL(new RegExp(`/events/${ev.cityOwn}/handle/${node}$`));

    await page.goto(`${product.url}/home`);
    await page.locator('[data-test="todo-latest-more"]').click();
    await page.waitForURL(/\/events\/todo\?box=handle/);
  });

  it('a town centre sees its own counts and scope, refreshed when a message arrives', async () => {
    await page.context().clearCookies();
    await login(page, product.url, 'cy_op', PW);
    await page.waitForURL(/\/home/);
    // 主办 from the city and its own report to handle, one CC.
    await expect.poll(() => count('handle').innerText()).toBe('2');
    expect(await count('cc').innerText()).toBe('1');
    await expect.poll(() => latestRows().count()).toBe(2);
    const titles = await latestRows().allInnerTexts();
    expect(titles.join('\n')).toContain('蜀州中路人行道堆放杂物');
    expect(titles.join('\n')).toContain('汇蜀社区楼道堆物');
    // The dispatch reached the duty officer as a work message.
    await expect.poll(() => page.locator('[data-test="message-latest-item"]').count()).toBeGreaterThan(0);
    expect(await page.locator('[data-test="message-latest"]').innerText()).toContain('蜀州中路人行道堆放杂物');

    // 崇阳's scope: its three events, not the city's noise complaint at 三江.
    await expect.poll(() => kpi('accepted').innerText()).toBe('3');
    expect(await kpi('today-grid').innerText()).toBe('1');
    await page.locator('[data-test="area-period-today"]').click();
    await drawn('overview-areas');
    expect(await page.locator('[data-test="overview-areas"]').innerText()).toContain('按村（社区）');
    await drawn('chart-type-trend');
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.locator('[data-test="todo-entries"]').scrollIntoViewIfNeeded();
    await page.mouse.move(10, 10);
    await settle();
    await shot(page, 'event-workbench-03-town');
    await page.locator('[data-test="overview-areas"]').scrollIntoViewIfNeeded();
    expect(await page.locator('[data-test="overview-areas"]').innerText()).not.toContain('暂无');
    await shot(page, 'event-workbench-03b-town-areas');

    // A new to-do arrives: the live message makes the counts and rows follow.
    ev.more = await create('city_op', '崇阳大道井盖松动', { regionCode: '510184001' });
    await dispatchToTown(ev.more, 'main');
    await notify();
    await expect.poll(() => count('handle').innerText()).toBe('3');
    await expect.poll(() => latestRows().count()).toBe(3);
    await page.locator('[data-test="todo-latest-box-cc"]').click();
    await expect.poll(() => latestRows().count()).toBe(1);
    expect(await latestRows().first().innerText()).toContain('唐安西路垃圾堆放抄送');
  });

  it('the city centre edits a type\'s time limit on 事件配置', async () => {
    await page.context().clearCookies();
    await login(page, product.url, 'city_op', PW);
    await page.waitForURL(/\/home/);
    await page.goto(`${product.url}/events/config`);
    await expect.poll(() => page.locator('[data-test="type-table"] .el-table__body-wrapper tbody tr').count()).toBeGreaterThan(5);
    await expect.poll(() => page.locator('[data-test="event-config"]').innerText()).toContain('城市管理');
    await shot(page, 'event-workbench-04-types');

    await input(page, 'type-keyword').fill('乱堆乱放');
    await expect.poll(() => page.locator(`[data-test="type-limit-${TYPE}"]`).innerText()).toBe('3个工作日');
    await page.locator(`[data-test="type-edit-${TYPE}"]`).click();
    const dialog = page.locator('[data-test="type-form"]');
    await expect.poll(() => dialog.locator('[data-test="type-preview"]').innerText()).toContain('办理期限');
    await input(dialog, 'type-limit-value').fill('5');
    await input(dialog, 'type-warn').fill('30');
    await input(dialog, 'type-warn').blur();
    await expect.poll(() => dialog.locator('[data-test="type-preview"]').innerText()).toContain('黄牌提醒');
    await shot(page, 'event-workbench-05-type-form');
    await page.locator('[data-test="type-submit"]').click();
    await expect.poll(() => page.locator(`[data-test="type-limit-${TYPE}"]`).innerText()).toBe('5个工作日');
    expect(await page.locator(`[data-test="type-ratio-${TYPE}"]`).innerText()).toBe('30%');
    const types = await call<{ code: string; limitValue: number; limitUnit: string; warnRatio: number }[]>('city_op', 'GET', '/api/events/types?all=true');
    expect(types.find((t) => t.code === TYPE)).toMatchObject({ limitValue: 5, limitUnit: 'workday', warnRatio: 0.3 });
  });

  it('the city centre sets a day of the working calendar and restores it', async () => {
    await page.goto(`${product.url}/events/config?tab=calendar`);
    const year = new Date().getFullYear();
    // The second Tuesday of December: a working day by default, no holiday in any year.
    const dec1 = new Date(Date.UTC(year, 11, 1)).getUTCDay();
    const date = `${year}-12-${String(1 + ((2 - dec1 + 7) % 7) + 7).padStart(2, '0')}`;
    const day = page.locator(`[data-test="day-${date}"]`);
    // The seeded 2026 holidays and 调休 days are marked (once the year has loaded).
    if (year === 2026) {
      await expect.poll(() => page.locator('[data-test="day-2026-10-01"]').getAttribute('data-state')).toBe('holiday');
      expect(await page.locator('[data-test="day-2026-10-10"]').getAttribute('data-state')).toBe('swap');
    }
    expect(await day.getAttribute('data-state')).toBe('workday');
    await shot(page, 'event-workbench-06-calendar');

    await day.click();
    const dialog = page.locator('[data-test="day-form"]');
    await expect.poll(() => dialog.locator('[data-test="day-title"]').innerText()).toContain('星期二');
    await dialog.locator('[data-test="day-kind-holiday"]').click();
    await input(dialog, 'day-name').fill('临时休息日');
    await shot(page, 'event-workbench-07-day-form');
    await page.locator('[data-test="day-submit"]').click();
    await expect.poll(() => day.getAttribute('data-state')).toBe('holiday');
    expect(await page.locator('[data-test="calendar-table"]').innerText()).toContain('临时休息日');
    const days = await call<{ date: string; workday: boolean; name: string }[]>('city_op', 'GET', `/api/events/calendar?year=${year}`);
    expect(days.find((d) => d.date === date)).toMatchObject({ workday: false, name: '临时休息日' });

    await page.locator(`[data-test="calendar-restore-${date}"]`).click();
    await page.locator('.el-message-box__btns .el-button--primary').click();
    await expect.poll(() => day.getAttribute('data-state')).toBe('workday');
    expect((await call<{ date: string }[]>('city_op', 'GET', `/api/events/calendar?year=${year}`)).some((d) => d.date === date)).toBe(false);
  });
});
