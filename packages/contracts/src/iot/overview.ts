import { z } from 'zod';
import { defineEndpoint } from '../endpoint.js';
import { IsoDateTime } from '../common.js';
import { PERMISSIONS as P } from '../permissions.js';
import { IOT_CATEGORIES } from './product.js';

const count = z.number().int();

export const IotOverviewQuery = z.object({
  /** Only devices in this region (and below), e.g. a town's cockpit. */
  regionCode: z.string().trim().max(12).optional(),
});
export type IotOverviewQuery = z.input<typeof IotOverviewQuery>;

/**
 * 物联概览 and the cockpits' IoT figures, over the devices of the user's organisations (本级及下级)
 * not deregistered. Days are CST days.
 */
export const IotOverview = z.object({
  generatedAt: IsoDateTime,
  products: count,
  devices: z.object({ total: count, online: count, offline: count, inactive: count, disabled: count }),
  /** Every category, in IOT_CATEGORIES order (zeros included). */
  byCategory: z.array(z.object({ category: z.enum(IOT_CATEGORIES), name: z.string(), total: count, online: count })),
  /** By 镇街 (the region at town level above the device's region); devices without a region under 未设置区域 (regionCode ''). */
  byRegion: z.array(z.object({ regionCode: z.string(), name: z.string(), total: count, online: count })),
  messages: z.object({
    /** Up-link messages since 00:00 CST. */
    today: count,
    lastHour: count,
    /** Refused today (rejected + denied). */
    rejectedToday: count,
  }),
  /** Alarms active or acknowledged, not cleared. */
  activeAlarms: count,
  /** Up-link messages per minute over the last hour, oldest first (60 entries). */
  ratePerMinute: z.array(z.object({ minute: IsoDateTime, count })),
});
export type IotOverview = z.infer<typeof IotOverview>;

/** IoT: 物联概览 figures (helper A); the device map is `iotDeviceMap`. */
export const overviewEndpoints = {
  iotOverview: defineEndpoint({
    method: 'GET', path: '/api/iot/overview', summary: '物联概览：设备总数与在线数（按分类、状态、镇街）、今日消息、告警、近一小时接入速率', tags: ['iot'],
    access: 'authorized', permission: P.iotDeviceList, query: IotOverviewQuery, response: IotOverview,
  }),
};
