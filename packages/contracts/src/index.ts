export * from './endpoint.js';
export * from './common.js';
export * from './permissions.js';
export * from './health.js';
export * from './auth.js';
export * from './logs.js';
export * from './system/dict.js';

import { healthEndpoints } from './health.js';
import { authEndpoints } from './auth.js';
import { logEndpoints } from './logs.js';
import { dictReadEndpoints } from './system/dict.js';

/** Every endpoint of the API, by name; the web client calls them through `api.<name>`. */
export const endpoints = { ...healthEndpoints, ...authEndpoints, ...logEndpoints, ...dictReadEndpoints };
export type Endpoints = typeof endpoints;
