import {
  PERMISSIONS,
  roleEndpointSets,
  SUPER_PERMISSION,
  type CallArgs,
  type ResponseOf,
  type Role,
  type RoleKind,
  type RoleOrgOption,
  type RoleResourceNode,
} from '@cityops/contracts';
import { call, type CallOptions } from '@/api/client';
import { formatDateTime } from '@/utils/format';

/** What differs between the 角色权限 and 管理员权限 pages. */
export interface KindInfo {
  kind: RoleKind;
  /** 角色 / 管理员角色 */
  noun: string;
  perm: { list: string; edit: string; grant: string };
}

export function kindInfo(kind: RoleKind): KindInfo {
  return kind === 'admin'
    ? { kind, noun: '管理员角色', perm: { list: PERMISSIONS.adminRoleList, edit: PERMISSIONS.adminRoleEdit, grant: PERMISSIONS.adminRoleEdit } }
    : { kind, noun: '角色', perm: { list: PERMISSIONS.roleList, edit: PERMISSIONS.roleEdit, grant: PERMISSIONS.roleGrant } };
}

type Set_ = (typeof roleEndpointSets)['role'];

/** The typed API of one kind of role: `roleApi('admin').list({ query })`. */
export function roleApi(kind: RoleKind) {
  const set = roleEndpointSets[kind] as Set_;
  return Object.fromEntries(
    Object.entries(set).map(([name, ep]) => [name, (args?: unknown, options?: CallOptions) => call(ep, args as never, options)]),
  ) as { [K in keyof Set_]: (args: CallArgs<Set_[K]>, options?: CallOptions) => Promise<ResponseOf<Set_[K]>> };
}

// ------------------------------------------------------------------------------ display helpers

/** 有效期 as shown in the table. */
export function validityText(r: Pick<Role, 'validFrom' | 'validTo'>): string {
  const d = (s: string | null) => (s ? formatDateTime(s).slice(0, 16) : '');
  if (!r.validFrom && !r.validTo) return '永久';
  if (!r.validFrom) return `至 ${d(r.validTo)}`;
  if (!r.validTo) return `${d(r.validFrom)} 起`;
  return `${d(r.validFrom)} 至 ${d(r.validTo)}`;
}

/** The status tag: 禁用, or for an enabled role whether its validity period covers now. */
export function statusOf(r: Pick<Role, 'enabled' | 'validFrom' | 'validTo'>, now = Date.now()): { text: string; type: 'success' | 'info' | 'warning' | 'danger' } {
  if (!r.enabled) return { text: '禁用', type: 'info' };
  if (r.validTo && new Date(r.validTo).getTime() <= now) return { text: '已过期', type: 'danger' };
  if (r.validFrom && new Date(r.validFrom).getTime() > now) return { text: '未生效', type: 'warning' };
  return { text: '启用', type: 'success' };
}

export const RESOURCE_TYPE: Record<RoleResourceNode['type'], { text: string; tag: 'primary' | 'success' | 'info' }> = {
  directory: { text: '目录', tag: 'info' },
  menu: { text: '页面', tag: 'primary' },
  button: { text: '按钮', tag: 'success' },
};

// ----------------------------------------------------------------------------------- org trees

export interface OrgTreeNode extends RoleOrgOption {
  children: OrgTreeNode[];
}

/** Flat organisations → tree; an organisation whose parent is not in the list becomes a root. */
export function orgTree(list: RoleOrgOption[]): OrgTreeNode[] {
  const nodes = new Map(list.map((o) => [o.id, { ...o, children: [] as OrgTreeNode[] }]));
  const roots: OrgTreeNode[] = [];
  for (const n of nodes.values()) {
    const parent = n.parentId ? nodes.get(n.parentId) : undefined;
    if (parent) parent.children.push(n);
    else roots.push(n);
  }
  return roots;
}

// ------------------------------------------------------------------------------ resource trees

/** Every node of a resource tree, depth first. */
export function flattenResources(nodes: RoleResourceNode[]): RoleResourceNode[] {
  return nodes.flatMap((n) => [n, ...flattenResources(n.children)]);
}

/** Parent id of every node. */
export function parentsOf(nodes: RoleResourceNode[]): Map<string, string | null> {
  const map = new Map<string, string | null>();
  const walk = (list: RoleResourceNode[], parent: string | null) =>
    list.forEach((n) => {
      map.set(n.id, parent);
      walk(n.children, n.id);
    });
  walk(nodes, null);
  return map;
}

/**
 * Whether the current user may grant a function: super users all; others only what they hold
 * (folders and pages open to all are free). The server enforces the same rule.
 */
export function grantableBy(permissions: readonly string[]) {
  const isSuper = permissions.includes(SUPER_PERMISSION);
  return (n: RoleResourceNode) => isSuper || !n.permission || permissions.includes(n.permission);
}

/** A day picked for an expiry means "until the end of that day". */
export function endOfDay(d: Date): string {
  const x = new Date(d);
  x.setHours(23, 59, 59, 0);
  return x.toISOString();
}

/** Days before today cannot be picked as an expiry. */
export const pastDay = (d: Date) => {
  const today = new Date();
  today.setHours(0, 0, 0, 0);
  return d.getTime() < today.getTime();
};

export const CODE_RULE = /^[A-Za-z][A-Za-z0-9_:-]*$/;
