import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import {
  actionButton, apiAs, DEMO_PASSWORD as PW, gotoHandle, lastMessage, launch, openAction, PNG, shot, signIn, skipBrowser, startProduct, textField, type ApiAs,
} from './browser.js';

const CITY = '崇州市城市运行管理中心';
const TOWN = '崇阳街道城运中心';
const COMMUNITY = '汇蜀社区';

/**
 * The core scenario through the screens, three people in three browsers at once: the city
 * operator dispatches to a town; the town's operator sees the pop-up as it happens, follows it and
 * dispatches to a community; the community's grid worker handles with a photo; the town submits;
 * the city closes. The timeline then holds every step with the person and organisation who took it.
 */
describe.skipIf(skipBrowser)('core scenario: city → town → community and back, three users at once', { timeout: 240_000 }, () => {
  let product: Awaited<ReturnType<typeof startProduct>>;
  let browser: Browser;
  let city: Page;
  let town: Page;
  let grid: Page;
  let api: ApiAs;
  let eventId = '';
  const TITLE = '汇蜀社区蜀州中路井盖破损';

  /** A page of `user`, logged in, once the message bell (and with it the live stream) is there. */
  async function signInWithBell(user: string) {
    const page = await signIn(browser, product.url, user, PW);
    await page.locator('[data-test="message-bell"]').waitFor();
    return page;
  }

  /** Chooses one organisation in the dispatch dialog by searching its name, as 主办 with a requirement. */
  async function dispatchTo(page: Page, org: string, requirement: string) {
    const d = await openAction(page, 'dispatch');
    await textField(d, 'target-search', 'input').fill(org);
    await d.locator(`[data-test="org-target-picker"] [data-test="target-${org}"]`).click();
    await expect.poll(() => d.locator('[data-test="dispatch-summary"]').innerText()).toContain('主办 1');
    await textField(d, `target-requirement-${org}`).fill(requirement);
    return d;
  }

  /**
   * Submits the dialog and measures how long after the server answered the receiving user's page
   * shows the pop-up, with no reload in between.
   */
  async function submitAndWatchPopup(sender: Page, d: Locator, receiver: Page) {
    const answered = sender.waitForResponse((r) => r.url().includes('/dispatch') && r.request().method() === 'POST');
    await d.locator('[data-test="action-submit"]').click();
    expect((await answered).status()).toBe(200);
    const t0 = Date.now();
    const pop = receiver.locator('[data-test="message-pop"]').filter({ hasText: TITLE }).first();
    await pop.waitFor({ timeout: 10_000 });
    return { pop, ms: Date.now() - t0 };
  }

  beforeAll(async () => {
    product = await startProduct({ EVENT_REMINDER_SECONDS: '0' });
    browser = await launch();
    [city, town, grid] = [await signInWithBell('city_op'), await signInWithBell('cy_op'), await signInWithBell('hs_grid')];
    api = await apiAs(product.url, PW, ['city_op']);
  });
  afterAll(async () => {
    await browser?.close();
    await product?.close();
  });

  it('the city operator reports the event and dispatches it to the town; the town sees the pop-up within a second', async () => {
    // The hotline call, reported through the API (the intake screen has its own test).
    eventId = (await api.call<{ id: string }>('city_op', 'POST', '/api/events', {
      typeCode: 'urban.facility.manhole', title: TITLE, content: '市民来电：井盖破损，有行人跌落风险', source: 'hotline', address: '蜀州中路 88 号',
      formData: { coverType: '雨水', warningSet: false },
    })).id;
    const root = (await api.call<{ tree: { id: string }[] }>('city_op', 'GET', `/api/events/${eventId}`)).tree[0]!.id;
    await gotoHandle(city, product.url, eventId, root);
    const d = await dispatchTo(city, TOWN, '请立即设置警示并组织维修');
    await shot(city, 'core-01-city-dispatch');
    const { pop, ms } = await submitAndWatchPopup(city, d, town);
    console.log(`[core scenario] city → town pop-up ${ms} ms after the dispatch answered`);
    expect(ms).toBeLessThan(1000);
    await shot(town, 'core-02-town-popup');

    // The pop-up leads straight to the event; 去办理 opens the town's to-do.
    await pop.locator('[data-test="message-pop-open"]').click();
    await town.waitForURL(new RegExp(`/events/${eventId}$`));
    await town.locator('[data-test="detail-go-handle"]').click();
    await town.waitForURL(new RegExp(`/events/${eventId}/handle/`));
    await town.locator('[data-test="event-action-bar"]').waitFor();
    expect(await town.locator('body').innerText()).toContain('请立即设置警示并组织维修');
  });

  it('the town dispatches to its community; the grid worker handles with a photo', async () => {
    const d = await dispatchTo(town, COMMUNITY, '请网格员现场核实并拍照反馈');
    const { pop, ms } = await submitAndWatchPopup(town, d, grid);
    console.log(`[core scenario] town → community pop-up ${ms} ms after the dispatch answered`);
    await shot(grid, 'core-03-grid-popup');

    await pop.locator('[data-test="message-pop-open"]').click();
    await grid.locator('[data-test="detail-go-handle"]').click();
    await grid.locator('[data-test="event-action-bar"]').waitFor();
    const handle = await openAction(grid, 'handle');
    await textField(handle, 'action-handle-text').fill('已设置围挡，井盖已更换');
    await handle.locator('input[data-test="file-upload-input"]').setInputFiles({ name: '更换后井盖.png', mimeType: 'image/png', buffer: PNG });
    await expect.poll(() => handle.locator('[data-test="file-upload-item"]').getAttribute('data-status')).toBe('done');
    await shot(grid, 'core-04-grid-handle');
    await handle.locator('[data-test="action-submit"]').click();
    await expect.poll(() => lastMessage(grid).innerText()).toContain('办理结果已提交');
    await expect.poll(() => actionButton(grid, 'handle').count()).toBe(0);
  });

  it('the town, its to-do back, submits; the city closes', async () => {
    // The community's result gives the town its to-do back: the page, reloaded, offers 办理 again.
    await town.reload();
    await actionButton(town, 'handle').waitFor();
    const handle = await openAction(town, 'handle');
    await textField(handle, 'action-handle-text').fill('社区已处置完毕，经街道复核合格');
    await handle.locator('[data-test="action-submit"]').click();
    await expect.poll(() => lastMessage(town).innerText()).toContain('办理结果已提交');

    // The city is told the event is ready to close.
    await city.locator('[data-test="message-pop"]').filter({ hasText: TITLE }).first().waitFor({ timeout: 10_000 });
    await city.reload();
    const close = await openAction(city, 'close');
    expect(await close.locator('[data-test="handling-results"]').innerText()).toContain('社区已处置完毕');
    await textField(close, 'action-close-text').fill('经核验处置到位，同意结案');
    await close.locator('[data-test="action-submit"]').click();
    await expect.poll(() => lastMessage(city).innerText()).toContain('事件已结案');
  });

  it('the timeline shows every step with the right people', async () => {
    await city.goto(`${product.url}/events/${eventId}`);
    await city.locator('[data-test="detail-tabs"] .el-tabs__item', { hasText: '处置过程' }).click();
    const timeline = city.locator('[data-test="event-timeline"]');
    await timeline.waitFor();
    await timeline.locator('[data-test="timeline-order"] label', { hasText: '时间正序' }).click();

    // The city's own steps are its 市级日志; the town's and the community's are the handling log.
    await timeline.locator('[data-test="timeline-which"] label', { hasText: '市级日志' }).click();
    const cityLog = await timeline.locator('[data-test="timeline-city"] [data-test^="log-"]').allInnerTexts();
    expect(cityLog.map((t) => t.split('\n').slice(0, 3).join(' '))).toEqual([
      expect.stringMatching(new RegExp(`^发起 市城运中心值班员 ${CITY}`)),
      expect.stringMatching(new RegExp(`^交办 市城运中心值班员 ${CITY}`)),
      expect.stringMatching(new RegExp(`^结案 市城运中心值班员 ${CITY}`)),
    ]);
    await timeline.locator('[data-test="timeline-which"] label', { hasText: '处理日志' }).click();
    const handling = await timeline.locator('[data-test="timeline-handling"] [data-test^="log-"]').allInnerTexts();
    expect(handling.map((t) => t.split('\n').slice(0, 3).join(' '))).toEqual([
      expect.stringMatching(new RegExp(`^交办 崇阳街道城运中心值班员 ${TOWN}`)),
      expect.stringMatching(new RegExp(`^办理 汇蜀社区网格员 ${COMMUNITY}`)),
      expect.stringMatching(new RegExp(`^办理 崇阳街道城运中心值班员 ${TOWN}`)),
    ]);
    expect(handling[1]).toContain('更换后井盖.png');
    expect(await city.locator('[data-test="event-status"]').innerText()).toBe('已办结');
    await shot(city, 'core-05-city-timeline');
  });
});
