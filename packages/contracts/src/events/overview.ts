import { z } from 'zod';
import { defineEndpoint } from '../endpoint.js';
import { IsoDateTime } from '../common.js';
import { PERMISSIONS as P } from '../permissions.js';
import { CalendarDate } from './config.js';

const count = z.number().int();

/** A figure of today with the same figure yesterday (环比) and on the same day last year (同比). */
export const DayCompare = z.object({ today: count, yesterday: count, lastYear: count });
export type DayCompare = z.infer<typeof DayCompare>;

/** Events received (受理) in a period and how many of them are closed (办结) by now. */
export const AreaCount = z.object({ intake: count, closed: count });
export type AreaCount = z.infer<typeof AreaCount>;

/** One 镇街 (or, for a town's own users, one village/community) of the 区域办件情况 chart. */
const Area = z.object({ regionCode: z.string(), name: z.string() });
export const AreaStat = Area.extend({
  yesterday: AreaCount,
  today: AreaCount,
  week: AreaCount,
});
export type AreaStat = z.infer<typeof AreaStat>;

/**
 * 工作台 · 事件统计图, over the user's 本级及下级 events. Drafts never count; 受理 leaves out voided
 * events; every rate is a share of 累计受理 (null while nothing was received). Days are CST days.
 */
export const EventOverview = z.object({
  /** When the figures were computed (they are cached for a minute). */
  generatedAt: IsoDateTime,
  totals: z.object({
    /** 累计受理. */
    accepted: count,
    /** 累计办结 (status closed). */
    closed: count,
    /** 累计回退: events with an approved 退回 request. */
    returned: count,
    /** 超期未办: still in 处置中 past the event's deadline. */
    overdue: count,
    closedRate: z.number().nullable(),
    returnedRate: z.number().nullable(),
    overdueRate: z.number().nullable(),
  }),
  today: z.object({
    /** 今日受理. */
    intake: DayCompare,
    /** 今日办结 (closed that day). */
    closed: DayCompare,
    /** 今日网格治理事件 (source 网格上报). */
    grid: DayCompare,
    /** 今日智能预警事件 (source 物联告警). */
    warning: DayCompare,
    /** 今日 12345 热线事件. */
    hotline: DayCompare,
  }),
  /** 事件分类受理走势 and 办理量月度趋势: the last 12 months, oldest first. */
  trend: z.object({
    /** 'YYYY-MM' (CST). */
    months: z.array(z.string()),
    /** Per 大类 (top level of the catalogue), intake per month. */
    types: z.array(z.object({ code: z.string(), name: z.string(), counts: z.array(count) })),
    /** Intake per month (all types). */
    intake: z.array(count),
    /** Events closed per month (by the day they were closed). */
    closed: z.array(count),
  }),
  /** 区域办件情况 for 昨日 / 今日 / 最近七天 (today and the six days before). */
  areas: z.array(AreaStat),
});
export type EventOverview = z.infer<typeof EventOverview>;

export const AreaDayQuery = z.object({ date: CalendarDate });
/** 区域办件情况 of one chosen day. */
export const AreaDay = z.object({
  date: z.string(),
  areas: z.array(Area.extend(AreaCount.shape)),
});
export type AreaDay = z.infer<typeof AreaDay>;

export const eventOverviewEndpoints = {
  eventOverview: defineEndpoint({
    method: 'GET', path: '/api/events/overview', summary: '工作台事件统计：概况、分类走势、区域办件（本级及下级）', tags: ['events'],
    access: 'authorized', permission: P.eventQuery, response: EventOverview,
  }),
  eventOverviewAreas: defineEndpoint({
    method: 'GET', path: '/api/events/overview/areas', summary: '工作台区域办件情况：指定日期', tags: ['events'],
    access: 'authorized', permission: P.eventQuery, query: AreaDayQuery, response: AreaDay,
  }),
};
