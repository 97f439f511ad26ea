import { z } from 'zod';
import { IsoDateTime } from '../common.js';
import { FileIds, FileInfo } from '../files.js';

export const EventStatus = z.enum(['draft', 'processing', 'handled', 'closed', 'voided']);
export type EventStatus = z.infer<typeof EventStatus>;
export const EVENT_STATUS_LABELS: Record<EventStatus, string> = {
  draft: '草稿', processing: '处置中', handled: '已处置', closed: '已办结', voided: '已作废',
};

/** 灯牌: green in time, yellow 临期, red 超期. */
export const Plate = z.enum(['green', 'yellow', 'red']);
export type Plate = z.infer<typeof Plate>;
export const PLATE_LABELS: Record<Plate, string> = { green: '正常', yellow: '临期', red: '超期' };

export const NodeRole = z.enum(['main', 'assist', 'cc']);
export type NodeRole = z.infer<typeof NodeRole>;
export const NODE_ROLE_LABELS: Record<NodeRole, string> = { main: '主办', assist: '协办', cc: '抄送' };
export const NodeVia = z.enum(['initiate', 'dispatch', 'report', 'assist']);
export const NODE_VIA_LABELS: Record<z.infer<typeof NodeVia>, string> = { initiate: '发起', dispatch: '交办', report: '上报', assist: '申请协助' };
export const NodeStatus = z.enum(['todo', 'waiting', 'closing', 'submitted', 'reported', 'returned', 'recalled', 'read', 'finished']);
export type NodeStatus = z.infer<typeof NodeStatus>;
export const NODE_STATUS_LABELS: Record<NodeStatus, string> = {
  todo: '待处理', waiting: '已交办待反馈', closing: '待结案', submitted: '已提交', reported: '已上报',
  returned: '已退回', recalled: '已撤回', read: '已阅', finished: '已结束',
};

/** What a user fills in to report an event (发起 or 保存草稿). */
export const EventInput = z.object({
  typeCode: z.string().min(1, '请选择事件类型').max(64),
  title: z.string().trim().min(1, '请输入事件标题').max(100, '事件标题不能超过 100 个字'),
  content: z.string().trim().max(5000, '事件描述不能超过 5000 个字').default(''),
  /** Dictionary 'event_source'. */
  source: z.string().min(1, '请选择事件来源').max(32),
  occurredAt: IsoDateTime.optional(),
  regionCode: z.string().max(12).optional(),
  address: z.string().trim().max(200, '事发地址不能超过 200 个字').optional(),
  lat: z.number().min(-90).max(90).optional(),
  lng: z.number().min(-180).max(180).optional(),
  /** The event type's custom-form data. */
  formData: z.record(z.string(), z.unknown()).default({}),
  fileIds: FileIds,
});
export type EventInput = z.infer<typeof EventInput>;

export const EventCreate = EventInput.extend({
  /** false: save to the drafts box (草稿箱) instead of starting the event. */
  submit: z.boolean().default(true),
});

/** The answer to every operation: where the event stands now. */
export const EventRef = z.object({ id: z.string(), no: z.string().nullable(), status: EventStatus, version: z.number().int() });
export type EventRef = z.infer<typeof EventRef>;

/** A row of the event lists. */
export const EventRow = z.object({
  id: z.string(),
  no: z.string().nullable(),
  title: z.string(),
  source: z.string(),
  typeCode: z.string(),
  typeName: z.string(),
  isKey: z.boolean(),
  supervised: z.boolean(),
  regionCode: z.string().nullable(),
  regionName: z.string().nullable(),
  status: EventStatus,
  plate: Plate.nullable(),
  deadline: IsoDateTime.nullable(),
  creatorOrgName: z.string(),
  cityDispatchedAt: IsoDateTime.nullable(),
  occurredAt: IsoDateTime.nullable(),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
});
export type EventRow = z.infer<typeof EventRow>;

export const Attachment = FileInfo.extend({ stage: z.enum(['before', 'during', 'after']), logId: z.string().nullable() });
export type Attachment = z.infer<typeof Attachment>;

export const TreeNode = z.object({
  id: z.string(),
  parentId: z.string().nullable(),
  orgId: z.string(),
  orgName: z.string(),
  orgLevel: z.string(),
  role: NodeRole,
  via: NodeVia,
  status: NodeStatus,
  requirement: z.string().nullable(),
  fromOrgName: z.string().nullable(),
  /** 回复需审核: its handling result takes effect once the dispatching organisation approves it. */
  replyAudit: z.boolean(),
  deadline: IsoDateTime.nullable(),
  plate: Plate.nullable(),
  signedAt: IsoDateTime.nullable(),
  signOpinion: z.string().nullable(),
  handledAt: IsoDateTime.nullable(),
  handlerName: z.string().nullable(),
  opinion: z.string().nullable(),
  createdAt: IsoDateTime,
});
export type TreeNode = z.infer<typeof TreeNode>;

