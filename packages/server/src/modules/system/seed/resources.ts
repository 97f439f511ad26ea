import { PERMISSIONS as P } from '@cityops/contracts';
import type { AccessPolicy } from '@cityops/contracts';

export interface ResourceSeed {
  code: string;
  name: string;
  type: 'directory' | 'menu' | 'button';
  route?: string;
  serviceUrl?: string;
  icon?: string;
  access?: AccessPolicy;
  permission?: string;
  children?: ResourceSeed[];
}

const page = (code: string, name: string, route: string, icon: string, permission: string, serviceUrl: string, buttons: [string, string][] = []): ResourceSeed => ({
  code, name, type: 'menu', route, icon, permission, serviceUrl,
  children: buttons.map(([perm, label]) => ({ code: perm, name: label, type: 'button', permission: perm })),
});

const HANDLER = [P.eventCreate, P.eventQuery, P.eventHandle, P.eventDispatch, P.eventAudit, P.eventClose, P.eventVoid];
const IOT_VIEW = ['iot:overview', 'iot:devices', 'iot:map', 'iot:alarms', 'iot:messages', P.iotAlarmHandle];
const CENTRE = [...HANDLER, P.eventForceClose, P.eventKey, P.eventInstruct, P.eventSupervise];

/**
 * The built-in function resources (menus and buttons). Refreshed by code on every start so that a
 * new version's menus appear; administrators' own resources and grants are kept.
 */
export const BUILTIN_RESOURCES: ResourceSeed[] = [
  { code: 'home', name: '工作台', type: 'menu', route: '/home', icon: 'House', access: 'authenticated' },
  {
    // The event hub's pages; each page's buttons are the operations it offers.
    code: 'events', name: '事件枢纽', type: 'directory', icon: 'Bell',
    children: [
      page('events:new', '事件发起', '/events/new', 'EditPen', P.eventCreate, '/api/events', [[P.eventCreate, '发起事件']]),
      page('events:drafts', '草稿箱', '/events/drafts', 'Files', P.eventCreate, '/api/events/drafts'),
      page('events:todo', '我的待办', '/events/todo', 'Tickets', P.eventHandle, '/api/events/todos', [
        [P.eventHandle, '事件办理'], [P.eventDispatch, '事件交办'], [P.eventClose, '核验结案'], [P.eventForceClose, '强制办结'],
        [P.eventVoid, '事件作废'],
      ]),
      page('events:dispatched', '交办后任务', '/events/dispatched', 'Share', P.eventDispatch, '/api/events/todos'),
      page('events:audit', '事件审核', '/events/audit', 'Stamp', P.eventAudit, '/api/events/requests', [[P.eventAudit, '审核延期退回']]),
      page('events:query', '事件查询', '/events/query', 'Search', P.eventQuery, '/api/events', [
        [P.eventQuery, '查询导出'], [P.eventKey, '重点工单标记'], [P.eventInstruct, '事件批示'], [P.eventSupervise, '事件督办'],
      ]),
      page('events:config', '事件配置', '/events/config', 'SetUp', P.eventTypeEdit, '/api/events/types', [
        [P.eventTypeEdit, '事件类型维护'], [P.calendarEdit, '工作日历维护'],
      ]),
    ],
  },
  {
    // The IoT platform (物联感知平台).
    code: 'iot', name: '物联感知', type: 'directory', icon: 'Cpu',
    children: [
      page('iot:overview', '物联概览', '/iot/overview', 'DataBoard', P.iotDeviceList, '/api/iot/overview'),
      page('iot:products', '产品管理', '/iot/products', 'Box', P.iotProductList, '/api/iot/products', [[P.iotProductEdit, '产品与物模型维护']]),
      page('iot:devices', '设备管理', '/iot/devices', 'Cpu', P.iotDeviceList, '/api/iot/devices', [
        [P.iotDeviceEdit, '设备维护'], [P.iotDeviceSecret, '查看设备密钥'], [P.iotCommand, '指令下发'],
      ]),
      page('iot:map', '设备地图', '/iot/map', 'Location', P.iotDeviceList, '/api/iot/devices/map'),
      page('iot:connections', '连接管理', '/iot/connections', 'Connection', P.iotConnection, '/api/iot/connections'),
      page('iot:messages', '消息追踪', '/iot/messages', 'ChatLineSquare', P.iotTrace, '/api/iot/messages'),
      page('iot:ota', 'OTA升级', '/iot/ota', 'Upload', P.iotOta, '/api/iot/ota/tasks'),
      page('iot:rules', '规则引擎', '/iot/rules', 'Guide', P.iotRuleList, '/api/iot/rules', [[P.iotRuleEdit, '规则维护']]),
      page('iot:alarms', '告警记录', '/iot/alarms', 'AlarmClock', P.iotRuleList, '/api/iot/alarms', [[P.iotAlarmHandle, '告警处理']]),
      page('iot:logs', '日志管理', '/iot/logs', 'Tickets', P.iotLogList, '/api/iot/logs/access', [[P.iotLogAlertEdit, '告警策略维护']]),
      page('iot:api-keys', '第三方接口', '/iot/api-keys', 'Key', P.iotApiKey, '/api/iot/api-keys'),
    ],
  },
  {
    code: 'messages', name: '消息中心', type: 'menu', route: '/messages', icon: 'Message', access: 'authenticated',
    children: [{ code: P.noticePublish, name: '发布系统通知', type: 'button', permission: P.noticePublish }],
  },
  {
    code: 'system', name: '系统管理', type: 'directory', icon: 'Setting',
    children: [
      {
        code: 'system:group:org-people', name: '组织人员', type: 'directory', icon: 'OfficeBuilding',
        children: [
          page('system:org', '组织机构', '/system/org', 'OfficeBuilding', P.orgList, '/api/system/orgs', [[P.orgEdit, '组织机构维护']]),
          page('system:user', '人员管理', '/system/user', 'User', P.userList, '/api/system/users', [[P.userEdit, '人员维护'], [P.userResetPassword, '重置密码']]),
          page('system:region', '行政区划', '/system/region', 'MapLocation', P.regionList, '/api/system/regions', [[P.regionEdit, '行政区划维护'], [P.regionImport, '导入全国行政区划']]),
        ],
      },
      {
        code: 'system:group:access', name: '资源权限', type: 'directory', icon: 'Lock',
        children: [
          page('system:role', '角色权限', '/system/role', 'UserFilled', P.roleList, '/api/system/roles', [[P.roleEdit, '角色维护'], [P.roleGrant, '角色授权']]),
          page('system:admin-role', '管理员权限', '/system/admin-role', 'Avatar', P.adminRoleList, '/api/system/roles', [[P.adminRoleEdit, '管理员角色维护']]),
          page('system:api-resource', '接口服务资源', '/system/api-resource', 'Link', P.apiResourceList, '/api/system/api-resources', [[P.apiResourceEdit, '接口服务资源维护']]),
          page('system:resource', '功能资源', '/system/resource', 'Menu', P.resourceList, '/api/system/resources', [[P.resourceEdit, '功能资源维护']]),
        ],
      },
      {
        code: 'system:group:basic', name: '基础管理', type: 'directory', icon: 'Tools',
        children: [
          page('system:dict', '字典管理', '/system/dict', 'Collection', P.dictList, '/api/system/dicts', [[P.dictEdit, '字典维护']]),
          page('system:param', '系统参数', '/system/param', 'Operation', P.paramList, '/api/system/params', [[P.paramEdit, '系统参数维护']]),
          page('system:exception', '系统异常', '/system/exception-log', 'Warning', P.exceptionList, '/api/system/exception-logs'),
          page('system:oplog', '操作日志', '/system/oplog', 'Document', P.oplogList, '/api/system/oplogs', [[P.oplogExport, '导出操作日志']]),
        ],
      },
    ],
  },
];

