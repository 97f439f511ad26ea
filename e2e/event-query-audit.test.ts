import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import ExcelJS from 'exceljs';
import { sql } from 'drizzle-orm';
import { apiAs, DEMO_PASSWORD as PW, input, lastMessage, launch, PNG, shot, signIn, skipBrowser, startProduct, type ApiAs } from './browser.js';

const TYPE = 'urban.appearance.clutter';

const T = {
  city: '市级下派：蜀州中路井盖破损',
  cityReturn: '市级下派：西江河堤占道施工未围挡',
  own: '崇阳街道自查：文化广场路灯不亮',
  grid: '汇蜀社区网格巡查：楼道堆放杂物',
  done: '崇阳街道自查：商铺广告牌松动',
  other: '羊马街道：河道漂浮物清理',
};

interface Detail {
  event: { id: string; status: string; deadline: string | null };
  tree: { id: string; orgName: string; status: string; deadline: string | null }[];
  requests: { id: string; kind: string; status: string; auditOpinion: string | null }[];
}

/**
 * 事件查询 and 事件审核 in the browser: events made through the API by the demo accounts show in the
 * right views and 本级/下级 scopes of 崇阳街道城运中心; keyword and advanced search narrow; a saved
 * condition comes back; the export holds the rows; the city centre audits a delay and a return.
 */
