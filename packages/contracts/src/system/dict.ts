import { z } from 'zod';
import { defineEndpoint } from '../endpoint.js';
import { BatchBody, BatchResult, IsoDateTime, PageQuery, pageOf } from '../common.js';
import { PERMISSIONS } from '../permissions.js';

export const DictOption = z.object({
  value: z.string(),
  label: z.string(),
  tagType: z.string().nullable(),
});
export type DictOption = z.infer<typeof DictOption>;

/** The dictionaries the platform itself relies on (seeded, cannot be deleted). */
export const DICT = {
  gender: 'gender',
  idType: 'id_type',
  orgType: 'org_type',
  orgLevel: 'org_level',
  orgTag: 'org_tag',
  regionLevel: 'region_level',
  eventSource: 'event_source',
} as const;

export const dictReadEndpoints = {
  dictOptions: defineEndpoint({
    method: 'GET', path: '/api/dicts/:type', summary: '字典选项（启用的标签，按排序号；来自缓存）', tags: ['system'],
    access: 'authenticated', params: z.object({ type: z.string().min(1).max(64) }), response: z.array(DictOption),
  }),
};

// ---------------------------------------------------------------------------------------------
// 字典管理 (administration of types and labels)
// ---------------------------------------------------------------------------------------------

/** Element Plus tag types an item can be shown with (null: the default grey tag). */
export const DICT_TAG_TYPES = ['primary', 'success', 'warning', 'danger', 'info'] as const;
export const DictTagType = z.enum(DICT_TAG_TYPES);

/** A type code: letters, digits and underscores. */
export const DICT_TYPE_CODE_PATTERN = /^[A-Za-z0-9_]+$/;
/** A key (键值) stored in business data: letters, digits, underscores and hyphens. */
export const DICT_VALUE_PATTERN = /^[A-Za-z0-9_-]+$/;

const sortNo = z.coerce.number({ error: '排序号必须是数字' }).int('排序号必须是整数').min(0, '排序号不能小于 0').max(999_999, '排序号不能大于 999999');
/** Query flag 'true'/'false' → boolean. */
const flag = z.enum(['true', 'false']).transform((v) => v === 'true');

export const DictType = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  enabled: z.boolean(),
  sort: z.number().int(),
  builtin: z.boolean().describe('platform dictionary: cannot be deleted, its code cannot change'),
  itemCount: z.number().int(),
  updatedAt: IsoDateTime,
});
export type DictType = z.infer<typeof DictType>;

export const DictTypeQuery = PageQuery.extend({
  keyword: z.string().trim().max(64).optional().describe('part of the name or code'),
  enabled: flag.optional(),
});

export const DictTypeBody = z.object({
  code: z.string().trim().min(1, '请输入字典类型代码').max(64, '字典类型代码不能超过 64 个字符')
    .regex(DICT_TYPE_CODE_PATTERN, '字典类型代码只能包含字母、数字和下划线'),
  name: z.string().trim().min(1, '请输入字典类型名称').max(64, '字典类型名称不能超过 64 个字符'),
  sort: sortNo.default(0),
  enabled: z.boolean().default(true),
});
export type DictTypeBody = z.infer<typeof DictTypeBody>;
export type DictTypeInput = z.input<typeof DictTypeBody>;

export const DictItem = z.object({
  id: z.string(),
  typeCode: z.string(),
  label: z.string(),
  value: z.string(),
  tagType: DictTagType.nullable(),
  enabled: z.boolean(),
  sort: z.number().int(),
  builtin: z.boolean().describe('seeded label of a platform dictionary: cannot be deleted, its key cannot change'),
  updatedAt: IsoDateTime,
});
export type DictItem = z.infer<typeof DictItem>;

export const DictItemBody = z.object({
  label: z.string().trim().min(1, '请输入标签名称').max(64, '标签名称不能超过 64 个字符'),
  // The pattern is checked by the server only for new keys: some seeded keys predate it.
  value: z.string().trim().min(1, '请输入键值').max(64, '键值不能超过 64 个字符'),
  tagType: DictTagType.nullable().default(null),
  sort: sortNo.default(0),
  enabled: z.boolean().default(true),
});
export type DictItemBody = z.infer<typeof DictItemBody>;
export type DictItemInput = z.input<typeof DictItemBody>;

const TypeIdParams = z.object({ id: z.string().uuid('字典类型不存在') });
const ItemIdParams = z.object({ id: z.string().uuid('字典标签不存在') });
const batch = (path: string, summary: string) =>
  defineEndpoint({
    method: 'POST', path, summary, tags: ['system'], access: 'authorized', permission: PERMISSIONS.dictEdit,
    body: BatchBody, response: BatchResult,
  });

export const dictAdminEndpoints = {
  dictTypes: defineEndpoint({
    method: 'GET', path: '/api/system/dicts/types', summary: '字典类型列表（按名称或代码搜索，分页）', tags: ['system'],
    access: 'authorized', permission: PERMISSIONS.dictList, query: DictTypeQuery, response: pageOf(DictType),
  }),
  dictTypeCreate: defineEndpoint({
    method: 'POST', path: '/api/system/dicts/types', summary: '新增字典类型', tags: ['system'],
    access: 'authorized', permission: PERMISSIONS.dictEdit, body: DictTypeBody, response: DictType,
  }),
  dictTypeUpdate: defineEndpoint({
    method: 'PUT', path: '/api/system/dicts/types/:id', summary: '修改字典类型（内置类型的代码不可修改）', tags: ['system'],
    access: 'authorized', permission: PERMISSIONS.dictEdit, params: TypeIdParams, body: DictTypeBody, response: DictType,
  }),
  dictTypesEnable: batch('/api/system/dicts/types/batch-enable', '批量启用字典类型'),
  dictTypesDisable: batch('/api/system/dicts/types/batch-disable', '批量停用字典类型'),
  dictTypesDelete: batch('/api/system/dicts/types/batch-delete', '批量删除字典类型（连同其标签；内置类型不可删除）'),
  dictItems: defineEndpoint({
    method: 'GET', path: '/api/system/dicts/types/:id/items', summary: '字典类型下的全部标签（含停用，按排序号）', tags: ['system'],
    access: 'authorized', permission: PERMISSIONS.dictList, params: TypeIdParams, response: z.array(DictItem),
  }),
  dictItemCreate: defineEndpoint({
    method: 'POST', path: '/api/system/dicts/types/:id/items', summary: '新增字典标签', tags: ['system'],
    access: 'authorized', permission: PERMISSIONS.dictEdit, params: TypeIdParams, body: DictItemBody, response: DictItem,
  }),
  dictItemUpdate: defineEndpoint({
    method: 'PUT', path: '/api/system/dicts/items/:id', summary: '修改字典标签', tags: ['system'],
    access: 'authorized', permission: PERMISSIONS.dictEdit, params: ItemIdParams, body: DictItemBody, response: DictItem,
  }),
  dictItemsEnable: batch('/api/system/dicts/items/batch-enable', '批量启用字典标签'),
  dictItemsDisable: batch('/api/system/dicts/items/batch-disable', '批量停用字典标签'),
  dictItemsDelete: batch('/api/system/dicts/items/batch-delete', '批量删除字典标签（内置标签不可删除）'),
};
