import { z } from 'zod';
import { defineEndpoint } from './endpoint.js';
import { FileDownload, IdParams, IsoDateTime, Ok, PageQuery, pageOf } from './common.js';
import { FileIds, FileInfo } from './files.js';
import { PERMISSIONS } from './permissions.js';

/** The kind of a message that announces a system notice (系统通知); every other kind is about work (待办消息). */
export const NOTICE_KIND = 'notice';

/** What each kind of message is about, as the message centre labels it. */
export const MESSAGE_KIND_LABELS: Record<string, string> = {
  dispatch: '交办',
  cc: '抄送',
  assist: '协办',
  report: '上报',
  submit: '办理提交',
  sign: '签收',
  audit: '待审核',
  audit_result: '审核结果',
  recall: '撤回',
  rework: '核验退回',
  closing: '待结案',
  closed: '已办结',
  instruct: '批示',
  supervise: '督办',
  warn: '临期提醒',
  overdue: '超期提醒',
  log_alert: '日志告警',
  iot_alarm: '物联告警',
  [NOTICE_KIND]: '系统通知',
};

export const Message = z.object({
  id: z.string(),
  kind: z.string(),
  title: z.string(),
  content: z.string(),
  eventId: z.string().nullable(),
  /** Set on a system notice's message: its detail is /api/messages/notices/:noticeId. */
  noticeId: z.string().nullable(),
  read: z.boolean(),
  createdAt: IsoDateTime,
});
export type Message = z.infer<typeof Message>;

export const MessageListQuery = PageQuery.extend({
  unread: z.enum(['true', 'false']).optional(),
  keyword: z.string().trim().max(50).optional(),
  /** work: every message about work (not notices); notice: system notices only. */
  category: z.enum(['work', 'notice']).optional(),
  /** One kind, e.g. dispatch (see MESSAGE_KIND_LABELS). */
  kind: z.string().trim().max(32).optional(),
});

/** Several of the user's own messages at once. */
export const MessageIds = z.object({
  ids: z.array(z.string().uuid('消息标识无效')).min(1, '请至少选择一条消息').max(500, '一次最多处理 500 条消息'),
});

/** How many of the user's rows an action changed. */
const Counted = z.object({ count: z.number().int() });

export const UnreadCounts = z.object({
  /** Everything unread: work messages, notices and chat lines (the header's badge). */
  count: z.number().int(),
  work: z.number().int(),
  notice: z.number().int(),
  chat: z.number().int(),
});
export type UnreadCounts = z.infer<typeof UnreadCounts>;

// ---- system notices (系统通知) ----

export const NoticeCreate = z
  .object({
    title: z.string({ message: '请输入通知标题' }).trim().min(1, '请输入通知标题').max(100, '通知标题不能超过 100 个字'),
    content: z.string({ message: '请输入通知内容' }).trim().min(1, '请输入通知内容').max(5000, '通知内容不能超过 5000 个字'),
    fileIds: FileIds,
    /** all: every enabled user; orgs: the people of `orgIds`. */
    scope: z.enum(['all', 'orgs'], { message: '请选择发布范围' }),
    orgIds: z.array(z.string().uuid('接收单位标识无效')).max(1000, '接收单位最多 1000 个').default([]),
  })
  .refine((v) => v.scope === 'all' || v.orgIds.length > 0, { message: '请选择接收单位', path: ['orgIds'] });
export type NoticeCreateInput = z.input<typeof NoticeCreate>;

export const NoticeSummary = z.object({
  id: z.string(),
  title: z.string(),
  /** Empty: every user. */
  orgNames: z.array(z.string()),
  fileCount: z.number().int(),
  publisherName: z.string(),
  createdAt: IsoDateTime,
});
export type NoticeSummary = z.infer<typeof NoticeSummary>;

export const Notice = NoticeSummary.omit({ fileCount: true }).extend({
  content: z.string(),
  files: z.array(FileInfo),
});
export type Notice = z.infer<typeof Notice>;

export const NoticeListQuery = PageQuery.extend({ keyword: z.string().trim().max(50).optional() });

/** An organisation a notice may be published to (the picker's tree is built from parentId). */
export const NoticeOrg = z.object({ id: z.string(), parentId: z.string().nullable(), name: z.string() });
export type NoticeOrg = z.infer<typeof NoticeOrg>;

// ---- one-to-one chat (私信) ----

export const ChatPerson = z.object({ id: z.string(), name: z.string(), orgName: z.string().nullable() });
export type ChatPerson = z.infer<typeof ChatPerson>;

export const ChatLine = z.object({
  id: z.string(),
  fromUserId: z.string(),
  toUserId: z.string(),
  content: z.string(),
  eventId: z.string().nullable(),
  read: z.boolean(),
  createdAt: IsoDateTime,
});
export type ChatLine = z.infer<typeof ChatLine>;

export const ChatConversation = z.object({
  peer: ChatPerson,
  lastContent: z.string(),
  lastFromMe: z.boolean(),
  lastAt: IsoDateTime,
  unread: z.number().int(),
});
export type ChatConversation = z.infer<typeof ChatConversation>;

export const ChatSend = z.object({
  toUserId: z.string({ message: '请选择私信对象' }).uuid('请选择私信对象'),
  content: z.string({ message: '请输入私信内容' }).trim().min(1, '请输入私信内容').max(1000, '私信内容不能超过 1000 个字'),
  eventId: z.string().uuid('事件标识无效').nullish().transform((v) => v ?? null),
});
export type ChatSendInput = z.input<typeof ChatSend>;

