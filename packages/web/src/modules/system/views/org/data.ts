import { ORG_CHILD_LEVELS, type OrgDetail, type OrgLevel, type OrgNode, type OrgSearchQuery } from '@cityops/contracts';
import { api } from '@/api/client';

/** Key of this list for saved queries (常用查询). */
export const SAVED_QUERY_PAGE = 'system.org';

/** The smart search and the advanced-search panel: what 常用查询 saves and restores. */
export interface OrgSearch {
  keyword: string;
  regionCode: string;
  /** Label of `regionCode`, kept so that a restored search shows the region by name. */
  regionName: string;
  /** '' | 'true' | 'false' */
  enabled: string;
  type: string;
  level: string;
  orgCode: string;
  tag: string;
}

export const createSearch = (): OrgSearch => ({
  keyword: '',
  regionCode: '',
  regionName: '',
  enabled: '',
  type: '',
  level: '',
  orgCode: '',
  tag: '',
});

/** Keeps only the known keys of a saved search, as strings. */
export function normaliseSearch(saved: Record<string, unknown>): OrgSearch {
  const base = createSearch();
  for (const key of Object.keys(base) as (keyof OrgSearch)[]) {
    const v = saved[key];
    if (typeof v === 'string') base[key] = v;
    else if (typeof v === 'boolean' || typeof v === 'number') base[key] = String(v);
  }
  return base;
}

/** True when any condition restricts the list (the page then shows hits instead of the tree). */
export const isSearching = (s: OrgSearch) =>
  Object.entries(s).some(([k, v]) => k !== 'regionName' && typeof v === 'string' && v.trim() !== '');

export const advancedCount = (s: OrgSearch) =>
  (['regionCode', 'enabled', 'type', 'level', 'orgCode', 'tag'] as const).filter((k) => s[k].trim() !== '').length;

export function toQuery(s: OrgSearch, page: number, pageSize: number): OrgSearchQuery {
  const q: Record<string, unknown> = { page, pageSize };
  if (s.keyword.trim()) q.keyword = s.keyword.trim();
  if (s.regionCode) q.regionCode = s.regionCode;
  if (s.enabled) q.enabled = s.enabled === 'true';
  if (s.type) q.type = s.type;
  if (s.level) q.level = s.level;
  if (s.orgCode.trim()) q.orgCode = s.orgCode.trim();
  if (s.tag) q.tag = s.tag;
  return q as OrgSearchQuery;
}

export const ENABLED_OPTIONS = [
  { label: '启用', value: 'true' },
  { label: '禁用', value: 'false' },
];

/** Levels that may be created under `parent` (null: a root). */
export const childLevels = (parentLevel: OrgLevel | null | undefined): readonly OrgLevel[] => ORG_CHILD_LEVELS[parentLevel ?? 'root'];

/** A row of the tree or of the search hits. */
export type OrgRow = OrgNode & { pathNames?: string[] };

/** The add/edit form's model. */
export interface OrgForm {
  parentId: string | null;
  parentName: string;
  parentLevel: OrgLevel | null;
  name: string;
  code: string;
  orgCode: string;
  type: string;
  level: OrgLevel | '';
  tags: string[];
  regionCode: string;
  regionName: string;
  leader: string;
  contact: string;
  phone: string;
  address: string;
  sort: number;
  enabled: boolean;
  superiors: { id: string; name: string }[];
}

export const emptyForm = (parent?: Pick<OrgNode, 'id' | 'name' | 'level' | 'regionCode' | 'regionName'> | null): OrgForm => {
  const levels = childLevels(parent?.level ?? null);
  return {
    parentId: parent?.id ?? null,
    parentName: parent?.name ?? '',
    parentLevel: parent?.level ?? null,
    name: '',
    code: '',
    orgCode: '',
    type: '',
    level: levels.length === 1 ? levels[0]! : '',
    tags: [],
    regionCode: parent?.regionCode ?? '',
    regionName: parent?.regionName ?? '',
    leader: '',
    contact: '',
    phone: '',
    address: '',
    sort: 0,
    enabled: true,
    superiors: [],
  };
};

export const formOf = (d: OrgDetail, parentLevel: OrgLevel | null): OrgForm => ({
  parentId: d.parentId,
  parentName: d.parentName ?? '',
  parentLevel,
  name: d.name,
  code: d.code,
  orgCode: d.orgCode ?? '',
  type: d.type ?? '',
  level: d.level,
  tags: [...d.tags],
  regionCode: d.regionCode ?? '',
  regionName: d.regionName ?? '',
  leader: d.leader ?? '',
  contact: d.contact ?? '',
  phone: d.phone ?? '',
  address: d.address ?? '',
  sort: d.sort,
  enabled: d.enabled,
  superiors: d.superiors.map((s) => ({ ...s })),
});

/** The body of create/update from the form. */
export function bodyOf(f: OrgForm) {
  const opt = (v: string) => (v.trim() ? v.trim() : null);
  return {
    name: f.name.trim(),
    code: f.code.trim(),
    orgCode: opt(f.orgCode),
    type: opt(f.type),
    level: f.level as OrgLevel,
    tags: f.tags,
    regionCode: opt(f.regionCode),
    leader: opt(f.leader),
    contact: opt(f.contact),
    phone: opt(f.phone),
    address: opt(f.address),
    sort: f.sort,
    enabled: f.enabled,
    superiorIds: f.superiors.map((s) => s.id),
  };
}

export const fetchChildren = (parentId?: string) => api.orgChildren({ query: parentId ? { parentId } : {} });
export const fetchDetail = (id: string) => api.orgDetail({ params: { id } });
export const searchOrgs = (s: OrgSearch, page: number, pageSize: number) => api.orgSearch({ query: toQuery(s, page, pageSize) });
