import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { ADMIN_INITIAL, launch, login, newPage, shot, skipBrowser, startProduct } from './browser.js';

describe.skipIf(skipBrowser)('in the browser', () => {
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

  it('admin logs in, must change the initial password, and then sees the menu', async () => {
    const page = await newPage(browser);
    await page.goto(`${product.url}/system/oplog`);
    await page.waitForURL(/\/login\?redirect=/);
    await shot(page, '01-login');

    await login(page, product.url, 'admin', ADMIN_INITIAL);
    await page.waitForURL(/\/change-password/);
    await expect.poll(() => page.locator('[data-test="password-forced"]').innerText()).toContain('初始密码');

    const fill = async (np: string) => {
      await page.locator('input[data-test="old-password"]').fill(ADMIN_INITIAL);
      await page.locator('input[data-test="new-password"]').fill(np);
      await page.locator('input[data-test="confirm-password"]').fill(np);
      await page.locator('[data-test="password-submit"]').click();
    };
    // A weak password is refused with the rule it breaks, and the user stays on the page.
    await fill('Admin#2026pw');
    await expect.poll(() => page.locator('.cp__card').innerText()).toContain('密码不能包含账号名');
    await fill('abcdefgh');
    await expect.poll(() => page.locator('.cp__card').innerText()).toContain('至少 3 类');
    expect(page.url()).toContain('/change-password');
    await shot(page, '02-weak-password-refused');

    await fill('Strong#2026pw');
    await page.waitForURL(/\/home/);
    await expect.poll(() => page.locator('[data-test="health-database"]').innerText()).toContain('PGlite');
    const menu = page.locator('.side-menu');
    await expect.poll(() => menu.innerText()).toContain('系统管理');
    await shot(page, '03-home-admin');

    await menu.getByText('系统管理', { exact: true }).click();
    await menu.getByText('基础管理', { exact: true }).click();
    await page.locator('[data-menu="system:oplog"]').click();
    await page.waitForURL(/\/system\/oplog/);
    const table = page.locator('[data-test="oplog-table"]');
    await expect.poll(() => table.innerText()).toContain('登录');
    await expect.poll(() => table.innerText()).toContain('/api/auth/change-password');
    await page.locator('[data-test="oplog-chain-check"]').click();
    await expect.poll(() => page.locator('[data-test="oplog-chain-result"]').innerText()).toContain('通过');
    await shot(page, '04-oplog');
  });

  it('locks an account after 5 wrong passwords and says so in Chinese', async () => {
    const page = await newPage(browser);
    for (let i = 0; i < 5; i++) {
      await login(page, product.url, 'cy_op', 'Wrong#password1');
      await expect.poll(() => page.locator('[data-test="login-error"]').innerText()).toMatch(i < 4 ? /账号或密码错误/ : /账号已锁定/);
    }
    expect(await page.locator('[data-test="login-error"]').innerText()).toContain('密码连续错误 5 次，账号已锁定 30 分钟');
    await shot(page, '05-locked');
    await login(page, product.url, 'cy_op', 'Chongzhou@2026');
    await expect.poll(() => page.locator('[data-test="login-error"]').innerText()).toMatch(/账号已锁定，请于 \d\d:\d\d 后重试/);
  });

  it('a town operator sees only the menus granted, and gets 403/404 pages elsewhere', async () => {
    const page = await newPage(browser);
    await login(page, product.url, 'ym_op', 'Chongzhou@2026');
    await page.waitForURL(/\/home/);
    await expect.poll(() => page.locator('[data-test="user-name"]').innerText()).toBe('羊马街道城运中心值班员');
    const menu = await page.locator('.side-menu').innerText();
    expect(menu).toContain('工作台');
    expect(menu).not.toContain('系统管理');
    await shot(page, '06-home-town-operator');

    await page.goto(`${product.url}/system/oplog`);
    await page.locator('[data-test="page-403"]').waitFor();
    await page.goto(`${product.url}/no/such/page`);
    await page.locator('[data-test="page-404"]').waitFor();
    await shot(page, '07-not-found');
  });
});
