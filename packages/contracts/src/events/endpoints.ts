import { z } from 'zod';
import { defineEndpoint } from '../endpoint.js';
import { FileDownload, IdParams, Ok, pageOf } from '../common.js';
import { PERMISSIONS as P } from '../permissions.js';
import { AssistBody, AuditBody, CloseBody, DelayBody, DirectiveBody, DispatchBody, HandleBody, KeyBody, RecallBody, ReopenBody, ReportBody, ReturnBody, ReworkBody, SignBody, TrackBody, VoidBody } from './actions.js';
import { AuditRequest, EventCreate, EventDetail, EventInput, EventRef, EventRow } from './event.js';
import { eventOverviewEndpoints } from './overview.js';
import { DispatchGroup, DispatchGroupCreate, DraftListQuery, EventListQuery, EventPage, RequestListQuery, TargetOrg, TargetQuery, TodoListQuery, TodoPlateCounts, TodoPlateQuery, TodoRow, TodoSummary } from './query.js';

const tags = ['events'];
const NodeParams = z.object({ id: z.string().uuid('事件标识无效'), nodeId: z.string().uuid('待办标识无效') });
const EventParams = z.object({ id: z.string().uuid('事件标识无效') });

/** An operation on one of the user's organisation's nodes (to-dos). */
const nodeAction = <B extends z.ZodType>(path: string, summary: string, permission: string, body: B) =>
  defineEndpoint({ method: 'POST', path: `/api/events/:id/nodes/:nodeId/${path}`, summary, tags, access: 'authorized', permission, params: NodeParams, body, response: EventRef });
/** An operation on the event as a whole. */
const eventAction = <B extends z.ZodType>(path: string, summary: string, permission: string, body: B) =>
  defineEndpoint({ method: 'POST', path: `/api/events/:id/${path}`, summary, tags, access: 'authorized', permission, params: EventParams, body, response: EventRef });

