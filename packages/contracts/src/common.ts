import { z } from 'zod';

/** Every error reaches the client in this shape. */
export const ErrorBody = z.object({
  code: z.string().describe('machine-readable error code, e.g. INVALID, NOT_FOUND, ACCOUNT_LOCKED'),
  message: z.string().describe('message for the user, in Chinese'),
  details: z.unknown().optional(),
  requestId: z.string(),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

export const Ok = z.object({ ok: z.literal(true) });

export const PageQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});

export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });

export const IsoDateTime = z.string().describe('ISO 8601 date-time');

export const IdParams = z.object({ id: z.string().min(1).max(64) });

/** Many rows at once (enable, disable, delete…). */
export const BatchBody = z.object({
  ids: z.array(z.string().min(1).max(64)).min(1, '请至少选择一条记录').max(1000, '一次最多处理 1000 条'),
});

/** Per-row outcome of a batch: rows that fail are reported and left unchanged. */
export const BatchResult = z.object({
  succeeded: z.number().int(),
  failed: z.number().int(),
  results: z.array(z.object({ id: z.string(), ok: z.boolean(), message: z.string().optional() })),
});
export type BatchResult = z.infer<typeof BatchResult>;

/** A file download (e.g. an Excel export); the response is the file itself. */
export const FileDownload = z.any().describe('binary file');

export const Job = z.object({
  id: z.string(),
  type: z.string(),
  status: z.enum(['running', 'succeeded', 'failed']),
  total: z.number().int(),
  done: z.number().int(),
  message: z.string().nullable(),
  createdAt: IsoDateTime,
  finishedAt: IsoDateTime.nullable(),
});
export type Job = z.infer<typeof Job>;
