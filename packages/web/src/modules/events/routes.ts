import type { RouteRecordRaw } from 'vue-router';
import { PERMISSIONS } from '@cityops/contracts';

/** Pages of the 事件枢纽 module; mounted under the main layout. */
export const eventRoutes: RouteRecordRaw[] = [
  {
    path: '/events/new',
    name: 'events-new',
    component: () => import('./views/intake/new.vue'),
    meta: { title: '事件发起', permission: PERMISSIONS.eventCreate, icon: 'EditPen' },
  },
  {
    path: '/events/drafts',
    name: 'events-drafts',
    component: () => import('./views/intake/drafts.vue'),
    meta: { title: '草稿箱', permission: PERMISSIONS.eventCreate, icon: 'Files' },
  },
  {
    path: '/events/todo',
    name: 'events-todo',
    component: () => import('./views/todo/list.vue'),
    meta: { title: '我的待办', permission: PERMISSIONS.eventHandle, icon: 'Tickets' },
    props: { mode: 'todo' },
  },
  {
    path: '/events/dispatched',
    name: 'events-dispatched',
    component: () => import('./views/todo/list.vue'),
    meta: { title: '交办后任务', permission: PERMISSIONS.eventDispatch, icon: 'Share' },
    props: { mode: 'dispatched' },
  },
  {
    path: '/events/audit',
    name: 'events-audit',
    component: () => import('./views/audit/list.vue'),
    meta: { title: '事件审核', permission: PERMISSIONS.eventAudit, icon: 'Stamp' },
  },
  {
    path: '/events/query',
    name: 'events-query',
    component: () => import('./views/query/list.vue'),
    meta: { title: '事件查询', permission: PERMISSIONS.eventQuery, icon: 'Search' },
  },
  {
    path: '/events/config',
    name: 'events-config',
    component: () => import('./views/config/index.vue'),
    meta: { title: '事件配置', permission: PERMISSIONS.eventTypeEdit, icon: 'SetUp' },
  },
  {
    // The handling page of one to-do (node) of an event: detail + the actions allowed now.
    path: '/events/:id/handle/:nodeId',
    name: 'events-handle',
    component: () => import('./views/detail/handle.vue'),
    meta: { title: '事件办理', permission: PERMISSIONS.eventHandle },
    props: true,
  },
  {
    path: '/events/:id',
    name: 'events-detail',
    component: () => import('./views/detail/index.vue'),
    meta: { title: '事件详情', permission: PERMISSIONS.eventQuery },
    props: true,
  },
];