export const ChatThreadQuery = z.object({
  /** Lines older than this one (paging back through the conversation). */
  before: z.string().uuid().optional(),
  limit: z.coerce.number().int().min(1).max(100).default(30),
});

export const ChatThread = z.object({
  peer: ChatPerson,
  /** Oldest first. */
  items: z.array(ChatLine),
  hasMore: z.boolean(),
});

const UserParams = z.object({ userId: z.string().min(1).max(64) });

// ---- the live channel ----

/**
 * The server-sent events of GET /api/messages/stream: `ready` (UnreadCounts, once connected),
 * `message` (a Message; the SSE id is its id, so a reconnecting client sends it as Last-Event-ID),
 * `chat` (a ChatLine, to both people), `sync` (UnreadCounts, after every push and whenever they
 * changed elsewhere, e.g. read in another tab), `end` ({ reason }: the session is over, do not reconnect).
 */
export const MESSAGE_STREAM_EVENTS = ['ready', 'message', 'chat', 'sync', 'end'] as const;

export const messageEndpoints = {
  messages: defineEndpoint({
    method: 'GET', path: '/api/messages', summary: '我的站内消息', tags: ['messaging'],
    access: 'authenticated', query: MessageListQuery, response: pageOf(Message),
  }),
  messageUnreadCount: defineEndpoint({
    method: 'GET', path: '/api/messages/unread-count', summary: '未读消息数（角标：待办消息、系统通知、私信）', tags: ['messaging'],
    access: 'authenticated', response: UnreadCounts,
  }),
  messageStream: defineEndpoint({
    method: 'GET', path: '/api/messages/stream', summary: '实时消息推送（text/event-stream：ready、message、chat、sync、end）', tags: ['messaging'],
    access: 'authenticated', file: true, response: FileDownload,
  }),
  messageRead: defineEndpoint({
    method: 'POST', path: '/api/messages/:id/read', summary: '标记一条消息已读', tags: ['messaging'],
    access: 'authenticated', params: IdParams, response: Ok,
  }),
  messageReadMany: defineEndpoint({
    method: 'POST', path: '/api/messages/read', summary: '批量标记已读', tags: ['messaging'],
    access: 'authenticated', body: MessageIds, response: Counted,
  }),
  messageReadAll: defineEndpoint({
    method: 'POST', path: '/api/messages/read-all', summary: '全部标记已读', tags: ['messaging'],
    access: 'authenticated', response: Counted,
  }),
  messageDelete: defineEndpoint({
    method: 'DELETE', path: '/api/messages/:id', summary: '删除一条消息', tags: ['messaging'],
    access: 'authenticated', params: IdParams, response: Ok,
  }),
  messageDeleteMany: defineEndpoint({
    method: 'POST', path: '/api/messages/delete', summary: '批量删除消息', tags: ['messaging'],
    access: 'authenticated', body: MessageIds, response: Counted,
  }),

  notices: defineEndpoint({
    method: 'GET', path: '/api/messages/notices', summary: '已发布的系统通知', tags: ['messaging'],
    access: 'authorized', permission: PERMISSIONS.noticePublish, query: NoticeListQuery, response: pageOf(NoticeSummary),
  }),
  noticePublish: defineEndpoint({
    method: 'POST', path: '/api/messages/notices', summary: '发布系统通知（全体或指定单位）', tags: ['messaging'],
    access: 'authorized', permission: PERMISSIONS.noticePublish, body: NoticeCreate,
    response: z.object({ id: z.string(), recipients: z.number().int() }),
  }),
  noticeDetail: defineEndpoint({
    method: 'GET', path: '/api/messages/notices/:id', summary: '系统通知详情（含附件）', tags: ['messaging'],
    access: 'authenticated', params: IdParams, response: Notice,
  }),
  noticeOrgs: defineEndpoint({
    method: 'GET', path: '/api/messages/notice-orgs', summary: '可发布通知的单位', tags: ['messaging'],
    access: 'authorized', permission: PERMISSIONS.noticePublish, response: z.array(NoticeOrg),
  }),

  chatContacts: defineEndpoint({
    method: 'GET', path: '/api/messages/chat/contacts', summary: '私信对象（按姓名或单位查找，不填为本单位人员）', tags: ['messaging'],
    access: 'authenticated', query: z.object({ keyword: z.string().trim().max(50).optional() }), response: z.array(ChatPerson),
  }),
  chatConversations: defineEndpoint({
    method: 'GET', path: '/api/messages/chat/conversations', summary: '私信会话（含未读数）', tags: ['messaging'],
    access: 'authenticated', response: z.array(ChatConversation),
  }),
  chatThread: defineEndpoint({
    method: 'GET', path: '/api/messages/chat/threads/:userId', summary: '与某人的私信记录', tags: ['messaging'],
    access: 'authenticated', params: UserParams, query: ChatThreadQuery, response: ChatThread,
  }),
  chatSend: defineEndpoint({
    method: 'POST', path: '/api/messages/chat', summary: '发送私信', tags: ['messaging'],
    access: 'authenticated', body: ChatSend, response: ChatLine,
  }),
  chatRead: defineEndpoint({
    method: 'POST', path: '/api/messages/chat/threads/:userId/read', summary: '与某人的私信标记已读', tags: ['messaging'],
    access: 'authenticated', params: UserParams, response: Counted,
  }),
};
