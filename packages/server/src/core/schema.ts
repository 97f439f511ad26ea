/** Every table, for Drizzle's typed queries and for drizzle-kit's migration generator. */
export * from './crypto/key.table.js';
export * from './audit/audit.table.js';
export * from './jobs/job.table.js';
export * from '../modules/system/region.table.js';
export * from '../modules/system/org.table.js';
export * from '../modules/system/user.table.js';
export * from '../modules/system/role.table.js';
export * from '../modules/system/resource.table.js';
export * from '../modules/system/dict.table.js';
export * from '../modules/system/param.table.js';
export * from '../modules/system/saved-query.table.js';
