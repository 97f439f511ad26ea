export * from './endpoint.js';
export * from './common.js';
export * from './permissions.js';
export * from './health.js';
export * from './auth.js';
export * from './logs.js';
export * from './system/dict.js';
export * from './system/region.js';
export * from './system/role.js';
export * from './system/resource.js';
export * from './system/api-resource.js';
export * from './system/param.js';
export * from './system/user.js';
export * from './system/saved-query.js';
export * from './system/org.js';

import { healthEndpoints } from './health.js';
import { authEndpoints } from './auth.js';
import { logEndpoints } from './logs.js';
import { regionEndpoints } from './system/region.js';
import { roleEndpoints } from './system/role.js';
import { resourceEndpoints } from './system/resource.js';
import { apiResourceEndpoints } from './system/api-resource.js';
import { dictAdminEndpoints, dictReadEndpoints } from './system/dict.js';
import { paramEndpoints } from './system/param.js';
import { userEndpoints } from './system/user.js';
import { savedQueryEndpoints } from './system/saved-query.js';
import { orgEndpoints } from './system/org.js';

/** Every endpoint of the API, by name; the web client calls them through `api.<name>`. */
export const endpoints = { ...healthEndpoints, ...authEndpoints, ...logEndpoints, ...regionEndpoints, ...roleEndpoints, ...resourceEndpoints, ...apiResourceEndpoints, ...dictReadEndpoints, ...dictAdminEndpoints, ...paramEndpoints, ...userEndpoints, ...savedQueryEndpoints, ...orgEndpoints };
export type Endpoints = typeof endpoints;
