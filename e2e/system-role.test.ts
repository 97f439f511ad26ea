import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { DEMO_PASSWORD as DEMO, launch, loginAsAdmin, newPage, shot, signIn, skipBrowser, startProduct } from './browser.js';

interface Menu {
  code: string;
  name: string;
  route: string | null;
  children: Menu[];
}
const pages = (menus: Menu[]): string[] => menus.flatMap((m) => [...(m.route ? [m.name] : []), ...pages(m.children)]);

/** An el-input (or date picker) by data-test: Element Plus puts the attribute on the <input> itself. */
const input = (scope: Page | ReturnType<Page['locator']>, name: string) =>
  scope.locator(`[data-test="${name}"] input, input[data-test="${name}"]`).first();

/** The checkbox of a function-resource node in the 授权 tree. */
const resourceBox = (page: Page, code: string) =>
  page.locator('[data-test="grant-drawer"] .el-tree-node__content', { has: page.locator(`[data-code="${code}"]`) }).locator('.el-checkbox').first();

describe.skipIf(skipBrowser)('roles in the browser', () => {
  let product: Awaited<ReturnType<typeof startProduct>>;
  let browser: Browser;
  beforeAll(async () => {
    product = await startProduct();
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await product?.close();
  });

  it('admin creates a role, grants it 组织机构 and 人员管理, gives it to cy_op, who then sees exactly those menus', { timeout: 240_000 }, async () => {
    const page = await newPage(browser);
    await loginAsAdmin(page, product.url);

    // The role list with the built-in roles.
    await page.goto(`${product.url}/system/role`);
    const table = page.locator('[data-test="role-table"]');
    await expect.poll(() => table.innerText()).toContain('镇街城运中心值班员');
    await expect.poll(() => page.locator('[data-test="role-groups"]').innerText()).toContain('全部角色');
    await shot(page, 'role-01-list');

    // A group on the left.
    await page.locator('[data-test="group-add"]').click();
    await input(page, 'group-name').fill('镇街角色');
    await page.locator('[data-test="group-save"]').click();
    await expect.poll(() => page.locator('[data-test="role-groups"]').innerText()).toContain('镇街角色');

    // New role 镇街事件受理 in that group.
    await page.locator('[data-test="group-item"][data-name="镇街角色"]').click();
    await page.locator('[data-test="role-add"]').click();
    const form = page.locator('[data-test="role-form"]');
    await input(form, 'role-name').fill('镇街事件受理');
    await input(form, 'role-code').fill('town-event-intake');
    await form.locator('[data-test="role-visible"]').click();
    await shot(page, 'role-02-form');
    await form.locator('[data-test="role-save"]').click();
    await expect.poll(() => table.innerText()).toContain('town-event-intake');
    await expect.poll(() => table.innerText()).not.toContain('镇街城运中心值班员'); // filtered to the group

    // 授权: tick 组织机构 and 人员管理 (their buttons and folders come along), give 人员管理 an expiry.
    const row = page.locator('[data-role="town-event-intake"]');
    await row.locator('[data-test="op-grant"]').click();
    const drawer = page.locator('[data-test="grant-drawer"]');
    await drawer.locator('[data-code="system:org"]').waitFor();
    await resourceBox(page, 'system:org').click();
    await resourceBox(page, 'system:user').click();
    await expect.poll(() => drawer.locator('[data-code="system:org:edit"]').locator('xpath=ancestor::div[contains(@class,"el-tree-node__content")]').locator('.el-checkbox.is-checked').count()).toBe(1);
    const expiry = input(drawer, 'expiry-system:user');
    await expiry.fill('2099-12-31');
    await expiry.press('Enter');
    await shot(page, 'role-03-grant-drawer');
    await drawer.locator('[data-test="grant-save"]').click();
    await page.locator('.el-message--success', { hasText: '功能授权' }).waitFor();

    // 人员: add cy_op through the 添加人员 dialog.
    await row.locator('[data-test="op-members"]').click();
    const members = page.locator('[data-test="member-drawer"]');
    await members.locator('[data-test="members-add"]').click();
    const dialog = page.locator('[data-test="add-members-dialog"]');
    await input(dialog, 'member-search').fill('cy_op');
    await input(dialog, 'member-search').press('Enter');
    const candidates = dialog.locator('[data-test="member-candidates"]');
    await expect.poll(() => candidates.locator('.el-table__body tr').count()).toBe(1);
    await expect.poll(() => candidates.innerText()).toContain('崇阳街道城运中心值班员');
    await candidates.locator('.el-table__body tr .el-checkbox').first().click();
    await shot(page, 'role-04-add-members');
    await dialog.locator('[data-test="member-add-selected"]').click();
    await expect.poll(() => members.locator('[data-test="members-table"]').innerText()).toContain('cy_op');
    await shot(page, 'role-05-members');
    await page.keyboard.press('Escape');
    await expect.poll(() => row.innerText()).toBeTruthy();

    // 复制, then a batch delete of the copy and a built-in role: each row's outcome is shown.
    await row.locator('[data-test="op-copy"]').click();
    await expect.poll(() => input(form, 'role-code').inputValue()).toBe('town-event-intake-copy');
    await form.locator('[data-test="role-save"]').click();
    await expect.poll(() => table.innerText()).toContain('town-event-intake-copy');
    await page.locator('[data-test="group-all"]').click();
    await expect.poll(() => table.innerText()).toContain('town-operator');
    for (const code of ['town-event-intake-copy', 'town-operator']) {
      await table.locator('.el-table__body tr', { has: page.locator(`[data-role="${code}"]`) }).locator('.el-checkbox').first().click();
    }
    await page.locator('[data-test="role-batch-delete"]').click();
    await page.locator('.el-message-box__btns button', { hasText: '删除' }).click();
    const result = page.locator('[data-test="batch-result"]');
    await expect.poll(() => result.innerText()).toContain('成功 1 条，失败 1 条');
    expect(await result.innerText()).toContain('镇街城运中心值班员：「镇街城运中心值班员」是内置角色，不能删除');
    await page.waitForTimeout(500); // the confirmation fades out, the result fades in
    await shot(page, 'role-05b-batch-delete-result');
    await page.locator('.el-message-box__btns button', { hasText: '知道了' }).click();
    await expect.poll(() => table.innerText()).not.toContain('town-event-intake-copy');

    // 按人员分配角色: cy_op now shows the role.
    await page.locator('[data-test="role-tabs"]').getByText('按人员分配角色').click();
    await input(page, 'person-search').fill('cy_op');
    await page.locator('[data-test="person-search-submit"]').click();
    await expect.poll(() => page.locator('[data-test="person-table"]').innerText()).toContain('镇街事件受理');
    await shot(page, 'role-06-by-person');
    // Remove the role from cy_op and assign it again, through the role picker.
    const people = page.locator('[data-test="person-table"]');
    const pick = async (button: string, save: string) => {
      await people.locator('.el-table__body tr .el-checkbox').first().click();
      await page.locator(`[data-test="${button}"]`).click();
      const picker = page.locator('[data-test="role-picker"]');
      await picker.locator('.el-select').click();
      await page.locator('.el-select-dropdown__item:visible span', { hasText: /^镇街事件受理$/ }).click();
      await page.keyboard.press('Escape');
      if (!save) await shot(page, 'role-06b-role-picker');
      await picker.locator('[data-test="role-picker-save"]').click();
      if (save) await page.locator('.el-message-box__btns button', { hasText: save }).click();
    };
    await pick('person-unassign-open', '移除');
    await expect.poll(() => people.innerText()).not.toContain('镇街事件受理');
    await pick('person-assign-open', '');
    await expect.poll(() => people.innerText()).toContain('镇街事件受理');

    // 管理员权限: an admin role scoped to 崇阳街道.
    await page.goto(`${product.url}/system/admin-role`);
    await expect.poll(() => page.locator('[data-test="admin-page"]').innerText()).toContain('管理范围');
    await page.locator('[data-test="role-add"]').click();
    await input(form, 'role-name').fill('崇阳街道管理员');
    await input(form, 'role-code').fill('cy-admin');
    await form.locator('[data-test="role-save"]').click();
    const adminRow = page.locator('[data-role="cy-admin"]');
    await adminRow.locator('[data-test="op-scope"]').click();
    const scope = page.locator('[data-test="scope-dialog"]');
    await input(scope, 'scope-filter').fill('崇阳街道');
    await scope.locator('.el-tree-node__content', { has: page.locator('[data-org="崇阳街道"]') }).locator('.el-checkbox').first().click();
    await shot(page, 'role-07-admin-scope');
    await scope.locator('[data-test="scope-save"]').click();
    await expect.poll(() => page.locator('[data-test="role-table"]').innerText()).toContain('崇阳街道');
    await shot(page, 'role-08-admin-list');

    // cy_op logs in and sees 组织机构 and 人员管理 beside the pages their own duty-officer role gives.
    const town = await signIn(browser, product.url, 'cy_op', DEMO);
    const me = (await town.evaluate(() => fetch('/api/auth/me').then((r) => r.json()))) as { menus: Menu[]; permissions: string[] };
    const ownRole = ['工作台', '消息中心', '事件发起', '草稿箱', '我的待办', '交办后任务', '事件审核', '事件查询'];
    expect(pages(me.menus).sort()).toEqual([...ownRole, '人员管理', '组织机构'].sort());
    expect(me.permissions).toEqual(expect.arrayContaining(['system:org:list', 'system:org:edit', 'system:user:list']));
    const menu = town.locator('.side-menu');
    await menu.getByText('系统管理', { exact: true }).click();
    await menu.getByText('组织人员', { exact: true }).click();
    await menu.locator('[data-menu="system:user"]').waitFor({ state: 'visible' });
    await menu.locator('[data-menu="system:org"]').waitFor({ state: 'visible' });
    await town.waitForTimeout(500); // let the sub-menu finish opening before the screenshot
    const text = await menu.innerText();
    for (const name of ['工作台', '组织机构', '人员管理']) expect(text).toContain(name);
    for (const name of ['行政区划', '资源权限', '基础管理', '角色权限']) expect(text).not.toContain(name);
    await shot(town, 'role-09-town-user-menu');
  });
});
