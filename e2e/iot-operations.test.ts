import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { apiAs, confirmBox, DEMO_PASSWORD, input, lastMessage, launch, shot, signIn, skipBrowser, textField, type ApiAs } from './browser.js';
import { iotLocators, reportOverHttp, startIotProduct } from './iot-product.js';

/**
 * 物联感知, part 2, in the browser as 物联感知运维员: the connection page and its access guide, a rule
 * instance made in the form and tested, the alarm it raises on a demo water gauge's report (确认,
 * 解除), the trace of that device with the live view, an API key shown once and used, the logs, and
 * a firmware upgrade task.
 */
describe.skipIf(skipBrowser)('IoT operations in the browser', () => {
  let product: Awaited<ReturnType<typeof startIotProduct>>['product'];
  let browser: Browser;
  let page: Page;
  let api: ApiAs;
  let mqttPort = 0;
  const suffix = Date.now().toString(36).slice(-5);
  const ruleName = `水位超限${suffix}`;
  const keyName = `数据共享平台${suffix}`;
  let device = { id: '', deviceKey: '', name: '', productKey: 'cz_water_level' };
  let secret = '';

  beforeAll(async () => {
    ({ product, mqttPort } = await startIotProduct({ SYSTEM_LOG_LEVEL: 'info' }));
    api = await apiAs(product.url, DEMO_PASSWORD, ['iot_op']);
    // A demo water gauge (HTTP access) that is not disabled, and its secret.
    const products = await api.call<{ id: string; productKey: string }[]>('iot_op', 'GET', '/api/iot/products/options');
    const water = products.find((p) => p.productKey === 'cz_water_level')!;
    const page1 = await api.call<{ items: { id: string; deviceKey: string; name: string; status: string }[] }>('iot_op', 'GET', `/api/iot/devices?productId=${water.id}&pageSize=50`);
    const d = page1.items.find((x) => x.status !== 'disabled')!;
    device = { id: d.id, deviceKey: d.deviceKey, name: d.name, productKey: 'cz_water_level' };
    secret = (await api.call<{ secret: string }>('iot_op', 'POST', `/api/iot/devices/${d.id}/secret/reveal`)).secret;
    browser = await launch();
    page = await signIn(browser, product.url, 'iot_op', DEMO_PASSWORD);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await product?.close();
  });

  const { dialog, option, noMask } = iotLocators(() => page);
  const rows = (table: string) => page.locator(`[data-test="${table}"] .el-table__body tr`);

  /** The water gauge signs in over HTTP and reports `params`; returns the HTTP status. */
  async function report(params: Record<string, unknown>) {
    return (await reportOverHttp(product.url, { ...device, secret }, params)).status;
  }

  it('shows the broker, its listeners and the access guide on 连接管理', async () => {
    await page.goto(`${product.url}/iot/connections`);
    await expect.poll(() => page.locator('[data-test="conn-mqtt-state"]').innerText(), { timeout: 20_000 }).toBe('运行中');
    await expect.poll(() => page.locator('[data-test="conn-mqtt"]').innerText()).toContain(String(mqttPort));
    await expect.poll(() => page.locator('[data-test="conn-mode"]').innerText()).toBe('内置 Broker');
    const topics = page.locator('[data-test="topic-table"]');
    await expect.poll(() => topics.innerText()).toContain('/sys/{pk}/{dk}/thing/property/post');
    for (const group of ['属性上报', '事件上报', '属性设置', '服务调用', 'OTA 升级', '网关子设备']) await expect.poll(() => topics.innerText()).toContain(group);
    await noMask('[data-test="conn-client-table"]');
    await shot(page, 'iot-connections');

    await page.locator('[data-test="access-guide"] .el-tabs__item', { hasText: 'HTTP 接入' }).click();
    await expect.poll(() => page.locator('[data-test="guide-http-auth"]').innerText()).toContain(`${product.url}/api/iot/device/auth`);
    await page.locator('[data-test="access-guide"]').scrollIntoViewIfNeeded();
    await shot(page, 'iot-connections-http');
    await page.locator('[data-test="access-guide"] .el-tabs__item', { hasText: 'MQTT 接入' }).click();
    await expect.poll(() => page.locator('[data-test="guide-mqtt"]').innerText()).toContain(`mqtt://127.0.0.1:${mqttPort}`);
    await page.locator('[data-test="access-guide"] .el-tabs__item', { hasText: '外部 Broker' }).click();
    await expect.poll(() => page.locator('[data-test="guide-external"]').innerText()).toContain('/api/iot/broker/auth');
    await shot(page, 'iot-connections-external');
  });

  it('creates and tests a rule instance on a demo product', async () => {
    await page.goto(`${product.url}/iot/rules`);
    await expect.poll(() => rows('rule-table').count(), { timeout: 20_000 }).toBeGreaterThan(0);
    await noMask('[data-test="rule-table"]');
    await shot(page, 'iot-rules');

    await page.locator('[data-test="rule-add"]').click();
    const form = dialog('rule-form');
    await form.waitFor({ state: 'visible' });
    await noMask('[data-test="rule-form"]');
    // Nothing filled in: the form says what is missing.
    await page.locator('[data-test="rule-form-submit"]').click();
    await expect.poll(() => form.locator('.el-form-item__error').allInnerTexts()).toEqual(expect.arrayContaining(['请输入规则名称', '请选择产品']));

    await input(form, 'rule-form-name').fill(ruleName);
    await form.locator('[data-test="rule-form-product"]').click();
    await option('水位计').click();
    await form.locator('[data-test="rule-form-kind"]').click();
    await option('阈值').click();
    await form.locator('[data-test="rule-param-property"]').click();
    await option('level · m').click();
    await form.locator('[data-test="rule-param-operator"]').click();
    await option('大于（>）').click();
    await input(form, 'rule-param-value').fill('2.8');
    await input(form, 'rule-param-value').press('Tab');
    await form.locator('[data-test="rule-form-devices"]').click();
    await page.keyboard.type(device.deviceKey);
    await option(device.deviceKey).click();
    await form.locator('[data-test="rule-form-level"]').getByText('严重').click();
    await form.locator('[data-test="rule-action-event"]').click();
    // 通知人员: a unit of the operator's scope, found by typing.
    await form.locator('[data-test="rule-action-notify"]').click();
    await form.locator('[data-test="rule-action-notify-orgs"]').click();
    await page.keyboard.type('城运');
    const unit = page.locator('.el-select-dropdown__item:visible', { hasText: '城运' }).first();
    const unitName = (await unit.locator('span').first().innerText()).trim();
    await unit.click();
    await expect.poll(() => form.locator('[data-test="rule-action-notify-orgs"]').innerText()).toContain(unitName);
    await form.locator('[data-test="rule-form-name"]').click(); // close the device dropdown
    await shot(page, 'iot-rule-form');

    // 测试: a sample above the threshold fires, one below does not.
    await page.locator('[data-test="rule-form-test"]').click();
    const test = dialog('rule-test');
    await test.waitFor({ state: 'visible' });
    await input(test, 'rule-test-value').fill('3.1');
    await page.locator('[data-test="rule-test-run"]').click();
    await expect.poll(() => page.locator('[data-test="rule-test-result"]').innerText()).toContain('会触发告警');
    await expect.poll(() => page.locator('[data-test="rule-test-result"]').innerText()).toContain('3.1 大于 2.8');
    await shot(page, 'iot-rule-test');
    await input(test, 'rule-test-value').fill('1.2');
    await page.locator('[data-test="rule-test-run"]').click();
    await expect.poll(() => page.locator('[data-test="rule-test-result"]').innerText()).toContain('不会触发');
    await test.locator('.el-dialog__headerbtn').click();
    await test.waitFor({ state: 'hidden' });

    await page.locator('[data-test="rule-form-submit"]').click();
    await expect.poll(() => lastMessage(page).innerText()).toContain('规则已创建');
    await form.waitFor({ state: 'hidden' });
    await page.locator(`[data-test="rule-name-${ruleName}"]`).waitFor();
    const row = rows('rule-table').filter({ hasText: ruleName });
    await expect.poll(() => row.innerText()).toContain('level 大于 2.8');
    await expect.poll(() => row.innerText()).toContain('指定 1 台');
    await expect.poll(() => row.innerText()).toContain('生成事件');
    await expect.poll(() => row.innerText()).toContain('通知人员');

    await page.locator('[data-test="rule-tabs"] .el-tabs__item', { hasText: '规则模型' }).click();
    await expect.poll(() => page.locator('[data-test="rule-model-table"]').innerText(), { timeout: 20_000 }).toContain('燃气浓度超限');
    await expect.poll(() => page.locator('[data-test="rule-model-table"]').innerText()).toContain('内置');
    await noMask('[data-test="rule-model-table"]');
    await shot(page, 'iot-rule-models');

    // 新建实例 from a model: over to the instances, the form filled in from the model.
    await page.locator('[data-test="rule-model-use-燃气浓度超限"]').click();
    await form.waitFor({ state: 'visible' });
    await noMask('[data-test="rule-form"]');
    await expect.poll(() => input(form, 'rule-form-name').inputValue()).toBe('燃气浓度超限');
    await expect.poll(() => form.locator('[data-test="rule-form-kind"]').innerText()).toContain('阈值');
    await expect.poll(() => input(form, 'rule-param-value').inputValue()).toBe('20');
    await form.locator('.el-dialog__footer button', { hasText: '取消' }).click();
    await form.waitFor({ state: 'hidden' });
  }, 120_000);

  it('raises an alarm from a report, links its device and event, and acknowledges and clears it', async () => {
    expect(await report({ level: 3.1 })).toBe(200);

    await page.goto(`${product.url}/iot/alarms`);
    await input(page, 'alarm-keyword').fill(device.deviceKey);
    const alarm = rows('alarm-table').filter({ hasText: ruleName }).first();
    await expect.poll(async () => {
      await page.locator('[data-test="alarm-search-submit"]').click();
      return alarm.count();
    }, { timeout: 30_000, interval: 1500 }).toBe(1);
    await expect.poll(() => alarm.innerText()).toContain('未处理');
    await expect.poll(() => alarm.innerText()).toContain('严重');
    await expect.poll(() => alarm.locator('a', { hasText: device.name }).getAttribute('href')).toBe(`/iot/devices/${device.id}`);
    // The event the rule filed in the hub.
    await expect.poll(async () => {
      await page.locator('[data-test="alarm-search-submit"]').click();
      return (await alarm.locator('a[href^="/events/"]').count()) > 0;
    }, { timeout: 30_000, interval: 1500 }).toBe(true);
    await noMask('[data-test="alarm-table"]');
    await shot(page, 'iot-alarms');

    const id = ((await alarm.locator('td').first().innerText()) || '').trim();
    await page.locator(`[data-test="alarm-ack-${id}"]`).click();
    const handle = dialog('alarm-handle');
    await handle.waitFor({ state: 'visible' });
    await textField(page, 'alarm-handle-note').fill('已安排网格员到场核查');
    await shot(page, 'iot-alarm-acknowledge');
    await page.locator('[data-test="alarm-handle-submit"]').click();
    await expect.poll(() => lastMessage(page).innerText()).toContain('告警已确认');
    await expect.poll(() => page.locator(`[data-test="alarm-status-${id}"]`).innerText()).toBe('已确认');

    await page.locator(`[data-test="alarm-view-${id}"]`).click();
    const drawer = page.locator('.el-drawer[data-test="alarm-detail"]');
    await drawer.waitFor({ state: 'visible' });
    await expect.poll(() => drawer.innerText()).toContain('已安排网格员到场核查');
    await expect.poll(() => drawer.innerText()).toContain('生成事件');
    await shot(page, 'iot-alarm-detail');
    await drawer.locator('.el-drawer__close-btn').click();
    await drawer.waitFor({ state: 'hidden' });

    await page.locator(`[data-test="alarm-clear-${id}"]`).click();
    await handle.waitFor({ state: 'visible' });
    await textField(page, 'alarm-handle-note').fill('现场核实为暴雨短时积水，已退去');
    await page.locator('[data-test="alarm-handle-submit"]').click();
    await expect.poll(() => lastMessage(page).innerText()).toContain('告警已解除');
    await expect.poll(() => page.locator(`[data-test="alarm-status-${id}"]`).innerText()).toBe('已解除');

    const exported = page.waitForEvent('download');
    await page.locator('[data-test="alarm-export"]').click();
    expect((await exported).suggestedFilename()).toMatch(/\.xlsx$/);
  }, 120_000);

  it('traces the device, follows new messages live and shows a payload', async () => {
    await page.goto(`${product.url}/iot/messages?productKey=${device.productKey}&deviceKey=${device.deviceKey}`);
    const table = page.locator('[data-test="trace-table"]');
    await expect.poll(() => table.innerText(), { timeout: 20_000 }).toContain(device.deviceKey);
    await noMask('[data-test="trace-table"]');
    await shot(page, 'iot-messages');

    await page.locator('[data-test="trace-live"]').click();
    expect(await report({ level: 0.52 })).toBe(200);
    expect(await report({ level: 42 })).toBe(400);
    await expect.poll(() => page.locator('[data-test="trace-live-state"]').innerText(), { timeout: 20_000 }).toMatch(/已新到 \d+ 条/);
    await expect.poll(() => table.innerText(), { timeout: 20_000 }).toContain('校验失败');
    await shot(page, 'iot-messages-live');

    const accepted = rows('trace-table').filter({ hasText: '"level":0.52' }).first();
    await accepted.locator('button', { hasText: '报文' }).click();
    await dialog('trace-payload').waitFor({ state: 'visible' });
    await expect.poll(() => page.locator('[data-test="trace-payload-text"]').innerText()).toContain('"level": 0.52');
    await shot(page, 'iot-message-payload');
    await page.locator('[data-test="trace-payload-close"]').click();
    await page.locator('[data-test="trace-live"]').click();

    // Only the refused ones.
    await page.locator('[data-test="trace-result"]').click();
    await option('校验失败').click();
    await page.locator('[data-test="trace-search-submit"]').click();
    await noMask('[data-test="trace-table"]');
    await expect.poll(async () => (await rows('trace-table').allInnerTexts()).every((t) => t.includes('校验失败'))).toBe(true);
  }, 120_000);

  it('issues an API key shown once, which then opens the third-party API', async () => {
    await page.goto(`${product.url}/iot/api-keys`);
    await page.locator('[data-test="api-key-table"]').waitFor();
    await page.locator('[data-test="api-key-add"]').click();
    const form = dialog('api-key-form');
    await form.waitFor({ state: 'visible' });
    await input(form, 'api-key-name').fill(keyName);
    await page.locator('[data-test="api-key-scope-commands:write"]').click();
    await shot(page, 'iot-api-key-form');
    await page.locator('[data-test="api-key-form-submit"]').click();

    const once = dialog('api-key-once');
    await once.waitFor({ state: 'visible' });
    const key = (await page.locator('[data-test="api-key-once-value"]').innerText()).trim();
    expect(key).toMatch(/^ak[0-9a-f]{16}\.\S{16,}$/);
    await expect.poll(() => page.locator('[data-test="api-key-once-warning"]').innerText()).toContain('只显示这一次');
    await shot(page, 'iot-api-key-once');
    // Closing before copying asks first.
    await page.locator('[data-test="api-key-once-close"]').click();
    await confirmBox(page, '返回复制');
    await page.locator('[data-test="api-key-once-copy"]').click();
    await page.locator('[data-test="api-key-once-close"]').click();
    await once.waitFor({ state: 'hidden' });

    const row = rows('api-key-table').filter({ hasText: keyName });
    await expect.poll(() => row.innerText()).toContain(key.split('.')[0]!);
    await expect.poll(() => row.innerText()).toContain('下发指令');
    await page.locator('[data-test="api-key-docs"]').scrollIntoViewIfNeeded();
    await shot(page, 'iot-api-keys');

    // The key works, until it is disabled.
    const call = () => fetch(`${product.url}/api/open/iot/devices?productKey=cz_water_level&pageSize=5`, { headers: { 'X-Api-Key': key } });
    const ok = await call();
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { total: number }).total).toBeGreaterThan(0);

    await page.locator(`[data-test="api-key-toggle-${keyName}"]`).click();
    await confirmBox(page, '停用');
    await expect.poll(() => page.locator(`[data-test="api-key-status-${keyName}"]`).innerText()).toBe('停用');
    await expect.poll(async () => (await call()).status).toBe(401);
  });

  it('lists the access and system logs and the alert policies', async () => {
    await page.goto(`${product.url}/iot/logs`);
    await input(page, 'access-path').fill('/api/open/iot/devices');
    await page.locator('[data-test="access-search-submit"]').click();
    // The third-party calls, under the key's name (the access log is written within a second).
    await expect.poll(async () => {
      await page.locator('[data-test="access-search-submit"]').click();
      return page.locator('[data-test="access-table"]').innerText();
    }, { timeout: 20_000, interval: 1000 }).toContain(keyName);
    await expect.poll(() => page.locator('[data-test="access-table"]').innerText()).toContain('401');
    await noMask('[data-test="access-table"]');
    await shot(page, 'iot-logs-access');
    const exported = page.waitForEvent('download');
    await page.locator('[data-test="access-export"]').click();
    expect((await exported).suggestedFilename()).toMatch(/\.xlsx$/);

    await page.locator('[data-test="log-tabs"] .el-tabs__item', { hasText: '系统日志' }).click();
    await page.locator('[data-test="system-table"]').waitFor();
    await noMask('[data-test="system-table"]');
    await shot(page, 'iot-logs-system');

    await page.locator('[data-test="log-tabs"] .el-tabs__item', { hasText: '告警策略' }).click();
    await expect.poll(() => page.locator('[data-test="log-alert-table"]').innerText(), { timeout: 20_000 }).toContain('错误日志突增');
    await page.locator('[data-test="log-alert-add"]').click();
    const form = dialog('log-alert-form');
    await form.waitFor({ state: 'visible' });
    await noMask('[data-test="log-alert-form"]');
    await input(form, 'log-alert-name').fill(`物联告警突增${suffix}`);
    await input(form, 'log-alert-logger').fill('iot');
    await form.locator('[data-test="log-alert-roles"]').click();
    await option('物联感知运维员').click();
    await input(form, 'log-alert-name').click();
    await shot(page, 'iot-log-alert-form');
    await page.locator('[data-test="log-alert-submit"]').click();
    await expect.poll(() => lastMessage(page).innerText()).toContain('告警策略已新增');
    await expect.poll(() => page.locator('[data-test="log-alert-table"]').innerText()).toContain(`物联告警突增${suffix}`);
    await shot(page, 'iot-logs-alerts');
  });

  it('uploads a firmware and follows an upgrade task', async () => {
    await page.goto(`${product.url}/iot/ota`);
    await page.locator('[data-test="firmware-table"]').waitFor();
    await page.locator('[data-test="firmware-add"]').click();
    const form = dialog('firmware-form');
    await form.waitFor({ state: 'visible' });
    await form.locator('[data-test="firmware-product"]').click();
    await option('水位计').click();
    await input(form, 'firmware-name').fill('水位计主控固件');
    await input(form, 'firmware-version').fill('2.0.1');
    await form.locator('input[type="file"]').setInputFiles({ name: `water-${suffix}.bin`, mimeType: 'application/octet-stream', buffer: crypto.randomBytes(4096) });
    await expect.poll(() => form.locator('[data-test="file-upload-item"]').getAttribute('data-status'), { timeout: 20_000 }).toBe('done');
    await textField(page, 'firmware-description').fill('修复低电量时上报间隔异常');
    await shot(page, 'iot-firmware-form');
    await page.locator('[data-test="firmware-form-submit"]').click();
    await expect.poll(() => lastMessage(page).innerText()).toContain('固件已保存');
    await expect.poll(() => page.locator('[data-test="firmware-table"]').innerText()).toContain('水位计主控固件');
    await noMask('[data-test="firmware-table"]');
    await shot(page, 'iot-ota-firmware');

    await page.locator('[data-test="firmware-upgrade-2.0.1"]').click();
    const task = dialog('ota-task-form');
    await task.waitFor({ state: 'visible' });
    await noMask('[data-test="ota-task-form"]');
    await expect.poll(() => input(task, 'ota-task-name').inputValue()).toContain('2.0.1');
    await task.locator('[data-test="ota-target-devices"]').click();
    await task.locator('[data-test="ota-task-devices"]').click();
    await page.keyboard.type(device.deviceKey);
    await option(device.deviceKey).click();
    await input(task, 'ota-task-name').click();
    await shot(page, 'iot-ota-task-form');
    await page.locator('[data-test="ota-task-submit"]').click();
    await expect.poll(() => lastMessage(page).innerText()).toContain('升级任务已创建，共 1 台设备');

    const drawer = page.locator('.el-drawer[data-test="ota-task-drawer"]');
    await drawer.waitFor({ state: 'visible' });
    await expect.poll(() => page.locator('[data-test="ota-device-table"]').innerText(), { timeout: 20_000 }).toContain(device.deviceKey);
    await noMask('[data-test="ota-task-drawer"]');
    await shot(page, 'iot-ota-task-drawer');
    await page.locator('[data-test="ota-task-cancel"]').click();
    await confirmBox(page, '取消任务');
    await expect.poll(() => page.locator('[data-test="ota-task-status"]').innerText()).toBe('已取消');
    await drawer.locator('.el-drawer__close-btn').click();
    await drawer.waitFor({ state: 'hidden' });
    await expect.poll(() => page.locator('[data-test="ota-task-table"]').innerText()).toContain('已取消');
    await shot(page, 'iot-ota-tasks');
  }, 120_000);
});
