import { z } from 'zod';
import { defineEndpoint } from '../endpoint.js';
import { IsoDateTime } from '../common.js';
import { PERMISSIONS } from '../permissions.js';
import { RegionCodeParams, RegionRef } from './region.js';

/**
 * Region outlines (区划边界) for the map pickers and the cockpit, and the region choices every
 * logged-in user needs on forms (the management endpoints of regions require 行政区划 rights).
 */

/** Largest outline file accepted; the API's JSON body limit is 1 MB. */
export const REGION_BOUNDARY_MAX_BYTES = 1_000_000;
/** Most vertices of one outline: enough for a detailed county, small enough to draw at once. */
export const REGION_BOUNDARY_MAX_VERTICES = 200_000;
const MAX_FEATURES = 1000;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Why a ring (array of positions) is not a valid polygon ring, or null; counts its vertices into `tally`. */
function ringProblem(ring: unknown, tally: { vertices: number }): string | null {
  if (!Array.isArray(ring)) return '坐标应为数组';
  if (ring.length < 4) return `有一个环只有 ${ring.length} 个点（至少 4 个点，首尾相同）`;
  for (const p of ring) {
    if (!Array.isArray(p) || p.length < 2 || p.length > 3 || !p.every((n) => typeof n === 'number' && Number.isFinite(n))) {
      return `坐标 ${JSON.stringify(p)?.slice(0, 40)} 格式不正确（应为 [经度, 纬度]）`;
    }
    const [lng, lat] = p as number[];
    if (lng! < -180 || lng! > 180 || lat! < -90 || lat! > 90) {
      return `坐标 [${lng}, ${lat}] 超出经纬度范围（经度 -180～180，纬度 -90～90），可能是投影坐标，请转换为经纬度后再导入`;
    }
  }
  const first = ring[0] as number[];
  const last = ring[ring.length - 1] as number[];
  if (first[0] !== last[0] || first[1] !== last[1]) return '有一个环未闭合（首尾坐标不同）';
  tally.vertices += ring.length;
  return null;
}

function geometryProblem(g: unknown, tally: { vertices: number }): string | null {
  if (!isObject(g)) return '缺少几何信息（geometry）';
  if (g.type !== 'Polygon' && g.type !== 'MultiPolygon') {
    return `几何类型为“${String(g.type)}”，只支持 Polygon（面）或 MultiPolygon（多面）`;
  }
  const polygons = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  if (!Array.isArray(polygons) || !polygons.length) return '坐标（coordinates）为空';
  for (const rings of polygons) {
    if (!Array.isArray(rings) || !rings.length) return '坐标（coordinates）格式不正确';
    for (const ring of rings) {
      const p = ringProblem(ring, tally);
      if (p) return p;
    }
  }
  return null;
}

/**
 * Why a value is not an outline CityOps can use — a GeoJSON FeatureCollection or Feature whose
 * geometries are Polygon / MultiPolygon in longitude/latitude — in Chinese; null when it is fine.
 */
export function regionBoundaryProblem(value: unknown): string | null {
  if (!isObject(value)) return '文件内容不是 GeoJSON 对象';
  let features: unknown[];
  if (value.type === 'FeatureCollection') {
    if (!Array.isArray(value.features)) return 'FeatureCollection 缺少要素列表（features）';
    if (!value.features.length) return '文件中没有任何要素（features 为空）';
    if (value.features.length > MAX_FEATURES) return `要素过多（${value.features.length} 个），一个区划的边界最多 ${MAX_FEATURES} 个要素`;
    features = value.features;
  } else if (value.type === 'Feature') {
    features = [value];
  } else {
    return value.type === undefined
      ? '文件不是 GeoJSON：缺少 type 字段'
      : `GeoJSON 类型为“${String(value.type)}”，只支持 FeatureCollection 或 Feature`;
  }
  const tally = { vertices: 0 };
  for (const [i, f] of features.entries()) {
    const where = features.length > 1 ? `第 ${i + 1} 个要素` : '要素';
    if (!isObject(f) || f.type !== 'Feature') return `${where}不是 Feature`;
    const p = geometryProblem(f.geometry, tally);
    if (p) return `${where}：${p}`;
    if (tally.vertices > REGION_BOUNDARY_MAX_VERTICES) {
      return `边界的点过多（超过 ${REGION_BOUNDARY_MAX_VERTICES.toLocaleString('en-US')} 个），请先简化后再导入`;
    }
  }
  return null;
}

/** A valid outline as a FeatureCollection (a single Feature is wrapped). */
export const toFeatureCollection = (value: Json): Json =>
  value.type === 'Feature' ? { type: 'FeatureCollection', features: [value] } : value;

