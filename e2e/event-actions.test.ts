import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import {
  actionButton, apiAs, confirmBox, DEMO_PASSWORD as PW, gotoHandle, lastMessage, launch, openAction, PNG, shot, signIn, skipBrowser, startProduct,
  textField, type ApiAs,
} from './browser.js';

const TYPE = 'urban.appearance.clutter';
const TOWN = '崇阳街道城运中心';
const DEPT = '崇州市综合行政执法局';

interface Detail {
  event: { id: string; status: string; isKey: boolean; supervised: boolean };
  tree: { id: string; parentId: string | null; orgName: string; role: string; status: string; requirement: string | null; deadline: string | null }[];
  timeline: { action: string; actorOrgName: string | null; opinion: string | null; attachments: { name: string }[] }[];
  directives: { kind: string; person: string; dept: string; position: string | null; content: string }[];
  requests: { kind: string; status: string }[];
  actions: { action: string; nodeId: string | null }[];
}

/**
 * The action bar and its dialogs on the real handling page (/events/:id/handle/:nodeId): a city duty
 * officer dispatches to a town (主办) and a department (协办) using search, a recommendation and a
 * saved group; marks the event key, instructs and supervises; the town signs, asks for a delay and
 * handles; the department asks to return; the city audits both and closes the event.
 */
