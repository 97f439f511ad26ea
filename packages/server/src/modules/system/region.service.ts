import {
  REGION_LEVEL_NAMES,
  type BatchResult,
  type GridImportError,
  type GridImportResult,
  type Job,
  type Region,
  type RegionHit,
  type RegionImportDepth,
  type RegionLevel,
  type RegionRef,
} from '@cityops/contracts';
import { runBatch } from '../../core/batch.js';
import type { Db } from '../../core/db.js';
import { Conflict, Invalid, NotFound } from '../../core/errors.js';
import type { JobService } from '../../core/jobs/job.service.js';
import { pinyinInitials } from '../../core/pinyin.js';
import { importSummary, regionImporter, resolveDivisionDir } from './region-import.service.js';
import { regionRepository, type RegionFilter, type RegionWithChildren } from './region.repository.js';
import { defaultRegionSort, parseGridCsv, regionCodeProblem } from './region.rules.js';

export const REGION_IMPORT_JOB = 'region-import';
const MAX_GRID_ROWS = 10_000;

const toRegion = (r: RegionWithChildren): Region => ({
  code: r.code, name: r.name, level: r.level, parentCode: r.parentCode, pinyin: r.pinyin, sort: r.sort,
  enabled: r.enabled, hasChildren: Boolean(r.hasChildren), updatedAt: r.updatedAt.toISOString(),
});

