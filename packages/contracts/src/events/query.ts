import { z } from 'zod';
import { IsoDateTime, PageQuery, pageOf } from '../common.js';
import { EventRow, EventStatus, NodeRole, NodeStatus, NodeVia, Plate, RequestKind, RequestStatus } from './event.js';

/** The seven query views (处置中, 已完成, 我参与, 市级下派, 全部, 重点工单; 审核 has its own list). */
export const EventView = z.enum(['processing', 'done', 'mine', 'city', 'all', 'key']);
export type EventView = z.infer<typeof EventView>;
/** 本级 / 下级 / 本级及下级. */
export const EventScope = z.enum(['self', 'children', 'selfAndChildren']);

const bool = z.enum(['true', 'false']).transform((v) => v === 'true');

export const EventListQuery = PageQuery.extend({
  view: EventView.default('all'),
  scope: EventScope.default('selfAndChildren'),
  /** Fuzzy on title and number. */
  keyword: z.string().trim().max(50).optional(),
  createdFrom: IsoDateTime.optional(),
  createdTo: IsoDateTime.optional(),
  source: z.string().max(32).optional(),
  isKey: bool.optional(),
  status: EventStatus.optional(),
  typeCode: z.string().max(64).optional(),
  regionCode: z.string().max(12).optional(),
  supervised: bool.optional(),
  /** Only events an organisation (by name) took part in — the 重点工单 view's 事件组织. */
  orgName: z.string().trim().max(50).optional(),
  sort: z.enum(['createdAt', 'updatedAt', 'deadline', 'cityDispatchedAt']).default('createdAt'),
  order: z.enum(['asc', 'desc']).default('desc'),
});
export type EventListQuery = z.infer<typeof EventListQuery>;

/**
 * The event lists count matches up to this many: beyond it `capped` is true and `total` is the cap
 * (shown as “1000+”), so that a count never walks a million events.
 */
export const EVENT_COUNT_CAP = 1000;
export const EventPage = pageOf(EventRow).extend({ capped: z.boolean() });

export const DraftListQuery = PageQuery.extend({ keyword: z.string().trim().max(50).optional(), typeCode: z.string().max(64).optional() });

/**
 * 我的待办: handle (待处理), closing (待结案), cc (抄送待阅), dispatched (交办后任务, waiting for
 * the organisations it dispatched to).
 */
export const TodoBox = z.enum(['handle', 'closing', 'cc', 'dispatched']);
export const TodoListQuery = PageQuery.extend({
  box: TodoBox.default('handle'),
  keyword: z.string().trim().max(50).optional(),
  plate: Plate.optional(),
  typeCode: z.string().max(64).optional(),
  source: z.string().max(32).optional(),
  createdFrom: IsoDateTime.optional(),
  createdTo: IsoDateTime.optional(),
  deadlineBefore: IsoDateTime.optional(),
});
export type TodoListQuery = z.infer<typeof TodoListQuery>;

/** The light-plate legend above a to-do box: its counts under the list's other conditions. */
export const TodoPlateQuery = TodoListQuery.omit({ page: true, pageSize: true, plate: true });
/** Open to-dos per light plate. */
const PlateCounts = z.object({ green: z.number().int(), yellow: z.number().int(), red: z.number().int() });
export const TodoPlateCounts = z.object({
  /** Every to-do of the box, those without a deadline included. */
  all: z.number().int(),
  ...PlateCounts.shape,
});
export type TodoPlateCounts = z.infer<typeof TodoPlateCounts>;

export const TodoRow = z.object({
  nodeId: z.string(),
  eventId: z.string(),
  no: z.string().nullable(),
  title: z.string(),
  typeName: z.string(),
  source: z.string(),
  isKey: z.boolean(),
  supervised: z.boolean(),
  eventStatus: EventStatus,
  role: NodeRole,
  via: NodeVia,
  status: NodeStatus,
  requirement: z.string().nullable(),
  fromOrgName: z.string().nullable(),
  fromCity: z.boolean(),
  deadline: IsoDateTime.nullable(),
  plate: Plate.nullable(),
  signedAt: IsoDateTime.nullable(),
  /** A delay, return or reply request of this node waiting for audit. */
  pendingRequest: RequestKind.nullable(),
  createdAt: IsoDateTime,
});
export type TodoRow = z.infer<typeof TodoRow>;

/** Badge and light-plate counts of the user's organisation (one query). */
export const TodoSummary = z.object({
  /** Everything waiting for the organisation: to-dos plus audits (待办数角标). */
  total: z.number().int(),
  handle: z.number().int(),
  closing: z.number().int(),
  cc: z.number().int(),
  dispatched: z.number().int(),
  audits: z.number().int(),
  drafts: z.number().int(),
  plates: PlateCounts,
});
export type TodoSummary = z.infer<typeof TodoSummary>;

/** 审核查询: requests my organisation must audit or has audited (to-me), or that it filed (mine). */
export const RequestListQuery = PageQuery.extend({
  box: z.enum(['todo', 'audited', 'mine']).default('todo'),
  keyword: z.string().trim().max(50).optional(),
  kind: RequestKind.optional(),
  status: RequestStatus.optional(),
  source: z.string().max(32).optional(),
  auditedFrom: IsoDateTime.optional(),
  auditedTo: IsoDateTime.optional(),
});

/** Organisations an event can be dispatched or reported to. */
export const TargetQuery = z.object({
  mode: z.enum(['dispatch', 'report', 'assist']),
  keyword: z.string().trim().max(50).optional(),
  /** Only the organisations below mine (只看下级). */
  belowOnly: z.enum(['true', 'false']).optional(),
});
export const TargetOrg = z.object({
  id: z.string(),
  name: z.string(),
  level: z.string(),
  parentId: z.string().nullable(),
  parentName: z.string().nullable(),
  /** Handled events of the same type before (同类事件分析推荐). */
  recommended: z.boolean(),
  relation: z.enum(['below', 'sideways', 'above', 'city']),
});
export type TargetOrg = z.infer<typeof TargetOrg>;

export const DispatchGroup = z.object({ id: z.string(), name: z.string(), orgIds: z.array(z.string()), orgNames: z.array(z.string()) });
export const DispatchGroupCreate = z.object({
  name: z.string().trim().min(1, '请输入分组名称').max(30),
  orgIds: z.array(z.string().uuid()).min(1, '请至少选择一个单位').max(100),
});
