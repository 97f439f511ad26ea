import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { staticPassword } from '../packages/server/src/modules/iot/device-auth.service.js';
import { confirmBox, DEMO_PASSWORD, input, lastMessage, launch, shot, signIn, skipBrowser, textField } from './browser.js';
import { iotLocators, reportOverHttp, startIotProduct } from './iot-product.js';

/**
 * 物联感知, part 1, in the browser as 物联感知运维员: a product with a property defined in the thing-model
 * editor, a device registered for it (its secret shown once), the device in the list and its detail,
 * a report sent over HTTP showing up as the latest value, history and trace; the overview and map.
 */
describe.skipIf(skipBrowser)('IoT products and devices in the browser', () => {
  let product: Awaited<ReturnType<typeof startIotProduct>>['product'];
  let browser: Browser;
  let page: Page;
  const suffix = Date.now().toString(36).slice(-5);
  const productKey = `e2e_smoke_${suffix}`;
  const deviceKey = `SN${suffix}001`;
  let deviceId = '';
  let secret = '';
  let mqttPort = 0;

  beforeAll(async () => {
    ({ product, mqttPort } = await startIotProduct());
    browser = await launch();
    page = await signIn(browser, product.url, 'iot_op', DEMO_PASSWORD);
  });
  afterAll(async () => {
    await browser?.close();
    await product?.close();
  });

  const { dialog, option, noMask } = iotLocators(() => page);

  /** Signs in as the device over HTTP and reports `params`; returns the server's answer. */
  async function report(params: Record<string, unknown>, expectStatus = 200) {
    const r = await reportOverHttp(product.url, { productKey, deviceKey, secret }, params);
    expect(r.status).toBe(expectStatus);
    return (await r.json()) as { code: number; message: string };
  }

  it('creates a product and defines a property in the thing-model editor', async () => {
    await page.goto(`${product.url}/iot/products`);
    await page.locator('[data-test="product-table"]').waitFor();
    await noMask('[data-test="product-table"]');

    await page.locator('[data-test="product-add"]').click();
    const form = dialog('product-form-dialog');
    await form.waitFor({ state: 'visible' });
    // Nothing filled in: the form says what is missing, in Chinese.
    await page.locator('[data-test="product-form-submit"]').click();
    await expect.poll(() => form.locator('.el-form-item__error').allInnerTexts()).toEqual(expect.arrayContaining(['请填写产品名称', '请选择设备分类']));

    await input(form, 'product-name').fill(`测试烟感${suffix}`);
    await input(form, 'product-key').fill(productKey);
    await form.locator('[data-test="product-category"]').click();
    await option('点型光电烟火灾探测器').click();
    await shot(page, 'iot-product-form');
    await page.locator('[data-test="product-form-submit"]').click();

    // A new product opens on its detail page, ready for its thing model.
    await page.waitForURL(/\/iot\/products\/[0-9a-f-]{36}$/);
    await expect.poll(() => page.locator('[data-test="product-title"]').innerText()).toBe(`测试烟感${suffix}`);
    await expect.poll(() => page.locator('[data-test="product-key-value"]').innerText()).toBe(productKey);

    // The product secret is hidden until asked for.
    await expect.poll(() => page.locator('[data-test="product-secret-value"]').innerText()).toContain('••••');
    await page.locator('[data-test="product-secret-reveal"]').click();
    await expect.poll(() => page.locator('[data-test="product-secret-value"]').innerText()).toMatch(/^[A-Za-z0-9]{8,}$/);

    // 属性: 烟雾浓度, float 0–10 dB/m.
    await page.locator('[data-test="thing-add-properties"]').click();
    const item = dialog('thing-dialog-properties');
    await item.waitFor({ state: 'visible' });
    await input(item, 'thing-name').fill('烟雾浓度');
    await input(item, 'thing-identifier').fill('9bad');
    await page.locator('[data-test="thing-ok"]').click();
    await expect.poll(() => item.locator('.el-form-item__error').allInnerTexts()).toContain('标识符须以字母或下划线开头，只含字母、数字、下划线，最长 50 位');
    await input(item, 'thing-identifier').fill('smoke_density');
    await item.locator('[data-test="thing-type-type"]').click();
    await option('单精度 float').click();
    await input(item, 'thing-type-min').fill('0');
    await input(item, 'thing-type-max').fill('10');
    await input(item, 'thing-type-step').fill('0.01');
    await input(item, 'thing-type-unit').fill('dB/m');
    await input(item, 'thing-type-unit-name').fill('分贝每米');
    await shot(page, 'iot-thing-property-dialog');
    await page.locator('[data-test="thing-ok"]').click();
    await item.waitFor({ state: 'hidden' });

    // 属性: 电量, int 0–100 %.
    await page.locator('[data-test="thing-add-properties"]').click();
    await item.waitFor({ state: 'visible' });
    await input(item, 'thing-name').fill('电池电量');
    await input(item, 'thing-identifier').fill('battery');
    await input(item, 'thing-type-min').fill('0');
    await input(item, 'thing-type-max').fill('100');
    await input(item, 'thing-type-unit').fill('%');
    await page.locator('[data-test="thing-ok"]').click();
    await item.waitFor({ state: 'hidden' });

    // 属性: 报警阈值, int 1–10, 读写 (the platform may set it).
    await page.locator('[data-test="thing-add-properties"]').click();
    await item.waitFor({ state: 'visible' });
    await input(item, 'thing-name').fill('报警阈值');
    await input(item, 'thing-identifier').fill('threshold');
    await input(item, 'thing-type-min').fill('1');
    await input(item, 'thing-type-max').fill('10');
    await item.locator('[data-test="thing-access"]').getByText('读写（平台也可设置）').click();
    await page.locator('[data-test="thing-ok"]').click();
    await item.waitFor({ state: 'hidden' });

    const rows = page.locator('[data-test="thing-table-properties"] .el-table__body tr');
    await expect.poll(() => rows.count()).toBe(3);
    await expect.poll(() => rows.first().innerText()).toContain('取值 0 ~ 10，步长 0.01，单位 分贝每米(dB/m)');
    await expect.poll(() => page.locator('[data-test="thing-dirty"]').isVisible()).toBe(true);

    // 服务: 自检, synchronous, answering with a text.
    await page.locator('[data-test="thing-tab-services"]').click();
    await page.locator('[data-test="thing-add-services"]').click();
    const svc = dialog('thing-dialog-services');
    await svc.waitFor({ state: 'visible' });
    await input(svc, 'thing-name').fill('自检');
    await input(svc, 'thing-identifier').fill('self_test');
    await svc.locator('[data-test="thing-call-type"]').getByText('同步').click();
    await svc.locator('[data-test="thing-output-add"]').click();
    const param = dialog('thing-output-dialog');
    await param.waitFor({ state: 'visible' });
    await input(param, 'thing-output-dialog-name').fill('自检结果');
    await input(param, 'thing-output-dialog-identifier').fill('result');
    await param.locator('[data-test="thing-output-dialog-type-type"]').click();
    await option('字符串 text').click();
    await param.locator('[data-test="thing-output-dialog-ok"]').click();
    await param.waitFor({ state: 'hidden' });
    await expect.poll(() => svc.locator('[data-test="thing-output"]').innerText()).toContain('自检结果');
    await shot(page, 'iot-thing-service-dialog');
    await page.locator('[data-test="thing-ok"]').click();
    await svc.waitFor({ state: 'hidden' });
    await expect.poll(() => page.locator('[data-test="thing-table-services"]').innerText()).toContain('自检结果(result)');

    // The JSON view shows what will be stored.
    await page.locator('[data-test="thing-json"]').click();
    await dialog('thing-json-dialog').waitFor({ state: 'visible' });
    await expect.poll(async () => JSON.parse(await textField(page, 'thing-json-text').inputValue()).properties[0].dataType).toEqual({
      type: 'float',
      specs: { min: 0, max: 10, step: 0.01, unit: 'dB/m', unitName: '分贝每米' },
    });
    await shot(page, 'iot-thing-json');
    await dialog('thing-json-dialog').locator('.el-dialog__headerbtn').click();

    await page.locator('[data-test="thing-save"]').click();
    await expect.poll(() => lastMessage(page).innerText()).toContain('物模型已保存（版本 2）');
    await expect.poll(() => page.locator('[data-test="thing-dirty"]').count()).toBe(0);
    await shot(page, 'iot-product-detail');

    // The list counts the model's parts.
    await page.locator('[data-test="product-back"]').click();
    await page.locator(`[data-test="product-link-${productKey}"]`).waitFor();
    await expect.poll(() => page.locator('[data-test="product-table"]').innerText()).toContain('3 属性 · 0 事件 · 1 服务');
    await shot(page, 'iot-products');
  }, 120_000);

  it('registers a device, shows its secret once, and finds it in the list', async () => {
    await page.goto(`${product.url}/iot/devices`);
    await page.locator('[data-test="device-table"]').waitFor();
    await page.locator('[data-test="device-add"]').click();
    const form = dialog('device-form-dialog');
    await form.waitFor({ state: 'visible' });
    await form.locator('[data-test="device-product"]').click();
    await option(`测试烟感${suffix}`).click();
    await input(form, 'device-key').fill(deviceKey);
    await input(form, 'device-name').fill(`崇阳街道测试烟感${suffix}`);
    await input(form, 'device-lng').fill('103.62');
    await input(form, 'device-lat').fill('30.66');
    await input(form, 'device-address').fill('崇阳街道测试点 1 号');
    // 责任单位: searched by name, shown with the parent (each town has a 城运中心).
    await form.locator('[data-test="device-org"]').click();
    await page.keyboard.type('崇阳街道城运');
    await expect.poll(() => page.locator('.el-select-dropdown__item:visible').allInnerTexts()).toEqual([expect.stringMatching(/^崇阳街道城运中心\s*崇阳街道$/)]);
    await shot(page, 'iot-device-org-picker');
    await option('崇阳街道城运中心').click();
    await shot(page, 'iot-device-form');
    await page.locator('[data-test="device-form-submit"]').click();

    await form.locator('[data-test="device-created"]').waitFor();
    secret = (await form.locator('[data-test="device-created-secret"]').innerText()).trim();
    expect(secret).toMatch(/^[A-Za-z0-9]{16,}$/);
    expect((await form.locator('[data-test="device-created-key"]').innerText()).trim()).toBe(deviceKey);
    await shot(page, 'iot-device-created');
    await page.locator('[data-test="device-created-done"]').click();
    await form.waitFor({ state: 'hidden' });

    await input(page, 'device-keyword').fill(deviceKey);
    await page.locator('[data-test="device-search-submit"]').click();
    const link = page.locator(`[data-test="device-link-${deviceKey}"]`);
    await link.waitFor();
    await expect.poll(() => page.locator('[data-test="device-table"] .el-table__body tr').count()).toBe(1);
    await expect.poll(() => page.locator('[data-test="device-table"] [data-test="device-status"]').first().innerText()).toBe('未激活');
    expect(await page.locator('[data-test="device-table"] .el-table__body tr').first().innerText()).toContain('崇阳街道城运中心');
    await input(page, 'device-keyword').fill('');
    await page.locator('[data-test="device-search-submit"]').click();
    await noMask('[data-test="device-table"]');
    await shot(page, 'iot-devices');

    await input(page, 'device-keyword').fill(deviceKey);
    await page.locator('[data-test="device-search-submit"]').click();
    await link.click();
    await page.waitForURL(/\/iot\/devices\/[0-9a-f-]{36}/);
    deviceId = /\/iot\/devices\/([0-9a-f-]{36})/.exec(page.url())![1]!;
    await expect.poll(() => page.locator('[data-test="device-title"]').innerText()).toBe(`崇阳街道测试烟感${suffix}`);
    await expect.poll(() => page.locator('[data-test="device-key-value"]').innerText()).toBe(deviceKey);
    // What a field engineer configures: the broker, the user name and client id from the keys, and
    // once the secret is revealed the static password (computed in the browser, as the server checks it).
    await expect.poll(() => page.locator('[data-test="conn-broker"]').innerText()).toBe(`mqtt://127.0.0.1:${mqttPort}`);
    await expect.poll(() => page.locator('[data-test="conn-username"]').innerText()).toBe(`${deviceKey}&${productKey}`);
    await expect.poll(() => page.locator('[data-test="conn-client-id"]').innerText()).toBe(`${productKey}.${deviceKey}`);
    await page.locator('[data-test="device-secret-reveal"]').click();
    await expect.poll(() => page.locator('[data-test="device-secret-value"]').innerText()).toBe(secret);
    await expect.poll(() => page.locator('[data-test="conn-static-password"]').innerText()).toBe(staticPassword(secret, productKey, deviceKey));
    await shot(page, 'iot-device-detail-info');
  });

  it('shows the latest values, history and trace after a report over HTTP', async () => {
    expect(await report({ smoke_density: 0.12, battery: 87 })).toMatchObject({ code: 200 });
    // A report that breaks the thing model is refused with the reason.
    const bad = await report({ smoke_density: 42 }, 400);
    expect(bad.message).toContain('不能大于 10');

    await page.goto(`${product.url}/iot/devices/${deviceId}?tab=latest`);
    const density = page.locator('[data-test="latest-smoke_density"] [data-test="latest-value"]');
    await expect.poll(() => density.innerText(), { timeout: 20_000 }).toBe('0.12');
    await expect.poll(() => page.locator('[data-test="latest-battery"] [data-test="latest-value"]').innerText()).toBe('87');
    await expect.poll(() => page.locator('[data-test="latest-smoke_density"]').innerText()).toContain('dB/m');
    await expect.poll(() => page.locator('[data-test="device-status"]').first().innerText()).toBe('在线');
    await shot(page, 'iot-device-latest');

    // A second report: the card follows by itself (10 s refresh), the history has two points.
    await report({ smoke_density: 0.3 });
    await expect.poll(() => density.innerText(), { timeout: 20_000 }).toBe('0.3');

    await page.locator('[data-test="device-tab-history"]').click();
    await page.locator('[data-test="history-chart"] [data-test="chart-canvas"]').waitFor();
    await expect.poll(() => page.locator('[data-test="history-summary"]').innerText(), { timeout: 20_000 }).toContain('共 2 条上报');
    await page.waitForTimeout(1200); // the line's drawing animation
    await shot(page, 'iot-device-history');

    await page.locator('[data-test="device-tab-events"]').click();
    await page.locator('[data-test="events-table"]').waitFor();
    await shot(page, 'iot-device-events');

    // 消息追踪: the accepted and the refused report, and a new one arriving while the tab is open.
    await page.locator('[data-test="device-tab-trace"]').click();
    const trace = page.locator('[data-test="trace-table"] .el-table__body tr');
    await expect.poll(() => page.locator('[data-test="trace-table"]').innerText(), { timeout: 20_000 }).toContain('校验失败');
    const before = await trace.count();
    await report({ battery: 86 });
    await expect.poll(() => trace.count(), { timeout: 20_000 }).toBeGreaterThan(before);
    await expect.poll(() => page.locator('[data-test="trace-new"]').innerText()).toMatch(/新到 \d+ 条/);
    await shot(page, 'iot-device-trace');
    await trace.first().locator('button', { hasText: '报文' }).click();
    await dialog('trace-payload').waitFor({ state: 'visible' });
    await expect.poll(() => page.locator('[data-test="trace-payload-text"]').innerText()).toContain('"battery": 86');
    await shot(page, 'iot-device-trace-payload');
    await dialog('trace-payload').locator('.el-dialog__headerbtn').click();
  });

  it('sets a property and calls a service on the device connected over MQTT with the password shown', async () => {
    await page.goto(`${product.url}/iot/devices/${deviceId}`);
    await page.locator('[data-test="device-secret-reveal"]').click();
    const password = (await page.locator('[data-test="conn-static-password"]').innerText()).trim();
    const client = await mqtt.connectAsync(`mqtt://127.0.0.1:${mqttPort}`, {
      clientId: `${productKey}.${deviceKey}`,
      username: `${deviceKey}&${productKey}`,
      password,
      protocolVersion: 4,
      reconnectPeriod: 0,
      connectTimeout: 5000,
    });
    try {
      // The device answers every property set and the self test.
      client.on('message', (topic, payload) => {
        const { id } = JSON.parse(payload.toString()) as { id: string };
        if (topic.endsWith('/thing/property/set')) void client.publishAsync(`${topic}_reply`, JSON.stringify({ id, code: 200 }), { qos: 1 });
        if (topic.endsWith('/thing/service/self_test')) void client.publishAsync(`${topic}_reply`, JSON.stringify({ id, code: 200, data: { result: '正常' } }), { qos: 1 });
      });
      await client.subscribeAsync(`/sys/${productKey}/${deviceKey}/thing/#`, { qos: 1 });

      await page.goto(`${product.url}/iot/devices/${deviceId}?tab=commands`);
      await page.locator('[data-test="commands-set"]').waitFor();
      await expect.poll(() => page.locator('[data-test="device-status"]').first().innerText()).toBe('在线');
      // The input keeps to the model's range (1–10).
      await input(page, 'set-threshold').fill('20');
      await input(page, 'set-threshold').press('Tab');
      await expect.poll(() => input(page, 'set-threshold').inputValue()).toBe('10');
      await input(page, 'set-threshold').fill('5');
      await page.locator('[data-test="commands-set-submit"]').click();
      await expect.poll(() => lastMessage(page).innerText(), { timeout: 15_000 }).toContain('属性设置成功，设备已回复');

      await page.locator('[data-test="commands-service-select"]').click();
      await option('自检（self_test').click();
      await page.locator('[data-test="commands-service-submit"]').click();
      await expect.poll(() => page.locator('[data-test="commands-service-result"]').innerText(), { timeout: 15_000 }).toContain('已回复');
      await expect.poll(() => page.locator('[data-test="commands-service-result"]').innerText()).toContain('"result": "正常"');

      const history = page.locator('[data-test="commands-table"] .el-table__body tr');
      await expect.poll(() => history.count()).toBe(2);
      await expect.poll(() => page.locator('[data-test="commands-table"]').innerText()).toContain('属性设置');
      await expect.poll(async () => (await page.locator('[data-test="commands-table"]').innerText()).match(/已回复/g)?.length).toBe(2);
      await shot(page, 'iot-device-commands');
    } finally {
      await client.endAsync();
    }
  }, 120_000);

  it('imports devices from Excel with a result per row, and exports the list', async () => {
    // A sheet as the template has it: one good row and one naming a product that does not exist.
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('设备导入');
    ws.addRow(['产品标识*', '设备名称*', '设备标识', '经度', '纬度', '安装地址']);
    ws.addRow([productKey, `导入烟感${suffix}`, `SN${suffix}002`, 103.58, 30.7, '导入测试点 2 号']);
    ws.addRow(['no_such_product', `导入烟感${suffix}B`, `SN${suffix}003`]);
    const file = path.join(os.tmpdir(), `iot-import-${suffix}.xlsx`);
    await wb.xlsx.writeFile(file);

    await page.goto(`${product.url}/iot/devices`);
    await page.locator('[data-test="device-table"]').waitFor();
    await page.locator('[data-test="device-import-open"]').click();
    const importer = dialog('device-import');
    await importer.waitFor({ state: 'visible' });
    const template = page.waitForEvent('download');
    await page.locator('[data-test="device-import-template"]').click();
    expect((await template).suggestedFilename()).toMatch(/\.xlsx$/);
    await importer.locator('input[type="file"]').setInputFiles(file);
    await expect.poll(() => page.locator('[data-test="device-import-file"]').innerText()).toContain(`iot-import-${suffix}.xlsx`);
    await page.locator('[data-test="device-import-submit"]').click();

    const result = dialog('device-batch-result');
    await result.waitFor({ state: 'visible' });
    await expect.poll(() => result.innerText()).toContain('导入成功 1 台，失败 1 台');
    await expect.poll(() => result.innerText()).toContain('第 3 行');
    await shot(page, 'iot-device-import-result');
    await page.locator('[data-test="device-batch-result-close"]').click();
    fs.rmSync(file, { force: true });

    await input(page, 'device-keyword').fill(`SN${suffix}002`);
    await page.locator('[data-test="device-search-submit"]').click();
    await page.locator(`[data-test="device-link-SN${suffix}002"]`).waitFor();

    const exported = page.waitForEvent('download');
    await page.locator('[data-test="device-export"]').click();
    expect((await exported).suggestedFilename()).toMatch(/\.xlsx$/);
  });

  it('disables the device after a confirmation', async () => {
    await page.goto(`${product.url}/iot/devices/${deviceId}`);
    await page.locator('[data-test="device-disable"]').click();
    await confirmBox(page, '禁用');
    await expect.poll(() => lastMessage(page).innerText()).toContain('禁用成功');
    await expect.poll(() => page.locator('[data-test="device-status"]').first().innerText()).toBe('禁用');
    await page.locator('[data-test="device-enable"]').click();
    await confirmBox(page, '启用');
    await expect.poll(() => page.locator('[data-test="device-disable"]').count()).toBe(1);
  });

  it('shows the overview and the device map', async () => {
    await page.goto(`${product.url}/iot/overview`);
    await page.locator('[data-test="overview-tiles"]').waitFor();
    await expect.poll(async () => Number((await page.locator('[data-test="tile-total"] [data-test="tile-value"]').innerText()).replace(/,/g, '')), { timeout: 20_000 }).toBeGreaterThan(0);
    await expect.poll(() => page.locator('[data-test="category-smoke"]').innerText()).toContain('点型光电烟火灾探测器');
    await noMask('[data-test="chart-status"]');
    await shot(page, 'iot-overview');

    await page.goto(`${product.url}/iot/map`);
    await expect.poll(() => page.locator('[data-test="map-count"]').innerText(), { timeout: 20_000 }).toMatch(/地图上 [1-9][\d,]* 台设备/);
    await page.locator('[data-test="map-canvas"][data-ready="true"], [data-test="map-none"]').first().waitFor({ timeout: 30_000 });
    await page.waitForTimeout(500);
    await shot(page, 'iot-map');

    // Only this product's devices: the registered one and the imported one.
    await page.locator('[data-test="map-product"]').click();
    await option(`测试烟感${suffix}`).click();
    await expect.poll(() => page.locator('[data-test="map-count"]').innerText()).toMatch(/地图上 2 台设备/);
    // And of one 责任单位: the registered device only (the imported one has none).
    await page.locator('[data-test="map-org"]').click();
    await page.keyboard.type('崇阳街道城运');
    await option('崇阳街道城运中心').click();
    await expect.poll(() => page.locator('[data-test="map-count"]').innerText()).toMatch(/地图上 1 台设备/);
    if (!(await page.locator('[data-test="map-canvas"][data-ready="true"]').count())) return; // no WebGL here: the table stands in
    // Where the registered device is drawn: the map shows the area's outline fitted with 30 px around (Web Mercator).
    const bbox = await page.evaluate(async () => {
      const area = (await (await fetch('/api/system/regions/area')).json()) as { area: { code: string } };
      const res = await fetch(`/api/system/regions/${area.area.code}/boundary`);
      return res.ok ? ((await res.json()) as { bbox: [number, number, number, number] }).bbox : null;
    });
    if (!bbox) return; // no outline imported (no GEO_DATA_DIR): the map has nothing to fit, so no pixel to click
    const box = (await page.locator('[data-test="map-canvas"]').boundingBox())!;
    const merc = (lng: number, lat: number) => [(lng * Math.PI) / 180, Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360))] as const;
    const [x0, y0] = merc(bbox[0], bbox[1]);
    const [x1, y1] = merc(bbox[2], bbox[3]);
    const scale = Math.min((box.width - 60) / (x1 - x0), (box.height - 60) / (y1 - y0));
    const [px, py] = merc(103.62, 30.66);
    await page.mouse.click(box.x + box.width / 2 + (px - (x0 + x1) / 2) * scale, box.y + box.height / 2 - (py - (y0 + y1) / 2) * scale);
    const popup = page.locator('[data-test="map-popup"]');
    await expect.poll(() => popup.innerText()).toContain(`崇阳街道测试烟感${suffix}`);
    await expect.poll(() => popup.innerText()).not.toContain('读取中');
    await shot(page, 'iot-map-popup');
    await popup.getByText('查看设备详情').click();
    await page.waitForURL(new RegExp(`/iot/devices/${deviceId}`));

    // A demo detector with a day of reports: its history as the chart draws it.
    const demo = await page.evaluate(async () => ((await (await fetch('/api/iot/devices?category=smoke&status=online&pageSize=1')).json()) as { items: { id: string }[] }).items[0]?.id);
    if (demo) {
      await page.goto(`${product.url}/iot/devices/${demo}?tab=history`);
      await expect.poll(() => page.locator('[data-test="history-summary"]').innerText(), { timeout: 20_000 }).toMatch(/共 \d+ 条上报|汇总/);
      await page.waitForTimeout(1200);
      await shot(page, 'iot-device-history-demo');
    }
  });
});
