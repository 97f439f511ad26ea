import { z } from 'zod';
import { defineEndpoint } from '../endpoint.js';
import { BatchBody, BatchResult, IdParams } from '../common.js';
import { PERMISSIONS } from '../permissions.js';

/** directory: a menu folder; menu: a page; button: an action inside a page. */
export const ResourceType = z.enum(['directory', 'menu', 'button']);
export type ResourceType = z.infer<typeof ResourceType>;

/** 安全策略: anonymous 匿名可访问, authenticated 登录可访问, authorized 授权可访问. */
export const AccessPolicySchema = z.enum(['anonymous', 'authenticated', 'authorized']);

export const RESOURCE_TYPE_LABELS: Record<ResourceType, string> = { directory: '目录', menu: '菜单', button: '按钮' };
export const ACCESS_POLICY_LABELS: Record<z.infer<typeof AccessPolicySchema>, string> = {
  anonymous: '匿名可访问',
  authenticated: '登录可访问',
  authorized: '授权可访问',
};
/** 安全认证级别. */
export const SECURITY_LEVEL_LABELS: Record<number, string> = { 1: '一级（口令）', 2: '二级（口令+动态码）', 3: '三级（数字证书）' };

/** 'module:entity:action', lower case, e.g. system:oplog:list. */
export const PERMISSION_CODE = /^[a-z][a-z0-9-]*:[a-z][a-z0-9-]*:[a-z][a-z0-9-]*$/;
/** 自定义编码: letters, digits and : _ - . */
export const RESOURCE_CODE = /^[A-Za-z0-9][A-Za-z0-9:_.-]*$/;

/** A query-string boolean: 'true' / 'false' (or a real boolean from JSON). */
const QueryBool = z
  .union([z.boolean(), z.enum(['true', 'false'])])
  .transform((v) => v === true || v === 'true');

export const Resource = z.object({
  id: z.string(),
  parentId: z.string().nullable(),
  type: ResourceType,
  name: z.string(),
  code: z.string(),
  route: z.string().nullable(),
  serviceUrl: z.string().nullable(),
  icon: z.string().nullable(),
  sort: z.number().int(),
  access: AccessPolicySchema,
  securityLevel: z.number().int(),
  permission: z.string().nullable(),
  builtin: z.boolean(),
  enabled: z.boolean(),
});
export type Resource = z.infer<typeof Resource>;

/** A resource in the tree, with its parent's name and counts. */
export interface ResourceNode extends Resource {
  parentName: string | null;
  /** Direct children (in the whole tree, not only the matches of a search). */
  childCount: number;
  /** Roles granted this resource. */
  grantCount: number;
  /** False for an ancestor shown only to place a search match in the tree. */
  matched: boolean;
  children: ResourceNode[];
}
export const ResourceNode: z.ZodType<ResourceNode> = z.lazy(() =>
  Resource.extend({
    parentName: z.string().nullable(),
    childCount: z.number().int(),
    grantCount: z.number().int(),
    matched: z.boolean(),
    children: z.array(ResourceNode),
  }),
);

export const ResourceTree = z.object({
  items: z.array(ResourceNode),
  /** Rows that match the search (all rows when there is none). */
  matched: z.number().int(),
  counts: z.object({
    total: z.number().int(),
    directory: z.number().int(),
    menu: z.number().int(),
    button: z.number().int(),
    disabled: z.number().int(),
  }),
});
export type ResourceTree = z.infer<typeof ResourceTree>;

/** Smart search (keyword: name contains or code starts with) and advanced search; all optional, combined with AND. */
export const ResourceQuery = z.object({
  keyword: z.string().trim().max(64).optional(),
  name: z.string().trim().max(64).optional(),
  code: z.string().trim().max(128).optional(),
  access: AccessPolicySchema.optional(),
  securityLevel: z.coerce.number().int().min(1).max(3).optional(),
  enabled: QueryBool.optional(),
});
export type ResourceQuery = z.input<typeof ResourceQuery>;

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `不能超过 ${max} 个字符`)
    .nullish()
    .transform((v) => (v ? v : null));

