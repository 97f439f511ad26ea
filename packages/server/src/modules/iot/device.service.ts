import {
  DEVICE_MAP_CAP, IOT_ORG_OPTIONS_LIMIT, type DeviceCreateBody, type DeviceCreated, type DeviceDetail, type DeviceFilter, type DeviceItem, type DeviceListQuery,
  type DeviceMap, type DeviceUpdateBody, type IotOrgOption,
} from '@cityops/contracts';
import type { z } from 'zod';
import type { FastifyBaseLogger } from 'fastify';
import { runBatch } from '../../core/batch.js';
import type { DbOrTx } from '../../core/db.js';
import type { FieldCipher } from '../../core/crypto/field.js';
import { isUniqueViolation } from '../../core/db-errors.js';
import { Conflict, Invalid, NotFound } from '../../core/errors.js';
import { isUuid } from '../../core/ids.js';
import type { Principal } from '../../core/principal.js';
import { orgRepository } from '../system/org.repository.js';
import type { DeviceScopes } from './device-scope.js';
import { newSecret, type LocalDirectory } from './device-directory.js';
import { deviceRepository, type DeviceRow, type DeviceScope, type NewDevice } from './device.repository.js';
import { latestValues } from './latest-values.js';
import { newKey } from './product.service.js';
import { productRepository } from './product.repository.js';

type Detailed = NonNullable<Awaited<ReturnType<ReturnType<typeof deviceRepository>['detail']>>>;
type CreateInput = z.output<typeof DeviceCreateBody>;
type UpdateInput = z.output<typeof DeviceUpdateBody>;
type FilterInput = z.output<typeof DeviceFilter>;
type ListInput = z.output<typeof DeviceListQuery>;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export const toDeviceItem = (r: Detailed): DeviceItem => ({
  id: r.id, productId: r.productId, productKey: r.productKey, productName: r.productName, category: r.category as DeviceItem['category'],
  nodeType: r.nodeType as DeviceItem['nodeType'], deviceKey: r.deviceKey, name: r.name, status: r.status, testMode: r.testMode,
  regionCode: r.regionCode, regionName: r.regionName, orgId: r.orgId, orgName: r.orgName, lng: r.lng, lat: r.lat, address: r.address,
  gatewayId: r.gatewayId, gatewayName: r.gatewayName, firmwareVersion: r.firmwareVersion, lastIp: r.lastIp,
  activatedAt: iso(r.activatedAt), lastSeenAt: iso(r.lastSeenAt), onlineAt: iso(r.onlineAt), offlineAt: iso(r.offlineAt),
  deregisteredAt: iso(r.deregisteredAt), description: r.description, createdAt: r.createdAt.toISOString(), updatedAt: r.updatedAt.toISOString(),
});

/** Devices whose credentials no longer hold (disabled, deregistered, new secret): connections should be dropped. */
export type RevokedListener = (deviceIds: string[]) => void | Promise<void>;

/**
 * 设备管理: registration (一机一密 secrets generated and SM4-encrypted), the registry's lists, map and
 * Excel, and the lifecycle — enable, disable, deregister (注销: kept for history, never connects
 * again). A user sees and changes only the devices of their organisations (deviceScopes).
 */
