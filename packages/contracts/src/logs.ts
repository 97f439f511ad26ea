import { z } from 'zod';
import { defineEndpoint } from './endpoint.js';
import { IsoDateTime, PageQuery, pageOf } from './common.js';
import { PERMISSIONS } from './permissions.js';

export const OpLog = z.object({
  id: z.string(),
  at: IsoDateTime,
  userId: z.string().nullable(),
  username: z.string().nullable(),
  orgName: z.string().nullable(),
  type: z.string().describe('operation type: 新增/修改/删除/登录/…'),
  method: z.string(),
  url: z.string(),
  subjectType: z.string().nullable(),
  subjectName: z.string().nullable(),
  content: z.string().nullable(),
  status: z.number().int(),
  durationMs: z.number().int(),
  ip: z.string().nullable(),
  requestId: z.string(),
});
export type OpLog = z.infer<typeof OpLog>;

export const OpLogQuery = PageQuery.extend({
  username: z.string().trim().max(64).optional(),
  type: z.string().max(32).optional(),
  from: IsoDateTime.optional(),
  to: IsoDateTime.optional(),
});

export const OpLogChain = z.object({
  checked: z.number().int(),
  intact: z.boolean(),
  firstBrokenId: z.string().nullable(),
});

export const ExceptionLog = z.object({
  id: z.string(),
  at: IsoDateTime,
  type: z.string(),
  method: z.string(),
  url: z.string(),
  message: z.string(),
  detail: z.string().nullable(),
  requestId: z.string(),
  username: z.string().nullable(),
});
export type ExceptionLog = z.infer<typeof ExceptionLog>;

export const ExceptionLogQuery = PageQuery.extend({
  id: z.string().max(64).optional(),
  from: IsoDateTime.optional(),
  to: IsoDateTime.optional(),
});

export const logEndpoints = {
  oplogs: defineEndpoint({
    method: 'GET', path: '/api/system/oplogs', summary: '操作日志查询', tags: ['system'],
    access: 'authorized', permission: PERMISSIONS.oplogList, query: OpLogQuery, response: pageOf(OpLog),
  }),
  oplogChain: defineEndpoint({
    method: 'GET', path: '/api/system/oplogs/chain', summary: '操作日志防篡改校验（SM3-HMAC 链）', tags: ['system'],
    access: 'authorized', permission: PERMISSIONS.oplogList, response: OpLogChain,
  }),
  exceptions: defineEndpoint({
    method: 'GET', path: '/api/system/exception-logs', summary: '系统异常日志查询', tags: ['system'],
    access: 'authorized', permission: PERMISSIONS.exceptionList, query: ExceptionLogQuery, response: pageOf(ExceptionLog),
  }),
};
