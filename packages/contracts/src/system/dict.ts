import { z } from 'zod';
import { defineEndpoint } from '../endpoint.js';

export const DictOption = z.object({
  value: z.string(),
  label: z.string(),
  tagType: z.string().nullable(),
});
export type DictOption = z.infer<typeof DictOption>;

/** The dictionaries the platform itself relies on (seeded, cannot be deleted). */
export const DICT = {
  gender: 'gender',
  idType: 'id_type',
  orgType: 'org_type',
  orgLevel: 'org_level',
  orgTag: 'org_tag',
  regionLevel: 'region_level',
} as const;

export const dictReadEndpoints = {
  dictOptions: defineEndpoint({
    method: 'GET', path: '/api/dicts/:type', summary: '字典选项（启用的标签，按排序号；来自缓存）', tags: ['system'],
    access: 'authenticated', params: z.object({ type: z.string().min(1).max(64) }), response: z.array(DictOption),
  }),
};
