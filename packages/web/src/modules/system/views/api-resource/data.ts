import { API_RESOURCE_TYPE_LABELS, type ApiResource, type ApiResourceBody, type ApiResourceQuery, type ApiResourceType } from '@cityops/contracts';
import { api } from '@/api/client';
import type { OptionItem } from '@/components/crud/types';

export { API_RESOURCE_TYPE_LABELS };

export const TYPE_OPTIONS: OptionItem[] = (Object.keys(API_RESOURCE_TYPE_LABELS) as ApiResourceType[]).map((v) => ({
  value: v,
  label: API_RESOURCE_TYPE_LABELS[v],
}));
export const ENABLED_OPTIONS: OptionItem[] = [
  { value: 'true', label: '有效' },
  { value: 'false', label: '禁用' },
];

export interface ApiResourceSearch {
  keyword: string;
  type: '' | ApiResourceType;
  enabled: '' | 'true' | 'false';
}
export const createSearch = (): ApiResourceSearch => ({ keyword: '', type: '', enabled: '' });

export const toQuery = (s: ApiResourceSearch): ApiResourceQuery => ({
  keyword: s.keyword.trim() || undefined,
  type: s.type || undefined,
  enabled: s.enabled === '' ? undefined : s.enabled,
});
export const isFiltered = (s: ApiResourceSearch) => Object.values(toQuery(s)).some((v) => v !== undefined);

export const fetchGroups = (s: ApiResourceSearch) => api.apiResourceGroups({ query: toQuery(s) });

/** 'GET /api/x' → method and path, for the coloured method badge; null for a plain address. */
export function splitServiceUrl(url: string): { method: string; path: string } | null {
  const m = /^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\s+(\S.*)$/i.exec(url.trim());
  return m ? { method: m[1]!.toUpperCase(), path: m[2]! } : null;
}

export interface ApiResourceForm {
  type: ApiResourceType;
  parentId: string | null;
  name: string;
  url: string;
  sort: number;
  enabled: boolean;
}

export const createForm = (type: ApiResourceType = 'namespace', parentId: string | null = null, sort = 10): ApiResourceForm => ({
  type,
  parentId,
  name: '',
  url: '',
  sort,
  enabled: true,
});

export const formOf = (r: ApiResource): ApiResourceForm => ({
  type: r.type,
  parentId: r.parentId,
  name: r.name,
  url: r.url,
  sort: r.sort,
  enabled: r.enabled,
});

export const bodyOf = (f: ApiResourceForm): ApiResourceBody => ({
  type: f.type,
  parentId: f.type === 'service' ? f.parentId : null,
  name: f.name.trim(),
  url: f.url.trim(),
  sort: f.sort,
  enabled: f.enabled,
});
