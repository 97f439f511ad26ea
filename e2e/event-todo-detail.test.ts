import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { eq, sql } from 'drizzle-orm';
import { apiAs, DEMO_PASSWORD as DEMO, launch, shot, signIn, skipBrowser, startProduct, type ApiAs } from './browser.js';
import { sysOrg } from '../packages/server/src/modules/system/org.table.js';


/** A real 160×120 PNG (a blue gradient), so that the thumbnail and the preview show a picture. */
function gradientPng(width = 160, height = 120): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // RGB
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x++) row.set([40 + x, 90 + y, 200], 1 + x * 3);
    rows.push(row);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
const MP3 = Buffer.concat([Buffer.from('ID3'), Buffer.from([3, 0, 0, 0, 0, 0, 0]), Buffer.alloc(2000, 0xff)]);
const MP4 = Buffer.concat([Buffer.from('000000206674797069736f6d0000020069736f6d69736f32617663316d703431', 'hex'), Buffer.alloc(4000, 1)]);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

/**
 * 我的待办, 交办后任务, the event detail and the handling page in the browser. The to-dos are made
 * through the API: the city centre dispatches four events to 崇阳街道城运中心 (one each to be green,
 * yellow and red, one only CC'd), and 崇阳 reports one of its own and handles it (待结案).
 */