export function deviceService(d: { db: DbOrTx; fields: FieldCipher; directory: LocalDirectory; scopes: DeviceScopes; log?: FastifyBaseLogger }) {
  const repo = deviceRepository(d.db);
  const products = productRepository(d.db);
  const revoked: RevokedListener[] = [];

  const revoke = async (ids: string[]) => {
    for (const id of ids) await d.directory.invalidate(id);
    for (const fn of revoked) {
      try {
        await fn(ids);
      } catch (err) {
        d.log?.error({ err }, 'iot revoked-device listener failed');
      }
    }
  };

  /** The device, when it exists and is in the user's scope (otherwise "not found": no hint that it exists). */
  const visible = async (s: DeviceScope, id: string): Promise<DeviceRow> => {
    const row = isUuid(id) ? await repo.byId(id) : undefined;
    if (!row || !d.scopes.covers(s, row.orgId)) throw new NotFound('设备不存在或不在您的管理范围内');
    return row;
  };

  const detail = async (id: string): Promise<DeviceDetail> => {
    const r = (await repo.detail(id))!;
    const [product, state] = await Promise.all([d.directory.productById(r.productId), repo.state(id)]);
    return {
      ...toDeviceItem(r),
      protocol: r.protocol as DeviceDetail['protocol'],
      authMode: r.authMode as DeviceDetail['authMode'],
      allowedAddresses: r.allowedAddresses,
      latest: latestValues(product?.thingModel ?? { properties: [], events: [], services: [] }, state?.props),
    };
  };

  /** The organisation, region and gateway of a device, checked. */
  const checkPlacement = async (s: DeviceScope, b: UpdateInput, nodeType: string, selfId?: string) => {
    if (!s.all && !b.orgId) throw new Invalid('请选择责任单位', { fields: { orgId: '请选择责任单位' } });
    if (b.orgId) {
      if (!(await repo.orgExists(b.orgId))) throw new Invalid('责任单位不存在', { fields: { orgId: '责任单位不存在' } });
      d.scopes.assertCovers(s, b.orgId);
    }
    if (b.regionCode && !(await repo.regionExists(b.regionCode))) throw new Invalid(`区域编码 ${b.regionCode} 不存在`, { fields: { regionCode: '区域不存在' } });
    if (b.gatewayId) {
      if (nodeType !== 'sub') throw new Invalid('只有网关子设备可以挂到网关下', { fields: { gatewayId: '该产品不是网关子设备' } });
      const g = await repo.gatewayOf(b.gatewayId);
      if (!g || g.id === selfId) throw new Invalid('网关设备不存在', { fields: { gatewayId: '网关设备不存在' } });
      if (g.nodeType !== 'gateway') throw new Invalid(`设备「${g.name}」不是网关设备`, { fields: { gatewayId: '不是网关设备' } });
      if (g.deregisteredAt) throw new Invalid(`网关设备「${g.name}」已注销`, { fields: { gatewayId: '网关设备已注销' } });
    }
  };

  const placement = (b: UpdateInput): Partial<NewDevice> => ({
    name: b.name, regionCode: b.regionCode, orgId: b.orgId, lng: b.lng, lat: b.lat, address: b.address,
    allowedAddresses: [...new Set(b.allowedAddresses)], testMode: b.testMode, gatewayId: b.gatewayId, description: b.description,
  });

  /** Registers one device (no cache invalidation: callers do it once). */
  const insert = async (s: DeviceScope, b: CreateInput) => {
    const product = isUuid(b.productId) ? await products.byId(b.productId) : undefined;
    if (!product) throw new Invalid('所属产品不存在', { fields: { productId: '所属产品不存在' } });
    await checkPlacement(s, b, product.nodeType);
    const deviceKey = b.deviceKey ?? newKey(12);
    const secret = newSecret();
    try {
      const row = await repo.insert({ ...placement(b), productId: product.id, deviceKey, name: b.name, secret: d.fields.encrypt(secret) });
      return { row, secret };
    } catch (err) {
      if (isUniqueViolation(err)) throw new Conflict(`产品「${product.name}」下已有设备标识 ${deviceKey}`, { fields: { deviceKey: '设备标识已存在' } });
      throw err;
    }
  };

  const self = {
    /** The user's device scope (other parts of the module filter with it). */
    scopeOf: (user: Principal) => d.scopes.of(user),

    /** A device the user may see, or 404. */
    async visible(user: Principal, id: string) {
      return visible(await d.scopes.of(user), id);
    },

    onRevoked(fn: RevokedListener) {
      revoked.push(fn);
    },

    async list(user: Principal, q: ListInput) {
      const { items, total } = await repo.list(await d.scopes.of(user), q, q);
      return { items: items.map(toDeviceItem), total, page: q.page, pageSize: q.pageSize };
    },

    /** Rows for the Excel export, in the list's order. */
    async exportRows(user: Principal, q: Omit<ListInput, 'page' | 'pageSize'>, limit: number) {
      return (await repo.rows(await d.scopes.of(user), q, { sort: q.sort, order: q.order, limit })).map(toDeviceItem);
    },

    async map(user: Principal, f: FilterInput): Promise<DeviceMap> {
      const points = await repo.points(await d.scopes.of(user), f, DEVICE_MAP_CAP + 1);
      return {
        points: points.slice(0, DEVICE_MAP_CAP).map((p) => ({ ...p, category: p.category as DeviceMap['points'][number]['category'] })),
        capped: points.length > DEVICE_MAP_CAP,
      };
    },

    /** 责任单位 the user may give a device (and filter by): the enabled organisations of their scope. */
    async orgOptions(user: Principal, keyword?: string): Promise<IotOrgOption[]> {
      const s = await d.scopes.of(user);
      return orgRepository(d.db).options({ keyword, ids: s.all ? undefined : s.orgIds, limit: IOT_ORG_OPTIONS_LIMIT });
    },

    async get(user: Principal, id: string): Promise<DeviceDetail> {
      await visible(await d.scopes.of(user), id);
      return detail(id);
    },

    async create(user: Principal, b: CreateInput): Promise<DeviceCreated> {
      const { row, secret } = await insert(await d.scopes.of(user), b);
      await d.directory.invalidate(row.id);
      return { device: await detail(row.id), secret };
    },

    /** Registers one device of an import (the caller invalidates the directory once at the end). */
    async createQuietly(s: DeviceScope, b: CreateInput) {
      return (await insert(s, b)).row;
    },

    async update(user: Principal, id: string, b: UpdateInput): Promise<DeviceDetail> {
      const s = await d.scopes.of(user);
      const row = await visible(s, id);
      if (row.deregisteredAt) throw new Conflict('设备已注销，不能修改');
      const product = await products.byId(row.productId);
      await checkPlacement(s, b, product!.nodeType, id);
      await repo.update(id, placement(b));
      await d.directory.invalidate(id);
      return detail(id);
    },

    async setEnabled(user: Principal, ids: string[], enabled: boolean) {
      const s = await d.scopes.of(user);
      const changed: string[] = [];
      const result = await runBatch(ids, async (id) => {
        const row = await visible(s, id);
        if (row.deregisteredAt) throw new Conflict(`设备「${row.name}」已注销`);
        if (enabled && row.status === 'disabled') await repo.update(id, { status: row.activatedAt ? 'offline' : 'inactive' });
        if (!enabled && row.status !== 'disabled') await repo.update(id, { status: 'disabled' });
        changed.push(id);
      });
      if (enabled) for (const id of changed) await d.directory.invalidate(id);
      else await revoke(changed);
      return result;
    },

    async deregister(user: Principal, ids: string[]) {
      const s = await d.scopes.of(user);
      const changed: string[] = [];
      const result = await runBatch(ids, async (id) => {
        const row = await visible(s, id);
        if (row.deregisteredAt) throw new Conflict(`设备「${row.name}」已注销`);
        await repo.update(id, { deregisteredAt: new Date(), status: row.status === 'online' ? 'offline' : row.status, offlineAt: row.status === 'online' ? new Date() : row.offlineAt });
        changed.push(id);
      });
      await revoke(changed);
      return result;
    },

    async revealSecret(user: Principal, id: string) {
      const row = await visible(await d.scopes.of(user), id);
      return { secret: d.fields.decrypt(row.secret), name: row.name };
    },

    async resetSecret(user: Principal, id: string) {
      const row = await visible(await d.scopes.of(user), id);
      if (row.deregisteredAt) throw new Conflict('设备已注销，不能重置密钥');
      const secret = newSecret();
      await repo.update(id, { secret: d.fields.encrypt(secret) });
      await revoke([id]);
      return { secret, name: row.name };
    },

    /** Device names for the operation log. */
    names: (ids: string[]) => repo.names(ids.filter(isUuid)),

    /** After a batch of registrations (import): one invalidation for all. */
    invalidateAll: () => d.directory.invalidate(),
  };
  return self;
}
export type DeviceService = ReturnType<typeof deviceService>;
