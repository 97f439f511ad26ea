import type { RouteRecordRaw } from 'vue-router';
import { PERMISSIONS } from '@cityops/contracts';

/** Pages of the 系统管理 module; mounted under the main layout. */
export const systemRoutes: RouteRecordRaw[] = [
  {
    path: '/system/region',
    name: 'system-region',
    component: () => import('./views/region/list.vue'),
    meta: { title: '行政区划', permission: PERMISSIONS.regionList, icon: 'MapLocation' },
  },
  {
    path: '/system/org',
    name: 'system-org',
    component: () => import('./views/org/list.vue'),
    meta: { title: '组织机构', permission: PERMISSIONS.orgList, icon: 'OfficeBuilding' },
  },
  {
    path: '/system/user',
    name: 'system-user',
    component: () => import('./views/user/list.vue'),
    meta: { title: '人员管理', permission: PERMISSIONS.userList, icon: 'User' },
  },
  {
    path: '/system/role',
    name: 'system-role',
    component: () => import('./views/role/list.vue'),
    meta: { title: '角色权限', permission: PERMISSIONS.roleList, icon: 'UserFilled' },
  },
  {
    path: '/system/admin-role',
    name: 'system-admin-role',
    component: () => import('./views/admin-role/list.vue'),
    meta: { title: '管理员权限', permission: PERMISSIONS.adminRoleList, icon: 'Avatar' },
  },
  {
    path: '/system/dict',
    name: 'system-dict',
    component: () => import('./views/dict/list.vue'),
    meta: { title: '字典管理', permission: PERMISSIONS.dictList, icon: 'Collection' },
  },
  {
    path: '/system/param',
    name: 'system-param',
    component: () => import('./views/param/list.vue'),
    meta: { title: '系统参数', permission: PERMISSIONS.paramList, icon: 'Operation' },
  },
  {
    path: '/system/oplog',
    name: 'system-oplog',
    component: () => import('./views/oplog/list.vue'),
    meta: { title: '操作日志', permission: PERMISSIONS.oplogList, icon: 'Document' },
  },
  {
    path: '/system/exception-log',
    name: 'system-exception-log',
    component: () => import('./views/exception-log/list.vue'),
    meta: { title: '系统异常', permission: PERMISSIONS.exceptionList, icon: 'Warning' },
  },
  {
    path: '/system/resource',
    name: 'system-resource',
    component: () => import('./views/resource/list.vue'),
    meta: { title: '功能资源', permission: PERMISSIONS.resourceList, icon: 'Menu' },
  },
  {
    path: '/system/api-resource',
    name: 'system-api-resource',
    component: () => import('./views/api-resource/list.vue'),
    meta: { title: '接口服务资源', permission: PERMISSIONS.apiResourceList, icon: 'Link' },
  },
];

export default systemRoutes;
