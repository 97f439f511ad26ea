/** Setup shared by the IoT browser tests (e2e/iot-*.test.ts). */
import crypto from 'node:crypto';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { freePort } from '../packages/server/src/test/iot-devices.js';
import { startProduct } from './browser.js';

/** The product with demo data and the embedded MQTT broker on a free port (Mosquitto holds 1883 on this machine), CoAP off. */
export async function startIotProduct(env: Record<string, string> = {}) {
  const mqttPort = await freePort();
  const product = await startProduct({
    DEMO_DATA: 'true',
    IOT_MQTT_PORT: String(mqttPort),
    IOT_MQTT_HOST: '127.0.0.1',
    IOT_COAP_PORT: '0',
    ...(process.env.GEO_DATA_DIR ? { GEO_DATA_DIR: process.env.GEO_DATA_DIR } : {}),
    ...env,
  });
  return { product, mqttPort };
}

/** What the IoT screens are looked at through, on `page()` (the page exists once the browser has signed in). */
export function iotLocators(page: () => Page) {
  return {
    dialog: (name: string) => page().locator(`.el-dialog[data-test="${name}"]`),
    /** The option of the open select's dropdown that shows `text`. */
    option: (text: string) => page().locator('.el-select-dropdown__item:visible', { hasText: text }).first(),
    /** Waits until nothing within `scope` is masked as loading. */
    noMask: (scope: string) => expect.poll(() => page().locator(`${scope} .el-loading-mask:visible`).count(), { timeout: 20_000 }).toBe(0),
  };
}

/** A device signs in over HTTP (HMAC-SHA256 of product key, device key and time) and reports `params` as properties. */
export async function reportOverHttp(url: string, device: { productKey: string; deviceKey: string; secret: string }, params: Record<string, unknown>): Promise<Response> {
  const timestamp = String(Date.now());
  const sign = crypto.createHmac('sha256', device.secret).update(`${device.productKey}${device.deviceKey}${timestamp}`).digest('hex');
  const auth = await fetch(`${url}/api/iot/device/auth`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ productKey: device.productKey, deviceKey: device.deviceKey, timestamp, signMethod: 'hmacsha256', sign }),
  });
  expect(auth.status).toBe(200);
  const { token } = (await auth.json()) as { token: string };
  return fetch(`${url}/api/iot/device/report`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-device-token': token },
    body: JSON.stringify({ kind: 'property', id: `m${Date.now()}`, params }),
  });
}
