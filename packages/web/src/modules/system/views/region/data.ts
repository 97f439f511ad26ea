import {
  REGION_CODE_LENGTH,
  REGION_IMPORT_DEPTH_NAMES,
  type Region,
  type RegionHit,
  type RegionImportDepth,
  type RegionLevel,
} from '@cityops/contracts';
import { api } from '@/api/client';
import type { OptionItem } from '@/components/crud/types';

/** The search form: keyword (name, code or pinyin initials), level, status. */
export interface RegionSearch {
  keyword: string;
  /** A key of the dictionary region_level ('1'…'6'), or '' for all. */
  level: string;
  enabled: '' | 'true' | 'false';
}
export const createSearch = (): RegionSearch => ({ keyword: '', level: '', enabled: '' });

/** Any condition set: the page shows flat search results instead of the tree. */
export const isSearching = (s: RegionSearch) => Boolean(s.keyword.trim() || s.level || s.enabled);

export const ENABLED_OPTIONS: OptionItem[] = [
  { value: 'true', label: '启用' },
  { value: 'false', label: '禁用' },
];

export const fetchChildren = (parentCode?: string) => api.regionChildren({ query: parentCode ? { parentCode } : {} });

export const searchRegions = (s: RegionSearch, page: number, pageSize: number) =>
  api.regionSearch({
    query: {
      page,
      pageSize,
      keyword: s.keyword.trim() || undefined,
      level: s.level ? Number(s.level) : undefined,
      enabled: s.enabled || undefined,
    },
  });

/** 四川省 / 成都市 / 崇州市 */
export const pathText = (hit: Pick<RegionHit, 'ancestors'>) => hit.ancestors.map((a) => a.name).join(' / ');

/** Level of a child of `parent` (a province when there is none). */
export const childLevel = (parent: Pick<Region, 'level'> | null): RegionLevel => (parent ? ((parent.level + 1) as RegionLevel) : 1);

/** Digits a child adds to its parent's code: 2, 2, 2, 3, 3, 3 for levels 1–6. */
export const ownDigits = (level: RegionLevel, parentCode: string | null) => REGION_CODE_LENGTH[level] - (parentCode?.length ?? 0);

/** What the user types for a new region's own part of the code, checked as the server will. */
export function suffixProblem(suffix: string, level: RegionLevel, parentCode: string | null): string | null {
  const n = ownDigits(level, parentCode);
  if (!suffix) return '请输入区划代码';
  if (!/^\d+$/.test(suffix)) return '区划代码只能包含数字';
  if (n <= 0) return `上级区划代码 ${parentCode} 的位数不符合国标，不能在其下新增`;
  if (suffix.length !== n) return `请输入 ${n} 位数字（完整代码共 ${REGION_CODE_LENGTH[level]} 位）`;
  if (/^0+$/.test(suffix)) return `后 ${n} 位不能全为 0`;
  return null;
}

export interface DepthOption {
  value: RegionImportDepth;
  label: string;
  hint: string;
  rows: string;
}
export const DEPTH_OPTIONS: DepthOption[] = [
  { value: 'county', label: REGION_IMPORT_DEPTH_NAMES.county, rows: '约 3,400 条', hint: '省、地市州、区县' },
  { value: 'town', label: REGION_IMPORT_DEPTH_NAMES.town, rows: '约 4.5 万条', hint: '省、地市州、区县、镇（街道），约半分钟内完成' },
  { value: 'village', label: REGION_IMPORT_DEPTH_NAMES.village, rows: '约 66 万条', hint: '含村（社区），需数分钟；数据目录须含 villages.csv' },
];

/** The CSV a grid import expects (UTF-8; the first line is the header). */
export const GRID_TEMPLATE = 'code,name,parentCode\r\n510184001018001,汇蜀社区第一网格,510184001018\r\n510184001018002,汇蜀社区第二网格,510184001018\r\n';

/** Data lines of CSV text (the header and blank lines excepted). */
export const csvDataRows = (text: string) => Math.max(0, text.split(/\r\n|\n|\r/).filter((l) => l.trim() !== '').length - 1);

/** Decodes a CSV file: UTF-8 (with or without BOM), else GBK as saved by Excel on Chinese Windows. */
export async function readCsvFile(file: Blob): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    return new TextDecoder('gbk').decode(bytes);
  }
}

/** Saves text as a file in the browser. */
export function saveText(name: string, text: string, type = 'text/csv;charset=utf-8') {
  const url = URL.createObjectURL(new Blob(['\uFEFF', text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
