/** Permission codes, 'module:entity:action'. The server seeds them as function resources. */
export const PERMISSIONS = {
  oplogList: 'system:oplog:list',
  oplogExport: 'system:oplog:export',
  exceptionList: 'system:exception:list',
} as const;
export type Permission = (typeof PERMISSIONS)[keyof typeof PERMISSIONS];

/** Holders of this code may do everything; given to the built-in administrator role. */
export const SUPER_PERMISSION = '*:*:*';
