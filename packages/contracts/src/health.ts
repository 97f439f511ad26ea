import { z } from 'zod';
import { defineEndpoint } from './endpoint.js';

const ComponentStatus = z.object({
  status: z.enum(['up', 'down']),
  driver: z.string(),
  latencyMs: z.number().optional(),
  error: z.string().optional(),
});

export const Health = z.object({
  status: z.enum(['ok', 'degraded']),
  version: z.string(),
  uptimeSeconds: z.number(),
  database: ComponentStatus,
  cache: ComponentStatus,
});
export type Health = z.infer<typeof Health>;

export const healthEndpoints = {
  health: defineEndpoint({
    method: 'GET', path: '/api/health', summary: '健康检查：数据库与缓存状态', tags: ['system'],
    access: 'anonymous', response: Health,
  }),
};
