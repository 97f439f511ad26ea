import { index, integer, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { ts } from '../../core/columns.js';

/** A firmware package of a product; the bytes are a file of the files module. */
export const iotFirmware = pgTable('iot_firmware', {
  id: uuid('id').primaryKey().defaultRandom(),
  productId: uuid('product_id').notNull(),
  name: text('name').notNull(),
  version: text('version').notNull(),
  fileId: uuid('file_id').notNull(),
  size: integer('size').notNull(),
  /** SM3 (hex) of the bytes, sent to the device to check the download. */
  sign: text('sign').notNull(),
  signMethod: text('sign_method').notNull().default('SM3'),
  description: text('description').notNull().default(''),
  createdAt: ts('created_at').notNull().defaultNow(),
});

/** An upgrade task (升级任务): a firmware pushed to chosen devices. */
export const iotOtaTask = pgTable('iot_ota_task', {
  id: uuid('id').primaryKey().defaultRandom(),
  firmwareId: uuid('firmware_id').notNull(),
  name: text('name').notNull(),
  /** running | finished | cancelled. */
  status: text('status').notNull().default('running'),
  createdBy: uuid('created_by'),
  createdByName: text('created_by_name').notNull().default(''),
  createdAt: ts('created_at').notNull().defaultNow(),
  finishedAt: ts('finished_at'),
});

/** pending (waits for the device to be online) → pushed → upgrading (progress) → succeeded | failed | cancelled. */
export const iotOtaDevice = pgTable(
  'iot_ota_device',
  {
    taskId: uuid('task_id').notNull(),
    deviceId: uuid('device_id').notNull(),
    status: text('status').notNull().default('pending'),
    progress: integer('progress').notNull().default(0),
    fromVersion: text('from_version'),
    message: text('message'),
    msgId: text('msg_id'),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.taskId, t.deviceId] }), index('iot_ota_device_device_idx').on(t.deviceId, t.status)],
);