/** Create / update. A menu needs a route starting with '/'; an authorised resource needs a permission code. */
export const ResourceBody = z
  .object({
    parentId: z.string().min(1).max(64).nullish().transform((v) => v ?? null),
    type: ResourceType,
    name: z.string().trim().min(1, '请输入功能名称').max(64, '功能名称不能超过 64 个字符'),
    code: z
      .string()
      .trim()
      .min(1, '请输入自定义编码')
      .max(128, '自定义编码不能超过 128 个字符')
      .regex(RESOURCE_CODE, '自定义编码只能包含字母、数字和 : _ - .'),
    route: optionalText(255),
    serviceUrl: optionalText(500),
    icon: optionalText(64),
    sort: z.number().int().min(0, '排序号不能小于 0').max(999999, '排序号过大').default(0),
    access: AccessPolicySchema.default('authorized'),
    securityLevel: z.number().int().min(1, '安全级别为 1–3').max(3, '安全级别为 1–3').default(1),
    permission: optionalText(128),
    enabled: z.boolean().default(true),
  })
  .superRefine((b, ctx) => {
    if (b.type === 'menu' && !(b.route && b.route.startsWith('/'))) {
      ctx.addIssue({ code: 'custom', path: ['route'], message: '菜单须填写以 / 开头的功能地址' });
    }
    if (b.permission && !PERMISSION_CODE.test(b.permission)) {
      ctx.addIssue({ code: 'custom', path: ['permission'], message: '权限标识格式应为 模块:实体:操作，如 system:oplog:list' });
    } else if (b.access === 'authorized' && !b.permission) {
      ctx.addIssue({ code: 'custom', path: ['permission'], message: '授权可访问的功能须填写权限标识' });
    }
  });
export type ResourceBody = z.input<typeof ResourceBody>;

/** Moves a resource under `parentId` (null: top level) at `position` among its new siblings (0 = first). */
export const ResourceMoveBody = z.object({
  parentId: z.string().min(1).max(64).nullable(),
  position: z.number().int().min(0),
});

export const resourceEndpoints = {
  resourceTree: defineEndpoint({
    method: 'GET', path: '/api/system/resources', summary: '功能资源树（含统计；支持智能检索与高级搜索）', tags: ['system'],
    access: 'authorized', permission: PERMISSIONS.resourceList, query: ResourceQuery, response: ResourceTree,
  }),
  resourceGet: defineEndpoint({
    method: 'GET', path: '/api/system/resources/:id', summary: '功能资源详情', tags: ['system'],
    access: 'authorized', permission: PERMISSIONS.resourceList, params: IdParams, response: Resource,
  }),
  resourceCreate: defineEndpoint({
    method: 'POST', path: '/api/system/resources', summary: '新增功能资源', tags: ['system'],
    access: 'authorized', permission: PERMISSIONS.resourceEdit, body: ResourceBody, response: Resource,
  }),
  resourceUpdate: defineEndpoint({
    method: 'PUT', path: '/api/system/resources/:id', summary: '修改功能资源', tags: ['system'],
    access: 'authorized', permission: PERMISSIONS.resourceEdit, params: IdParams, body: ResourceBody, response: Resource,
  }),
  resourceMove: defineEndpoint({
    method: 'POST', path: '/api/system/resources/:id/move', summary: '移动功能资源（调整上级与排序）', tags: ['system'],
    access: 'authorized', permission: PERMISSIONS.resourceEdit, params: IdParams, body: ResourceMoveBody, response: Resource,
  }),
  resourceEnable: defineEndpoint({
    method: 'POST', path: '/api/system/resources/batch/enable', summary: '批量启用功能资源', tags: ['system'],
    access: 'authorized', permission: PERMISSIONS.resourceEdit, body: BatchBody, response: BatchResult,
  }),
  resourceDisable: defineEndpoint({
    method: 'POST', path: '/api/system/resources/batch/disable', summary: '批量禁用功能资源', tags: ['system'],
    access: 'authorized', permission: PERMISSIONS.resourceEdit, body: BatchBody, response: BatchResult,
  }),
  resourceDelete: defineEndpoint({
    method: 'POST', path: '/api/system/resources/batch/delete', summary: '批量删除功能资源', tags: ['system'],
    access: 'authorized', permission: PERMISSIONS.resourceEdit, body: BatchBody, response: BatchResult,
  }),
};
