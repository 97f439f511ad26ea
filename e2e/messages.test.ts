import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { apiAs, DEMO_PASSWORD as PW, launch, shot, signIn, skipBrowser, startProduct, type ApiAs } from './browser.js';

const TYPE = 'urban.appearance.clutter';
const TOWN = '崇阳街道城运中心';

/**
 * Messages in two browsers at once: the city duty officer (甲, city_op) gives work and publishes a
 * notice; the town duty officer (乙, cy_op) sees each arrive live as a pop-up and on the bell's
 * badge, follows the link to the task, manages the message centre (select all, mark read, delete),
 * reads the notice with its attachment; then the two chat.
 */
describe.skipIf(skipBrowser)('messages in the browser', () => {
  let product: Awaited<ReturnType<typeof startProduct>>;
  let browser: Browser;
  let api: ApiAs;
  let townOrgId = '';
  let cityPage: Page;
  let townPage: Page;

  /** The API as 甲. */
  const call = <T = unknown>(method: string, url: string, body?: unknown) => api.call<T>('city_op', method, url, body);
  /** 甲 files an event and dispatches it to 崇阳街道城运中心 through the API; resolves when the dispatch has answered. */
  const dispatchToTown = async (title: string) => {
    const { id } = await call<{ id: string }>('POST', '/api/events', { typeCode: TYPE, title, content: '路口堆放杂物，影响通行', source: 'hotline', address: '崇阳街道蜀州中路' });
    const nodeId = await api.actionNode('city_op', id, 'dispatch');
    if (!townOrgId) {
      const targets = await call<{ id: string; name: string }[]>('GET', `/api/events/${id}/nodes/${nodeId}/targets?mode=dispatch&keyword=${encodeURIComponent(TOWN)}`);
      townOrgId = targets.find((t) => t.name === TOWN)!.id;
    }
    await call('POST', `/api/events/${id}/nodes/${nodeId}/dispatch`, { targets: [{ orgId: townOrgId, role: 'main', requirement: '请当日清理' }] });
    return id;
  };
  /** The number on the bell, '' when hidden; read in one go (the badge may vanish between two calls). */
  const badgeText = (page: Page) =>
    page
      .locator('[data-test="message-badge"] .el-badge__content')
      .evaluateAll((els) => els.filter((e) => getComputedStyle(e).display !== 'none').map((e) => (e.textContent ?? '').trim()).join(''));
  /** A text box marked with data-test (Element Plus puts the attribute on the <input>/<textarea> itself). */
  const box = (scope: Page | ReturnType<Page['locator']>, name: string) =>
    scope.locator(`input[data-test="${name}"], textarea[data-test="${name}"], [data-test="${name}"] input, [data-test="${name}"] textarea`).first();
  /** Pop-ups and dialogs slide in by CSS transitions the screenshot helper may not wait for. */
  const settle = (page: Page) => page.waitForTimeout(500);
  const rows = (page: Page) => page.locator('[data-test="messages-table"] .el-table__body-wrapper tbody tr');

  beforeAll(async () => {
    product = await startProduct({ EVENT_REMINDER_SECONDS: '0' });
    api = await apiAs(product.url, PW, ['city_op']);
    browser = await launch();
    // Two browser contexts: each its own cookies, as two people at two desks.
    [cityPage, townPage] = [await signIn(browser, product.url, 'city_op', PW), await signIn(browser, product.url, 'cy_op', PW)];
    for (const page of [cityPage, townPage]) await page.locator('[data-test="message-bell"]').waitFor();
  });
  afterAll(async () => {
    await browser?.close();
    await product?.close();
  });

  it('pops up a dispatch on the receiving desk within a second, with the badge, and leads to the event', async () => {
    expect(await badgeText(townPage)).toBe('');
    // The stream is open once the counts have come (a fresh page may still be connecting).
    await townPage.waitForFunction(() => !!document.querySelector('[data-test="message-bell"]'));
    await new Promise((r) => setTimeout(r, 500));

    const eventId = await dispatchToTown('消息测试：蜀州中路路口堆放杂物');
    const answered = Date.now();
    const pop = townPage.locator('[data-test="message-pop"]');
    await pop.waitFor({ state: 'visible', timeout: 1000 });
    expect(Date.now() - answered).toBeLessThan(1000);
    expect(await pop.innerText()).toContain('交办事件「消息测试：蜀州中路路口堆放杂物」');
    await expect.poll(() => badgeText(townPage), { timeout: 2000 }).toBe('1');
    await settle(townPage);
    await shot(townPage, 'messages-01-popup');
    // The dispatching desk is not told about its own work.
    expect(await cityPage.locator('[data-test="message-pop"]').count()).toBe(0);

    await townPage.locator('[data-test="message-bell"]').click();
    const panel = townPage.locator('[data-test="message-bell-panel"]');
    await expect.poll(() => panel.innerText()).toContain('消息测试：蜀州中路路口堆放杂物');
    await shot(townPage, 'messages-02-bell');
    await townPage.keyboard.press('Escape');

    await pop.locator('[data-test="message-pop-open"]').click();
    await townPage.waitForURL(new RegExp(`/events/${eventId}$`));
    await expect.poll(() => townPage.locator('.app-breadcrumb, .layout__crumbs').first().innerText()).toContain('事件详情');
    // Opening it from the pop-up read it.
    await expect.poll(() => badgeText(townPage), { timeout: 3000 }).toBe('');
  });

  it('lists the messages with select-all, mark read and delete (after confirming)', async () => {
    await dispatchToTown('消息测试：西江路井盖缺失');
    await dispatchToTown('消息测试：永康路积水');
    await expect.poll(() => badgeText(townPage), { timeout: 3000 }).toBe('2');

    await townPage.locator('[data-test="message-bell"]').click();
    await townPage.locator('[data-test="bell-all"]').click();
    await townPage.waitForURL(/\/messages/);
    await expect.poll(() => rows(townPage).count()).toBe(3);
    await expect.poll(() => townPage.locator('[data-test="message-unread"]').count()).toBe(2);
    expect(await townPage.locator('[data-test="message-tab-work"]').innerText()).toContain('2');
    await shot(townPage, 'messages-03-centre');

    // Select all, mark read: no unread row left, the badge empties.
    await townPage.locator('[data-test="messages-table"] .el-table__header .el-checkbox').click();
    await expect.poll(() => townPage.locator('.message-list__selected').innerText()).toContain('已选 3 条');
    await townPage.locator('[data-test="messages-read"]').click();
    await expect.poll(() => townPage.locator('[data-test="message-unread"]').count()).toBe(0);
    await expect.poll(() => badgeText(townPage)).toBe('');

    // A new message shows up in the open list by itself.
    await dispatchToTown('消息测试：文井江大道占道经营');
    await expect.poll(() => rows(townPage).count(), { timeout: 3000 }).toBe(4);
    await expect.poll(() => rows(townPage).first().innerText()).toContain('文井江大道占道经营');

    // Delete one, after a confirmation naming it.
    const target = rows(townPage).filter({ hasText: '西江路井盖缺失' });
    await target.locator('[data-test^="message-delete-"]').click();
    const confirm = townPage.locator('.el-message-box');
    await expect.poll(() => confirm.innerText()).toContain('将删除消息：「崇州市城市运行管理中心」交办事件「消息测试：西江路井盖缺失」，请办理。删除后不可恢复，确定删除吗？');
    await settle(townPage);
    await shot(townPage, 'messages-04-delete-confirm');
    await confirm.getByRole('button', { name: '删除' }).click();
    await expect.poll(() => rows(townPage).count()).toBe(3);
    expect(await townPage.locator('[data-test="messages-table"]').innerText()).not.toContain('西江路井盖缺失');

    // Filter by kind and keyword.
    await box(townPage, 'search-keyword').fill('永康路');
    await townPage.locator('[data-test="search-submit"]').click();
    await expect.poll(() => rows(townPage).count()).toBe(1);
    await box(townPage, 'search-keyword').fill('不存在的内容');
    await townPage.locator('[data-test="search-submit"]').click();
    await expect.poll(() => townPage.locator('[data-test="messages-table"]').innerText()).toContain('没有符合条件的消息');
    await townPage.locator('[data-test="search-reset"]').click();
    await expect.poll(() => rows(townPage).count()).toBe(3);
  });

  it('publishes a notice with an attachment, which pops up and opens with its attachment', async () => {
    await cityPage.goto(`${product.url}/messages?tab=notice`);
    await expect.poll(() => cityPage.locator('[data-test="message-list-notice"]').innerText()).toContain('暂无系统通知');
    await shot(cityPage, 'messages-05a-notice-empty');
    await cityPage.locator('[data-test="notice-publish-open"]').click();
    const dialog = cityPage.locator('[data-test="notice-publish"]');
    await dialog.waitFor();
    // Empty: refused on the form, nothing sent.
    await cityPage.locator('[data-test="notice-submit"]').click();
    await expect.poll(() => dialog.innerText()).toContain('请输入通知标题');

    await box(dialog, 'notice-title-input').fill('关于做好防汛值守工作的通知');
    await box(dialog, 'notice-content-input').fill('请各单位于今晚 20 时前落实值守人员，保持通讯畅通。');
    await dialog.getByText('指定单位', { exact: true }).click();
    await dialog.locator('.notice-publish__filter input').fill('崇阳街道');
    const townNode = dialog.locator('.el-tree-node__content').filter({ hasText: TOWN }).first();
    await townNode.waitFor();
    await townNode.locator('.el-checkbox').click();
    await expect.poll(() => dialog.innerText()).toContain('已选 1 个单位');
    await expect.poll(() => dialog.innerText()).not.toContain('请选择接收单位');
    await dialog.locator('[data-test="file-upload-input"]').setInputFiles({ name: '防汛值守安排.txt', mimeType: 'text/plain', buffer: Buffer.from('值守安排：今晚 20 时起。') });
    await expect.poll(() => dialog.locator('[data-test="file-upload-item"]').getAttribute('data-status')).toBe('done');
    await shot(cityPage, 'messages-05-notice-publish');
    await cityPage.locator('[data-test="notice-submit"]').click();
    await expect.poll(() => cityPage.locator('.el-message--success').innerText()).toContain('通知已发布，1 人将收到');
    await expect.poll(() => cityPage.locator('[data-test="notice-published-table"]').innerText()).toContain('关于做好防汛值守工作的通知');
    await settle(cityPage);
    await shot(cityPage, 'messages-06-notice-published');

    const pop = townPage.locator('[data-test="message-pop"]').filter({ hasText: '关于做好防汛值守工作的通知' });
    await pop.waitFor({ state: 'visible', timeout: 2000 });
    await pop.locator('[data-test="message-pop-open"]').click();
    const drawer = townPage.locator('[data-test="notice-drawer"]');
    await expect.poll(() => drawer.locator('[data-test="notice-title"]').innerText()).toBe('关于做好防汛值守工作的通知');
    await expect.poll(() => drawer.innerText()).toContain('防汛值守安排.txt');
    expect(await drawer.innerText()).toContain(TOWN);
    expect(await drawer.innerText()).toContain('请各单位于今晚 20 时前落实值守人员');
    await shot(townPage, 'messages-07-notice-drawer');
    const download = await Promise.all([townPage.waitForEvent('download'), drawer.locator('[data-test^="attachment-download-"]').click()]).then(([d]) => d);
    expect(download.suggestedFilename()).toBe('防汛值守安排.txt');
    await townPage.keyboard.press('Escape');
    await expect.poll(() => townPage.locator('[data-test="messages-table"]').innerText()).toContain('已读');
  });

  it('chats both ways, live', async () => {
    await cityPage.goto(`${product.url}/messages?tab=chat`);
    await expect.poll(() => cityPage.locator('[data-test="chat-panel"]').innerText()).toContain('暂无私信');
    await shot(cityPage, 'messages-08-chat-empty');
    const picker = cityPage.locator('[data-test="chat-picker"]');
    await picker.click();
    await cityPage.keyboard.type('崇阳街道城运中心值班员');
    const option = cityPage.locator('.el-select-dropdown__item').filter({ hasText: '崇阳街道城运中心值班员' }).first();
    await option.waitFor();
    await option.click();
    await expect.poll(() => cityPage.locator('[data-test="chat-peer-name"]').innerText()).toBe('崇阳街道城运中心值班员');
    await box(cityPage, 'chat-input').fill('蜀州中路的交办请今天内反馈进度');
    await cityPage.locator('[data-test="chat-send"]').click();
    await expect.poll(() => cityPage.locator('[data-test="chat-line"]').count()).toBe(1);

    const pop = townPage.locator('[data-test="chat-pop"]');
    await pop.waitFor({ state: 'visible', timeout: 2000 });
    expect(await pop.innerText()).toContain('蜀州中路的交办请今天内反馈进度');
    expect(await pop.innerText()).toContain('市城运中心值班员');
    await settle(townPage);
    await shot(townPage, 'messages-09-chat-popup');
    await pop.locator('[data-test="message-pop-open"]').click();
    await townPage.waitForURL(/\/messages\?tab=chat/);
    await expect.poll(() => townPage.locator('[data-test="chat-lines"]').innerText()).toContain('蜀州中路的交办请今天内反馈进度');
    await box(townPage, 'chat-input').fill('收到，已安排网格员处理，下午反馈');
    await townPage.keyboard.press('Control+Enter');

    // The reply arrives in the open thread on the other desk without a reload, and no pop-up there.
    await expect.poll(() => cityPage.locator('[data-test="chat-lines"]').innerText(), { timeout: 3000 }).toContain('收到，已安排网格员处理，下午反馈');
    expect(await cityPage.locator('[data-test="chat-pop"]').count()).toBe(0);
    await expect.poll(() => cityPage.locator('[data-test^="chat-conversation-"]').first().innerText()).toContain('收到，已安排网格员处理');
    await shot(cityPage, 'messages-10-chat-thread');
    await shot(townPage, 'messages-11-chat-thread-town');
    await expect.poll(() => badgeText(cityPage)).toBe('');
  });
});