/** 行政区划: the lazy tree, smart search, maintenance, batch operations and the imports. */
export function regionService(d: { db: Db; jobs: JobService; regionDataDir?: string }) {
  const repo = regionRepository(d.db);
  /** One national import at a time on this node. */
  let importing = false;

  /** code → ancestors from the root down, resolving parents level by level (at most 6 rounds). */
  async function ancestorsOf(rows: { code: string; parentCode: string | null }[]): Promise<Map<string, RegionRef[]>> {
    const known = new Map<string, { name: string; parentCode: string | null }>();
    let need = [...new Set(rows.map((r) => r.parentCode).filter((c): c is string => !!c))];
    for (let round = 0; need.length && round < 8; round++) {
      for (const r of await repo.refs(need)) known.set(r.code, { name: r.name, parentCode: r.parentCode });
      need = [...new Set([...known.values()].map((v) => v.parentCode).filter((c): c is string => !!c && !known.has(c)))];
    }
    const out = new Map<string, RegionRef[]>();
    for (const r of rows) {
      const chain: RegionRef[] = [];
      for (let c = r.parentCode; c && chain.length < 8; c = known.get(c)?.parentCode ?? null) {
        const k = known.get(c);
        if (!k) break;
        chain.unshift({ code: c, name: k.name });
      }
      out.set(r.code, chain);
    }
    return out;
  }

  async function mustGet(code: string) {
    const r = await repo.get(code);
    if (!r) throw new NotFound(`行政区划 ${code} 不存在`);
    return r;
  }

  async function assertNameFree(parentCode: string | null, name: string, exceptCode?: string) {
    const same = await repo.siblingNamed(parentCode, name, exceptCode);
    if (!same) return;
    const parent = parentCode ? await repo.get(parentCode) : undefined;
    throw new Conflict(parent ? `“${parent.name}”下已有名为“${name}”的区划（代码 ${same.code}）` : `已有名为“${name}”的省级区划（代码 ${same.code}）`);
  }

  return {
    async children(parentCode: string | undefined): Promise<Region[]> {
      return (await repo.children(parentCode ?? null)).map(toRegion);
    },

    async search(f: RegionFilter, page: number, pageSize: number) {
      const { items, total } = await repo.search(f, page, pageSize);
      const paths = await ancestorsOf(items);
      const hits: RegionHit[] = items.map((r) => ({ ...toRegion(r), ancestors: paths.get(r.code) ?? [] }));
      return { items: hits, total, page, pageSize };
    },

    async get(code: string): Promise<RegionHit> {
      const r = await mustGet(code);
      return { ...toRegion(r), ancestors: (await ancestorsOf([r])).get(r.code) ?? [] };
    },

    async create(b: { parentCode: string | null; code: string; name: string; sort: number; enabled: boolean }): Promise<Region> {
      let level: RegionLevel = 1;
      if (b.parentCode) {
        const parent = await repo.get(b.parentCode);
        if (!parent) throw new Invalid(`上级区划 ${b.parentCode} 不存在`);
        if (parent.level >= 6) throw new Invalid('网格是最末一级区划，不能再添加下级');
        level = (parent.level + 1) as RegionLevel;
      }
      const problem = regionCodeProblem(b.code, level, b.parentCode);
      if (problem) throw new Invalid(problem, [{ path: 'code', message: problem }]);
      const existing = await repo.get(b.code);
      if (existing) throw new Conflict(`区划代码 ${b.code} 已存在（${existing.name}）`);
      await assertNameFree(b.parentCode, b.name);
      await repo.insert({ code: b.code, name: b.name, level, parentCode: b.parentCode, pinyin: pinyinInitials(b.name), sort: b.sort, enabled: b.enabled });
      return toRegion((await repo.get(b.code))!);
    },

    async update(code: string, b: { name: string; sort: number; enabled: boolean }): Promise<Region> {
      const r = await mustGet(code);
      if (b.name !== r.name) await assertNameFree(r.parentCode, b.name, code);
      await repo.update(code, { name: b.name, pinyin: pinyinInitials(b.name), sort: b.sort, enabled: b.enabled });
      return toRegion((await repo.get(code))!);
    },

    setEnabled(codes: string[], enabled: boolean): Promise<BatchResult> {
      return runBatch(codes, async (code) => {
        const r = await mustGet(code);
        if (r.enabled !== enabled) await repo.update(code, { enabled });
      });
    },

    /** Deepest first, so that a region and its children chosen together go in one batch. */
    remove(codes: string[]): Promise<BatchResult> {
      return runBatch(codes, async (code) => {
        const r = await mustGet(code);
        const children = await repo.childCount(code);
        if (children > 0) throw new Conflict(`“${r.name}”下还有 ${children} 个下级区划，不能删除`);
        const orgs = await repo.orgsUsing(code);
        if (orgs.count > 0) {
          const names = orgs.names.map((n) => `“${n}”`).join('、');
          throw new Conflict(`“${r.name}”已被组织机构${names}${orgs.count > orgs.names.length ? ` 等 ${orgs.count} 个` : ''}引用，不能删除`);
        }
        await repo.remove(code);
      }, (list) => list.sort((a, b) => b.length - a.length));
    },

    /** Checks the source and starts the import in the background; the job tells its progress. */
    async startImport(b: { depth: RegionImportDepth; dir?: string }, userId: string | null): Promise<Job> {
      const dir = resolveDivisionDir(b.dir, d.regionDataDir);
      if (importing) throw new Conflict('已有行政区划导入任务正在进行，请等待其完成后再导入');
      importing = true;
      try {
        return await d.jobs.start(REGION_IMPORT_JOB, userId, async (job) => {
          try {
            const outcome = await regionImporter(d.db).run(dir, b.depth, (done, total) => job.progress(done, total));
            return importSummary(outcome);
          } finally {
            importing = false;
          }
        });
      } catch (err) {
        importing = false;
        throw err;
      }
    },

    async importJob(id: string): Promise<Job> {
      const job = await d.jobs.get(id).catch((err: unknown) => {
        if (err instanceof NotFound) return null;
        throw err;
      });
      if (!job || job.type !== REGION_IMPORT_JOB) throw new NotFound('导入任务不存在');
      return job;
    },

    /**
     * Grids under communities from CSV text. Every row is checked first; if any is wrong nothing is
     * imported and the rows are reported (line number, reason). Re-importing a grid renames it.
     */
    async importGrids(csv: string): Promise<GridImportResult> {
      const { rows, headerError } = parseGridCsv(csv);
      if (headerError) throw new Invalid(headerError, [{ row: 1, code: null, message: headerError }] satisfies GridImportError[]);
      if (!rows.length) throw new Invalid('文件中没有网格数据（第 1 行为表头，从第 2 行起每行一个网格）');
      if (rows.length > MAX_GRID_ROWS) throw new Invalid(`一次最多导入 ${MAX_GRID_ROWS} 个网格，文件中有 ${rows.length} 个`);

      const errors: GridImportError[] = [];
      const fail = (row: number, code: string, message: string) => errors.push({ row, code: code || null, message });
      const parents = new Map((await repo.refs([...new Set(rows.map((r) => r.parentCode).filter(Boolean))])).map((p) => [p.code, p]));
      const existing = new Map((await repo.refs(rows.map((r) => r.code).filter(Boolean))).map((e) => [e.code, e]));
      const siblings = new Map((await repo.namesUnder([...parents.keys()])).map((s) => [`${s.parentCode}\u0000${s.name}`, s.code]));
      const seenCode = new Map<string, number>();
      const seenName = new Map<string, number>();

      for (const r of rows) {
        if (!r.code) fail(r.row, r.code, '网格代码为空');
        if (!r.name) fail(r.row, r.code, '网格名称为空');
        else if (r.name.length > 64) fail(r.row, r.code, '网格名称超过 64 个字符');
        if (!r.parentCode) {
          fail(r.row, r.code, '所属村（社区）代码为空');
          continue;
        }
        const parent = parents.get(r.parentCode);
        if (!parent) fail(r.row, r.code, `所属村（社区）${r.parentCode} 不存在`);
        else if (parent.level !== 5) {
          fail(r.row, r.code, `上级区划“${parent.name}”是${REGION_LEVEL_NAMES[parent.level as RegionLevel] ?? `${parent.level} 级`}区划，网格只能建在村（社区）下`);
        }
        if (r.code) {
          const problem = regionCodeProblem(r.code, 6, r.parentCode);
          if (problem) fail(r.row, r.code, problem);
          const dup = seenCode.get(r.code);
          if (dup) fail(r.row, r.code, `网格代码与第 ${dup} 行重复`);
          else seenCode.set(r.code, r.row);
          const e = existing.get(r.code);
          if (e && (e.level !== 6 || e.parentCode !== r.parentCode)) fail(r.row, r.code, `代码 ${r.code} 已被区划“${e.name}”使用`);
        }
        if (r.name) {
          const key = `${r.parentCode}\u0000${r.name}`;
          const dupName = seenName.get(key);
          if (dupName) fail(r.row, r.code, `同一村（社区）下的网格名称“${r.name}”与第 ${dupName} 行重复`);
          else seenName.set(key, r.row);
          const other = siblings.get(key);
          if (other && other !== r.code && parent) fail(r.row, r.code, `“${parent.name}”下已有名为“${r.name}”的区划（代码 ${other}）`);
        }
      }
      if (errors.length) {
        const failedRows = new Set(errors.map((e) => e.row)).size;
        throw new Invalid(`网格导入失败：共 ${failedRows} 行有误，未导入任何数据，请修改后重新导入`, errors);
      }

      await d.db.transaction(async (tx) => {
        await regionRepository(tx).upsertMany(
          rows.map((r) => ({ code: r.code, name: r.name, level: 6, parentCode: r.parentCode, pinyin: pinyinInitials(r.name), sort: defaultRegionSort(r.code, r.parentCode) })),
        );
      });
      const created = rows.filter((r) => !existing.has(r.code)).length;
      return { imported: rows.length, created, updated: rows.length - created };
    },
  };
}
export type RegionService = ReturnType<typeof regionService>;
