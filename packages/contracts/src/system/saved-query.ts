import { z } from 'zod';
import { defineEndpoint } from '../endpoint.js';
import { IdParams, IsoDateTime, Ok } from '../common.js';

/**
 * Saved search conditions (常用查询): a user keeps the advanced-search model of a list page under a
 * name and runs it again later. Private to the user who saved it.
 */

/** The list a saved query belongs to, e.g. 'system.org', 'system.user'. */
export const SavedQueryPage = z
  .string()
  .trim()
  .min(1, '缺少页面标识')
  .max(100, '页面标识过长')
  .regex(/^[A-Za-z0-9_.:-]+$/, '页面标识只能包含字母、数字和 . _ : -');

/** The advanced-search model as the page holds it (any JSON object, at most 8 KB). */
export const SavedQueryConditions = z
  .record(z.string(), z.unknown())
  .refine((c) => JSON.stringify(c).length <= 8192, '查询条件过多，无法保存');

export const SavedQuery = z.object({
  id: z.string(),
  page: z.string(),
  name: z.string(),
  conditions: z.record(z.string(), z.unknown()),
  createdAt: IsoDateTime,
});
export type SavedQuery = z.infer<typeof SavedQuery>;

export const SavedQueryListQuery = z.object({ page: SavedQueryPage });

export const SavedQueryCreate = z.object({
  page: SavedQueryPage,
  name: z.string().trim().min(1, '请输入查询名称').max(50, '查询名称不能超过 50 个字'),
  conditions: SavedQueryConditions,
});
export type SavedQueryCreate = z.infer<typeof SavedQueryCreate>;

/** A user may keep this many saved queries per page. */
export const SAVED_QUERY_LIMIT = 50;

export const savedQueryEndpoints = {
  savedQueries: defineEndpoint({
    method: 'GET', path: '/api/saved-queries', summary: '我的常用查询（某个列表页的）', tags: ['system'],
    access: 'authenticated', query: SavedQueryListQuery, response: z.array(SavedQuery),
  }),
  savedQueryCreate: defineEndpoint({
    method: 'POST', path: '/api/saved-queries', summary: '保存当前查询条件（同名则覆盖）', tags: ['system'],
    access: 'authenticated', body: SavedQueryCreate, response: SavedQuery,
  }),
  savedQueryDelete: defineEndpoint({
    method: 'DELETE', path: '/api/saved-queries/:id', summary: '删除我的一条常用查询', tags: ['system'],
    access: 'authenticated', params: IdParams, response: Ok,
  }),
};