describe.skipIf(skipBrowser)('我的待办 and the event detail in the browser', () => {
  let product: Awaited<ReturnType<typeof startProduct>>;
  let browser: Browser;
  let page: Page;
  let api: ApiAs;
  const ev: Record<'green' | 'yellow' | 'red' | 'cc' | 'own', { id: string; no: string }> = {} as never;
  let cyOrg = '';

  const call = <T = any>(user: string, method: string, url: string, body?: unknown) => api.call<T>(user, method, url, body);
  const upload = (who: string, name: string, bytes: Buffer) => api.upload(who, name, bytes);
  /** The city centre reports an event and dispatches it to 崇阳街道城运中心 in the given role. */
  async function cityDispatch(title: string, role: 'main' | 'cc', extra: Record<string, unknown> = {}, targetExtra: Record<string, unknown> = {}) {
    const e = await call('city_op', 'POST', '/api/events', {
      typeCode: 'urban.appearance.street-vending', title, content: `${title}，请核查处置`, source: 'hotline',
      address: '崇阳街道蜀州中路 100 号', lat: 30.6301, lng: 103.6712, formData: { businessType: '流动摊贩', blocksTraffic: true }, ...extra,
    });
    await call('city_op', 'POST', `/api/events/${e.id}/nodes/${await api.actionNode('city_op', e.id, 'dispatch')}/dispatch`, {
      targets: [{ orgId: cyOrg, role, requirement: role === 'main' ? '请于三日内清理到位并反馈' : undefined, ...targetExtra }],
      opinion: '请崇阳街道处置',
    });
    return { id: e.id as string, no: e.no as string };
  }
  /** Moves the town's node of an event to a plate by its deadline and warning time. */
  const setPlate = (eventId: string, deadline: string, warnAt: string) =>
    product.database.db.execute(sql`update evt_node set deadline = now() + ${sql.raw(`interval '${deadline}'`)}, warn_at = now() + ${sql.raw(`interval '${warnAt}'`)}
      where event_id = ${eventId} and org_id = ${cyOrg}`);

  const table = () => page.locator('[data-test="todo-table"] .el-table__body-wrapper');
  const rows = () => page.locator('[data-test="todo-table"] .el-table__body-wrapper tbody tr');
  const notify = () => page.evaluate(() => window.dispatchEvent(new CustomEvent('cityops:message', { detail: {} })));

  beforeAll(async () => {
    product = await startProduct();
    const [cy] = await product.database.db.select().from(sysOrg).where(eq(sysOrg.code, '510184001-CYZX'));
    cyOrg = cy!.id;
    api = await apiAs(product.url, DEMO, ['city_op', 'cy_op']);

    const before = [await upload('city_op', '现场照片.png', gradientPng()), await upload('city_op', '情况说明.pdf', PDF)];
    const during = [await upload('city_op', '群众来电录音.mp3', MP3), await upload('city_op', '现场视频.mp4', MP4)];
    ev.green = await cityDispatch('蜀州中路流动摊贩占道经营', 'main', { fileIds: before }, { fileIds: during });
    await call('city_op', 'POST', `/api/events/${ev.green.id}/key`, { isKey: true });
    ev.yellow = await cityDispatch('文井江路夜市摊点占道', 'main', { source: 'grid' });
    ev.red = await cityDispatch('永康东路店外经营', 'main');
    ev.cc = await cityDispatch('唐安西路占道经营抄送', 'cc');
    await setPlate(ev.yellow.id, '2 hours', '-1 hour');
    await setPlate(ev.red.id, '-1 day', '-2 days');

    // 崇阳 reports an event of its own and handles it: it waits to be closed (待结案).
    const own = await call('cy_op', 'POST', '/api/events', { typeCode: 'urban.appearance.clutter', title: '崇阳大道建筑垃圾堆放', content: '已现场清理', source: 'self' });
    await call('cy_op', 'POST', `/api/events/${own.id}/nodes/${await api.actionNode('cy_op', own.id, 'handle')}/handle`, { opinion: '已组织清运完毕' });
    ev.own = { id: own.id, no: own.no };

    browser = await launch();
    page = await signIn(browser, product.url, 'cy_op', DEMO);
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: product.url });
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await product?.close();
  });

  it('the menu badge counts the to-dos of the organisation', async () => {
    const badge = page.locator('[data-menu="events:todo"] [data-test="menu-badge"]');
    // 3 to handle + 1 to close + 1 CC.
    await expect.poll(() => badge.innerText()).toBe('5');
    await expect.poll(() => page.locator('[data-test="menu-folder-badge-events"]').innerText()).toBe('5');
    await shot(page, 'event-todo-01-menu-badge');
  });

  it('我的待办 lists the to-dos with their plates, counts per plate and per tab, and filters them', async () => {
    await page.goto(`${product.url}/events/todo`);
    await expect.poll(() => rows().count()).toBe(3);
    const tab = (box: string) => page.locator(`[data-test="todo-tab-${box}"]`);
    await expect.poll(() => tab('handle').innerText()).toMatch(/待处理\s*3/);
    await expect.poll(() => tab('closing').innerText()).toMatch(/待结案\s*1/);
    await expect.poll(() => tab('cc').innerText()).toMatch(/抄送\s*1/);
    for (const plate of ['green', 'yellow', 'red']) {
      await expect.poll(() => page.locator(`[data-test="plate-count-${plate}"]`).innerText()).toBe('1');
    }
    const text = await table().innerText();
    for (const s of ['蜀州中路流动摊贩占道经营', ev.green.no, '占道经营', '12345热线', '主办', '崇州市城市运行管理中心', '请于三日内清理到位并反馈']) expect(text).toContain(s);
    expect(await rows().filter({ hasText: '蜀州中路流动摊贩占道经营' }).innerText()).toContain('重点');
    // Soonest deadline first: the overdue one on top, with its red plate.
    const first = rows().first();
    expect(await first.innerText()).toContain('永康东路店外经营');
    expect(await first.locator('[data-plate]').first().getAttribute('data-plate')).toBe('red');
    await shot(page, 'event-todo-02-list');
    // The list, its plate legend and the badge answer quickly (dev data; the lead measures 1M events).
    const slow = await page.evaluate(() =>
      performance.getEntriesByType('resource').filter((r) => r.name.includes('/api/events/todos') && r.duration > 1000).map((r) => r.name));
    expect(slow).toEqual([]);

    // A plate of the legend filters the list.
    await page.locator('[data-test="plate-filter-yellow"]').click();
    await expect.poll(() => rows().count()).toBe(1);
    expect(await table().innerText()).toContain('文井江路夜市摊点占道');
    await shot(page, 'event-todo-03-yellow');
    await page.locator('[data-test="plate-filter-all"]').click();
    await expect.poll(() => rows().count()).toBe(3);

    // Quick search on the title.
    await page.locator('[data-test="todo-keyword"] input, input[data-test="todo-keyword"]').first().fill('蜀州中路');
    await page.locator('[data-test="todo-search"]').click();
    await expect.poll(() => rows().count()).toBe(1);
    await expect.poll(() => page.locator('[data-test="plate-count-green"]').innerText()).toBe('1');
    await expect.poll(() => page.locator('[data-test="plate-count-red"]').innerText()).toBe('0');
    await page.locator('[data-test="todo-reset"]').click();
    await expect.poll(() => rows().count()).toBe(3);

    // Advanced search: the source, then the deadline.
    await page.locator('[data-test="todo-advanced"]').click();
    await page.locator('[data-test="todo-source"]').click();
    await page.locator('.el-select-dropdown__item', { hasText: '网格上报' }).click();
    await page.locator('[data-test="todo-advanced-search"]').click();
    await expect.poll(() => rows().count()).toBe(1);
    expect(await table().innerText()).toContain('文井江路夜市摊点占道');
    await shot(page, 'event-todo-04-advanced');
    await page.locator('[data-test="todo-reset"]').click();
    await expect.poll(() => rows().count()).toBe(3);
    const now = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
    const deadline = page.locator('[data-test="todo-deadline-before"] input, input[data-test="todo-deadline-before"]').first();
    await deadline.fill(now);
    await deadline.press('Enter');
    await page.locator('[data-test="todo-advanced-search"]').click();
    await expect.poll(() => rows().count()).toBe(1);
    expect(await table().innerText()).toContain('永康东路店外经营');
    await page.locator('[data-test="todo-reset"]').click();

    // The other tabs.
    await tab('closing').click();
    await expect.poll(() => table().innerText()).toContain('崇阳大道建筑垃圾堆放');
    expect(await rows().count()).toBe(1);
    expect(await table().innerText()).toContain('本单位发起');
    await tab('cc').click();
    await expect.poll(() => table().innerText()).toContain('唐安西路占道经营抄送');
    expect(await table().innerText()).toContain('抄送');
    await shot(page, 'event-todo-05-cc');
    await tab('handle').click();
    await expect.poll(() => rows().count()).toBe(3);
  });

  it('a to-do handled elsewhere leaves the list and the badge when a message arrives', async () => {
    await call('cy_op', 'POST', `/api/events/${ev.red.id}/nodes/${await api.actionNode('cy_op', ev.red.id, 'handle')}/handle`, { opinion: '已劝离，恢复通行' });
    await notify();
    await expect.poll(() => rows().count()).toBe(2);
    await expect.poll(() => page.locator('[data-test="plate-count-red"]').innerText()).toBe('0');
    await expect.poll(() => page.locator('[data-menu="events:todo"] [data-test="menu-badge"]').innerText()).toBe('4');
  });

  it('the handling page shows what the to-do asks, the tree, the timeline with the city log apart, the summary and the files', async () => {
    await rows().filter({ hasText: '蜀州中路流动摊贩占道经营' }).click();
    await page.waitForURL(new RegExp(`/events/${ev.green.id}/handle/`));
    const task = page.locator('[data-test="handle-task"]');
    await expect.poll(() => task.innerText()).toContain('请于三日内清理到位并反馈');
    expect(await task.innerText()).toContain('崇州市城市运行管理中心（交办）');
    expect(await task.innerText()).toContain('待处理');
    expect(await page.locator('[data-test="event-no"]').innerText()).toBe(ev.green.no);
    expect(await page.locator('[data-test="event-key"]').innerText()).toBe('重点工单');
    const info = await page.locator('[data-test="event-info"]').innerText();
    for (const s of ['经营类型', '流动摊贩', '是否影响通行', '是', '经度 103.671200，纬度 30.630100', '崇阳街道蜀州中路 100 号']) expect(info).toContain(s);
    // The tree: the city centre above the town, the town's node marked as the current to-do.
    const tree = page.locator('[data-test="handling-tree"]');
    await expect.poll(() => tree.innerText()).toContain('崇州市城市运行管理中心');
    expect(await tree.innerText()).toContain('崇阳街道城运中心');
    expect(await tree.innerText()).toContain('当前待办');
    await shot(page, 'event-todo-06-handle');

    // Filter the tree by organisation name.
    await page.locator('input[data-test="handling-tree-filter"]').fill('崇阳');
    await expect.poll(() => page.locator('[data-test="tree-node-崇阳街道城运中心"]').isVisible()).toBe(true);
    await expect.poll(() => page.locator('[data-test="tree-node-崇州市城市运行管理中心"]').isVisible()).toBe(true); // its parent stays
    await page.locator('input[data-test="handling-tree-filter"]').fill('公安');
    await expect.poll(() => tree.innerText()).toContain('没有名称匹配的单位');
    await page.locator('input[data-test="handling-tree-filter"]').fill('');

    // Attachments by stage; the image opens in the preview.
    const before = page.locator('[data-test="attachments-before"]');
    expect(await before.innerText()).toContain('情况说明.pdf');
    expect(await page.locator('[data-test="attachments-during"] audio').count()).toBe(1);
    expect(await page.locator('[data-test="attachments-during"] video').count()).toBe(1);
    expect(await page.locator('[data-test="attachments-after"]').innerText()).toContain('暂无处理后附件');
    await expect.poll(() => before.locator('img').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(160);
    await before.locator('.el-image').first().click();
    await page.locator('.el-image-viewer__wrapper').waitFor();
    await shot(page, 'event-todo-07-image-preview');
    await page.keyboard.press('Escape');
    await page.locator('.el-image-viewer__wrapper').waitFor({ state: 'detached' });

    // The timeline: the city's entries apart from the handling log.
    await page.locator('[data-test="detail-tabs"] .el-tabs__item', { hasText: '处置过程' }).click();
    const timeline = page.locator('[data-test="event-timeline"]');
    await expect.poll(() => timeline.innerText()).toContain('市级日志（3）'); // 发起, 交办, 标记重点工单
    await page.locator('[data-test="timeline-which"] label', { hasText: '市级日志' }).click();
    const city = page.locator('[data-test="timeline-city"]');
    await expect.poll(() => city.innerText()).toContain('交办给：崇阳街道城运中心（主办）');
    expect(await city.innerText()).toContain('市城运中心值班员');
    expect(await city.innerText()).toContain('标记重点工单');
    expect(await city.locator('audio').count()).toBe(1);
    await shot(page, 'event-todo-08-timeline');

    // The summary, copied in one click.
    await page.locator('[data-test="detail-tabs"] .el-tabs__item', { hasText: '处置汇总' }).click();
    const summary = page.locator('[data-test="summary-text"]');
    await expect.poll(() => summary.innerText()).toContain(`事件编号：${ev.green.no}`);
    expect(await page.locator('[data-test="summary-open"]').innerText()).toContain('崇阳街道城运中心');
    await page.locator('[data-test="summary-copy"]').click();
    await expect.poll(() => page.locator('.el-message--success').innerText()).toContain('处置汇总已复制');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(await summary.innerText());
    await shot(page, 'event-todo-09-summary');
  });

  it('the detail page offers 去办理 to the organisation with a to-do, and says when an event cannot be seen', async () => {
    await page.goto(`${product.url}/events/${ev.yellow.id}`);
    const go = page.locator('[data-test="detail-go-handle"]');
    await go.waitFor();
    expect(await page.locator('[data-test="detail-todo-hint"]').innerText()).toContain('待处理（主办）');
    await shot(page, 'event-todo-10-detail');
    await go.click();
    await page.waitForURL(new RegExp(`/events/${ev.yellow.id}/handle/`));
    await expect.poll(() => page.locator('[data-test="handle-task"]').innerText()).toContain('待处理');

    // Handled already: the detail has no 去办理, the handling page says it is done.
    await page.goto(`${product.url}/events/${ev.red.id}`);
    await page.locator('[data-test="event-header"]').waitFor();
    expect(await page.locator('[data-test="detail-go-handle"]').count()).toBe(0);

    await page.goto(`${product.url}/events/00000000-0000-4000-8000-000000000000`);
    await expect.poll(() => page.locator('[data-test="detail-problem"]').innerText()).toContain('事件不存在或您无权查看');
    await shot(page, 'event-todo-11-not-found');
  });

  it('交办后任务 lists what the city centre dispatched and waits for', async () => {
    const city = await signIn(browser, product.url, 'city_op', DEMO);
    await city.goto(`${product.url}/events/dispatched`);
    const body = city.locator('[data-test="todo-table"] .el-table__body-wrapper');
    // Green and yellow still with the town; red was handled and went back to the city to close.
    await expect.poll(() => body.innerText()).toContain('蜀州中路流动摊贩占道经营');
    expect(await body.innerText()).toContain('文井江路夜市摊点占道');
    expect(await body.innerText()).not.toContain('唐安西路占道经营抄送');
    expect(await city.locator('[data-test="todo-page-dispatched"]').innerText()).toContain('交办后任务');
    await shot(city, 'event-todo-12-dispatched');
    await city.close();
  });
});
