import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { launch, loginAsAdmin, newPage, shot, skipBrowser, startProduct } from './browser.js';
import { sysExceptionLog } from '../packages/server/src/core/audit/audit.table.js';

const NEW_LABEL = '男性（已修订）';

describe.skipIf(skipBrowser)('字典管理, 系统参数 and the log charts in the browser', () => {
  let product: Awaited<ReturnType<typeof startProduct>>;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    product = await startProduct();
    // A person whose gender the people page shows through <dict-tag>, and exceptions for the charts.
    await product.database.db.execute(sql`update sys_user set gender = 'male' where username = 'city_op'`);
    const ago = (ms: number) => new Date(Date.now() - ms);
    const ex = (at: Date, i: number) => ({ at, type: 'Error', method: 'GET', url: '/api/demo', message: '数据库连接超时', detail: null, requestId: `e2e-${i}`, username: 'admin' });
    await product.database.db.insert(sysExceptionLog).values([
      ex(ago(60_000), 1), ex(ago(3 * 3600_000), 2), ex(ago(3 * 3600_000 + 5000), 3), ex(ago(2 * 86400_000), 4), ex(ago(5 * 86400_000), 5),
    ]);
    browser = await launch();
    page = await newPage(browser);

    await loginAsAdmin(page, product.url);
  });
  afterAll(async () => {
    await browser?.close();
    await product?.close();
  });

  const confirmBox = () => page.locator('.el-message-box').last();

  it('admin edits a label of 性别 and every screen shows it', async () => {
    await page.goto(`${product.url}/system/dict`);
    const types = page.locator('[data-test="dict-type-table"]');
    await expect.poll(() => types.innerText()).toContain('性别');
    await page.locator('[data-test="dict-type-gender"]').click();
    const items = page.locator('[data-test="dict-item-table"]');
    await expect.poll(() => items.innerText()).toContain('male');
    const preview = page.locator('[data-test="dict-preview"]');
    await expect.poll(() => preview.innerText()).toContain('男');
    await shot(page, 'system-dict-01-list');

    await page.locator('[data-test="dict-item-edit-male"]').click();
    const form = page.locator('[data-test="dict-item-form"]');
    await form.locator('input[data-test="dict-item-label"]').fill(NEW_LABEL);
    expect(await form.locator('input[data-test="dict-item-value"]').isDisabled()).toBe(true); // a built-in key
    await shot(page, 'system-dict-02-edit-item');
    await form.locator('[data-test="dict-item-submit"]').click();
    await expect.poll(() => items.innerText()).toContain(NEW_LABEL);
    // The preview is a <dict-tag> fed by useDict → GET /api/dicts/gender (the server's cache).
    await expect.poll(() => preview.innerText()).toContain(NEW_LABEL);

    // The people page shows the new label in its gender column.
    await page.goto(`${product.url}/system/user`);
    await page.locator('input[data-test="user-keyword"], [data-test="user-keyword"] input').first().fill('city_op');
    await page.locator('[data-test="user-search-submit"]').click();
    const people = page.locator('[data-test="user-table"]');
    await expect.poll(() => people.innerText()).toContain('市城运中心值班员');
    await expect.poll(() => people.innerText()).toContain(NEW_LABEL);
    await shot(page, 'system-dict-03-people-page-label');
  });

  it('admin adds a dictionary type with labels, and a taken key is refused at the field', async () => {
    await page.goto(`${product.url}/system/dict`);
    await expect.poll(() => page.locator('[data-test="dict-type-table"]').innerText()).toContain('性别');
    await page.locator('[data-test="dict-type-add"]').click();
    const typeForm = page.locator('[data-test="dict-type-form"]');
    await typeForm.locator('input[data-test="dict-type-name"]').fill('反映渠道');
    await typeForm.locator('input[data-test="dict-type-code"]').fill('report_channel');
    await typeForm.locator('[data-test="dict-type-submit"]').click();
    await page.locator('[data-test="dict-type-report_channel"]').click();
    await expect.poll(() => page.locator('[data-test="dict-items"]').innerText()).toContain('report_channel');

    const addItem = async (label: string, value: string, style: string) => {
      await page.locator('[data-test="dict-item-add"]').click();
      const f = page.locator('[data-test="dict-item-form"]');
      await f.locator('input[data-test="dict-item-label"]').fill(label);
      await f.locator('input[data-test="dict-item-value"]').fill(value);
      await f.locator('[data-test="dict-item-style"]').click();
      await page.locator('.el-select-dropdown__item:visible', { hasText: style }).click();
      await f.locator('[data-test="dict-item-submit"]').click();
    };
    await addItem('12345 热线', '01', '主要（蓝）');
    await expect.poll(() => page.locator('[data-test="dict-item-table"]').innerText()).toContain('12345 热线');
    await addItem('网格员上报', '02', '成功（绿）');
    await expect.poll(() => page.locator('[data-test="dict-preview"]').innerText()).toContain('网格员上报');

    await addItem('重复键值', '01', '危险（红）');
    const f = page.locator('[data-test="dict-item-form"]');
    await expect.poll(() => f.locator('.el-form-item__error').innerText()).toContain('键值“01”在字典“反映渠道”中已存在');
    await shot(page, 'system-dict-04-duplicate-key');
    await f.getByRole('button', { name: '取消' }).click();

    await expect.poll(() => page.locator('[data-test="dict-type-table"]').innerText()).toMatch(/反映渠道[\s\S]*2/);
    await shot(page, 'system-dict-05-new-type');
  });

  it('admin changes a system parameter and restores its default', async () => {
    await page.goto(`${product.url}/system/param`);
    const table = page.locator('[data-test="param-table"]');
    await expect.poll(() => table.innerText()).toContain('崇州市城市运行管理平台');
    await expect.poll(() => page.locator('[data-test="param-value-upload.max_mb"]').innerText()).toBe('50 MB');

    await page.locator('[data-test="param-edit-upload.max_mb"]').click();
    const form = page.locator('[data-test="param-form"]');
    await form.locator('[data-test="param-value-number"] input').fill('100');
    await shot(page, 'system-param-01-edit');
    await form.locator('[data-test="param-submit"]').click();
    await expect.poll(() => page.locator('[data-test="param-value-upload.max_mb"]').innerText()).toBe('100 MB');
    await expect.poll(() => table.innerText()).toContain('已修改');
    await shot(page, 'system-param-02-list');

    await page.locator('[data-test="param-reset-upload.max_mb"]').click();
    await confirmBox().getByRole('button', { name: '确定' }).click();
    await expect.poll(() => page.locator('[data-test="param-value-upload.max_mb"]').innerText()).toBe('50 MB');
  });

  it('the operation log shows its 7-day charts and exports the filtered rows to Excel', async () => {
    await page.goto(`${product.url}/system/oplog`);
    const typeChart = page.locator('[data-test="oplog-chart-type"]');
    const subjectChart = page.locator('[data-test="oplog-chart-subject"]');
    await expect.poll(() => typeChart.innerText()).toContain('近7日操作类型分布');
    await expect.poll(() => subjectChart.innerText()).toContain('近7日影响主体类型分布');
    await expect.poll(() => typeChart.locator('canvas').count()).toBeGreaterThan(0);
    await expect.poll(() => subjectChart.locator('canvas').count()).toBeGreaterThan(0);
    expect(await typeChart.locator('.el-empty').count()).toBe(0);
    await expect.poll(() => page.locator('[data-test="oplog-table"]').innerText()).toContain('字典标签');
    await page.waitForTimeout(800); // let the bars finish their entrance animation for the screenshot
    await shot(page, 'system-oplog-01-charts');

    // Export what the filter selects: the 修改 operations.
    await page.locator('[data-test="search-type"]').click();
    await page.locator('.el-select-dropdown__item:visible', { hasText: /^修改$/ }).click();
    // Read the total only once the filtered page has arrived, not the unfiltered one still shown.
    const [filtered] = await Promise.all([
      page.waitForResponse((r) => r.url().includes('/api/system/oplogs?') && r.url().includes('type=')),
      page.locator('[data-test="search-submit"]').click(),
    ]);
    const listed = (await filtered.json()).total as number;
    await expect.poll(() => page.locator('.el-pagination__total').first().innerText()).toBe(`共 ${listed} 条`);
    expect(listed).toBeGreaterThanOrEqual(2);

    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test="oplog-export"]').click()]);
    expect(download.suggestedFilename()).toMatch(/^操作日志_\d{8}_\d{4}\.xlsx$/);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'cityops-dl-')), download.suggestedFilename());
    await download.saveAs(file);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const ws = wb.getWorksheet('操作日志')!;
    expect((ws.getRow(1).values as unknown[]).slice(1)).toEqual([
      '操作时间', '操作人', '机构', '操作类型', '请求', '影响主体类型', '影响主体名称', '操作内容', '状态', '耗时(ms)', 'IP', '请求ID',
    ]);
    expect(ws.rowCount - 1).toBe(listed);
    for (let r = 2; r <= ws.rowCount; r++) expect(ws.getRow(r).getCell(4).value).toBe('修改');
    await expect.poll(() => page.locator('.el-message--success').last().innerText()).toContain('导出成功');
    await shot(page, 'system-oplog-02-exported');
  });

  it('the exception log charts exceptions per day and per hour', async () => {
    await page.goto(`${product.url}/system/exception-log`);
    const daily = page.locator('[data-test="exception-chart-daily"]');
    const hourly = page.locator('[data-test="exception-chart-hourly"]');
    await expect.poll(() => daily.innerText()).toContain('近7日异常次数');
    await expect.poll(() => daily.innerText()).toContain('共 5 次');
    await expect.poll(() => hourly.innerText()).toContain('近24小时异常次数');
    await expect.poll(() => hourly.innerText()).toContain('共 3 次');
    expect(await hourly.locator('canvas').count()).toBeGreaterThan(0);
    await expect.poll(() => page.locator('[data-test="exception-table"]').innerText()).toContain('数据库连接超时');
    await page.waitForTimeout(800);
    await shot(page, 'system-exception-01-charts');
  });
});
