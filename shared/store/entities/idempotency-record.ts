import * as z from 'zod';
import { deferred } from '../../deferred-schema.ts';
import { entities } from '../table.ts';
import { defineEntity } from './entity.ts';

/** A successful response as it was sent, for replays. */
export interface StoredResponse {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface IdempotencyRecord {
  /** The request the key is bound to (see request-fingerprint.ts). */
  readonly fingerprint: string;
  /** What the first request made, or claimed to make: a checkout, a refund, a payout run. */
  readonly resourceId?: string;
  /** The first successful response, once sent; replays answer exactly this. */
  readonly response?: StoredResponse;
  /** Epoch seconds: DynamoDB's TTL deletes the record after this, and reads ignore it before then. */
  readonly expiresAt: number;
}

const idempotencyRecordSchema = deferred(() =>
  z.object({
    fingerprint: z.string(),
    resourceId: z.string().optional(),
    response: z
      .object({
        status: z.number().int(),
        body: z.unknown().optional(),
        headers: z.record(z.string(), z.string()).optional(),
      })
      .optional(),
    expiresAt: z.number(),
  }),
) satisfies z.ZodType<IdempotencyRecord>;

/** A user's Idempotency-Key, kept for a day. */
export const idempotencyRecordEntity = defineEntity<IdempotencyRecord>({
  name: entities.idempotency,
  version: 2,
  schema: idempotencyRecordSchema,
  keys: [{ PK: 'IDEMPOTENCY#<userId>#<key>', SK: 'IDEMPOTENCY' }],
  upgrades: {
    // Version 1 were checkout records: the checkout's id, and its response body once sent (a 201).
    1: ({ checkoutId, response, ...record }) => ({
      ...record,
      resourceId: checkoutId,
      ...(response === undefined ? {} : { response: { status: 201, body: response } }),
    }),
  },
});

export const idempotencyRecordKey = (userId: string, key: string) => ({
  PK: `IDEMPOTENCY#${userId}#${key}`,
  SK: 'IDEMPOTENCY',
});
