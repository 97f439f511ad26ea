import {
  ACCESS_POLICY_LABELS,
  PERMISSION_CODE,
  RESOURCE_TYPE_LABELS,
  SECURITY_LEVEL_LABELS,
  type AccessPolicy,
  type Resource,
  type ResourceBody,
  type ResourceNode,
  type ResourceQuery,
  type ResourceType,
} from '@cityops/contracts';
import { api } from '@/api/client';
import type { OptionItem } from '@/components/crud/types';

type TagType = 'primary' | 'success' | 'warning' | 'danger' | 'info';

export const TYPE_OPTIONS: OptionItem[] = (Object.keys(RESOURCE_TYPE_LABELS) as ResourceType[]).map((v) => ({ value: v, label: RESOURCE_TYPE_LABELS[v] }));
export const TYPE_TAGS: Record<ResourceType, TagType> = { directory: 'warning', menu: 'primary', button: 'info' };

export const ACCESS_OPTIONS: OptionItem[] = (Object.keys(ACCESS_POLICY_LABELS) as AccessPolicy[]).map((v) => ({ value: v, label: ACCESS_POLICY_LABELS[v] }));
export const ACCESS_TAGS: Record<AccessPolicy, TagType> = { anonymous: 'danger', authenticated: 'warning', authorized: 'success' };

export const LEVEL_OPTIONS = [1, 2, 3].map((v) => ({ value: v, label: SECURITY_LEVEL_LABELS[v]! }));
export const ENABLED_OPTIONS: OptionItem[] = [
  { value: 'true', label: '有效' },
  { value: 'false', label: '禁用' },
];

export { ACCESS_POLICY_LABELS, RESOURCE_TYPE_LABELS, SECURITY_LEVEL_LABELS };

/** The 「高级搜索」 model (also what 常用查询 saves). */
export interface ResourceAdvanced {
  name: string;
  code: string;
  access: '' | AccessPolicy;
  securityLevel: '' | number;
  enabled: '' | 'true' | 'false';
}
export const createAdvanced = (): ResourceAdvanced => ({ name: '', code: '', access: '', securityLevel: '', enabled: '' });

export function toQuery(keyword: string, a: ResourceAdvanced): ResourceQuery {
  return {
    keyword: keyword.trim() || undefined,
    name: a.name.trim() || undefined,
    code: a.code.trim() || undefined,
    access: a.access || undefined,
    securityLevel: a.securityLevel === '' ? undefined : a.securityLevel,
    enabled: a.enabled === '' ? undefined : a.enabled,
  };
}

export const isFiltered = (keyword: string, a: ResourceAdvanced) => Object.values(toQuery(keyword, a)).some((v) => v !== undefined);

export const fetchTree = (keyword: string, a: ResourceAdvanced) => api.resourceTree({ query: toQuery(keyword, a) });

/** The add/edit form. */
export interface ResourceForm {
  parentId: string | null;
  type: ResourceType;
  name: string;
  code: string;
  route: string;
  serviceUrl: string;
  icon: string;
  sort: number;
  access: AccessPolicy;
  securityLevel: number;
  permission: string;
  enabled: boolean;
}

export function createForm(parent?: Pick<Resource, 'id' | 'type' | 'code'> | null, nextSort = 10): ResourceForm {
  return {
    parentId: parent?.id ?? null,
    // Under a page one usually adds its buttons; elsewhere pages.
    type: parent?.type === 'menu' ? 'button' : 'menu',
    name: '',
    code: parent ? `${parent.code}:` : '',
    route: '',
    serviceUrl: '',
    icon: '',
    sort: nextSort,
    access: 'authorized',
    securityLevel: 1,
    permission: '',
    enabled: true,
  };
}

export const formOf = (r: Resource): ResourceForm => ({
  parentId: r.parentId,
  type: r.type,
  name: r.name,
  code: r.code,
  route: r.route ?? '',
  serviceUrl: r.serviceUrl ?? '',
  icon: r.icon ?? '',
  sort: r.sort,
  access: r.access,
  securityLevel: r.securityLevel,
  permission: r.permission ?? '',
  enabled: r.enabled,
});

export const bodyOf = (f: ResourceForm): ResourceBody => ({
  parentId: f.parentId,
  type: f.type,
  name: f.name.trim(),
  code: f.code.trim(),
  route: f.type === 'button' ? null : f.route.trim() || null,
  serviceUrl: f.serviceUrl.trim() || null,
  icon: f.icon || null,
  sort: f.sort,
  access: f.access,
  securityLevel: f.securityLevel,
  permission: f.permission.trim() || null,
  enabled: f.enabled,
});

export { PERMISSION_CODE };

/** Depth-first walk of the tree. */
export function flatten(nodes: readonly ResourceNode[], depth = 0, out: Array<ResourceNode & { depth: number }> = []) {
  for (const n of nodes) {
    out.push({ ...n, depth });
    flatten(n.children, depth + 1, out);
  }
  return out;
}

/** Where a resource can sit: directories and pages, as a tree for el-tree-select (a node cannot go under itself). */
export interface ParentOption {
  value: string;
  label: string;
  type: ResourceType;
  disabled?: boolean;
  children?: ParentOption[];
}
export function parentOptions(nodes: readonly ResourceNode[], type: ResourceType, selfId?: string): ParentOption[] {
  return nodes
    .filter((n) => n.type !== 'button')
    .map((n) => {
      const inside = n.id === selfId;
      const children = inside ? [] : parentOptions(n.children, type, selfId);
      return {
        value: n.id,
        label: n.name,
        type: n.type,
        disabled: inside || (type === 'button' && n.type !== 'menu'),
        ...(children.length ? { children } : {}),
      };
    });
}
