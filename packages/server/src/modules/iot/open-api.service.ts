import {
  SUPER_PERMISSION, type DeviceDetail, type DeviceItem, type HistoryQuery, type IotPropertySetBody, type IotServiceCallBody,
  type OpenDevice, type OpenDeviceDetail, type OpenDeviceQuery, type OpenIngestItem, type OpenIngestResult,
} from '@cityops/contracts';
import type { z } from 'zod';
import { NotFound } from '../../core/errors.js';
import type { Principal } from '../../core/principal.js';
import type { ApiClient } from '../../core/request-context.js';
import type { CommandService } from './command.service.js';
import { reportTopic } from './device-topics.js';
import type { DeviceService } from './device.service.js';
import type { DeviceDirectory, DeviceRef, Ingest } from './ports.js';
import type { TelemetryService } from './telemetry.service.js';

/** Reports of one batch are handed to ingest this many at a time (they share its commits). */
const INGEST_CHUNK = 200;

/**
 * An API key acts for the whole platform (keys carry no organisation): the device, telemetry and
 * command services see it as an account of every scope, named after the key in what it leaves
 * behind (指令下发 records, operation log).
 */
export const actorOf = (c: ApiClient): Principal => ({
  id: c.id, username: `apikey:${c.keyId}`, name: `接口密钥：${c.name}`, orgId: null, orgName: null, orgPath: null, orgLevel: null,
  orgTags: [], permissions: [SUPER_PERMISSION], token: '',
});

const toOpen = (d: DeviceItem): OpenDevice => ({
  id: d.id, productKey: d.productKey, productName: d.productName, deviceKey: d.deviceKey, name: d.name, status: d.status,
  regionCode: d.regionCode, lng: d.lng, lat: d.lat, address: d.address, firmwareVersion: d.firmwareVersion,
  lastSeenAt: d.lastSeenAt, activatedAt: d.activatedAt,
});

/**
 * 第三方接口 over the platform's own services: devices addressed by product key and device key,
 * their latest values and history, commands, and a sub-platform's batch of reports through the same
 * ingest pipeline devices use (channel http), each report accepted or refused on its own.
 */
export function openApiService(d: {
  directory: Pick<DeviceDirectory, 'product' | 'device'>;
  devices: Pick<DeviceService, 'list' | 'get'>;
  telemetry: Pick<TelemetryService, 'latest' | 'history'>;
  commands: Pick<CommandService, 'setProperties' | 'callService' | 'get'>;
  ingest: Pick<Ingest, 'accept' | 'trace'>;
}) {
  /** A registered, not deregistered device (404 otherwise, as for an unknown one). */
  const deviceOf = async (productKey: string, deviceKey: string): Promise<DeviceRef> => {
    const device = await d.directory.device(productKey, deviceKey);
    if (!device || device.deregistered) throw new NotFound(`设备 ${productKey}/${deviceKey} 不存在`);
    return device;
  };

  /** One report: the device looked up, then ingest decides (thing model, disabled device…). */
  async function ingestOne(item: OpenIngestItem, index: number, ip: string | undefined, receivedAt: number) {
    const device = await d.directory.device(item.productKey, item.deviceKey);
    if (!device || device.deregistered) {
      const reason = `设备 ${item.productKey}/${item.deviceKey} 不存在`;
      d.ingest.trace({
        productKey: item.productKey, deviceKey: item.deviceKey, direction: 'up', channel: 'http', kind: item.kind, result: 'denied', reason,
        payload: JSON.stringify(item.params).slice(0, 4096), clientIp: ip ?? null,
      });
      return { ok: false, code: 404, message: reason };
    }
    if (item.kind === 'event' && !item.identifier) return { ok: false, code: 400, message: '事件上报须给出事件标识 identifier' };
    const topic = reportTopic(device, item.kind, item.identifier);
    const payload = JSON.stringify({ id: `${receivedAt}-${index}`, params: item.params, ...(item.time ? { time: item.time } : {}) });
    const r = await d.ingest.accept({ device, channel: 'http', topic, payload, receivedAt, clientIp: ip });
    return r.ok ? { ok: true, code: 200 } : { ok: false, code: r.code, message: r.message ?? '上报内容无效' };
  }

  return {
    async devices(client: ApiClient, q: z.output<typeof OpenDeviceQuery>) {
      let productId: string | undefined;
      if (q.productKey) {
        const product = await d.directory.product(q.productKey);
        if (!product) return { items: [], total: 0, page: q.page, pageSize: q.pageSize };
        productId = product.id;
      }
      const r = await d.devices.list(actorOf(client), {
        page: q.page, pageSize: q.pageSize, keyword: q.keyword, status: q.status, productId, sort: 'createdAt', order: 'desc',
      });
      return { ...r, items: r.items.map(toOpen) };
    },

    async device(client: ApiClient, productKey: string, deviceKey: string): Promise<OpenDeviceDetail> {
      const device = await deviceOf(productKey, deviceKey);
      const detail: DeviceDetail = await d.devices.get(actorOf(client), device.id);
      return { ...toOpen(detail), properties: detail.latest };
    },

    async properties(client: ApiClient, productKey: string, deviceKey: string) {
      const device = await deviceOf(productKey, deviceKey);
      return d.telemetry.latest(actorOf(client), device.id);
    },

    async history(client: ApiClient, productKey: string, deviceKey: string, identifier: string, q: z.output<typeof HistoryQuery>) {
      const device = await deviceOf(productKey, deviceKey);
      return d.telemetry.history(actorOf(client), device.id, identifier, q);
    },

    async setProperties(client: ApiClient, productKey: string, deviceKey: string, body: z.output<typeof IotPropertySetBody>) {
      const device = await deviceOf(productKey, deviceKey);
      return d.commands.setProperties(actorOf(client), device.id, body);
    },

    async callService(client: ApiClient, productKey: string, deviceKey: string, identifier: string, body: z.output<typeof IotServiceCallBody>) {
      const device = await deviceOf(productKey, deviceKey);
      return d.commands.callService(actorOf(client), device.id, identifier, body);
    },

    command: (id: string) => d.commands.get(id),

    /** Every report on its own (results in the items' order); reports of a chunk share ingest's commits. */
    async ingest(items: OpenIngestItem[], ip: string | undefined): Promise<OpenIngestResult> {
      const receivedAt = Date.now();
      const results: OpenIngestResult['results'] = [];
      for (let i = 0; i < items.length; i += INGEST_CHUNK) {
        const chunk = items.slice(i, i + INGEST_CHUNK);
        const done = await Promise.all(chunk.map((item, j) => ingestOne(item, i + j, ip, receivedAt)));
        done.forEach((r, j) => results.push({ index: i + j, ...r }));
      }
      const succeeded = results.filter((r) => r.ok).length;
      return { succeeded, failed: results.length - succeeded, results };
    },
  };
}
export type OpenApiService = ReturnType<typeof openApiService>;
