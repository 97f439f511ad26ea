import { z } from 'zod';
import { defineEndpoint } from '../endpoint.js';
import { BatchBody, BatchResult, IdParams, IsoDateTime, Ok, PageQuery, pageOf } from '../common.js';
import { PERMISSIONS } from '../permissions.js';

/** 组织层级 (keys of the dictionary 'org_level'). */
export const ORG_LEVELS = ['district', 'department', 'town', 'section', 'community', 'grid'] as const;
export type OrgLevel = (typeof ORG_LEVELS)[number];
export const OrgLevel = z.enum(ORG_LEVELS, { message: '请选择正确的组织层级' });

/** Built-in names of the levels, for messages (screens show the dictionary's labels). */
export const ORG_LEVEL_NAMES: Record<OrgLevel, string> = {
  district: '区县（县级市）',
  department: '部门',
  town: '镇（街道）',
  section: '部门科室',
  community: '村（社区）',
  grid: '网格',
};

/**
 * Which levels may be created directly under an organisation of each level ('root': without a
 * parent). E.g. a town under the district, a community under a town, a grid under a community;
 * sections (科室, also those a district department sinks into a town or community) under
 * departments, towns and communities.
 */
export const ORG_CHILD_LEVELS: Record<OrgLevel | 'root', readonly OrgLevel[]> = {
  root: ['district'],
  district: ['department', 'town'],
  department: ['department', 'section'],
  town: ['section', 'community'],
  section: ['section', 'grid'],
  community: ['section', 'grid'],
  grid: [],
};

/** The tag that lets an organisation report events up to the city centre. */
export const ORG_TAG_TOWN_CENTRE = '镇街城运中心';
/** The city operations centre: dispatches to departments and towns, receives reports from them. */
export const ORG_TAG_CITY_CENTRE = '市级城运中心';

export const OrgRef = z.object({ id: z.string(), name: z.string() });
export type OrgRef = z.infer<typeof OrgRef>;

/** One organisation as lists and the tree show it. */
export const OrgNode = z.object({
  id: z.string(),
  parentId: z.string().nullable(),
  path: z.string().describe("'/id1/id2/…/': ids from the root down to this organisation"),
  name: z.string(),
  code: z.string().describe('自定义编码'),
  orgCode: z.string().nullable().describe('组织机构代码'),
  type: z.string().nullable().describe("组织类型 (dictionary 'org_type')"),
  level: OrgLevel,
  tags: z.array(z.string()).describe("标签 (dictionary 'org_tag')"),
  regionCode: z.string().nullable(),
  regionName: z.string().nullable(),
  leader: z.string().nullable(),
  contact: z.string().nullable(),
  phone: z.string().nullable(),
  address: z.string().nullable(),
  sort: z.number().int(),
  enabled: z.boolean(),
  hasChildren: z.boolean(),
  childCount: z.number().int(),
  /** People whose organisation is this one. */
  userCount: z.number().int(),
  /** People of this organisation and all below it. */
  userTotal: z.number().int(),
  /** The current user administers this organisation (may edit it). */
  canManage: z.boolean(),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
});
export type OrgNode = z.infer<typeof OrgNode>;

/** A search hit: the organisation with the names of its ancestors (root first). */
export const OrgSearchItem = OrgNode.extend({ pathNames: z.array(z.string()) });
export type OrgSearchItem = z.infer<typeof OrgSearchItem>;

export const OrgDetail = OrgNode.extend({
  parentName: z.string().nullable(),
  pathNames: z.array(z.string()),
  superiors: z.array(OrgRef).describe('业务上级'),
});
export type OrgDetail = z.infer<typeof OrgDetail>;

const optionalText = (max: number, label: string) =>
  z
    .string()
    .trim()
    .max(max, `${label}不能超过 ${max} 个字`)
    .nullish()
    .transform((v) => (v ? v : null));

const Bool = z.preprocess((v) => (v === 'true' ? true : v === 'false' ? false : v), z.boolean());

export const OrgChildrenQuery = z.object({
  parentId: z.string().uuid('上级组织标识不正确').optional(),
});

/** Smart search (keyword) and advanced search; conditions combine with AND. */
export const OrgSearchQuery = PageQuery.extend({
  keyword: z.string().trim().max(50).optional().describe('名称（包含）、自定义编码（前缀）或拼音简写（前缀）'),
  regionCode: z.string().trim().max(32).optional().describe('该区划及其下级区划的组织'),
  enabled: Bool.optional(),
  type: z.string().trim().max(64).optional(),
  level: OrgLevel.optional(),
  orgCode: z.string().trim().max(64).optional().describe('组织机构代码（前缀）'),
  tag: z.string().trim().max(64).optional(),
  /** Only organisations the current user may edit (pickers). */
  manageable: Bool.optional(),
});
export type OrgSearchQuery = z.infer<typeof OrgSearchQuery>;

