import { sql } from 'drizzle-orm';
import { boolean, doublePrecision, index, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { ts } from '../../core/columns.js';
import { iotProduct } from './product.table.js';

/** inactive 未激活 → online 在线 / offline 离线; disabled 禁用 refuses connections. */
export const DEVICE_STATUSES = ['inactive', 'online', 'offline', 'disabled'] as const;
export type DeviceStatus = (typeof DEVICE_STATUSES)[number];

/** A registered device (设备). Deregistered (注销) devices keep their row and history but can no longer connect. */
export const iotDevice = pgTable(
  'iot_device',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    productId: uuid('product_id').notNull().references(() => iotProduct.id),
    deviceKey: text('device_key').notNull(),
    name: text('name').notNull(),
    /** SM4-encrypted device secret. */
    secret: text('secret').notNull(),
    status: text('status').$type<DeviceStatus>().notNull().default('inactive'),
    testMode: boolean('test_mode').notNull().default(false),
    regionCode: text('region_code'),
    /** The organisation responsible: alarms become its to-dos. */
    orgId: uuid('org_id'),
    lng: doublePrecision('lng'),
    lat: doublePrecision('lat'),
    address: text('address'),
    /** Sub-devices: the gateway that speaks for them. */
    gatewayId: uuid('gateway_id'),
    /** IP addresses or CIDR ranges the device may connect from; empty = any. */
    allowedAddresses: text('allowed_addresses').array().notNull().default(sql`'{}'::text[]`),
    firmwareVersion: text('firmware_version'),
    lastIp: text('last_ip'),
    /** The node whose embedded broker holds the device's connection (iot_node); null when none does. */
    nodeId: text('node_id'),
    activatedAt: ts('activated_at'),
    lastSeenAt: ts('last_seen_at'),
    onlineAt: ts('online_at'),
    offlineAt: ts('offline_at'),
    deregisteredAt: ts('deregistered_at'),
    description: text('description').notNull().default(''),
    createdAt: ts('created_at').notNull().defaultNow(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('iot_device_product_key_uq').on(t.productId, t.deviceKey),
    index('iot_device_status_idx').on(t.status, t.productId),
    index('iot_device_region_idx').on(t.regionCode),
    index('iot_device_org_idx').on(t.orgId),
    index('iot_device_gateway_idx').on(t.gatewayId),
    index('iot_device_name_trgm_idx').using('gin', t.name.op('gin_trgm_ops')),
  ],
);
