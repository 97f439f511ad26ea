import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { sql } from 'drizzle-orm';
import { confirmBox, DEMO_PASSWORD, input, launch, loginAsAdmin, newPage, shot, signIn, skipBrowser, startProduct } from './browser.js';

/** Reference map data (run with GEO_DATA_DIR=/work/shared/data/geo); without it the outline is imported in the test when the file exists. */
const GEO_DIR = process.env.GEO_DATA_DIR ?? '/work/shared/data/geo';
const OUTLINE = path.join(GEO_DIR, 'datav-v3', '510184.json');
const hasOutlineFile = fs.existsSync(OUTLINE);

/**
 * 事件发起 and 草稿箱 in the browser, as 汇蜀社区网格员: an event with a custom form, a point on the
 * map and a photo; a draft saved, edited and started; refused input; the page without an outline,
 * and the outline imported on the 行政区划 page.
 */
describe.skipIf(skipBrowser)('事件发起 and 草稿箱 in the browser', () => {
  let product: Awaited<ReturnType<typeof startProduct>>;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    product = await startProduct({ DEMO_DATA: 'true', ...(process.env.GEO_DATA_DIR ? { GEO_DATA_DIR: process.env.GEO_DATA_DIR } : {}) });
    browser = await launch();
    page = await signIn(browser, product.url, 'hs_grid', DEMO_PASSWORD);
  });
  afterAll(async () => {
    await browser?.close();
    await product?.close();
  });

  const errorsShown = () => page.locator('[data-test="intake-form"] .el-form-item__error').allInnerTexts();
  const visibleOption = (text: string) => page.locator('.el-select-dropdown__item:visible', { hasText: text }).first();
  const api = <T>(url: string) => page.evaluate(async (u) => (await fetch(u)).json(), url) as Promise<T>;
  const draftRows = () => page.locator('[data-test="drafts-table"] .el-table__body tr');

  async function openNew() {
    await page.goto(`${product.url}/events/new`);
    await page.locator('[data-test="intake-form"]').waitFor();
    await expect.poll(() => page.locator('[data-test="intake-form"] .el-loading-mask:visible').count()).toBe(0);
  }

  async function pickType(name: string) {
    await input(page, 'intake-type').fill(name);
    await page.locator('.event-type-picker__popper .el-cascader__suggestion-item', { hasText: name }).first().click();
  }

  /** A real photo drawn by the browser (a PNG the server recognises by content). */
  async function photo(): Promise<Buffer> {
    const dataUrl = await page.evaluate(() => {
      const c = document.createElement('canvas');
      c.width = 240;
      c.height = 160;
      const g = c.getContext('2d')!;
      const grad = g.createLinearGradient(0, 0, 240, 160);
      grad.addColorStop(0, '#6b8fb5');
      grad.addColorStop(1, '#2f4f6f');
      g.fillStyle = grad;
      g.fillRect(0, 0, 240, 160);
      g.fillStyle = '#333';
      g.beginPath();
      g.arc(120, 95, 38, 0, Math.PI * 2);
      g.fill();
      return c.toDataURL('image/png');
    });
    return Buffer.from(dataUrl.split(',')[1]!, 'base64');
  }

  it('reports an event with a custom form, a point on the map and a photo, refusing bad input in Chinese', async () => {
    await openNew();
    // The 网格员's own community is the default 事发区域.
    await expect.poll(() => input(page, 'intake-region').inputValue()).toBe('崇阳街道 / 汇蜀社区居民委员会');

    // Nothing filled in: the required fields say so.
    await input(page, 'intake-title').fill('');
    await page.locator('[data-test="intake-submit"]').click();
    await expect.poll(errorsShown).toEqual(expect.arrayContaining(['请选择事件类型', '请输入事件标题']));

    // A type with a custom form: its required fields appear and are checked too.
    await pickType('井盖缺失');
    const custom = page.locator('[data-test="intake-custom"]');
    await expect.poll(() => custom.innerText()).toContain('井盖类型');
    expect(await page.locator('[data-test="intake-type-info"]').innerText()).toContain('办理时限 4 小时');
    await input(page, 'intake-title').fill('汇蜀社区东门外雨水井盖缺失');
    await page.locator('[data-test="intake-submit"]').click();
    await expect.poll(errorsShown).toEqual(['请选择井盖类型', '请选择是否已设置警示']);

    // Files the server would refuse are refused with the reason, and can be removed.
    await page.setInputFiles('[data-test="file-upload-input"]', [
      { name: '工具.exe', mimeType: 'application/octet-stream', buffer: Buffer.from('MZ') },
      { name: '伪装图片.png', mimeType: 'image/png', buffer: Buffer.from('这不是图片，只是文字') },
    ]);
    const items = page.locator('[data-test="file-upload-item"]');
    await expect.poll(() => items.locator('[data-test="file-upload-error"]').allInnerTexts()).toEqual([
      expect.stringContaining('不支持“工具.exe”的文件类型'),
      '文件“伪装图片.png”的内容与扩展名 .png 不符，不能上传',
    ]);
    await shot(page, 'intake-01-refused-input');
    await items.locator('[data-test="file-upload-remove"]').first().click();
    await items.locator('[data-test="file-upload-remove"]').first().click();
    await expect.poll(() => items.count()).toBe(0);

    await custom.locator('[data-test="intake-field-coverType"] .el-select').click();
    await visibleOption('雨水').click();
    await custom.locator('[data-test="intake-field-warningSet"]').getByText('是', { exact: true }).click();
    await page.locator('[data-test="intake-source"]').click();
    await visibleOption('网格上报').click();
    await input(page, 'intake-address').fill('崇阳街道汇蜀社区东门');
    await page.locator('textarea[data-test="intake-content"], [data-test="intake-content"] textarea').first().fill('东门外人行道雨水井盖缺失，已有行人险些踩空，需尽快补齐。');
    await page.setInputFiles('[data-test="file-upload-input"]', [{ name: '现场照片.png', mimeType: 'image/png', buffer: await photo() }]);
    await expect.poll(() => items.getAttribute('data-status')).toBe('done');

    if (hasOutlineFile && process.env.GEO_DATA_DIR) {
      // The outline is drawn: a click on the map places the marker and fills the coordinates.
      const map = page.locator('[data-test="intake-map"]');
      // MapLibre (about 1 MB) loads with the first map.
      await page.locator('[data-test="intake-map"][data-ready="true"]').waitFor();
      const box = (await map.boundingBox())!;
      await map.click({ position: { x: box.width / 2, y: box.height / 2 } });
      await page.locator('[data-test="intake-map-marker"]').waitFor();
      const lng = Number(await input(page, 'intake-lng').inputValue());
      const lat = Number(await input(page, 'intake-lat').inputValue());
      expect(lng).toBeGreaterThan(103.12);
      expect(lng).toBeLessThan(103.83);
      expect(lat).toBeGreaterThan(30.49);
      expect(lat).toBeLessThan(30.88);
      // Typed far away: the picker warns that the point is outside 崇州市.
      await input(page, 'intake-lng').fill('104.5');
      await input(page, 'intake-lng').press('Tab');
      await expect.poll(() => page.locator('[data-test="intake-location-warn"]').innerText()).toBe('所选位置不在崇州市范围内，请确认');
    }
    // The coordinates are editable: the city seat, typed in.
    await input(page, 'intake-lng').fill('103.671049');
    await input(page, 'intake-lng').press('Tab');
    await input(page, 'intake-lat').fill('30.631478');
    await input(page, 'intake-lat').press('Tab');
    await expect.poll(() => page.locator('[data-test="intake-point"]').innerText()).toBe('103.671049，30.631478');
    await expect.poll(() => page.locator('[data-test="intake-location-warn"]').count()).toBe(0);
    await shot(page, 'intake-02-filled-with-map');

    await page.locator('[data-test="intake-submit"]').click();
    await page.waitForURL(/\/events\/[0-9a-f-]{36}$/);
    const no = await page.locator('[data-test="intake-started-no"]').innerText();
    expect(no).toMatch(/^WG\d{14}$/);
    await shot(page, 'intake-03-started');

    const id = page.url().split('/').pop()!;
    const detail = await api<any>(`/api/events/${id}`);
    expect(detail.event).toMatchObject({
      no, title: '汇蜀社区东门外雨水井盖缺失', typeName: '井盖缺失', source: 'grid', status: 'processing', regionCode: '510184001018',
      address: '崇阳街道汇蜀社区东门', lat: 30.631478, lng: 103.671049, formData: { coverType: '雨水', warningSet: true },
    });
    expect(detail.attachments.before.map((a: { name: string }) => a.name)).toEqual(['现场照片.png']);
  });

  it('saves a draft, edits it, and starts it from the drafts box', async () => {
    await openNew();
    await pickType('路灯损坏');
    await input(page, 'intake-title').fill('蜀州中路路灯夜间不亮');
    await page.locator('[data-test="intake-save-draft"]').click();
    await page.waitForURL(/\/events\/drafts$/);
    await expect.poll(() => page.locator('[data-test="drafts-count"]').innerText()).toBe('共 1 条草稿');
    expect(await draftRows().first().innerText()).toContain('路灯损坏');
    await shot(page, 'intake-04-drafts');

    // Edit: the form comes back filled; a document is added and the title sharpened.
    await draftRows().first().locator('[data-test^="draft-edit-"]').click();
    await page.waitForURL(/\/events\/new\?draft=/);
    await expect.poll(() => input(page, 'intake-title').inputValue()).toBe('蜀州中路路灯夜间不亮');
    expect(await input(page, 'intake-type').inputValue()).toBe('城市管理 / 市政设施 / 路灯损坏');
    await input(page, 'intake-title').fill('蜀州中路 3 盏路灯夜间不亮');
    await page.setInputFiles('[data-test="file-upload-input"]', [{ name: '巡查记录.txt', mimeType: 'text/plain', buffer: Buffer.from('晚 8 点巡查，蜀州中路 3 盏路灯不亮。') }]);
    await expect.poll(() => page.locator('[data-test="file-upload-item"]').getAttribute('data-status')).toBe('done');
    await shot(page, 'intake-05-draft-edit');
    await page.locator('[data-test="intake-save-draft"]').click();
    await page.waitForURL(/\/events\/drafts$/);
    await expect.poll(() => draftRows().first().innerText()).toContain('蜀州中路 3 盏路灯夜间不亮');

    // The search narrows the list.
    await input(page, 'drafts-keyword').fill('井盖');
    await page.locator('[data-test="drafts-search-submit"]').click();
    await expect.poll(() => page.locator('[data-test="drafts-table"]').innerText()).toContain('没有符合条件的草稿');
    await page.locator('[data-test="drafts-search-reset"]').click();
    await expect.poll(() => draftRows().count()).toBe(1);

    // Reopened, the draft keeps its attachment; it is started from the list after a confirmation.
    const draftId = (await draftRows().first().locator('[data-test^="draft-edit-"]').getAttribute('data-test'))!.replace('draft-edit-', '');
    const saved = await api<any>(`/api/events/${draftId}`);
    expect(saved.attachments.before.map((a: { name: string }) => a.name)).toEqual(['巡查记录.txt']);
    await draftRows().first().locator('[data-test^="draft-submit-"]').click();
    await confirmBox(page, '发起处置');
    await expect.poll(() => page.locator('[data-test="intake-started-no"]').innerText()).toMatch(/^PT\d{14}$/);
    await expect.poll(() => page.locator('[data-test="drafts-count"]').innerText()).toBe('共 0 条草稿');
    expect((await api<any>(`/api/events/${draftId}`)).event.status).toBe('processing');

    // Another draft, deleted after a confirmation.
    await openNew();
    await pickType('乱堆乱放');
    await input(page, 'intake-title').fill('小区门口堆放装修垃圾');
    await page.locator('[data-test="intake-save-draft"]').click();
    await page.waitForURL(/\/events\/drafts$/);
    await draftRows().first().locator('[data-test^="draft-delete-"]').click();
    await confirmBox(page, '删除');
    await expect.poll(() => page.locator('[data-test="drafts-table"]').innerText()).toContain('草稿箱是空的');
    await shot(page, 'intake-06-drafts-empty');
  });

  it('without an outline offers coordinate inputs; an administrator imports the outline on the 行政区划 page', async () => {
    await product.database.db.execute(sql`delete from sys_region_boundary`);
    await openNew();
    await expect.poll(() => page.locator('[data-test="intake-map-none"]').innerText()).toContain('崇州市尚未导入边界，暂不能在地图上选点');
    await pickType('暴露垃圾');
    await input(page, 'intake-title').fill('河堤步道旁垃圾堆积');
    await input(page, 'intake-lng').fill('103.6512');
    await input(page, 'intake-lng').press('Tab');
    await page.locator('[data-test="intake-save-draft"]').click();
    await expect.poll(() => page.locator('.el-message--warning').last().innerText()).toBe('事发位置的经度和纬度须同时填写');
    await input(page, 'intake-lat').fill('30.6389');
    await input(page, 'intake-lat').press('Tab');
    await shot(page, 'intake-07-no-outline');
    await page.locator('[data-test="intake-save-draft"]').click();
    await page.waitForURL(/\/events\/drafts$/);
    const draftId = (await draftRows().first().locator('[data-test^="draft-edit-"]').getAttribute('data-test'))!.replace('draft-edit-', '');
    expect((await api<any>(`/api/events/${draftId}`)).event).toMatchObject({ lng: 103.6512, lat: 30.6389 });

    if (!hasOutlineFile) return console.warn(`[e2e] ${OUTLINE} not found: the outline import is not tried`);
    const admin = await newPage(browser);
    await loginAsAdmin(admin, product.url);
    await admin.goto(`${product.url}/system/region`);
    await admin.locator('input[data-test="region-keyword"]').fill('510184');
    await admin.locator('[data-test="region-search-submit"]').click();
    await admin.locator('tr.region-row--510184 .el-checkbox').click();
    await admin.locator('[data-test="region-boundary-open"]').click();
    const dialog = admin.locator('.el-dialog[data-test="boundary-import"]');
    await expect.poll(() => dialog.locator('[data-test="boundary-current"]').innerText()).toBe('该区划尚未导入边界');
    const upload = dialog.locator('[data-test="boundary-upload"] input[type="file"]');
    await upload.setInputFiles({ name: '线.geojson', mimeType: 'application/geo+json', buffer: Buffer.from(JSON.stringify({ type: 'Feature', geometry: { type: 'LineString', coordinates: [[103.6, 30.6], [103.7, 30.7]] } })) });
    await expect.poll(() => dialog.locator('[data-test="boundary-error"]').innerText()).toBe('要素：几何类型为“LineString”，只支持 Polygon（面）或 MultiPolygon（多面）');
    await upload.setInputFiles(OUTLINE);
    await expect.poll(() => dialog.locator('[data-test="boundary-file"]').innerText()).toContain('1 个要素，737 个点');
    await shot(admin, 'intake-08-boundary-import');
    await dialog.locator('[data-test="boundary-submit"]').click();
    await expect.poll(() => admin.locator('.el-message--success').last().innerText()).toBe('已导入“崇州市”的边界（1 个要素，737 个点）');
    await admin.close();

    // The draft, reopened, now shows its point on the map of 崇州市.
    await page.goto(`${product.url}/events/new?draft=${draftId}`);
    await page.locator('[data-test="intake-map"][data-ready="true"]').waitFor();
    await page.locator('[data-test="intake-map-marker"]').waitFor();
    expect(await page.locator('[data-test="intake-point"]').innerText()).toBe('103.651200，30.638900');
    await shot(page, 'intake-09-draft-on-map');
  });
});
