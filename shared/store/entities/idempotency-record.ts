import { z } from 'zod';
import type { IdempotencyRecord } from '../checkout-idempotency.ts';
import { entities } from '../table.ts';
import { defineEntity } from './entity.ts';

const idempotencyRecordSchema = z.object({
  fingerprint: z.string(),
  checkoutId: z.string(),
  response: z.unknown().optional(),
  expiresAt: z.number(),
}) satisfies z.ZodType<IdempotencyRecord & { readonly expiresAt: number }>;

/** A checkout's Idempotency-Key, kept for a day. */
export const idempotencyRecordEntity = defineEntity<IdempotencyRecord & { readonly expiresAt: number }>({
  name: entities.idempotency,
  version: 1,
  schema: idempotencyRecordSchema,
  keys: [{ PK: 'IDEMPOTENCY#<userId>#<key>', SK: 'IDEMPOTENCY' }],
});

export const idempotencyRecordKey = (userId: string, key: string) => ({
  PK: `IDEMPOTENCY#${userId}#${key}`,
  SK: 'IDEMPOTENCY',
});
