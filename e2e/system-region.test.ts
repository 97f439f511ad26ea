import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launch, loginAsAdmin, newPage, shot, skipBrowser, startProduct } from './browser.js';

describe.skipIf(skipBrowser)('行政区划 in the browser', () => {
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

  const row = (code: string) => page.locator(`tr.region-row--${code}`);
  const expand = async (code: string) => {
    await row(code).locator('.el-table__expand-icon').click();
  };
  const confirmBox = (button: string) => page.locator('.el-message-box__btns button', { hasText: button }).click();

  it('opens 行政区划 from the menu and expands 四川省 → 成都市 → 崇州市 to its 15 towns', async () => {
    const menu = page.locator('.side-menu');
    await menu.getByText('系统管理', { exact: true }).click();
    await menu.getByText('组织人员', { exact: true }).click();
    await page.locator('[data-menu="system:region"]').click();
    await page.waitForURL(/\/system\/region/);

    await row('51').waitFor();
    await expand('51');
    await row('5101').waitFor();
    await expand('5101');
    await row('510184').waitFor();
    await expand('510184');
    await expect.poll(() => page.locator('tr.region-level-4').count()).toBe(15);
    const towns = await page.locator('tr.region-level-4 .region-name').allInnerTexts();
    expect(towns).toContain('崇阳街道');
    expect(towns).toContain('文井江镇');
    expect(await row('510184001').innerText()).toContain('镇（街道）');
    await shot(page, 'region-01-tree-chongzhou');
  });

  it('adds a grid under a community with checked input, then batch-deletes it with a town and shows the failed row', async () => {
    await expand('510184001');
    await row('510184001018').waitFor();
    await page.locator('[data-test="region-add-510184001018"]').click();
    const form = page.locator('[data-test="region-form"]');
    await expect.poll(() => form.locator('[data-test="region-form-parent"]').innerText()).toContain('崇阳街道 / 汇蜀社区居民委员会');
    const code = form.locator('input[data-test="region-form-code"]');
    await code.fill('01');
    await form.locator('input[data-test="region-form-name"]').fill('汇蜀社区第一网格');
    await form.locator('[data-test="region-form-submit"]').click();
    await expect.poll(() => form.innerText()).toContain('请输入 3 位数字（完整代码共 15 位）');
    await shot(page, 'region-02-form-validation');
    await code.fill('001');
    await form.locator('[data-test="region-form-submit"]').click();
    // The community had no children: it is opened to show the new grid.
    await row('510184001018001').waitFor();
    expect(await row('510184001018001').innerText()).toContain('网格');

    await row('510184001018001').locator('.el-checkbox').click();
    await row('510184001').locator('.el-checkbox').click();
    await page.locator('[data-test="region-batch-delete"]').click();
    await confirmBox('删除');
    const result = page.locator('[data-test="region-batch-result"]');
    await expect.poll(() => result.innerText()).toContain('删除成功 1 条，失败 1 条');
    expect(await result.innerText()).toContain('“崇阳街道”下还有 17 个下级区划，不能删除');
    await shot(page, 'region-03-batch-result');
    await page.locator('[data-test="region-batch-result-close"]').click();
    await expect.poll(() => row('510184001018001').count()).toBe(0);
  });

  it("finds 崇阳街道 by its pinyin initials 'cyjd', with its path", async () => {
    await page.locator('input[data-test="region-keyword"]').fill('cyjd');
    await page.locator('[data-test="region-search-submit"]').click();
    const results = page.locator('[data-test="region-results"]');
    await expect.poll(() => results.innerText()).toContain('崇阳街道');
    expect(await results.locator('[data-test="region-path"]').first().innerText()).toBe('四川省 / 成都市 / 崇州市');
    expect(await page.locator('[data-test="region-hint"]').innerText()).toBe('检索到 1 条区划');
    await shot(page, 'region-04-search-cyjd');

    // Editing from the results: the code is fixed, the parent is the hit's path.
    await page.locator('[data-test="region-edit-510184001"]').click();
    const form = page.locator('[data-test="region-form"]');
    await expect.poll(() => form.locator('[data-test="region-form-parent"]').innerText()).toBe('四川省 / 成都市 / 崇州市（510184）');
    expect(await form.locator('input[data-test="region-form-code"]').isDisabled()).toBe(true);
    await form.locator('input[data-test="region-form-name"]').fill('崇阳街道');
    await form.locator('.el-input-number input').fill('8');
    await form.locator('[data-test="region-form-submit"]').click();
    await form.waitFor({ state: 'hidden' });
    await expect.poll(() => results.locator('tr.region-row--510184001').innerText()).toContain('8');
    await page.locator('[data-test="region-search-reset"]').click();
    await page.locator('[data-test="region-tree"]').waitFor();
  });

  it('refuses a grid CSV with a wrong row and lists the row and the reason', async () => {
    await page.locator('[data-test="region-grid-import"]').click();
    const dialog = page.locator('[data-test="grid-import"]');
    const csv = 'code,name,parentCode\n510184001018001,汇蜀社区第一网格,510184001018\n510184001002001,网格甲,510184001\n';
    await dialog.locator('input[type=file]').setInputFiles({ name: '网格.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await expect.poll(() => dialog.locator('[data-test="grid-import-file"]').innerText()).toContain('共 2 行网格数据');
    await dialog.locator('[data-test="grid-import-submit"]').click();
    const errors = dialog.locator('[data-test="grid-import-errors"]');
    await expect.poll(() => errors.innerText()).toContain('第 3 行');
    expect(await errors.innerText()).toContain('网格只能建在村（社区）下');
    expect(await dialog.locator('[data-test="grid-import-error"]').innerText()).toContain('未导入任何数据');
    await shot(page, 'region-05-grid-import-errors');
    await dialog.locator('[data-test="grid-import-cancel"]').click();
  });

  it('imports the national table to county level with a progress bar reaching 100%', async () => {
    await page.locator('[data-test="region-import-open"]').click();
    const dialog = page.locator('[data-test="region-import"]');
    await dialog.locator('[data-test="region-import-depth-county"]').click();
    await shot(page, 'region-06-import-dialog');
    await dialog.locator('[data-test="region-import-start"]').click();
    await confirmBox('开始导入');
    const bar = dialog.locator('[data-test="region-import-bar"]');
    await bar.waitFor();
    await expect.poll(() => bar.innerText(), { timeout: 60_000 }).toContain('100%');
    await expect.poll(() => dialog.locator('[data-test="region-import-result"]').innerText()).toContain('导入完成（到区县）：共 3351 条');
    expect(await dialog.locator('[data-test="region-import-progress"]').innerText()).toContain('3,351 / 3,351');
    await shot(page, 'region-07-import-done');
    await dialog.locator('[data-test="region-import-close"]').click();
    await dialog.waitFor({ state: 'hidden' });

    // The tree now starts with the whole country.
    await row('11').waitFor();
    const provinces = await page.locator('tr.region-level-1 .region-name').allInnerTexts();
    expect(provinces).toHaveLength(31);
    expect(provinces.slice(0, 2)).toEqual(['北京市', '天津市']);
    await shot(page, 'region-08-tree-country');
  });
});
