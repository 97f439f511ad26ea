import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launch, loginAsAdmin, newPage, shot, skipBrowser, startProduct } from './browser.js';

describe.skipIf(skipBrowser)('功能资源 and 接口服务资源 in the browser', () => {
  let product: Awaited<ReturnType<typeof startProduct>>;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    product = await startProduct();
    browser = await launch();
    page = await newPage(browser);
    await loginAsAdmin(page, product.url);
  });
  afterAll(async () => {
    await browser?.close();
    await product?.close();
  });

  const sideMenu = () => page.locator('.side-menu');
  /** An el-input by its data-test (Element Plus puts the attribute on the <input> itself). */
  const input = (scope: Page | ReturnType<Page['locator']>, name: string) =>
    scope.locator(`input[data-test="${name}"], [data-test="${name}"] input`).first();
  const table = () => page.locator('[data-test="resource-table"]');
  const row = (text: string) => table().locator('.el-table__body tr', { hasText: text }).first();
  const confirmBox = async (button: string) => {
    const box = page.locator('.el-message-box');
    await box.waitFor();
    await box.getByRole('button', { name: button }).click();
    await box.waitFor({ state: 'hidden' });
  };

  it('admin opens 功能资源 and sees the tree expanded by level', async () => {
    await sideMenu().getByText('系统管理', { exact: true }).click();
    await sideMenu().getByText('资源权限', { exact: true }).click();
    await page.locator('[data-menu="system:resource"]').click();
    await page.waitForURL(/\/system\/resource$/);

    await expect.poll(() => table().innerText()).toContain('操作日志');
    const text = await table().innerText();
    for (const t of ['工作台', '系统管理', '组织人员', '资源权限', '基础管理', '功能资源', 'system:oplog', '/system/oplog', '/api/system/oplogs', '授权可访问', '登录可访问']) {
      expect(text).toContain(t);
    }
    // Pages are shown, their buttons stay folded until opened.
    expect(text).not.toContain('导出操作日志');
    expect(await page.locator('[data-test="resource-stats"]').innerText()).toMatch(/共 \d+ 项：目录 6 · 菜单 \d+ · 按钮 \d+/);
    // The icon column renders the icons themselves.
    expect(await row('操作日志').locator('.app-icon svg').count()).toBeGreaterThan(0);
    await shot(page, 'resource-01-tree');

    await input(page, 'resource-keyword').fill('日志');
    await page.locator('[data-test="resource-search-submit"]').click();
    await expect.poll(() => page.locator('[data-test="resource-stats"]').innerText()).toContain('符合条件 3 项'); // 日志管理 (物联感知), 操作日志, 导出操作日志
    expect(await table().innerText()).toContain('导出操作日志');
    expect(await table().innerText()).not.toContain('组织机构');

    await page.locator('[data-test="resource-advanced-toggle"]').click();
    await page.locator('[data-test="resource-advanced"]').waitFor();
    await shot(page, 'resource-02-search');
    await page.locator('[data-test="resource-search-reset"]').click();
    await expect.poll(() => table().innerText()).toContain('组织机构');
  });

  it('adds a menu under 系统管理 with an icon; it appears in the side menu', async () => {
    await page.locator('[data-test="add-child-system"]').click();
    const dialog = page.locator('[data-test="resource-form"]');
    await dialog.waitFor();
    await input(dialog, 'form-name').fill('巡查台账');
    await input(dialog, 'form-code').fill('patrol:ledger');
    await input(dialog, 'form-route').fill('patrol/ledger');
    await input(dialog, 'form-permission').click();
    // The form checks the route before the server does.
    await expect.poll(() => dialog.innerText()).toContain('菜单须填写以 / 开头的功能地址');
    await input(dialog, 'form-route').fill('/patrol/ledger');
    await input(dialog, 'form-permission').fill('patrol:ledger:list');

    await input(dialog, 'icon-picker').click();
    await input(page, 'icon-search').fill('notebook');
    await expect.poll(() => page.locator('[data-test="icon-grid"] [data-icon]').count()).toBeLessThan(5);
    await shot(page, 'resource-03a-icon-picker');
    await page.locator('[data-test="icon-grid"] [data-icon="Notebook"]').click();
    await expect.poll(() => input(dialog, 'icon-picker').inputValue()).toBe('Notebook');
    await shot(page, 'resource-03-form');

    await dialog.locator('[data-test="form-submit"]').click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => table().innerText()).toContain('巡查台账');
    const added = await row('巡查台账').innerText();
    expect(added).toContain('patrol:ledger');
    expect(added).toContain('/patrol/ledger');
    expect(await row('巡查台账').locator('.app-icon svg').count()).toBeGreaterThan(0);

    await page.reload();
    await expect.poll(() => table().innerText()).toContain('巡查台账');
    await expect.poll(() => sideMenu().textContent()).toContain('巡查台账');
    await shot(page, 'resource-04-added');
  });

  it('disables it: gone from the side menu after reload', async () => {
    await row('巡查台账').locator('[data-test="toggle-patrol:ledger"]').click();
    await confirmBox('禁用');
    await expect.poll(() => row('巡查台账').innerText()).toContain('禁用');
    await page.reload();
    await expect.poll(() => table().innerText()).toContain('巡查台账');
    expect(await sideMenu().textContent()).not.toContain('巡查台账');
    expect(await sideMenu().textContent()).toContain('功能资源');
    await shot(page, 'resource-05-disabled');
  });

  it('batch delete reports per row: the built-in one is refused, the new one goes', async () => {
    await row('巡查台账').locator('.el-checkbox').first().click();
    await row('字典管理').locator('.el-checkbox').first().click();
    await page.locator('[data-test="resource-batch-delete"]').click();
    await confirmBox('删除');
    const result = page.locator('[data-test="batch-result"]');
    await expect.poll(() => result.innerText()).toContain('删除成功 1 条，失败 1 条');
    expect(await result.innerText()).toContain('「字典管理」是内置功能，不能删除（可以禁用）');
    await shot(page, 'resource-06-batch-result');
    await page.locator('[data-test="batch-result-close"]').click();
    await expect.poll(() => table().innerText()).not.toContain('巡查台账');
    expect(await table().innerText()).toContain('字典管理');
  });

  it('opens 接口服务资源 and sees namespaces with their services', async () => {
    await page.locator('[data-menu="system:api-resource"]').click();
    await page.waitForURL(/\/system\/api-resource$/);
    const api = page.locator('[data-test="api-table"]');
    await expect.poll(() => api.innerText()).toContain('/api/auth/login');
    const text = await api.innerText();
    for (const t of ['系统管理', '/api/system', '认证', '/api/auth', '命名空间', '普通服务', '登录', '功能资源树', '/api/system/resources', '有效']) {
      expect(text).toContain(t);
    }
    await shot(page, 'resource-07-api-resources');

    await input(page, 'search-keyword').fill('退出登录');
    await page.locator('[data-test="search-submit"]').click();
    await expect.poll(() => api.locator('.el-table__body tr').count()).toBe(2);
    expect(await api.innerText()).toContain('退出登录');

    await page.locator('[data-test="api-add-namespace"]').click();
    const form = page.locator('[data-test="api-resource-form"]');
    await input(form, 'api-form-name').fill('外部接口');
    await input(form, 'api-form-url').fill('/api/external');
    await form.locator('[data-test="api-form-submit"]').click();
    await form.waitFor({ state: 'hidden' });
    await page.locator('[data-test="search-reset"]').click();
    await expect.poll(() => api.innerText()).toContain('外部接口');
    expect(await api.innerText()).toContain('自定义');
    // Services fold away under their namespaces.
    await page.locator('[data-test="api-expand"]').click();
    // 系统管理, 认证, 事件枢纽, 消息, 附件, 物联感知, 第三方接口 and the new 外部接口.
    await expect.poll(() => api.locator('.el-table__body tr:visible').count()).toBe(8);
    await shot(page, 'resource-08-api-namespaces-folded');
  });
});