describe.skipIf(skipBrowser)('event actions on the handling page', { timeout: 240_000 }, () => {
  let product: Awaited<ReturnType<typeof startProduct>>;
  let browser: Browser;
  let api: ApiAs;
  let eventId = '';

  const call = <T = unknown>(user: string, method: string, url: string, body?: unknown) => api.call<T>(user, method, url, body);
  const detail = (user = 'city_op', id = eventId) => call<Detail>(user, 'GET', `/api/events/${id}`);
  const nodeOf = async (orgName: string, user = 'city_op', id = eventId) => (await detail(user, id)).tree.find((n) => n.orgName === orgName)!;
  const create = (title: string) =>
    call<{ id: string }>('city_op', 'POST', '/api/events', { typeCode: TYPE, title, content: '小区门口堆放建筑垃圾，影响通行', source: 'hotline', address: '崇阳街道蜀州中路' });

  beforeAll(async () => {
    product = await startProduct({ EVENT_REMINDER_SECONDS: '0' });
    api = await apiAs(product.url, PW, ['city_op', 'cy_op', 'zfj_handler', 'hs_grid', 'ym_op']);
    // An earlier event of the same type handled by the town as 主办: the dialog recommends the town.
    const earlier = await create('同类事件：人行道堆放杂物');
    const root = (await detail('city_op', earlier.id)).tree[0]!;
    const town = (await call<{ id: string; name: string }[]>('city_op', 'GET', `/api/events/${earlier.id}/nodes/${root.id}/targets?mode=dispatch&keyword=${encodeURIComponent(TOWN)}`))[0]!;
    await call('city_op', 'POST', `/api/events/${earlier.id}/nodes/${root.id}/dispatch`, { targets: [{ orgId: town.id, role: 'main' }] });
    const townNode = await nodeOf(TOWN, 'city_op', earlier.id);
    await call('cy_op', 'POST', `/api/events/${earlier.id}/nodes/${townNode.id}/handle`, { opinion: '已清理' });

    eventId = (await create('蜀州中路小区门口堆放建筑垃圾')).id;
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await product?.close();
  });

  /** A logged-in page of `user` on the handling page of their organisation's node `orgName`. */
  async function handlePage(user: string, orgName: string, id = eventId): Promise<Page> {
    const page = await signIn(browser, product.url, user, PW);
    await gotoHandle(page, product.url, id, (await nodeOf(orgName, user, id)).id);
    return page;
  }
  /** Lets a form's error message finish fading in before a screenshot. */
  const settled = (page: Page) => page.waitForTimeout(400);
  async function cancel(d: Locator) {
    await d.locator('.el-dialog__footer button', { hasText: '取消' }).click();
    await d.waitFor({ state: 'hidden' });
  }

  let city: Page;
  const page0 = () => city.locator('[data-test="event-action-bar"]');

  it('the city operator sees the actions allowed before dispatching, 作废 among them', async () => {
    city = await handlePage('city_op', '崇州市城市运行管理中心');
    const bar = page0();
    for (const a of ['handle', 'dispatch', 'track', 'void', 'key', 'instruct', 'supervise', 'force-close']) {
      expect(await actionButton(city, a).count(), a).toBe(1);
    }
    // The city centre has no one above it to report to.
    expect(await actionButton(city, 'report').count()).toBe(0);
    expect(await bar.innerText()).not.toMatch(/[A-Za-z]{3,}/);
    await shot(city, 'event-actions-01-city-bar');

    const voidDialog = await openAction(city, 'void');
    await voidDialog.locator('[data-test="action-submit"]').click();
    await expect.poll(() => voidDialog.innerText()).toContain('请填写作废原因');
    await settled(city);
    await shot(city, 'event-actions-02-void-dialog');
    await cancel(voidDialog);
  });
  it('dispatches to the town (主办) and a department (协办) through search, a recommendation and a saved group', async () => {
    const d = await openAction(city, 'dispatch');
    const tree = d.locator('[data-test="org-target-picker"]');
    await expect.poll(() => tree.innerText()).toContain('部门（');
    expect(await tree.innerText()).toContain('镇街（');
    // 同类事件推荐: the town handled an event of this type before.
    const recommend = d.locator(`[data-test="recommend-${TOWN}"]`);
    await recommend.waitFor();
    await recommend.click();
    await expect.poll(() => d.locator('[data-test="dispatch-summary"]').innerText()).toContain('已选 1 个单位：主办 1');

    await textField(d, 'target-search', 'input').fill('执法');
    await expect.poll(() => tree.locator('.el-tree-node').count()).toBeLessThan(10);
    await tree.locator(`[data-test="target-${DEPT}"]`).click();
    await expect.poll(() => d.locator('[data-test="dispatch-summary"]').innerText()).toContain('已选 2 个单位：主办 1，协办 1，抄送 0');
    await shot(city, 'event-actions-03-dispatch-search');

    // Save the selection as a group, clear it, and pick the group again in one click.
    await d.locator('[data-test="dispatch-group-save"]').click();
    const prompt = city.locator('.el-message-box').last();
    await prompt.locator('input').fill('市容常用单位');
    await confirmBox(city, '保存');
    await expect.poll(() => lastMessage(city).innerText()).toContain('已保存交办分组「市容常用单位」');
    await d.locator(`[data-test="target-remove-${TOWN}"]`).click();
    await d.locator(`[data-test="target-remove-${DEPT}"]`).click();
    await expect.poll(() => d.locator('[data-test="dispatch-summary"]').innerText()).toBe('尚未选择交办单位');
    await d.locator('[data-test="dispatch-group-市容常用单位"]').click();
    await expect.poll(() => d.locator('[data-test="dispatch-summary"]').innerText()).toContain('主办 1，协办 1');

    // The server's rule, checked before sending: exactly one 主办.
    await d.locator(`[data-test="target-role-${TOWN}"] label`, { hasText: '协办' }).click();
    await d.locator('[data-test="action-submit"]').click();
    await expect.poll(() => d.innerText()).toContain('交办时须设置且只能设置一个主办单位');
    await settled(city);
    await shot(city, 'event-actions-04-dispatch-one-main');
    await d.locator(`[data-test="target-role-${TOWN}"] label`, { hasText: '主办' }).click();

    await textField(d, `target-requirement-${TOWN}`).fill('请三日内清理完毕并反馈现场照片');
    await textField(d, `target-requirement-${DEPT}`).fill('请配合查处违规倾倒行为');
    await d.locator(`[data-test="target-row-${TOWN}"] input[data-test="file-upload-input"]`).setInputFiles({ name: '现场照片.png', mimeType: 'image/png', buffer: PNG });
    await expect.poll(() => d.locator(`[data-test="target-row-${TOWN}"] [data-test="file-upload-item"]`).getAttribute('data-status')).toBe('done');
    // The default deadline is the type's limit on the working calendar.
    await expect.poll(() => textField(d, `target-deadline-${TOWN}`, 'input').getAttribute('placeholder')).toMatch(/^默认 \d{4}-\d\d-\d\d \d\d:\d\d$/);
    await textField(d, 'dispatch-opinion').fill('市民来电反映，请尽快处置');
    await shot(city, 'event-actions-05-dispatch-filled');

    // A group no longer needed is deleted (after a confirmation).
    await d.locator('[data-test="dispatch-group-市容常用单位"] .el-tag__close').click();
    await confirmBox(city, '删除');
    await expect.poll(() => d.locator('[data-test="dispatch-groups"]').innerText()).toContain('暂无分组');

    await d.locator('[data-test="action-submit"]').click();
    await expect.poll(() => lastMessage(city).innerText()).toContain(`已交办「${TOWN}」「${DEPT}」`);
    await d.waitFor({ state: 'hidden' });

    const now = await detail();
    const town = now.tree.find((n) => n.orgName === TOWN)!;
    const dept = now.tree.find((n) => n.orgName === DEPT)!;
    expect([town.role, town.status, town.requirement]).toEqual(['main', 'todo', '请三日内清理完毕并反馈现场照片']);
    expect([dept.role, dept.status, dept.requirement]).toEqual(['assist', 'todo', '请配合查处违规倾倒行为']);
    expect(town.deadline).toBeTruthy();
    const log = now.timeline.find((t) => t.action === 'dispatch')!;
    expect(log.opinion).toBe('市民来电反映，请尽快处置');
    expect(log.attachments.map((a) => a.name)).toEqual(['现场照片.png']);
    // The page shows the new tree; 作废 is no longer offered once the event is dispatched.
    await expect.poll(() => city.locator('[data-test="event-handle"]').innerText()).toContain(DEPT);
    await expect.poll(() => actionButton(city, 'void').count()).toBe(0);
    await shot(city, 'event-actions-06-city-after-dispatch');

    // 撤回: the city may take the event back from either organisation.
    const recall = await openAction(city, 'recall');
    expect(await recall.locator('[data-test="recall-nodes"]').innerText()).toContain(DEPT);
    await recall.locator('[data-test="action-submit"]').click();
    await expect.poll(() => recall.innerText()).toContain('请选择要撤回的单位');
    await settled(city);
    await shot(city, 'event-actions-06b-recall');
    await cancel(recall);
  });

  it('marks the event key, instructs and supervises it', async () => {
    await actionButton(city, 'key').click();
    await expect.poll(() => city.locator('.el-message-box').last().innerText()).toContain('确定标记吗');
    await shot(city, 'event-actions-07a-key-confirm');
    await confirmBox(city, '标记');
    await expect.poll(() => lastMessage(city).innerText()).toContain('已标记为重点工单');
    await expect.poll(() => actionButton(city, 'key').innerText()).toBe('取消重点工单');

    const ins = await openAction(city, 'instruct', 'directive-dialog-instruct');
    expect(await textField(ins, 'directive-person', 'input').inputValue()).toBe('市城运中心值班员');
    expect(await textField(ins, 'directive-dept', 'input').inputValue()).toBe('崇州市城市运行管理中心');
    await textField(ins, 'directive-person', 'input').fill('值班领导甲');
    await textField(ins, 'directive-text').fill('请崇阳街道高度重视，举一反三');
    await shot(city, 'event-actions-07-instruct');
    await ins.locator('[data-test="directive-submit"]').click();
    await expect.poll(() => lastMessage(city).innerText()).toContain('批示已提交');

    const sup = await openAction(city, 'supervise', 'directive-dialog-supervise');
    await textField(sup, 'directive-position', 'input').fill('副主任');
    await sup.locator('[data-test="directive-submit"]').click();
    await expect.poll(() => sup.innerText()).toContain('请填写督办内容');
    await settled(city);
    await textField(sup, 'directive-text').fill('请于本周五前办结并报送结果');
    await shot(city, 'event-actions-08-supervise');
    await sup.locator('[data-test="directive-submit"]').click();
    await expect.poll(() => lastMessage(city).innerText()).toContain('督办已提交');

    const now = await detail();
    expect(now.event.isKey).toBe(true);
    expect(now.event.supervised).toBe(true);
    expect(now.directives.map((x) => [x.kind, x.person, x.dept, x.position])).toEqual(
      expect.arrayContaining([
        ['instruct', '值班领导甲', '崇州市城市运行管理中心', null],
        ['supervise', '市城运中心值班员', '崇州市城市运行管理中心', '副主任'],
      ]),
    );
  });

  let town: Page;

  it('the town signs, looks at its dialogs and asks for a delay', async () => {
    town = await handlePage('cy_op', TOWN);
    for (const a of ['handle', 'sign', 'track', 'dispatch', 'assist', 'delay', 'return', 'instruct', 'supervise']) {
      expect(await actionButton(town, a).count(), a).toBe(1);
    }
    // Dispatched from above: reporting is refused (申请退回 instead), so is voiding and the key mark (市级派发).
    for (const a of ['report', 'void', 'key', 'close']) expect(await actionButton(town, a).count(), a).toBe(0);
    await shot(town, 'event-actions-09-town-bar');

    const sign = await openAction(town, 'sign');
    expect(await textField(sign, 'action-sign-text').inputValue()).toBe('已签收');
    expect(await sign.innerText()).toContain('请三日内清理完毕并反馈现场照片');
    await shot(town, 'event-actions-10-sign');
    await sign.locator('[data-test="action-submit"]').click();
    await expect.poll(() => lastMessage(town).innerText()).toContain('已签收');
    await expect.poll(() => actionButton(town, 'sign').count()).toBe(0);

    const track = await openAction(town, 'track');
    await shot(town, 'event-actions-11-track');
    await cancel(track);

    const assist = await openAction(town, 'assist');
    await expect.poll(() => assist.locator('[data-test="org-target-picker"]').innerText()).toContain('镇街（');
    await assist.locator('[data-test="org-target-picker"] [data-test="target-汇蜀社区"]').click();
    await assist.locator('[data-test="action-submit"]').click();
    await expect.poll(() => assist.innerText()).toContain('请填写对协办单位的办理要求');
    await settled(town);
    await shot(town, 'event-actions-12-assist');
    await cancel(assist);

    const dispatch = await openAction(town, 'dispatch');
    await expect.poll(() => dispatch.locator('[data-test="org-target-picker"]').innerText()).toContain('汇蜀社区');
    await shot(town, 'event-actions-13-town-dispatch');
    await cancel(dispatch);

    const ret = await openAction(town, 'return');
    expect(await ret.innerText()).toContain('退回申请将提交「崇州市城市运行管理中心」审核');
    await shot(town, 'event-actions-14-return');
    await cancel(ret);

    const delay = await openAction(town, 'delay');
    const current = (await nodeOf(TOWN)).deadline!;
    expect(await delay.locator('[data-test="delay-current"]').innerText()).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect(await delay.innerText()).toContain('需经「崇州市城市运行管理中心」审核');
    const later = new Date(new Date(current).getTime() + 3 * 86400_000);
    const p = (n: number) => String(n).padStart(2, '0');
    await textField(delay, 'delay-deadline', 'input').fill(`${later.getFullYear()}-${p(later.getMonth() + 1)}-${p(later.getDate())} 17:30`);
    await textField(delay, 'delay-deadline', 'input').press('Enter');
    await textField(delay, 'delay-text').fill('需协调环卫车辆，周末无法完成清运');
    await shot(town, 'event-actions-15-delay');
    await delay.locator('[data-test="action-submit"]').click();
    await expect.poll(() => lastMessage(town).innerText()).toContain('延期申请已提交');
    // A request waits for audit: neither another delay nor a return may be asked now.
    await expect.poll(() => actionButton(town, 'delay').count()).toBe(0);
    expect(await actionButton(town, 'return').count()).toBe(0);
  });

  it('the department asks to return the event', async () => {
    const dept = await handlePage('zfj_handler', DEPT);
    const ret = await openAction(dept, 'return');
    await textField(ret, 'action-return-text').fill('违规倾倒不属于本局职责，请改派环卫部门');
    await ret.locator('[data-test="action-submit"]').click();
    await expect.poll(() => lastMessage(dept).innerText()).toContain('退回申请已提交');
    await expect.poll(() => actionButton(dept, 'return').count()).toBe(0);
    await dept.context().close();
  });

  it('the city approves the delay and refuses the return', async () => {
    await city.reload();
    await expect.poll(() => actionButton(city, 'audit').innerText()).toBe('审核（2）');
    let audit = await openAction(city, 'audit');
    await audit.locator('.el-radio', { hasText: '的延期申请' }).click();
    await expect.poll(() => audit.locator('[data-test="audit-facts"]').innerText()).toContain('需协调环卫车辆');
    await shot(city, 'event-actions-16-audit-delay');
    await audit.locator('[data-test="action-submit"]').click();
    await expect.poll(() => lastMessage(city).innerText()).toContain('延期申请已审核通过');

    await expect.poll(() => actionButton(city, 'audit').innerText()).toBe('审核');
    audit = await openAction(city, 'audit');
    expect(await audit.locator('[data-test="audit-facts"]').innerText()).toContain('违规倾倒不属于本局职责');
    await audit.locator('[data-test="audit-refuse"]').click();
    await textField(audit, 'audit-opinion').fill('经核实属于综合执法职责，请继续办理');
    await shot(city, 'event-actions-17-audit-return');
    await audit.locator('[data-test="action-submit"]').click();
    await expect.poll(() => lastMessage(city).innerText()).toContain('退回申请已审核不通过');

    const now = await detail();
    expect(now.requests.map((r) => [r.kind, r.status]).sort()).toEqual([['delay', 'approved'], ['return', 'refused']]);
  });

  it('the town handles with an opinion and a photo', async () => {
    await town.reload();
    const handle = await openAction(town, 'handle');
    await handle.locator('[data-test="action-submit"]').click();
    await expect.poll(() => handle.innerText()).toContain('请填写处理意见');
    await settled(town);
    await textField(handle, 'action-handle-text').fill('已组织环卫工人清理完毕，现场恢复整洁');
    await handle.locator('input[data-test="file-upload-input"]').setInputFiles({ name: '清理后.png', mimeType: 'image/png', buffer: PNG });
    await expect.poll(() => handle.locator('[data-test="file-upload-item"]').getAttribute('data-status')).toBe('done');
    await shot(town, 'event-actions-18-handle');
    await handle.locator('[data-test="action-submit"]').click();
    await expect.poll(() => lastMessage(town).innerText()).toContain('办理结果已提交');
    await expect.poll(() => actionButton(town, 'handle').count()).toBe(0);
    const entry = (await detail()).timeline.find((t) => t.action === 'handle' && t.actorOrgName === TOWN)!;
    expect(entry.opinion).toBe('已组织环卫工人清理完毕，现场恢复整洁');
    expect(entry.attachments.map((a) => a.name)).toEqual(['清理后.png']);
    await shot(town, 'event-actions-19-town-after-handle');
  });

  it('the city verifies, and closes once the department has handled too', async () => {
    const dept = await nodeOf(DEPT);
    await call('zfj_handler', 'POST', `/api/events/${eventId}/nodes/${dept.id}/handle`, { opinion: '已对倾倒人立案处罚' });
    await city.reload();
    await actionButton(city, 'close').waitFor();

    // Both submitted: nothing left to recall.
    expect(await actionButton(city, 'recall').count()).toBe(0);
    const force = await openAction(city, 'force-close');
    await shot(city, 'event-actions-21-force-close');
    await cancel(force);

    const rework = await openAction(city, 'rework');
    expect(await rework.locator('[data-test="handling-results"]').innerText()).toContain('已组织环卫工人清理完毕');
    await rework.locator(`[data-test="rework-${DEPT}"]`).click();
    await textField(rework, 'rework-text').fill('请补充处罚决定书');
    await shot(city, 'event-actions-22-rework');
    await rework.locator('[data-test="action-submit"]').click();
    await expect.poll(() => lastMessage(city).innerText()).toContain(`已退回「${DEPT}」重新办理`);
    await expect.poll(() => actionButton(city, 'close').count()).toBe(0);
    expect((await nodeOf(DEPT)).status).toBe('todo');

    await call('zfj_handler', 'POST', `/api/events/${eventId}/nodes/${dept.id}/handle`, { opinion: '已补充处罚决定书' });
    await city.reload();
    const close = await openAction(city, 'close');
    expect(await close.locator('[data-test="handling-results"]').innerText()).toContain('已补充处罚决定书');
    await textField(close, 'action-close-text').fill('经核验，现场已清理，违规行为已查处，同意结案');
    await shot(city, 'event-actions-23-close');
    await close.locator('[data-test="action-submit"]').click();
    await expect.poll(() => lastMessage(city).innerText()).toContain('事件已结案');
    await expect.poll(() => actionButton(city, 'reopen').count()).toBe(1);
    expect(await actionButton(city, 'supervise').count()).toBe(0);
    const reopen = await openAction(city, 'reopen');
    await shot(city, 'event-actions-24-reopen');
    await cancel(reopen);

    const done = await detail();
    expect(done.event.status).toBe('closed');
    expect(done.timeline.map((t) => t.action)).toEqual(
      expect.arrayContaining(['dispatch', 'key', 'instruct', 'supervise', 'sign', 'delay_request', 'audit_approve', 'return_request', 'audit_refuse', 'handle', 'rework', 'close']),
    );
  });

  it('a grid worker reports up to the town, the town to the city; a copied town marks it read', async () => {
    const grid = await call<{ id: string }>('hs_grid', 'POST', '/api/events', {
      typeCode: TYPE, title: '汇蜀社区路灯杆倾斜', content: '路灯杆倾斜有倒塌风险', source: 'grid', address: '汇蜀社区文化广场',
    });
    const worker = await handlePage('hs_grid', '汇蜀社区', grid.id);
    const report = await openAction(worker, 'report');
    // A community has one place to report to: its town, reached through the 城运中心, already chosen.
    await expect.poll(() => report.locator('[data-test="report-target"]').innerText()).toContain(TOWN);
    await textField(report, 'report-text').fill('社区无法处置，需街道协调电力部门');
    await shot(worker, 'event-actions-25-report-grid');
    await report.locator('[data-test="action-submit"]').click();
    await expect.poll(() => lastMessage(worker).innerText()).toContain(`已上报「${TOWN}」`);
    await expect.poll(() => actionButton(worker, 'report').count()).toBe(0);
    await worker.context().close();

    const townPage = await handlePage('cy_op', TOWN, grid.id);
    const up = await openAction(townPage, 'report');
    await up.locator('[data-test="report-target"]').click();
    const options = townPage.locator('.el-select-dropdown:visible');
    await expect.poll(() => options.innerText()).toContain('市城运中心');
    expect(await options.innerText()).toContain('其他部门、镇街');
    await shot(townPage, 'event-actions-26-report-town');
    await options.locator('[data-test="report-option-崇州市城市运行管理中心"]').click();
    await textField(up, 'report-text').fill('涉及电力设施，请市城运中心协调');
    await up.locator('[data-test="action-submit"]').click();
    await expect.poll(() => lastMessage(townPage).innerText()).toContain('已上报「崇州市城市运行管理中心」');
    await townPage.context().close();

    const cityNode = await nodeOf('崇州市城市运行管理中心', 'city_op', grid.id);
    const targets = await call<{ id: string; name: string }[]>('city_op', 'GET', `/api/events/${grid.id}/nodes/${cityNode.id}/targets?mode=dispatch`);
    const id = (name: string) => targets.find((t) => t.name === name)!.id;
    await call('city_op', 'POST', `/api/events/${grid.id}/nodes/${cityNode.id}/dispatch`, {
      targets: [{ orgId: id('崇州市公安局'), role: 'main' }, { orgId: id('羊马街道城运中心'), role: 'cc' }],
    });
    const copied = await handlePage('ym_op', '羊马街道城运中心', grid.id);
    expect(await actionButton(copied, 'read').count()).toBe(1);
    for (const a of ['handle', 'dispatch', 'delay']) expect(await actionButton(copied, a).count(), a).toBe(0);
    await actionButton(copied, 'read').click();
    await expect.poll(() => copied.locator('.el-message-box').last().innerText()).toContain('确认已阅知该抄送事件');
    await shot(copied, 'event-actions-27-read-confirm');
    await confirmBox(copied, '已阅');
    await expect.poll(() => lastMessage(copied).innerText()).toContain('已阅知');
    await expect.poll(() => actionButton(copied, 'read').count()).toBe(0);
    expect((await nodeOf('羊马街道城运中心', 'city_op', grid.id)).status).toBe('read');
    await copied.context().close();
  });
});
