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