const orgFields = {
  name: z.string().trim().min(1, '请输入组织名称').max(100, '组织名称不能超过 100 个字'),
  code: z
    .string()
    .trim()
    .min(1, '请输入自定义编码')
    .max(64, '自定义编码不能超过 64 个字符')
    .regex(/^[A-Za-z0-9_.-]+$/, '自定义编码只能包含字母、数字和 _ . -'),
  orgCode: optionalText(64, '组织机构代码'),
  type: optionalText(64, '组织类型'),
  level: OrgLevel,
  tags: z.array(z.string().trim().min(1).max(64)).max(20, '标签最多 20 个').default([]),
  regionCode: optionalText(32, '行政区划代码'),
  leader: optionalText(50, '负责人'),
  contact: optionalText(50, '联系人'),
  phone: z
    .string()
    .trim()
    .max(32, '联系电话不能超过 32 个字符')
    .regex(/^[0-9+\-() ]*$/, '联系电话只能包含数字、空格和 + - ( )')
    .nullish()
    .transform((v) => (v ? v : null)),
  address: optionalText(200, '联系地址'),
  sort: z.coerce.number().int('排序号须为整数').min(0, '排序号不能小于 0').max(999999, '排序号过大').default(0),
  enabled: z.boolean().default(true),
  superiorIds: z.array(z.string().uuid('业务上级标识不正确')).max(50, '业务上级最多 50 个').default([]),
};

export const OrgCreate = z.object({
  parentId: z.string().uuid('上级组织标识不正确').nullable(),
  ...orgFields,
});
export type OrgCreate = z.infer<typeof OrgCreate>;
export type OrgCreateInput = z.input<typeof OrgCreate>;

export const OrgUpdate = z.object(orgFields);
export type OrgUpdate = z.infer<typeof OrgUpdate>;
export type OrgUpdateInput = z.input<typeof OrgUpdate>;

export const OrgMove = z.object({ parentId: z.string({ message: '请选择新的上级组织' }).uuid('请选择新的上级组织') });

export const orgEndpoints = {
  orgChildren: defineEndpoint({
    method: 'GET', path: '/api/system/orgs/children', summary: '下级组织（不传 parentId 为根组织），含人数与是否有下级', tags: ['system'],
    access: 'authorized', permission: PERMISSIONS.orgList, query: OrgChildrenQuery, response: z.array(OrgNode),
  }),
  orgSearch: defineEndpoint({
    method: 'GET', path: '/api/system/orgs', summary: '组织机构智能检索与高级搜索（分页，含上级路径）', tags: ['system'],
    access: 'authorized', permission: PERMISSIONS.orgList, query: OrgSearchQuery, response: pageOf(OrgSearchItem),
  }),
  orgDetail: defineEndpoint({
    method: 'GET', path: '/api/system/orgs/:id', summary: '组织机构详情（含业务上级）', tags: ['system'],
    access: 'authorized', permission: PERMISSIONS.orgList, params: IdParams, response: OrgDetail,
  }),
  orgCreate: defineEndpoint({
    method: 'POST', path: '/api/system/orgs', summary: '新增组织机构（在上级组织下）', tags: ['system'],
    access: 'authorized', permission: PERMISSIONS.orgEdit, body: OrgCreate, response: OrgDetail,
  }),
  orgUpdate: defineEndpoint({
    method: 'PUT', path: '/api/system/orgs/:id', summary: '修改组织机构（含业务上级）', tags: ['system'],
    access: 'authorized', permission: PERMISSIONS.orgEdit, params: IdParams, body: OrgUpdate, response: OrgDetail,
  }),
  orgMove: defineEndpoint({
    method: 'POST', path: '/api/system/orgs/:id/move', summary: '移动组织机构到另一个上级（连同全部下级）', tags: ['system'],
    access: 'authorized', permission: PERMISSIONS.orgEdit, params: IdParams, body: OrgMove, response: OrgDetail,
  }),
  orgDelete: defineEndpoint({
    method: 'DELETE', path: '/api/system/orgs/:id', summary: '删除组织机构（有下级、人员或作为业务上级时不能删除）', tags: ['system'],
    access: 'authorized', permission: PERMISSIONS.orgEdit, params: IdParams, response: Ok,
  }),
  orgBatchEnable: defineEndpoint({
    method: 'POST', path: '/api/system/orgs/batch/enable', summary: '批量启用组织机构', tags: ['system'],
    access: 'authorized', permission: PERMISSIONS.orgEdit, body: BatchBody, response: BatchResult,
  }),
  orgBatchDisable: defineEndpoint({
    method: 'POST', path: '/api/system/orgs/batch/disable', summary: '批量禁用组织机构', tags: ['system'],
    access: 'authorized', permission: PERMISSIONS.orgEdit, body: BatchBody, response: BatchResult,
  }),
  orgBatchDelete: defineEndpoint({
    method: 'POST', path: '/api/system/orgs/batch/delete', summary: '批量删除组织机构（逐条返回结果）', tags: ['system'],
    access: 'authorized', permission: PERMISSIONS.orgEdit, body: BatchBody, response: BatchResult,
  }),
};
