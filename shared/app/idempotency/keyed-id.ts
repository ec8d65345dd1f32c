import { createHash } from 'node:crypto';

/**
 * The id of what a user's Idempotency-Key makes (`pr_…` a payout run, `re_…` a refund): the same
 * user and key always name the same thing, long after the key's record has expired.
 */
export const keyedId = (prefix: string, userId: string, key: string) =>
  `${prefix}_${createHash('sha256').update(`${userId}\n${key}`).digest('hex').slice(0, 16)}`;
