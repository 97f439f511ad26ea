import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { expandTreeNode, launch, loginAsAdmin, newPage, shot, skipBrowser, startProduct } from './browser.js';

/** The text input inside an element marked with data-test (Element Plus puts it on the wrapper). */
const input = (page: Page, name: string) => page.locator(`[data-test="${name}"] input, input[data-test="${name}"]`).first();

describe.skipIf(skipBrowser)('组织机构 in the browser', () => {
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

  const table = () => page.locator('[data-test="org-table"]');
  const row = (name: string) => table().locator('.el-table__body-wrapper tr', { has: page.locator(`[data-test="org-row-${name}"]`) });
  const visibleOption = (text: string) => page.locator('.el-select-dropdown__item:visible', { hasText: text }).first();
  const primaryInBox = () => page.locator('.el-message-box__btns .el-button--primary');

  it('opens 组织机构 from the menu and expands 崇州市 lazily', async () => {
    const menu = page.locator('.side-menu');
    await menu.getByText('系统管理', { exact: true }).click();
    await menu.getByText('组织人员', { exact: true }).click();
    await page.locator('[data-menu="system:org"]').click();
    await page.waitForURL(/\/system\/org/);
    await expect.poll(() => table().innerText()).toContain('崇州市');
    expect(await table().innerText()).not.toContain('崇阳街道');

    await row('崇州市').locator('.el-table__expand-icon').click();
    await expect.poll(() => table().innerText()).toContain('崇阳街道');
    const text = await table().innerText();
    expect(text).toContain('羊马街道');
    expect(text).toContain('崇州市城市运行管理中心');
    expect(text).toContain('镇（街道）');
    expect(await row('崇州市城市运行管理中心').innerText()).toContain('市级城运中心');

    await row('崇阳街道').locator('.el-table__expand-icon').click();
    await expect.poll(() => table().innerText()).toContain('汇蜀社区');
    expect(await row('崇阳街道城运中心').innerText()).toContain('镇街城运中心');
    await shot(page, 'org-01-tree');
  });

  it('finds 崇阳街道 by its pinyin initials', async () => {
    await input(page, 'org-keyword').fill('cyjd');
    await page.locator('[data-test="org-search-submit"]').click();
    await expect.poll(() => page.locator('[data-test="org-result-count"]').innerText()).toMatch(/共 \d+ 个组织/);
    const first = table().locator('.el-table__body-wrapper tr').first();
    await expect.poll(() => first.innerText()).toContain('崇阳街道');
    expect(await first.innerText()).toContain('崇州市'); // the ancestor trail
    await shot(page, 'org-02-search-cyjd');
  });

  it('adds a grid under 汇蜀社区', async () => {
    await input(page, 'org-keyword').fill('汇蜀');
    await page.locator('[data-test="org-search-submit"]').click();
    await expect.poll(() => table().innerText()).toContain('汇蜀社区');
    await row('汇蜀社区').locator('[data-test="org-add-child"]').click();

    const dialog = page.locator('[data-test="org-form"]');
    await expect.poll(() => dialog.innerText()).toContain('新增下级组织：汇蜀社区');
    await input(page, 'org-form-name').fill('汇蜀社区第一网格');
    await input(page, 'org-form-code').fill('510184001018-W01');
    await page.locator('[data-test="org-form-level"]').click();
    await visibleOption('网格').click();
    await input(page, 'org-form-leader').fill('网格长甲');
    await input(page, 'org-form-phone').fill('028-82111111');
    await shot(page, 'org-03-add-grid-form');
    await page.locator('[data-test="org-form-submit"]').click();

    await expect.poll(() => page.locator('.el-message--success').first().innerText()).toContain('已新增「汇蜀社区第一网格」');
    await expect.poll(() => table().innerText()).toContain('汇蜀社区第一网格');
    const grid = await row('汇蜀社区第一网格').innerText();
    expect(grid).toContain('网格');
    expect(grid).toContain('崇州市 / 崇阳街道 / 汇蜀社区');
    expect(grid).toContain('网格长甲');
    await shot(page, 'org-04-grid-added');
  });

  it('saves an advanced search and applies it again later', async () => {
    await page.locator('[data-test="org-search-reset"]').click();
    await expect.poll(() => table().innerText()).not.toContain('汇蜀社区第一网格');
    await page.locator('[data-test="org-advanced-toggle"]').click();
    // 行政区划: walk the lazy region tree down to 崇阳街道.
    await page.locator('[data-test="region-select"]').first().click();
    for (const name of ['四川省', '成都市', '崇州市']) {
      await expandTreeNode(page.locator('.el-tree-node__content:visible', { hasText: name }).first());
    }
    await page.locator('.el-tree-node__content:visible', { hasText: '崇阳街道' }).first().getByText('崇阳街道', { exact: true }).click();
    await expect.poll(() => page.locator('[data-test="region-select"]').first().innerText()).toContain('崇阳街道');
    await page.locator('[data-test="org-adv-level"]').click();
    await visibleOption('网格').click();
    await page.locator('[data-test="org-adv-enabled"]').click();
    await visibleOption('启用').click();
    await page.locator('[data-test="org-adv-submit"]').click();
    await expect.poll(() => page.locator('[data-test="org-result-count"]').innerText()).toBe('共 1 个组织');
    expect(await table().innerText()).toContain('汇蜀社区第一网格');

    // 常用查询 → 保存当前条件
    await page.locator('[data-test="saved-queries-trigger"]').click();
    await page.locator('.el-dropdown-menu__item:visible', { hasText: '保存当前条件' }).click();
    await page.locator('.el-message-box input').fill('启用的网格');
    await shot(page, 'org-05-save-query');
    await primaryInBox().click();
    await expect.poll(() => page.locator('.el-message--success').last().innerText()).toContain('已保存常用查询「启用的网格」');

    // Back to the tree, then apply the saved search.
    await page.locator('[data-test="org-search-reset"]').click();
    await expect.poll(() => table().innerText()).toContain('崇州市');
    expect(await page.locator('[data-test="org-result-count"]').count()).toBe(0);

    await page.locator('[data-test="saved-queries-trigger"]').click();
    await expect.poll(() => page.locator('.el-dropdown-menu__item:visible', { hasText: '启用的网格' }).count()).toBe(1);
    await page.waitForTimeout(400); // let the menu finish fading in
    await shot(page, 'org-06-saved-query-menu');
    await page.locator('.el-dropdown-menu__item:visible', { hasText: '启用的网格' }).click();
    await expect.poll(() => page.locator('[data-test="org-result-count"]').innerText()).toBe('共 1 个组织');
    expect(await table().innerText()).toContain('汇蜀社区第一网格');
    expect(await page.locator('[data-test="org-adv-level"]').innerText()).toContain('网格');
    expect(await page.locator('[data-test="region-select"]').first().innerText()).toContain('崇阳街道');
    await shot(page, 'org-07-saved-query-applied');

    // × deletes it after confirmation.
    await page.locator('[data-test="saved-queries-trigger"]').click();
    await page.locator('.el-dropdown-menu__item:visible', { hasText: '启用的网格' }).locator('[data-test="saved-query-delete"]').click();
    await expect.poll(() => page.locator('.el-message-box').innerText()).toContain('确定删除常用查询「启用的网格」吗？');
    await primaryInBox().click();
    await expect.poll(() => page.locator('.el-message--success').last().innerText()).toContain('已删除');
  });

  it('moves the grid to another community through the tree picker', async () => {
    await page.locator('[data-test="org-search-reset"]').click();
    await input(page, 'org-keyword').fill('汇蜀社区第一');
    await page.locator('[data-test="org-search-submit"]').click();
    await expect.poll(() => page.locator('[data-test="org-result-count"]').innerText()).toBe('共 1 个组织');
    await row('汇蜀社区第一网格').locator('[data-test="org-move"]').click();
    const picker = page.locator('[data-test="org-tree-picker"]');
    for (const name of ['崇州市', '崇阳街道']) {
      const content = picker.locator('.el-tree-node__content').filter({ has: page.locator(`[data-test="org-tree-node-${name}"]`) });
      await expandTreeNode(content);
    }
    await picker.locator('[data-test="org-tree-node-北楸社区"]').click();
    await expect.poll(() => page.locator('[data-test="org-move-picked"]').innerText()).toContain('北楸社区');
    // A town cannot hold a grid directly: it is greyed out with the reason.
    expect(await picker.locator('[data-test="org-tree-node-崇阳街道"]').innerText()).toContain('其下不能有「网格」');
    await page.waitForTimeout(300);
    await shot(page, 'org-08-move-dialog');
    await page.locator('[data-test="org-move-submit"]').click();
    await primaryInBox().click();
    await expect.poll(() => page.locator('.el-message--success').last().innerText()).toContain('已将「汇蜀社区第一网格」移动到「北楸社区」下');
    await expect.poll(() => row('汇蜀社区第一网格').innerText()).toContain('崇州市 / 崇阳街道 / 北楸社区');
  });

  it('batch-deletes a mix and shows the result of each row', async () => {
    // The code prefix 510184001 finds 崇阳街道, its centre, its communities and the grid (its code starts alike).
    await page.locator('[data-test="org-search-reset"]').click();
    await input(page, 'org-keyword').fill('510184001');
    await page.locator('[data-test="org-search-submit"]').click();
    await expect.poll(() => table().innerText()).toContain('汇蜀社区第一网格');
    await row('崇阳街道').locator('.el-checkbox').click();
    await row('汇蜀社区第一网格').locator('.el-checkbox').click();
    await page.locator('[data-test="org-batch-delete"]').click();
    await expect.poll(() => page.locator('.el-message-box').innerText()).toContain('确定删除选中的 2 个组织吗？');
    await primaryInBox().click();
    const result = page.locator('[data-test="org-batch-result"]');
    await expect.poll(() => result.innerText()).toContain('删除成功 1 个，失败 1 个');
    const text = await result.innerText();
    expect(text).toContain('「崇阳街道」还有 18 个下级组织，不能删除');
    expect(text).toContain('已删除');
    await shot(page, 'org-09-batch-result');
    await page.locator('[data-test="org-batch-result-close"]').click();
    await expect.poll(() => table().innerText()).not.toContain('汇蜀社区第一网格');
    expect(await table().innerText()).toContain('崇阳街道');
  });

  it('refuses to delete an organisation that still has children, saying why', async () => {
    await page.locator('[data-test="org-search-reset"]').click();
    await input(page, 'org-keyword').fill('cyjd');
    await page.locator('[data-test="org-search-submit"]').click();
    await expect.poll(() => table().innerText()).toContain('崇阳街道');
    await row('崇阳街道').locator('[data-test="org-delete"]').click();
    await primaryInBox().click();
    await expect.poll(() => page.locator('.el-message--error').first().innerText()).toContain('「崇阳街道」还有 18 个下级组织，不能删除');
    await shot(page, 'org-10-delete-refused');
  });
});
