import { and, asc, desc, eq, ilike, inArray, isNotNull, isNull, like, or, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { DbOrTx } from '../../core/db.js';
import { likeContains, likeEscape } from '../../core/text.js';
import { sysOrg } from '../system/org.table.js';
import { sysRegion } from '../system/region.table.js';
import { iotDevice, type DeviceStatus } from './device.table.js';
import { iotProduct } from './product.table.js';
import { iotDeviceState } from './telemetry.table.js';

export type DeviceRow = typeof iotDevice.$inferSelect;
export type NewDevice = typeof iotDevice.$inferInsert;

/** The organisations whose devices a user sees: every one (`all`), or these. */
export interface DeviceScope {
  all: boolean;
  orgIds: string[];
}

export interface DeviceFilter {
  keyword?: string;
  productId?: string;
  category?: string;
  nodeType?: string;
  regionCode?: string;
  orgId?: string;
  status?: DeviceStatus;
  gatewayId?: string;
  testMode?: boolean;
  includeDeregistered?: boolean;
}

export type DeviceSort = 'createdAt' | 'name' | 'deviceKey' | 'lastSeenAt' | 'status';

const gateway = alias(iotDevice, 'gateway');

const listColumns = {
  id: iotDevice.id,
  productId: iotDevice.productId,
  productKey: iotProduct.productKey,
  productName: iotProduct.name,
  category: iotProduct.category,
  nodeType: iotProduct.nodeType,
  protocol: iotProduct.protocol,
  authMode: iotProduct.authMode,
  deviceKey: iotDevice.deviceKey,
  name: iotDevice.name,
  status: iotDevice.status,
  testMode: iotDevice.testMode,
  regionCode: iotDevice.regionCode,
  regionName: sysRegion.name,
  orgId: iotDevice.orgId,
  orgName: sysOrg.name,
  lng: iotDevice.lng,
  lat: iotDevice.lat,
  address: iotDevice.address,
  gatewayId: iotDevice.gatewayId,
  gatewayName: gateway.name,
  allowedAddresses: iotDevice.allowedAddresses,
  firmwareVersion: iotDevice.firmwareVersion,
  lastIp: iotDevice.lastIp,
  activatedAt: iotDevice.activatedAt,
  lastSeenAt: iotDevice.lastSeenAt,
  onlineAt: iotDevice.onlineAt,
  offlineAt: iotDevice.offlineAt,
  deregisteredAt: iotDevice.deregisteredAt,
  description: iotDevice.description,
  createdAt: iotDevice.createdAt,
  updatedAt: iotDevice.updatedAt,
};

const SORT_COLUMNS = {
  createdAt: iotDevice.createdAt,
  name: iotDevice.name,
  deviceKey: iotDevice.deviceKey,
  lastSeenAt: iotDevice.lastSeenAt,
  status: iotDevice.status,
} as const;

/** SQL: the device's organisation is in the scope. */
export const inDeviceScope = (scope: DeviceScope, orgColumn = iotDevice.orgId): SQL | undefined =>
  scope.all ? undefined : scope.orgIds.length ? inArray(orgColumn, scope.orgIds) : sql`false`;

/** SQL: the region is `code` or lies below it (codes nest by prefix). */
export const regionUnder = (column: typeof iotDevice.regionCode, code: string) => like(column, `${likeEscape(code)}%`);

/** 设备 rows (iot_device) with their product, organisation, region and gateway names. */
export function deviceRepository(db: DbOrTx) {
  const where = (scope: DeviceScope, f: DeviceFilter): SQL | undefined =>
    and(
      inDeviceScope(scope),
      f.includeDeregistered ? undefined : isNull(iotDevice.deregisteredAt),
      f.keyword ? or(ilike(iotDevice.name, likeContains(f.keyword)), ilike(iotDevice.deviceKey, `${likeEscape(f.keyword)}%`)) : undefined,
      f.productId ? eq(iotDevice.productId, f.productId) : undefined,
      f.category ? eq(iotProduct.category, f.category) : undefined,
      f.nodeType ? eq(iotProduct.nodeType, f.nodeType) : undefined,
      f.regionCode ? regionUnder(iotDevice.regionCode, f.regionCode) : undefined,
      f.orgId ? eq(iotDevice.orgId, f.orgId) : undefined,
      f.status ? eq(iotDevice.status, f.status) : undefined,
      f.gatewayId ? eq(iotDevice.gatewayId, f.gatewayId) : undefined,
      f.testMode !== undefined ? eq(iotDevice.testMode, f.testMode) : undefined,
    );

  const listQuery = () =>
    db
      .select(listColumns)
      .from(iotDevice)
      .innerJoin(iotProduct, eq(iotProduct.id, iotDevice.productId))
      .leftJoin(sysOrg, eq(sysOrg.id, iotDevice.orgId))
      .leftJoin(sysRegion, eq(sysRegion.code, iotDevice.regionCode))
      .leftJoin(gateway, eq(gateway.id, iotDevice.gatewayId));

  return {
    async list(scope: DeviceScope, f: DeviceFilter, o: { page: number; pageSize: number; sort: DeviceSort; order: 'asc' | 'desc' }) {
      const cond = where(scope, f);
      const dir = o.order === 'asc' ? asc : desc;
      const items = await listQuery()
        .where(cond)
        .orderBy(dir(SORT_COLUMNS[o.sort]), asc(iotDevice.id))
        .limit(o.pageSize)
        .offset((o.page - 1) * o.pageSize);
      const [t] = await db
        .select({ n: sql<number>`count(*)::int` })
        .from(iotDevice)
        .innerJoin(iotProduct, eq(iotProduct.id, iotDevice.productId))
        .where(cond);
      return { items, total: t?.n ?? 0 };
    },

    /** Rows for an export: the first `limit` in the list's order. */
    async rows(scope: DeviceScope, f: DeviceFilter, o: { sort: DeviceSort; order: 'asc' | 'desc'; limit: number }) {
      const dir = o.order === 'asc' ? asc : desc;
      return listQuery().where(where(scope, f)).orderBy(dir(SORT_COLUMNS[o.sort]), asc(iotDevice.id)).limit(o.limit);
    },

    async detail(id: string) {
      const [r] = await listQuery().where(eq(iotDevice.id, id));
      return r;
    },

    async points(scope: DeviceScope, f: DeviceFilter, limit: number) {
      return db
        .select({
          id: iotDevice.id, name: iotDevice.name, productName: iotProduct.name, category: iotProduct.category,
          status: iotDevice.status, lng: sql<number>`${iotDevice.lng}`, lat: sql<number>`${iotDevice.lat}`,
        })
        .from(iotDevice)
        .innerJoin(iotProduct, eq(iotProduct.id, iotDevice.productId))
        .where(and(where(scope, f), isNotNull(iotDevice.lng), isNotNull(iotDevice.lat)))
        .limit(limit);
    },

    async byId(id: string) {
      const [r] = await db.select().from(iotDevice).where(eq(iotDevice.id, id));
      return r;
    },

    async byIds(ids: string[]) {
      return ids.length ? db.select().from(iotDevice).where(inArray(iotDevice.id, ids)) : [];
    },

    async byKey(productId: string, deviceKey: string) {
      const [r] = await db.select().from(iotDevice).where(and(eq(iotDevice.productId, productId), eq(iotDevice.deviceKey, deviceKey)));
      return r;
    },

    /** The gateway device with its product's node type. */
    async gatewayOf(id: string) {
      const [r] = await db
        .select({ id: iotDevice.id, name: iotDevice.name, nodeType: iotProduct.nodeType, deregisteredAt: iotDevice.deregisteredAt })
        .from(iotDevice)
        .innerJoin(iotProduct, eq(iotProduct.id, iotDevice.productId))
        .where(eq(iotDevice.id, id));
      return r;
    },

    async insert(row: NewDevice) {
      const [r] = await db.insert(iotDevice).values(row).returning();
      return r!;
    },

    async update(id: string, patch: Partial<NewDevice>) {
      const [r] = await db.update(iotDevice).set({ ...patch, updatedAt: new Date() }).where(eq(iotDevice.id, id)).returning();
      return r;
    },

    async state(deviceId: string) {
      const [r] = await db.select().from(iotDeviceState).where(eq(iotDeviceState.deviceId, deviceId));
      return r;
    },

    /** Organisation ids by code (Excel import). */
    async orgIdsByCode(codes: string[]) {
      if (!codes.length) return new Map<string, string>();
      const rows = await db.select({ id: sysOrg.id, code: sysOrg.code }).from(sysOrg).where(inArray(sysOrg.code, codes));
      return new Map(rows.map((r) => [r.code, r.id]));
    },

    async orgExists(id: string) {
      const [r] = await db.select({ id: sysOrg.id }).from(sysOrg).where(eq(sysOrg.id, id));
      return !!r;
    },

    async regionExists(code: string) {
      const [r] = await db.select({ code: sysRegion.code }).from(sysRegion).where(eq(sysRegion.code, code));
      return !!r;
    },

    async names(ids: string[]) {
      if (!ids.length) return [];
      const rows = await db.select({ name: iotDevice.name }).from(iotDevice).where(inArray(iotDevice.id, ids));
      return rows.map((r) => r.name);
    },
  };
}
export type DeviceRepository = ReturnType<typeof deviceRepository>;
