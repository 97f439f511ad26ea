import { REGION_CODE_LENGTH, REGION_LEVEL_NAMES, type RegionLevel } from '@cityops/contracts';
import { splitCsvLine } from './division-source.js';

/**
 * What is wrong with `code` for a region of `level` under `parentCode` (null for a province), or
 * null when it is right: digits only, starting with the parent's code, 2/4/6/9/12 digits for
 * levels 1–5 and the community's 12 + 3 for a grid, and its own part not all zeros.
 */
export function regionCodeProblem(code: string, level: RegionLevel, parentCode: string | null): string | null {
  if (!code) return '区划代码不能为空';
  if (!/^\d+$/.test(code)) return '区划代码只能包含数字';
  const len = REGION_CODE_LENGTH[level];
  if (level > 1 && !parentCode) return `${REGION_LEVEL_NAMES[level]}区划须有上级区划`;
  if (parentCode && !code.startsWith(parentCode)) return `区划代码须以上级区划代码 ${parentCode} 开头`;
  const parentLen = parentCode?.length ?? 0;
  if (code.length !== len) {
    return parentCode
      ? `${REGION_LEVEL_NAMES[level]}区划代码应为 ${len} 位数字（上级代码 ${parentLen} 位 + ${len - parentLen} 位），当前为 ${code.length} 位`
      : `省级区划代码应为 ${len} 位数字，当前为 ${code.length} 位`;
  }
  if (/^0+$/.test(code.slice(parentLen))) {
    return parentCode ? `区划代码的后 ${len - parentLen} 位不能全为 0` : '省级区划代码不能为 00';
  }
  return null;
}

/** Default order among siblings: the number the code adds to its parent's (51 → 51, 510184001 → 1). */
export function defaultRegionSort(code: string, parentCode: string | null): number {
  const own = code.slice(parentCode && code.startsWith(parentCode) ? parentCode.length : 0);
  const n = Number.parseInt(own, 10);
  return Number.isFinite(n) ? Math.min(n, 999_999) : 0;
}

export interface GridCsvRow {
  /** Line number in the file (the header is line 1). */
  row: number;
  code: string;
  name: string;
  parentCode: string;
}

/** Header names accepted for each column (the template's English names, or Chinese ones). */
const HEADERS: Record<keyof Omit<GridCsvRow, 'row'>, string[]> = {
  code: ['code', '网格代码', '区划代码', '代码'],
  name: ['name', '网格名称', '区划名称', '名称'],
  parentCode: ['parentcode', 'parent_code', '上级代码', '上级区划代码', '所属村社代码', '所属村（社区）代码', '社区代码'],
};

/**
 * Parses grid CSV text (header `code,name,parentCode`, UTF-8 with or without BOM, CRLF or LF).
 * Returns the data rows with their line numbers, or the header problem.
 */
export function parseGridCsv(text: string): { rows: GridCsvRow[]; headerError?: string } {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  const first = lines.findIndex((l) => l.trim() !== '');
  if (first < 0) return { rows: [], headerError: '文件内容为空' };
  const header = splitCsvLine(lines[first]!).map((h) => h.trim().toLowerCase());
  const col = (k: keyof typeof HEADERS) => header.findIndex((h) => HEADERS[k].includes(h));
  const idx = { code: col('code'), name: col('name'), parentCode: col('parentCode') };
  if (idx.code < 0 || idx.name < 0 || idx.parentCode < 0) {
    return { rows: [], headerError: `第 ${first + 1} 行表头应为 code,name,parentCode（网格代码,网格名称,所属村社代码）` };
  }
  const rows: GridCsvRow[] = [];
  for (let i = first + 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    const cols = splitCsvLine(line);
    rows.push({
      row: i + 1,
      code: (cols[idx.code] ?? '').trim(),
      name: (cols[idx.name] ?? '').trim(),
      parentCode: (cols[idx.parentCode] ?? '').trim(),
    });
  }
  return { rows };
}
