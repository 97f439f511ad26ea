import { PERMISSIONS } from '@cityops/contracts';
import type { AccessPolicy } from '@cityops/contracts';

export interface ResourceSeed {
  code: string;
  name: string;
  type: 'directory' | 'menu' | 'button';
  route?: string;
  icon?: string;
  access?: AccessPolicy;
  permission?: string;
  children?: ResourceSeed[];
}

/**
 * The built-in function resources (menus). Refreshed by code on every start so that a new
 * version's menus appear; grants made by administrators are kept.
 */
export const BUILTIN_RESOURCES: ResourceSeed[] = [
  { code: 'home', name: '工作台', type: 'menu', route: '/home', icon: 'House', access: 'authenticated' },
  {
    code: 'system', name: '系统管理', type: 'directory', icon: 'Setting',
    children: [
      { code: 'system:oplog', name: '操作日志', type: 'menu', route: '/system/oplog', icon: 'Document', permission: PERMISSIONS.oplogList },
      { code: 'system:exception', name: '系统异常', type: 'menu', route: '/system/exception-log', icon: 'Warning', permission: PERMISSIONS.exceptionList },
    ],
  },
];

/** Built-in roles and the resource codes each is granted; `admin` holds everything. */
export const BUILTIN_ROLES: { code: string; name: string; isSuper?: boolean; resources: string[] }[] = [
  { code: 'admin', name: '系统管理员', isSuper: true, resources: [] },
  { code: 'auditor', name: '审计管理员', resources: ['home', 'system:oplog', 'system:exception'] },
  { code: 'city-operator', name: '市级城运中心值班员', resources: ['home'] },
  { code: 'dept-handler', name: '部门处置人员', resources: ['home'] },
  { code: 'town-operator', name: '镇街城运中心值班员', resources: ['home'] },
  { code: 'community-worker', name: '村社区网格员', resources: ['home'] },
];
