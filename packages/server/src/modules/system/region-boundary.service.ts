import fs from 'node:fs/promises';
import path from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import {
  REGION_BOUNDARY_MAX_BYTES,
  boundaryStats,
  regionBoundaryProblem,
  toFeatureCollection,
  type RegionArea,
  type RegionBoundary,
  type RegionBoundaryInfo,
  type RegionOption,
  type RegionRef,
} from '@cityops/contracts';
import type { DbOrTx } from '../../core/db.js';
import { Invalid, NotFound } from '../../core/errors.js';
import type { Principal } from '../../core/principal.js';
import { regionBoundaryRepository, type RegionBoundaryRow } from './region-boundary.repository.js';

/** Who the outline seeded from the reference data is recorded as imported by. */
export const DEMO_IMPORTER = '演示数据';

const info = (row: RegionBoundaryRow, regionName: string): RegionBoundaryInfo => ({
  regionCode: row.regionCode,
  regionName,
  fileName: row.fileName,
  importedBy: row.importedBy,
  importedAt: row.importedAt.toISOString(),
  ...boundaryStats(row.geojson),
});

const tooLarge = (bytes: number) =>
  `文件过大（${(bytes / 1024 / 1024).toFixed(1)} MB），边界文件最多 ${REGION_BOUNDARY_MAX_BYTES / 1_000_000} MB，请先简化（如用 mapshaper）后再导入`;

/** 区划边界: outlines imported per region, and the region choices of forms for every user. */
export function regionBoundaryService(d: { db: DbOrTx }) {
  const repo = regionBoundaryRepository(d.db);

  async function mustRegion(code: string) {
    const r = await repo.region(code);
    if (!r) throw new NotFound(`行政区划 ${code} 不存在`);
    return r;
  }

  /** Checks a parsed GeoJSON value; returns it as a FeatureCollection or throws Invalid with the reason. */
  function checked(value: unknown): Record<string, unknown> {
    const problem = regionBoundaryProblem(value);
    if (problem) throw new Invalid(problem);
    const bytes = Buffer.byteLength(JSON.stringify(value));
    if (bytes > REGION_BOUNDARY_MAX_BYTES) throw new Invalid(tooLarge(bytes));
    return toFeatureCollection(value as Record<string, unknown>);
  }

  return {
    async get(code: string): Promise<RegionBoundary> {
      const region = await mustRegion(code);
      const row = await repo.get(code);
      if (!row) throw new NotFound(`“${region.name}”尚未导入边界`);
      return { ...info(row, region.name), geojson: row.geojson };
    },

    async import(user: Principal, code: string, body: unknown, fileName = ''): Promise<RegionBoundaryInfo> {
      const region = await mustRegion(code);
      const geojson = checked(body);
      const row = await repo.upsert({ regionCode: code, geojson, fileName, importedBy: user.name });
      return info(row, region.name);
    },

    async options(parentCode?: string): Promise<RegionOption[]> {
      const parent = parentCode ?? (await repo.topOrgRegion());
      if (!parent) return [];
      return (await repo.enabledChildren(parent)).map((r) => ({ ...r, hasChildren: Boolean(r.hasChildren) }));
    },

    async area(user: Principal): Promise<RegionArea> {
      const areaCode = await repo.topOrgRegion();
      const area = areaCode ? await repo.region(areaCode) : undefined;
      if (!area) return { area: null, hasBoundary: false, own: [] };
      // The user's organisation's region, walked up to the area; outside the area there is no default.
      const own: RegionRef[] = [];
      let code = user.orgId ? await repo.orgRegion(user.orgId) : undefined;
      for (let steps = 0; code && code !== area.code && steps < 8; steps++) {
        const r = await repo.region(code);
        if (!r) break;
        own.unshift({ code: r.code, name: r.name });
        code = r.parentCode ?? undefined;
      }
      return { area: { code: area.code, name: area.name }, hasBoundary: await repo.exists(area.code), own: code === area.code ? own : [] };
    },

    /**
     * Demo data: the outline of the platform's area from `<dir>/datav-v3/<code>.json` (DataV's
     * layout), read at run time, unless the area has one. A missing or bad file is logged, not fatal.
     */
    async seedDemoOutline(dir: string, log: FastifyBaseLogger): Promise<boolean> {
      const code = await repo.topOrgRegion();
      if (!code || !(await repo.region(code)) || (await repo.exists(code))) return false;
      const file = path.join(dir, 'datav-v3', `${code}.json`);
      try {
        const geojson = checked(JSON.parse(await fs.readFile(file, 'utf8')));
        const inserted = await repo.insertIfAbsent({ regionCode: code, geojson, fileName: path.basename(file), importedBy: DEMO_IMPORTER });
        if (inserted) log.info({ file }, 'region outline imported from GEO_DATA_DIR');
        return inserted;
      } catch (err) {
        log.warn({ file, err: err instanceof Error ? err.message : String(err) }, 'region outline not imported from GEO_DATA_DIR');
        return false;
      }
    },
  };
}
export type RegionBoundaryService = ReturnType<typeof regionBoundaryService>;