/** Names of the actions on the timeline (处置过程), by the action code of evt_log. */
export const EVENT_ACTION_LABELS: Record<string, string> = {
  initiate: '发起', save_draft: '保存草稿', dispatch: '交办', report: '上报', handle: '办理', submit: '提交',
  track: '跟踪', assist: '申请协助', sign: '签收', delay_request: '申请延期', delay: '延期',
  return_request: '申请退回', reply_request: '申请回复审核', audit_approve: '审核通过', audit_refuse: '审核不通过', recall: '撤回', read: '已阅',
  void: '作废', key: '标记重点工单', unkey: '取消重点工单', instruct: '批示', supervise: '督办',
  rework: '核验退回', close: '结案', force_close: '强制办结', reopen: '重启',
};

export const TimelineEntry = z.object({
  id: z.string(),
  nodeId: z.string().nullable(),
  action: z.string(),
  actionName: z.string(),
  actorName: z.string(),
  actorOrgName: z.string().nullable(),
  opinion: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()),
  /** 市级日志 (written by the city operations centre). */
  isCity: z.boolean(),
  attachments: z.array(FileInfo),
  createdAt: IsoDateTime,
});
export type TimelineEntry = z.infer<typeof TimelineEntry>;

export const Directive = z.object({
  id: z.string(),
  kind: z.enum(['instruct', 'supervise']),
  person: z.string(),
  dept: z.string(),
  position: z.string().nullable(),
  issuedAt: IsoDateTime,
  content: z.string(),
});
export type Directive = z.infer<typeof Directive>;

/** 延期 / 退回 / 回复 (a handling result waiting for the dispatcher's approval, 回复需审核). */
export const RequestKind = z.enum(['delay', 'return', 'reply']);
export const REQUEST_KIND_LABELS: Record<z.infer<typeof RequestKind>, string> = { delay: '延期申请', return: '退回申请', reply: '回复申请' };
export const RequestStatus = z.enum(['pending', 'approved', 'refused', 'withdrawn']);
export const REQUEST_STATUS_LABELS: Record<z.infer<typeof RequestStatus>, string> = {
  pending: '待审核', approved: '审核通过', refused: '审核不通过', withdrawn: '已撤销',
};

export const AuditRequest = z.object({
  id: z.string(),
  eventId: z.string(),
  eventNo: z.string().nullable(),
  eventTitle: z.string(),
  isKey: z.boolean(),
  source: z.string(),
  nodeId: z.string(),
  kind: RequestKind,
  status: RequestStatus,
  reason: z.string(),
  oldDeadline: IsoDateTime.nullable(),
  newDeadline: IsoDateTime.nullable(),
  applicantOrgName: z.string(),
  applicantName: z.string(),
  auditorOrgName: z.string(),
  auditorName: z.string().nullable(),
  auditOpinion: z.string().nullable(),
  createdAt: IsoDateTime,
  auditedAt: IsoDateTime.nullable(),
});
export type AuditRequest = z.infer<typeof AuditRequest>;

/** An action the current user may take now, on the event or on one of their organisation's nodes. */
export const AvailableAction = z.object({ action: z.string(), nodeId: z.string().nullable(), requestId: z.string().nullable().default(null) });
export type AvailableAction = z.infer<typeof AvailableAction>;

export const EventDetail = z.object({
  event: EventRow.extend({
    content: z.string(),
    formData: z.record(z.string(), z.unknown()),
    address: z.string().nullable(),
    lat: z.number().nullable(),
    lng: z.number().nullable(),
    creatorName: z.string(),
    ownerOrgId: z.string().nullable(),
    ownerOrgName: z.string().nullable(),
    reportedToCity: z.boolean(),
    forced: z.boolean(),
    closeOpinion: z.string().nullable(),
    voidReason: z.string().nullable(),
    closedAt: IsoDateTime.nullable(),
    typeCategory: z.string(),
    version: z.number().int(),
  }),
  attachments: z.object({ before: z.array(Attachment), during: z.array(Attachment), after: z.array(Attachment) }),
  tree: z.array(TreeNode),
  timeline: z.array(TimelineEntry),
  directives: z.array(Directive),
  requests: z.array(AuditRequest),
  summary: z.object({
    done: z.array(z.object({ orgName: z.string(), level: z.string() })),
    inProgress: z.array(z.object({ orgName: z.string(), level: z.string() })),
    /** Ready to paste into a notice (处置通报). */
    text: z.string(),
  }),
  actions: z.array(AvailableAction),
});
export type EventDetail = z.infer<typeof EventDetail>;
