import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launch, login, loginAsAdmin, newPage, shot, skipBrowser, startProduct } from './browser.js';

const MOBILE = '13987654321';
const ID_NUMBER = '11010519491231002X'; // the example of GB 11643

/** The text input inside an element marked with data-test (Element Plus puts it on the wrapper). */
const input = (page: Page, name: string) => page.locator(`[data-test="${name}"] input, input[data-test="${name}"]`).first();

describe.skipIf(skipBrowser)('人员管理 in the browser', () => {
  let product: Awaited<ReturnType<typeof startProduct>>;
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    product = await startProduct({ DEMO_DATA: 'true' });
    browser = await launch();
    page = await newPage(browser);
    await loginAsAdmin(page, product.url);
  });
  afterAll(async () => {
    await browser?.close();
    await product?.close();
  });

  const table = () => page.locator('[data-test="user-table"]');
  const row = (text: string) => table().locator('.el-table__body tr', { hasText: text });
  /** Screenshots only once the table has stopped loading. */
  const settled = () => expect.poll(() => table().locator('.el-loading-mask').isVisible()).toBe(false);
  const confirmBox = () => page.locator('.el-message-box__btns .el-button--primary');

  it('admin adds a person to 汇蜀社区 with a mobile, sees it masked, finds them by the full mobile, and resets the password once', async () => {
    await page.goto(`${product.url}/system/user`);
    await expect.poll(() => table().innerText()).toContain('崇阳街道城运中心值班员');
    await expect.poll(() => page.locator('[data-test="org-tree"]').innerText()).toContain('崇阳街道');
    await settled();
    await shot(page, 'user-01-list');

    // Pick 汇蜀社区 through the tree's search.
    await input(page, 'org-tree-search').fill('汇蜀');
    await page.locator('[data-test="org-hit-汇蜀社区"]').click();
    await expect.poll(() => table().innerText()).toContain('hs_grid');
    expect(await table().innerText()).not.toContain('cy_op');

    // Add a person there: the form starts in the selected organisation; a bad ID number is refused first.
    await page.locator('[data-test="user-add"]').click();
    const dialog = page.locator('[data-test="user-form-dialog"]');
    await expect.poll(() => dialog.innerText()).toContain('新增人员');
    await input(page, 'form-username').fill('grid_a');
    await input(page, 'form-name').fill('网格员甲');
    await page.locator('[data-test="form-gender"] .el-radio', { hasText: '男' }).click();
    await input(page, 'form-staff-no').fill('HS-007');
    await input(page, 'form-id-number').fill('110105194912310021');
    await input(page, 'form-mobile').fill(MOBILE);
    await page.locator('[data-test="form-submit"]').click();
    await expect.poll(() => dialog.innerText()).toContain('居民身份证号码校验位不正确');
    expect(await dialog.locator('.el-select').first().innerText()).toContain('汇蜀社区');
    await shot(page, 'user-02-form-invalid-id');
    await input(page, 'form-id-number').fill(ID_NUMBER);
    await page.locator('[data-test="form-submit"]').click();

    // The generated initial password is shown once.
    const once = dialog.locator('[data-test="password-once-value"]');
    await expect.poll(() => once.count()).toBe(1);
    const initial = (await once.innerText()).trim();
    expect(initial.length).toBeGreaterThanOrEqual(12);
    expect(await dialog.innerText()).toContain('仅显示这一次');
    await shot(page, 'user-03-created-password-once');
    await page.locator('[data-test="form-done"]').click();
    await dialog.waitFor({ state: 'hidden' });

    // In the list: masked mobile and ID number, never the full values.
    await expect.poll(() => row('grid_a').innerText()).toContain('139****4321');
    const line = await row('grid_a').innerText();
    expect(line).toContain('110105********002X');
    expect(line).toContain('汇蜀社区');
    expect(await table().innerText()).not.toContain(MOBILE);
    await settled();
    await shot(page, 'user-04-list-masked');

    // Smart search by the full mobile, across the whole scope.
    await page.locator('[data-test="org-tree-all"]').click();
    await input(page, 'user-keyword').fill(MOBILE);
    await page.locator('[data-test="user-search-submit"]').click();
    await expect.poll(async () => table().locator('.el-table__body tr').count()).toBe(1);
    expect(await table().innerText()).toContain('网格员甲');
    await shot(page, 'user-05-search-by-mobile');

    // Reset the password: shown once, then gone.
    await page.locator('[data-test="reset-grid_a"]').click();
    const reset = page.locator('[data-test="reset-password-dialog"]');
    await expect.poll(() => reset.innerText()).toContain('将重置 网格员甲（grid_a）的登录密码');
    await page.locator('[data-test="reset-submit"]').click();
    const value = reset.locator('[data-test="password-once-value"]');
    await expect.poll(() => value.count()).toBe(1);
    const fresh = (await value.innerText()).trim();
    expect(fresh).not.toBe(initial);
    await page.locator('[data-test="password-copy"]').click();
    await shot(page, 'user-06-reset-password-once');
    await page.locator('[data-test="reset-done"]').click();
    await reset.waitFor({ state: 'hidden' });
    await page.locator('[data-test="reset-grid_a"]').click();
    await expect.poll(() => reset.innerText()).toContain('确定重置');
    expect(await reset.innerText()).not.toContain(fresh);
    await reset.getByRole('button', { name: '取消' }).click();

    // The person logs in with it and must choose a new password.
    const other = await newPage(browser);
    await login(other, product.url, 'grid_a', fresh);
    await other.waitForURL(/\/change-password/);
    await expect.poll(() => other.locator('[data-test="password-forced"]').innerText()).toContain('重置');
    await other.context().close();
  });

  it('a batch disable of [a person, yourself] reports each row', async () => {
    await page.locator('[data-test="user-search-reset"]').click();
    await expect.poll(() => table().innerText()).toContain('系统管理员');
    await row('grid_a').locator('.el-checkbox').click();
    await row('系统管理员').locator('.el-checkbox').click();
    await expect.poll(() => page.locator('[data-test="user-selected"]').innerText()).toContain('已选 2 人');
    await page.locator('[data-test="batch-disable"]').click();
    await expect.poll(() => page.locator('.el-message-box').innerText()).toContain('确定禁用所选的 2 人吗');
    await confirmBox().click();
    const result = page.locator('[data-test="user-batch-result"]');
    await expect.poll(() => result.innerText()).toContain('成功 1 人，失败 1 人');
    expect(await result.innerText()).toContain('不能禁用当前登录的账号');
    await shot(page, 'user-07-batch-result');
    await result.getByRole('button', { name: '知道了' }).click();
    await expect.poll(() => row('grid_a').innerText()).toContain('禁用');
    expect(await row('系统管理员').innerText()).toContain('启用');

    // Advanced search: disabled people only.
    await page.locator('[data-test="user-advanced-toggle"]').click();
    await page.locator('[data-test="adv-enabled"]').click();
    await page.locator('.el-select-dropdown__item:visible', { hasText: '禁用' }).click();
    await page.locator('[data-test="user-search-submit"]').click();
    // grid_a and the built-in 物联感知平台 account, which is disabled so that nobody logs in as it.
    await expect.poll(async () => table().locator('.el-table__body tr').count()).toBe(2);
    expect(await table().innerText()).toContain('grid_a');
    expect(await table().innerText()).toContain('iot-platform');
    await shot(page, 'user-08-advanced-search');
  });

  it('shows who is locked after 5 failed logins, and unlocks them', async () => {
    for (let i = 0; i < 5; i++) {
      await fetch(`${product.url}/api/auth/login`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'ym_op', password: 'Wrong#pass1' }),
      });
    }
    await page.locator('[data-test="user-search-reset"]').click();
    await expect.poll(() => row('ym_op').innerText()).toContain('已锁定');
    await settled();
    await shot(page, 'user-09-locked');
    await page.locator('[data-test="unlock-ym_op"]').click();
    await expect.poll(() => page.locator('.el-message-box').innerText()).toContain('确定解锁「羊马街道城运中心值班员」吗');
    await confirmBox().click();
    await expect.poll(() => page.locator('.el-message').first().innerText()).toContain('解锁成功');
    await expect.poll(() => row('ym_op').innerText()).not.toContain('已锁定');
    expect(await page.locator('[data-test="unlock-ym_op"]').count()).toBe(0);
    const login = await fetch(`${product.url}/api/auth/login`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'ym_op', password: 'Chongzhou@2026' }),
    });
    expect(login.status).toBe(200);
  });

  it('edits a person (the form shows the full values) and moves them to another organisation', async () => {
    await page.locator('[data-test="edit-grid_a"]').click();
    const dialog = page.locator('[data-test="user-form-dialog"]');
    await expect.poll(() => input(page, 'form-mobile').inputValue()).toBe(MOBILE);
    expect(await input(page, 'form-id-number').inputValue()).toBe(ID_NUMBER);
    expect(await input(page, 'form-username').isDisabled()).toBe(true);
    await input(page, 'form-mobile').fill('12345');
    await page.locator('[data-test="form-submit"]').click();
    await expect.poll(() => dialog.innerText()).toContain('请输入正确的 11 位手机号码');
    await input(page, 'form-mobile').fill('13711112222');
    await shot(page, 'user-10-edit');
    await page.locator('[data-test="form-submit"]').click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => row('grid_a').innerText()).toContain('137****2222');

    await row('grid_a').locator('.el-checkbox').click();
    await page.locator('[data-test="batch-move"]').click();
    const move = page.locator('[data-test="move-dialog"]');
    await expect.poll(() => move.innerText()).toContain('将所选 1 人（网格员甲）调整到');
    await move.locator('.el-select').click();
    await page.keyboard.type('羊马街道城运');
    await page.locator('.el-select-dropdown__item:visible', { hasText: '羊马街道城运中心' }).click();
    await shot(page, 'user-11-move');
    await page.locator('[data-test="move-submit"]').click();
    await move.waitFor({ state: 'hidden' });
    await expect.poll(() => row('grid_a').innerText()).toContain('羊马街道城运中心');
  });
});
