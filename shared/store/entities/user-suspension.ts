import * as z from 'zod';
import { deferred } from '../../deferred-schema.ts';
import type { UserSuspension } from '../../domain/suspension.ts';
import { entities } from '../table.ts';
import { defineEntity } from './entity.ts';

const userSuspensionSchema = deferred(() =>
  z.object({
    userId: z.string(),
    reason: z.string(),
    by: z.string(),
    since: z.string(),
    payoutHoldSince: z.string().optional(),
  }),
) satisfies z.ZodType<UserSuspension>;

/** A user's suspension while it lasts; the audit log keeps its history. */
export const userSuspensionEntity = defineEntity<UserSuspension>({
  name: entities.userSuspension,
  version: 1,
  schema: userSuspensionSchema,
  keys: [{ PK: 'USER#<userId>', SK: 'SUSPENSION' }],
});

export const userSuspensionKey = (userId: string) => ({ PK: `USER#${userId}`, SK: 'SUSPENSION' });