describe.skipIf(skipBrowser)('事件查询 and 事件审核 in the browser', () => {
  let product: Awaited<ReturnType<typeof startProduct>>;
  let browser: Browser;
  let cy: Page;
  let api: ApiAs;
  const ids: Record<keyof typeof T, string> = {} as never;
  let delayTo = '';

  const call = <T = any>(user: string, method: string, url: string, body?: unknown) => api.call<T>(user, method, url, body);
  const detail = (user: string, id: string) => call<Detail>(user, 'GET', `/api/events/${id}`);
  const act = async (user: string, id: string, action: string, body: unknown) =>
    call(user, 'POST', `/api/events/${id}/nodes/${await api.actionNode(user, id, action)}/${action}`, body);
  const create = async (user: string, title: string, source: string, regionCode?: string) =>
    (await call<{ id: string }>(user, 'POST', '/api/events', { typeCode: TYPE, title, content: `${title}，请及时处置。`, source, regionCode })).id;
  /** The city centre dispatches to 崇阳街道城运中心 as the main organisation. */
  const dispatchToChongyang = async (id: string, isKey: boolean) => {
    const nodeId = await api.actionNode('city_op', id, 'dispatch');
    const targets = await call<{ id: string; name: string }[]>('city_op', 'GET', `/api/events/${id}/nodes/${nodeId}/targets?mode=dispatch`);
    const cyc = targets.find((o) => o.name === '崇阳街道城运中心')!;
    await call('city_op', 'POST', `/api/events/${id}/nodes/${nodeId}/dispatch`, { targets: [{ orgId: cyc.id, role: 'main', requirement: '请核实处置' }], isKey });
  };

  beforeAll(async () => {
    product = await startProduct();
    api = await apiAs(product.url, PW, ['city_op', 'cy_op', 'ym_op', 'hs_grid']);
    ids.city = await create('city_op', T.city, 'hotline');
    await dispatchToChongyang(ids.city, true);
    ids.cityReturn = await create('city_op', T.cityReturn, 'hotline');
    await dispatchToChongyang(ids.cityReturn, false);
    ids.own = await create('cy_op', T.own, 'self', '510184001');
    ids.grid = await create('hs_grid', T.grid, 'grid', '510184001018');
    ids.other = await create('ym_op', T.other, 'self', '510184002');
    ids.done = await create('cy_op', T.done, 'self');
    await act('cy_op', ids.done, 'handle', { opinion: '已加固广告牌' });
    await call('cy_op', 'POST', `/api/events/${ids.done}/close`, { opinion: '经核实已处置到位' });

    browser = await launch();
    cy = await signIn(browser, product.url, 'cy_op', PW);
  });
  afterAll(async () => {
    await browser?.close();
    await product?.close();
  });

  const table = (p: Page, name: string) => p.locator(`[data-test="${name}"]`);
  const settled = (p: Page, name: string) => expect.poll(() => table(p, name).locator('.el-loading-mask').isVisible()).toBe(false);
  const titles = async (p: Page) => (await table(p, 'query-table').locator('[data-test="row-title"]').allInnerTexts()).sort();
  const only = (...keys: (keyof typeof T)[]) => keys.map((k) => T[k]).sort();
  const row = (p: Page, name: string, text: string) => table(p, name).locator('.el-table__body tr', { hasText: text });
  const pick = async (p: Page, select: string, option: string) => {
    await p.locator(`[data-test="${select}"]`).click();
    await p.locator('.el-select-dropdown__item:visible', { hasText: option }).click();
  };

  it('shows each view and scope of 崇阳街道城运中心, narrows by keyword and advanced search, and restores a saved condition', async () => {
    await cy.goto(`${product.url}/events/query`);
    // 处置中, 本级及下级 by default: the city's two dispatches, its own event and its community's; never 羊马 or the closed one.
    await expect.poll(() => titles(cy)).toEqual(only('city', 'cityReturn', 'own', 'grid'));
    expect(await cy.locator('[data-test="query-total"]').innerText()).toBe('共 4 条');
    expect(await row(cy, 'query-table', T.city).innerText()).toContain('重点');
    expect(await row(cy, 'query-table', T.grid).innerText()).toContain('汇蜀社区');
    await settled(cy, 'query-table');
    await shot(cy, 'query-01-processing');

    await cy.locator('[data-test="scope-self"]').click();
    await expect.poll(() => titles(cy)).toEqual(only('city', 'cityReturn', 'own'));
    await cy.locator('[data-test="scope-children"]').click();
    await expect.poll(() => titles(cy)).toEqual(only('grid'));
    await settled(cy, 'query-table');
    await shot(cy, 'query-02-scope-children');
    await cy.locator('[data-test="scope-selfAndChildren"]').click();
    await expect.poll(() => titles(cy)).toHaveLength(4);

    await cy.locator('[data-test="view-done"]').click();
    await expect.poll(() => titles(cy)).toEqual(only('done'));
    expect(await row(cy, 'query-table', T.done).innerText()).toContain('已办结');
    await cy.locator('[data-test="view-city"]').click();
    await expect.poll(() => titles(cy)).toEqual(only('city', 'cityReturn'));
    expect(await table(cy, 'query-table').innerText()).toContain('下派时间');
    await cy.locator('[data-test="view-key"]').click();
    await expect.poll(() => titles(cy)).toEqual(only('city'));
    await cy.locator('[data-test="view-mine"]').click();
    await expect.poll(() => titles(cy)).toEqual(only('own', 'done'));
    expect(await cy.locator('[data-test="query-scope"]').count()).toBe(0);
    await cy.locator('[data-test="view-all"]').click();
    await expect.poll(() => titles(cy)).toEqual(only('city', 'cityReturn', 'own', 'grid', 'done'));

    // Fuzzy on the title, then on part of the number.
    await input(cy, 'query-keyword').fill('路灯');
    await cy.locator('[data-test="query-submit"]').click();
    await expect.poll(() => titles(cy)).toEqual(only('own'));
    const no = (await row(cy, 'query-table', T.own).locator('.co-mono').innerText()).trim();
    expect(no).toMatch(/^ZC\d{14}$/);
    await input(cy, 'query-keyword').fill(no.slice(0, 12));
    await cy.locator('[data-test="query-submit"]').click();
    await expect.poll(() => titles(cy)).toContain(T.own);
    expect(await titles(cy)).not.toContain(T.city);

    // Advanced: 自查自处 across every status, then only the closed ones.
    await cy.locator('[data-test="query-reset"]').click();
    await expect.poll(() => titles(cy)).toHaveLength(5);
    await cy.locator('[data-test="query-advanced-toggle"]').click();
    await pick(cy, 'adv-source', '自查自处');
    await cy.locator('[data-test="adv-submit"]').click();
    await expect.poll(() => titles(cy)).toEqual(only('own', 'done'));
    await settled(cy, 'query-table');
    await shot(cy, 'query-03-advanced');

    // Saved as 常用查询, cleared, then applied again.
    await cy.locator('[data-test="saved-queries-trigger"]').click();
    await cy.locator('[data-test="saved-query-save"]').click();
    await cy.locator('.el-message-box input').fill('崇阳自查事件');
    await cy.locator('.el-message-box__btns .el-button--primary').click();
    await expect.poll(() => lastMessage(cy).innerText()).toContain('已保存常用查询「崇阳自查事件」');
    await cy.locator('[data-test="view-processing"]').click();
    await cy.locator('[data-test="query-reset"]').click();
    await expect.poll(() => titles(cy)).toHaveLength(4);
    await cy.locator('[data-test="saved-queries-trigger"]').click();
    await cy.locator('[data-test="saved-query-item"]', { hasText: '崇阳自查事件' }).click();
    await expect.poll(() => titles(cy)).toEqual(only('own', 'done'));
    expect(await cy.locator('[data-test="view-all"]').locator('xpath=..').getAttribute('aria-selected')).toBe('true');
    expect(await cy.locator('[data-test="adv-source"]').innerText()).toContain('自查自处');
    await settled(cy, 'query-table');
    await shot(cy, 'query-04-saved-applied');

    // The export holds exactly the rows on screen.
    const [download] = await Promise.all([cy.waitForEvent('download'), cy.locator('[data-test="query-export"]').click()]);
    expect(download.suggestedFilename()).toMatch(/^事件查询_\d{8}_\d{4}\.xlsx$/);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cityops-dl-')), download.suggestedFilename());
    await download.saveAs(file);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const ws = wb.getWorksheet('事件')!;
    expect(ws.getRow(1).getCell(2).value).toBe('事件标题');
    const exported = [];
    for (let i = 2; i <= ws.rowCount; i++) exported.push(String(ws.getRow(i).getCell(2).value));
    expect(exported.sort()).toEqual(only('own', 'done'));
    await expect.poll(() => lastMessage(cy).innerText()).toContain('导出成功，共 2 条');

    // 事发区域: a town takes in its communities.
    await cy.locator('[data-test="adv-clear"]').click();
    await expect.poll(() => titles(cy)).toHaveLength(5);
    await cy.locator('[data-test="region-picker"] input').click();
    await cy.locator('.el-cascader-node:visible', { hasText: /^崇阳街道$/ }).click();
    await cy.locator('[data-test="region-picker"] input').click();
    await cy.locator('[data-test="adv-submit"]').click();
    await expect.poll(() => titles(cy)).toEqual(only('own', 'grid'));
    expect(await row(cy, 'query-table', T.grid).innerText()).toContain('汇蜀社区');
  });

  it('marks a key order and supervises from the list; the server refuses what it must', async () => {
    await cy.locator('[data-test="query-reset"]').click();
    await cy.locator('[data-test="view-processing"]').click();
    await expect.poll(() => titles(cy)).toHaveLength(4);

    await row(cy, 'query-table', T.own).locator('[data-test="row-key"]').click();
    await expect.poll(() => cy.locator('.el-message-box').innerText()).toContain(`确定将事件「${T.own}」标记为重点工单吗`);
    await cy.locator('.el-message-box__btns .el-button--primary').click();
    await expect.poll(() => lastMessage(cy).innerText()).toContain('已标记为重点工单');
    await expect.poll(() => row(cy, 'query-table', T.own).locator('[data-test="tag-key"]').count()).toBe(1);

    // A city-dispatched event keeps the city's mark: the server says why.
    await row(cy, 'query-table', T.city).locator('[data-test="row-key"]').click();
    await cy.locator('.el-message-box__btns .el-button--primary').click();
    await expect.poll(() => cy.locator('.el-message--error').last().innerText()).toContain('市级派发的事件以市级的重点工单标记为准');
    await cy.locator('[data-test="view-key"]').click();
    await expect.poll(() => titles(cy)).toEqual(only('city', 'own'));

    // 督办 the community's event; only events in progress offer it.
    await cy.locator('[data-test="view-processing"]').click();
    await expect.poll(() => titles(cy)).toHaveLength(4);
    await row(cy, 'query-table', T.grid).locator('[data-test="row-supervise"]').click();
    const dialog = cy.locator('[data-test="directive-dialog-supervise"]');
    await expect.poll(() => dialog.innerText()).toContain('督办人');
    expect(await input(cy, 'directive-person').inputValue()).toBe('崇阳街道城运中心值班员');
    await cy.locator('textarea[data-test="directive-text"]').fill('请三日内清理完毕并反馈');
    await shot(cy, 'query-05-supervise-dialog');
    await cy.locator('[data-test="directive-submit"]').click();
    await expect.poll(() => lastMessage(cy).innerText()).toContain('督办已提交');
    await expect.poll(() => row(cy, 'query-table', T.grid).locator('[data-test="tag-supervised"]').count()).toBe(1);
    await cy.locator('[data-test="view-done"]').click();
    await expect.poll(() => titles(cy)).toEqual(only('done'));
    expect(await row(cy, 'query-table', T.done).locator('[data-test="row-supervise"]').count()).toBe(0);
    expect(await row(cy, 'query-table', T.done).locator('[data-test="row-instruct"]').count()).toBe(1);
    await settled(cy, 'query-table');
    await shot(cy, 'query-06-done');

    // Row click opens the detail; the 审核查询 tab leads to the audit page.
    await row(cy, 'query-table', T.done).locator('[data-test="row-title"]').click();
    await cy.waitForURL(new RegExp(`/events/${ids.done}$`));
    await cy.goto(`${product.url}/events/query`);
    await cy.locator('[data-test="view-audit"]').click();
    await cy.waitForURL(/\/events\/audit/);
  });

  it('the city centre approves a delay and refuses a return on the audit page; 崇阳 sees the results', async () => {
    // 崇阳 asks: three more days on the city's event, and to return the other with a photo.
    const before = (await detail('cy_op', ids.city)).tree.find((n) => n.orgName === '崇阳街道城运中心')!;
    delayTo = new Date(Date.parse(before.deadline!) + 3 * 86400_000).toISOString();
    await act('cy_op', ids.city, 'delay', { newDeadline: delayTo, reason: '井盖需定制，等待厂家供货' });
    const photo = await api.upload('cy_op', '河堤现场照片.png', PNG, 'image/png');
    await act('cy_op', ids.cityReturn, 'return', { reason: '该河堤属羊马街道辖区，交办有误', fileIds: [photo] });

    const city = await signIn(browser, product.url, 'city_op', PW);
    await city.goto(`${product.url}/events/audit`);
    await expect.poll(() => table(city, 'audit-table').locator('.el-table__body tr').count()).toBe(2);
    await expect.poll(() => city.locator('[data-test="box-count-todo"]').innerText()).toBe('2');
    const delayRow = row(city, 'audit-table', T.city);
    expect(await delayRow.innerText()).toContain('延期申请');
    // Within the year the cell leaves the year out; the dialog shows it whole.
    const compact = (iso: string) => (shortTime(iso).slice(0, 4) === shortTime(new Date().toISOString()).slice(0, 4) ? shortTime(iso).slice(5) : shortTime(iso));
    expect(await delayRow.locator('[data-test="old-deadline"]').innerText()).toBe(compact(before.deadline!));
    expect(await delayRow.locator('[data-test="new-deadline"]').innerText()).toBe(compact(delayTo));
    expect(await delayRow.innerText()).toContain('延长 3 天');
    expect(await delayRow.innerText()).toContain('井盖需定制，等待厂家供货');
    const returnRow = row(city, 'audit-table', T.cityReturn);
    expect(await returnRow.innerText()).toContain('退回申请');
    expect(await returnRow.innerText()).toContain('该河堤属羊马街道辖区，交办有误');
    expect(await returnRow.innerText()).toContain('崇阳街道城运中心');
    await returnRow.locator('[data-test="return-files-toggle"]').click();
    await expect.poll(() => city.locator('.el-popover:visible').innerText()).toContain('河堤现场照片.png');
    await settled(city, 'audit-table');
    await shot(city, 'audit-01-todo');
    await city.keyboard.press('Escape');
    await city.locator('[data-test="audit-search-submit"]').click();

    // Approve the delay.
    await delayRow.locator('[data-test="row-audit"]').click();
    const dialog = city.locator('.el-dialog[data-test="action-dialog-audit"]');
    await expect.poll(() => dialog.innerText()).toContain('审核延期申请');
    expect(await dialog.locator('[data-test="audit-old-deadline"]').innerText()).toBe(shortTime(before.deadline!));
    expect(await dialog.locator('[data-test="audit-new-deadline"]').innerText()).toBe(shortTime(delayTo));
    expect(await dialog.innerText()).toContain(T.city);
    await dialog.locator('textarea[data-test="audit-opinion"]').fill('同意延期，请按期完成');
    await shot(city, 'audit-02-delay-dialog');
    await dialog.locator('[data-test="action-submit"]').click();
    await expect.poll(() => lastMessage(city).innerText()).toContain('审核通过，新的办理期限已生效');
    await expect.poll(() => table(city, 'audit-table').locator('.el-table__body tr').count()).toBe(1);
    const delayed = (await detail('cy_op', ids.city)).tree.find((n) => n.orgName === '崇阳街道城运中心')!;
    expect(Date.parse(delayed.deadline!)).toBe(Date.parse(delayTo));

    // Refuse the return: 崇阳 keeps the to-do.
    await returnRow.locator('[data-test="row-audit"]').click();
    await expect.poll(() => dialog.innerText()).toContain('审核退回申请');
    await expect.poll(() => dialog.innerText()).toContain('河堤现场照片.png');
    await dialog.locator('[data-test="audit-refuse"]').click();
    expect(await dialog.locator('[data-test="audit-effect"]').innerText()).toContain('需继续办理');
    await dialog.locator('textarea[data-test="audit-opinion"]').fill('经核实属崇阳辖区，请继续办理');
    await shot(city, 'audit-03-return-dialog');
    await dialog.locator('[data-test="action-submit"]').click();
    await expect.poll(() => lastMessage(city).innerText()).toContain('已审核不通过');
    await expect.poll(() => city.locator('[data-test="box-count-todo"]').innerText()).toBe('0');
    expect(await table(city, 'audit-table').innerText()).toContain('暂无待审核的申请');
    const kept = await detail('cy_op', ids.cityReturn);
    expect(kept.tree.find((n) => n.orgName === '崇阳街道城运中心')!.status).toBe('todo');
    expect(kept.requests.map((r) => [r.kind, r.status, r.auditOpinion])).toEqual([['return', 'refused', '经核实属崇阳辖区，请继续办理']]);
    await shot(city, 'audit-04-todo-empty');

    await city.locator('[data-test="box-audited"]').click();
    await expect.poll(() => table(city, 'audit-table').locator('.el-table__body tr').count()).toBe(2);
    expect(await row(city, 'audit-table', T.city).innerText()).toContain('审核通过');
    expect(await row(city, 'audit-table', T.cityReturn).innerText()).toContain('审核不通过');
    // Narrowed by kind.
    await pick(city, 'audit-kind', '退回申请');
    await city.locator('[data-test="audit-search-submit"]').click();
    await expect.poll(() => table(city, 'audit-table').locator('.el-table__body tr').count()).toBe(1);
    await settled(city, 'audit-table');
    await shot(city, 'audit-05-audited');
    await city.context().close();

    // 崇阳's own requests and their results.
    await cy.goto(`${product.url}/events/audit?box=mine`);
    await expect.poll(() => table(cy, 'audit-table').locator('.el-table__body tr').count()).toBe(2);
    expect(await row(cy, 'audit-table', T.city).innerText()).toContain('审核通过');
    expect(await row(cy, 'audit-table', T.city).innerText()).toContain('同意延期，请按期完成');
    expect(await row(cy, 'audit-table', T.cityReturn).innerText()).toContain('审核不通过');
    expect(await cy.locator('[data-test="box-count-mine"]').innerText()).toBe('2');
    await settled(cy, 'audit-table');
    await shot(cy, 'audit-06-mine');
  });

  it('counts up to 1000 and says “1000+” beyond, and warns before a large export', async () => {
    // 1,001 more events of 汇蜀社区, copied from the community's event.
    await product.database.db.execute(sql`insert into evt_event (title, content, type_code, source, status, region_code, creator_id, creator_name, creator_org_id, creator_org_name, owner_org_id, org_ids)
      select e.title || '（' || g || '）', e.content, e.type_code, e.source, 'processing', e.region_code, e.creator_id, e.creator_name, e.creator_org_id, e.creator_org_name, e.owner_org_id, e.org_ids
      from evt_event e, generate_series(1, 1001) g where e.id = ${ids.grid}`);
    await cy.goto(`${product.url}/events/query?view=processing`);
    await expect.poll(() => cy.locator('[data-test="query-total"]').innerText()).toBe('共 1000+ 条');
    expect(await table(cy, 'query-table').locator('.el-table__body tr').count()).toBe(20);
    await cy.locator('[data-test="query-export"]').click();
    await expect.poll(() => cy.locator('.el-message-box').innerText()).toContain('符合条件的事件超过 1000 条');
    await settled(cy, 'query-table');
    await shot(cy, 'query-07-capped-export-warning');
    await cy.locator('.el-message-box__btns .el-button', { hasText: '取消' }).click();
    // The scope still narrows: 本级 has only the first three.
    await cy.locator('[data-test="scope-self"]').click();
    await expect.poll(() => cy.locator('[data-test="query-total"]').innerText()).toBe('共 3 条');
  });
});

/** As the screens show times: 'YYYY-MM-DD HH:mm' in the browser's zone (Asia/Shanghai). */
function shortTime(iso: string): string {
  const d = new Date(Date.parse(iso) + 8 * 3600_000);
  return d.toISOString().slice(0, 16).replace('T', ' ');
}
