import { expect } from 'vitest';
import type { Locator, Page } from 'playwright-core';

// The product, the browser, logins and the API: shared with the benchmarks, which run without vitest.
export * from './product.js';

/**
 * Expands a node of a lazy el-tree and waits until it is open. A click that lands while the tree is
 * still loading another branch is lost on a busy machine, so the click is repeated until the node
 * reports itself expanded.
 */
export async function expandTreeNode(content: Locator) {
  const node = content.locator('xpath=..');
  await expect
    .poll(
      async () => {
        if ((await node.getAttribute('aria-expanded')) === 'true') return true;
        if (!(await content.locator('.is-loading').count())) await content.locator('.el-tree-node__expand-icon').click();
        return false;
      },
      { timeout: 30_000, interval: 500 },
    )
    .toBe(true);
}

// ---- the event pages ------------------------------------------------------------------------

/** A button of the handling page's action bar. */
export const actionButton = (page: Page, action: string) => page.locator(`[data-test="action-${action}"]`);
/** A dialog marked with data-test. */
export const dialog = (page: Page, name: string) => page.locator(`.el-dialog[data-test="${name}"]`);
/** Clicks an action's button and waits until its dialog (`action-dialog-<action>` unless named) has faded in. */
export async function openAction(page: Page, action: string, name = `action-dialog-${action}`) {
  await actionButton(page, action).click();
  const d = dialog(page, name);
  await d.waitFor({ state: 'visible' });
  return d;
}
/** A text box marked with data-test: a textarea unless `tag` says otherwise (on the element itself or on its wrapper). */
export const textField = (scope: Page | Locator, name: string, tag = 'textarea') =>
  scope.locator(`[data-test="${name}"] ${tag}, ${tag}[data-test="${name}"]`).first();
/** The latest toast (ElMessage). */
export const lastMessage = (page: Page) => page.locator('.el-message').last();
/** Clicks a button of the open confirmation box (ElMessageBox). */
export const confirmBox = (page: Page, button: string) => page.locator('.el-message-box').last().locator('button', { hasText: button }).click();
/** Opens the handling page of an event's node and waits for its action bar. */
export async function gotoHandle(page: Page, base: string, eventId: string, nodeId: string) {
  await page.goto(`${base}/events/${eventId}/handle/${nodeId}`);
  await page.locator('[data-test="event-action-bar"]').waitFor();
}