export const eventEndpoints = {
  eventCreate: defineEndpoint({
    method: 'POST', path: '/api/events', summary: '发起事件（submit=false 保存至草稿箱）', tags,
    access: 'authorized', permission: P.eventCreate, body: EventCreate, response: EventRef,
  }),
  eventDrafts: defineEndpoint({
    method: 'GET', path: '/api/events/drafts', summary: '草稿箱', tags,
    access: 'authorized', permission: P.eventCreate, query: DraftListQuery, response: pageOf(EventRow),
  }),
  eventDraftUpdate: defineEndpoint({
    method: 'PUT', path: '/api/events/drafts/:id', summary: '编辑草稿', tags,
    access: 'authorized', permission: P.eventCreate, params: EventParams, body: EventInput, response: EventRef,
  }),
  eventDraftDelete: defineEndpoint({
    method: 'DELETE', path: '/api/events/drafts/:id', summary: '删除草稿', tags,
    access: 'authorized', permission: P.eventCreate, params: EventParams, response: Ok,
  }),
  eventDraftSubmit: defineEndpoint({
    method: 'POST', path: '/api/events/drafts/:id/submit', summary: '草稿发起处置', tags,
    access: 'authorized', permission: P.eventCreate, params: EventParams, response: EventRef,
  }),

  eventTodos: defineEndpoint({
    method: 'GET', path: '/api/events/todos', summary: '我的待办（本单位）与交办后任务', tags,
    access: 'authorized', permission: P.eventHandle, query: TodoListQuery, response: pageOf(TodoRow),
  }),
  eventTodoPlates: defineEndpoint({
    method: 'GET', path: '/api/events/todos/plates', summary: '某一待办箱的灯牌统计（与列表条件相同）', tags,
    access: 'authorized', permission: P.eventHandle, query: TodoPlateQuery, response: TodoPlateCounts,
  }),
  eventTodoSummary: defineEndpoint({
    method: 'GET', path: '/api/events/todos/summary', summary: '待办数角标与灯牌统计', tags,
    access: 'authenticated', response: TodoSummary,
  }),
  eventList: defineEndpoint({
    method: 'GET', path: '/api/events', summary: '事件查询（处置中、已完成、我参与、市级下派、全部、重点工单）', tags,
    access: 'authorized', permission: P.eventQuery, query: EventListQuery, response: EventPage,
  }),
  eventExport: defineEndpoint({
    method: 'GET', path: '/api/events/export', summary: '导出事件查询结果（Excel）', tags,
    access: 'authorized', permission: P.eventQuery, file: true, query: EventListQuery, response: FileDownload,
  }),
  eventRequests: defineEndpoint({
    method: 'GET', path: '/api/events/requests', summary: '审核查询（待我审核、我已审核、我的申请）', tags,
    access: 'authorized', permission: P.eventQuery, query: RequestListQuery, response: pageOf(AuditRequest),
  }),
  eventRequestAudit: defineEndpoint({
    method: 'POST', path: '/api/events/requests/:id/audit', summary: '审核延期、退回或回复申请', tags,
    access: 'authorized', permission: P.eventAudit, params: IdParams, body: AuditBody, response: EventRef,
  }),
  eventDetail: defineEndpoint({
    method: 'GET', path: '/api/events/:id', summary: '事件详情：信息、附件、处置树、处置过程、汇总', tags,
    access: 'authorized', permission: P.eventQuery, params: EventParams, response: EventDetail,
  }),
  eventTargets: defineEndpoint({
    method: 'GET', path: '/api/events/:id/nodes/:nodeId/targets', summary: '可交办、可上报、可申请协助的单位', tags,
    access: 'authorized', permission: P.eventHandle, params: NodeParams, query: TargetQuery, response: z.array(TargetOrg),
  }),

  eventHandle: nodeAction('handle', '办理：提交处理意见与附件', P.eventHandle, HandleBody),
  eventTrack: nodeAction('track', '跟踪：记录多日办理的进展', P.eventHandle, TrackBody),
  eventReport: nodeAction('report', '上报上级（处置与结案权限随之移交）', P.eventHandle, ReportBody),
  eventDispatch: nodeAction('dispatch', '交办：主办、协办、抄送，各自的要求、附件与期限', P.eventDispatch, DispatchBody),
  eventAssist: nodeAction('assist', '申请协助', P.eventHandle, AssistBody),
  eventSign: nodeAction('sign', '签收市级下派事件', P.eventHandle, SignBody),
  eventDelay: nodeAction('delay', '申请延期（本级自处理事件立即生效）', P.eventHandle, DelayBody),
  eventReturn: nodeAction('return', '申请退回给交办单位', P.eventHandle, ReturnBody),
  eventRecall: nodeAction('recall', '撤回对该单位的交办或协助申请（由交办单位操作）', P.eventDispatch, RecallBody),
  eventRead: nodeAction('read', '抄送已阅', P.eventHandle, z.object({})),

  eventVoid: eventAction('void', '作废事件（交办、上报处置中不可作废）', P.eventVoid, VoidBody),
  eventKey: eventAction('key', '标记或取消重点工单', P.eventKey, KeyBody),
  eventInstruct: eventAction('instruct', '批示', P.eventInstruct, DirectiveBody),
  eventSupervise: eventAction('supervise', '督办（仅处置中事件）', P.eventSupervise, DirectiveBody),
  eventRework: eventAction('rework', '处置核验退回，重新办理', P.eventClose, ReworkBody),
  eventClose: eventAction('close', '结案', P.eventClose, CloseBody),
  eventForceClose: eventAction('force-close', '强制办结', P.eventForceClose, CloseBody),
  eventReopen: eventAction('reopen', '重启已办结事件', P.eventClose, ReopenBody),

  dispatchGroups: defineEndpoint({
    method: 'GET', path: '/api/events/dispatch-groups', summary: '我的交办分组', tags,
    access: 'authorized', permission: P.eventDispatch, response: z.array(DispatchGroup),
  }),
  dispatchGroupCreate: defineEndpoint({
    method: 'POST', path: '/api/events/dispatch-groups', summary: '保存交办分组', tags,
    access: 'authorized', permission: P.eventDispatch, body: DispatchGroupCreate, response: DispatchGroup,
  }),
  dispatchGroupDelete: defineEndpoint({
    method: 'DELETE', path: '/api/events/dispatch-groups/:id', summary: '删除交办分组', tags,
    access: 'authorized', permission: P.eventDispatch, params: IdParams, response: Ok,
  }),
  ...eventOverviewEndpoints,
};
