/**
 * Permission codes, 'module:entity:action'. The server seeds them as function resources (menus and
 * buttons) and checks them on every route; the web hides what the user does not hold.
 */
export const PERMISSIONS = {
  regionList: 'system:region:list',
  regionEdit: 'system:region:edit',
  regionImport: 'system:region:import',
  orgList: 'system:org:list',
  orgEdit: 'system:org:edit',
  userList: 'system:user:list',
  userEdit: 'system:user:edit',
  userResetPassword: 'system:user:reset-password',
  roleList: 'system:role:list',
  roleEdit: 'system:role:edit',
  roleGrant: 'system:role:grant',
  adminRoleList: 'system:admin-role:list',
  adminRoleEdit: 'system:admin-role:edit',
  apiResourceList: 'system:api-resource:list',
  apiResourceEdit: 'system:api-resource:edit',
  resourceList: 'system:resource:list',
  resourceEdit: 'system:resource:edit',
  dictList: 'system:dict:list',
  dictEdit: 'system:dict:edit',
  paramList: 'system:param:list',
  paramEdit: 'system:param:edit',
  oplogList: 'system:oplog:list',
  oplogExport: 'system:oplog:export',
  exceptionList: 'system:exception:list',
  eventCreate: 'events:event:create',
  eventQuery: 'events:event:query',
  eventHandle: 'events:task:handle',
  eventDispatch: 'events:task:dispatch',
  eventAudit: 'events:request:audit',
  eventClose: 'events:event:close',
  eventForceClose: 'events:event:force-close',
  eventVoid: 'events:event:void',
  eventKey: 'events:event:key',
  eventInstruct: 'events:event:instruct',
  eventSupervise: 'events:event:supervise',
  eventTypeEdit: 'events:type:edit',
  calendarEdit: 'events:calendar:edit',
  noticePublish: 'messaging:notice:publish',
} as const;
export type Permission = (typeof PERMISSIONS)[keyof typeof PERMISSIONS];

/** Holders of this code may do everything; given to the built-in administrator role. */
export const SUPER_PERMISSION = '*:*:*';
