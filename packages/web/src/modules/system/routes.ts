import type { RouteRecordRaw } from 'vue-router';
import { PERMISSIONS } from '@cityops/contracts';

/** Pages of the 系统管理 module; mounted under the main layout. */
export const systemRoutes: RouteRecordRaw[] = [
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
];

export default systemRoutes;
