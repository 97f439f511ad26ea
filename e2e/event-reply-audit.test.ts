import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import {
  actionButton, apiAs, DEMO_PASSWORD as PW, gotoHandle, lastMessage, launch, openAction, PNG, shot, signIn, skipBrowser, startProduct, textField, type ApiAs,
} from './browser.js';

const TYPE = 'urban.appearance.clutter';
const TOWN = '崇阳街道城运中心';
const CITY = '崇州市城市运行管理中心';
const TITLE = '市级下派：正西街人行道垃圾堆积';
const OPINION = '已组织清运垃圾，人行道恢复通行';

interface Detail {
  event: { status: string };
  tree: { id: string; orgName: string; status: string; replyAudit: boolean; opinion: string | null }[];
  timeline: { action: string; opinion: string | null }[];
  actions: { action: string; nodeId: string | null }[];
}

/**
 * 回复需审核 in the browser: the city centre marks 崇阳 「回复需审核」 when it dispatches; 崇阳's 办理
 * says the result needs the city's approval and waits; the city approves it on 事件审核 and the
 * event moves on to 待结案.
 */
describe.skipIf(skipBrowser)('回复需审核 in the browser', () => {
  let product: Awaited<ReturnType<typeof startProduct>>;
  let browser: Browser;
  let api: ApiAs;
  let eventId = '';

  const call = <T = any>(user: string, method: string, url: string, body?: unknown) => api.call<T>(user, method, url, body);
  const detail = () => call<Detail>('city_op', 'GET', `/api/events/${eventId}`);
  const nodeOf = async (orgName: string) => (await detail()).tree.find((n) => n.orgName === orgName)!;

  async function handlePage(user: string, orgName: string): Promise<Page> {
    const page = await signIn(browser, product.url, user, PW);
    await gotoHandle(page, product.url, eventId, (await nodeOf(orgName)).id);
    return page;
  }

  beforeAll(async () => {
    product = await startProduct();
    api = await apiAs(product.url, PW, ['city_op', 'cy_op']);
    eventId = (await call<{ id: string }>('city_op', 'POST', '/api/events', { typeCode: TYPE, title: TITLE, content: `${TITLE}，请及时处置。`, source: 'hotline' })).id;
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await product?.close();
  });

  it('the city marks 回复需审核 when dispatching, 崇阳 handles, the city approves on 事件审核 and the event waits to be closed', async () => {
    // The city dispatches to 崇阳 with the mark.
    const city = await handlePage('city_op', CITY);
    const dispatch = await openAction(city, 'dispatch');
    await textField(dispatch, 'target-search', 'input').fill('崇阳');
    await dispatch.locator(`[data-test="org-target-picker"] [data-test="target-${TOWN}"]`).click();
    await expect.poll(() => dispatch.locator('[data-test="dispatch-summary"]').innerText()).toContain('主办 1');
    await dispatch.locator(`[data-test="target-reply-audit-${TOWN}"]`).click();
    await shot(city, 'reply-audit-01-dispatch');
    await dispatch.locator('[data-test="action-submit"]').click();
    await expect.poll(() => lastMessage(city).innerText()).toContain(`已交办「${TOWN}」`);
    const town = await nodeOf(TOWN);
    expect([town.status, town.replyAudit]).toEqual(['todo', true]);

    // 崇阳 handles: told first that the city approves the result, then it waits.
    const cy = await handlePage('cy_op', TOWN);
    const handle = await openAction(cy, 'handle');
    expect(await handle.innerText()).toContain(`办理结果需经「${CITY}」审核后生效`);
    await textField(handle, 'action-handle-text').fill(OPINION);
    await handle.locator('input[data-test="file-upload-input"]').setInputFiles({ name: '清运后照片.png', mimeType: 'image/png', buffer: PNG });
    await expect.poll(() => handle.locator('[data-test="file-upload-item"]').getAttribute('data-status')).toBe('done');
    await shot(cy, 'reply-audit-02-handle');
    await handle.locator('[data-test="action-submit"]').click();
    await expect.poll(() => lastMessage(cy).innerText()).toContain(`办理结果已提交，请等待「${CITY}」审核`);
    await expect.poll(() => actionButton(cy, 'handle').count()).toBe(0);
    const waiting = await detail();
    expect(waiting.event.status).toBe('processing');
    expect((await nodeOf(TOWN)).status).toBe('todo');

    // The city finds it in 待我审核 (filtered to 回复申请), with the opinion and the photo.
    await city.goto(`${product.url}/events/audit`);
    await expect.poll(() => city.locator('[data-test="audit-table"]').innerText()).toContain(TITLE);
    await city.locator('[data-test="audit-kind"]').click();
    await city.locator('.el-select-dropdown__item:visible', { hasText: '回复申请' }).click();
    await city.locator('[data-test="audit-search-submit"]').click();
    const row = city.locator('[data-test="audit-table"] .el-table__body tr', { hasText: TITLE });
    await expect.poll(() => row.innerText()).toContain('回复申请');
    expect(await row.innerText()).toContain(OPINION);
    expect(await row.innerText()).toContain(TOWN);
    await row.locator('[data-test="return-files-toggle"]').click();
    await expect.poll(() => city.locator('.el-popover:visible').innerText()).toContain('清运后照片.png');
    expect(await city.locator('.el-popover:visible').innerText()).toContain('回复申请的附件');
    await shot(city, 'reply-audit-03-audit-list');
    await city.keyboard.press('Escape');

    const audit = city.locator('.el-dialog[data-test="action-dialog-audit"]');
    await row.locator('[data-test="row-audit"]').click();
    await expect.poll(() => audit.innerText()).toContain('审核回复申请');
    expect(await audit.locator('[data-test="audit-reason"]').innerText()).toBe(OPINION);
    await expect.poll(() => audit.innerText()).toContain('清运后照片.png');
    expect(await audit.locator('[data-test="audit-effect"]').innerText()).toBe(`通过后「${TOWN}」的办理结果生效`);
    await textField(audit, 'audit-opinion').fill('现场已核实，同意');
    await shot(city, 'reply-audit-04-audit-dialog');
    await audit.locator('[data-test="action-submit"]').click();
    await expect.poll(() => lastMessage(city).innerText()).toContain('回复申请已审核通过，办理结果已生效');
    await expect.poll(() => city.locator('[data-test="box-count-todo"]').innerText()).toBe('0');

    // The result counts as a 办理 would: 崇阳 submitted, the city may verify and close.
    const after = await detail();
    const done = after.tree.find((n) => n.orgName === TOWN)!;
    expect([done.status, done.opinion]).toEqual(['submitted', OPINION]);
    expect(after.event.status).toBe('handled');
    expect(after.tree.find((n) => n.orgName === CITY)!.status).toBe('closing');
    expect(after.actions.map((a) => a.action)).toContain('close');
    expect(after.timeline.map((e) => e.action).slice(-2)).toEqual(['reply_request', 'audit_approve']);
    await city.goto(`${product.url}/events/${eventId}`);
    await city.locator('[data-test="detail-tabs"] .el-tabs__item', { hasText: '处置过程' }).click();
    const timeline = city.locator('[data-test="event-timeline"]');
    await expect.poll(() => timeline.innerText()).toContain('申请回复审核');
    expect(await timeline.innerText()).toContain('清运后照片.png');
    // The city's approval is in its own log (市级日志).
    await timeline.locator('[data-test="timeline-which"] label', { hasText: '市级日志' }).click();
    await expect.poll(() => timeline.innerText()).toContain(`审核「${TOWN}」的回复申请`);
    expect(await timeline.innerText()).toContain(`${TOWN}（主办，回复需审核）`);
    await shot(city, 'reply-audit-05-detail');
  });
});