/** Built-in roles and the resource codes each is granted; `admin` holds everything. */
export const BUILTIN_ROLES: { code: string; name: string; isSuper?: boolean; resources: string[] }[] = [
  { code: 'admin', name: '系统管理员', isSuper: true, resources: [] },
  { code: 'auditor', name: '审计管理员', resources: ['home', 'system:oplog', P.oplogExport, 'system:exception'] },
  { code: 'city-operator', name: '市级城运中心值班员', resources: ['home', 'messages', ...CENTRE, P.eventTypeEdit, P.calendarEdit, P.noticePublish, ...IOT_VIEW] },
  { code: 'dept-handler', name: '部门处置人员', resources: ['home', 'messages', ...HANDLER, P.eventInstruct] },
  { code: 'town-operator', name: '镇街城运中心值班员', resources: ['home', 'messages', ...CENTRE] },
  {
    code: 'iot-operator', name: '物联感知运维员',
    resources: ['home', 'messages', 'iot', 'iot:overview', 'iot:products', 'iot:devices', 'iot:map', 'iot:connections', 'iot:messages', 'iot:ota', 'iot:rules',
      'iot:alarms', 'iot:logs', 'iot:api-keys', P.iotProductEdit, P.iotDeviceEdit, P.iotDeviceSecret, P.iotCommand, P.iotRuleEdit, P.iotAlarmHandle, P.iotLogAlertEdit],
  },
  { code: 'community-worker', name: '村社区网格员', resources: ['home', 'messages', ...HANDLER] },
];