export interface BoundaryStats {
  featureCount: number;
  vertexCount: number;
  /** [west, south, east, north] */
  bbox: [number, number, number, number];
}

type Features = { geometry: { type: string; coordinates: unknown } }[];

/** Every ring (outer and holes) of every polygon of a valid outline (FeatureCollection), as [lng, lat] lists. */
export function boundaryRings(fc: Json): number[][][] {
  return ((fc.features as Features) ?? []).flatMap((f) =>
    ((f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates) as number[][][][]).flat(),
  );
}

/** Counts and bounding box of a valid outline (FeatureCollection). */
export function boundaryStats(fc: Json): BoundaryStats {
  let west = 180, south = 90, east = -180, north = -90, vertexCount = 0;
  for (const ring of boundaryRings(fc)) {
    vertexCount += ring.length;
    for (const [lng, lat] of ring) {
      if (lng! < west) west = lng!;
      if (lng! > east) east = lng!;
      if (lat! < south) south = lat!;
      if (lat! > north) north = lat!;
    }
  }
  return { featureCount: ((fc.features as Features) ?? []).length, vertexCount, bbox: [west, south, east, north] };
}

export const RegionBoundaryInfo = z.object({
  regionCode: z.string(),
  regionName: z.string(),
  fileName: z.string(),
  importedBy: z.string(),
  importedAt: IsoDateTime,
  featureCount: z.number().int(),
  vertexCount: z.number().int(),
  bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]).describe('[west, south, east, north] in degrees'),
});
export type RegionBoundaryInfo = z.infer<typeof RegionBoundaryInfo>;

export const RegionBoundary = RegionBoundaryInfo.extend({
  geojson: z.record(z.string(), z.unknown()).describe('GeoJSON FeatureCollection of Polygon / MultiPolygon features'),
});
export type RegionBoundary = z.infer<typeof RegionBoundary>;

export const RegionBoundaryImportQuery = z.object({
  fileName: z.string().trim().max(200, '文件名最多 200 个字符').optional().describe('name of the uploaded file, kept for reference'),
});

/**
 * The GeoJSON as uploaded; its structure is checked by the service with `regionBoundaryProblem`,
 * which says in Chinese what is wrong (one clear message instead of thousands of coordinate issues).
 */
export const RegionBoundaryBody = z
  .looseObject({ type: z.string().optional().describe('FeatureCollection 或 Feature'), features: z.array(z.unknown()).optional(), geometry: z.unknown().optional() })
  .describe('GeoJSON FeatureCollection or Feature with Polygon / MultiPolygon geometry');

/** A region offered on forms (enabled only). */
export const RegionOption = z.object({ code: z.string(), name: z.string(), level: z.number().int(), hasChildren: z.boolean() });
export type RegionOption = z.infer<typeof RegionOption>;

export const RegionOptionsQuery = z.object({
  parentCode: z.string().trim().regex(/^\d{1,15}$/, '上级区划代码只能是数字').optional().describe("absent: the children of the platform's area"),
});

/**
 * The platform's area (the region of the top organisation, e.g. 崇州市), whether it has an outline,
 * and the user's own organisation's region as a path below the area (the default on forms).
 */
export const RegionArea = z.object({
  area: RegionRef.nullable(),
  hasBoundary: z.boolean(),
  own: z.array(RegionRef).describe('from the level below the area down to the region of the user\'s organisation; empty when it is the area itself or outside it'),
});
export type RegionArea = z.infer<typeof RegionArea>;

const tags = ['system'];

export const regionBoundaryEndpoints = {
  regionBoundary: defineEndpoint({
    method: 'GET', path: '/api/system/regions/:code/boundary', summary: '行政区划边界（GeoJSON，地图选点与大屏使用）', tags,
    access: 'authenticated', params: RegionCodeParams, response: RegionBoundary,
  }),
  regionBoundaryImport: defineEndpoint({
    method: 'PUT', path: '/api/system/regions/:code/boundary', summary: '导入行政区划边界（GeoJSON FeatureCollection 或 Feature，面或多面；替换原有边界）', tags,
    access: 'authorized', permission: PERMISSIONS.regionEdit, params: RegionCodeParams, query: RegionBoundaryImportQuery,
    body: RegionBoundaryBody, response: RegionBoundaryInfo,
  }),
  regionOptions: defineEndpoint({
    method: 'GET', path: '/api/system/regions/options', summary: '可选行政区划（已启用的下级；不传上级时为本平台辖区的下级）', tags,
    access: 'authenticated', query: RegionOptionsQuery, response: z.array(RegionOption),
  }),
  regionArea: defineEndpoint({
    method: 'GET', path: '/api/system/regions/area', summary: '本平台辖区、是否已有边界、本人所在单位的区划', tags,
    access: 'authenticated', response: RegionArea,
  }),
};
