import { sql } from 'drizzle-orm';
import { boolean, integer, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import type { ThingModel } from '@cityops/contracts';
import { ts } from '../../core/columns.js';

/**
 * A product (产品): one kind of device with its thing model (物模型), its way of connecting and of
 * authenticating, and what its alarms become in the event hub.
 */
export const iotProduct = pgTable('iot_product', {
  id: uuid('id').primaryKey().defaultRandom(),
  productKey: text('product_key').notNull().unique(),
  name: text('name').notNull(),
  /** smoke | gas | hydrant | water_level | manhole | other (contracts IOT_CATEGORIES). */
  category: text('category').notNull(),
  /** direct | gateway | sub. */
  nodeType: text('node_type').notNull().default('direct'),
  /** mqtt | http | coap | gateway. */
  protocol: text('protocol').notNull().default('mqtt'),
  /** device_secret (一机一密) | product_secret (一型一密). */
  authMode: text('auth_mode').notNull().default('device_secret'),
  /** SM4-encrypted product secret. */
  productSecret: text('product_secret').notNull(),
  /** With product_secret: unknown devices whose key is on the whitelist (or any, when it is empty) register on first connect. */
  dynamicRegister: boolean('dynamic_register').notNull().default(false),
  whitelist: text('whitelist').array().notNull().default(sql`'{}'::text[]`),
  thingModel: jsonb('thing_model').$type<ThingModel>().notNull(),
  /** Bumped with every thing-model change: compiled validators are cached per version. */
  modelVersion: integer('model_version').notNull().default(1),
  /** No message for this long → offline (devices without a persistent connection). */
  offlineSeconds: integer('offline_seconds').notNull().default(600),
  /** The event-hub type alarms of this product become, unless a rule says otherwise. */
  eventTypeCode: text('event_type_code'),
  description: text('description').notNull().default(''),
  enabled: boolean('enabled').notNull().default(true),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});
