import * as z from 'zod';
import { deferred } from '../../deferred-schema.ts';
import { entities } from '../table.ts';
import { defineEntity } from './entity.ts';

/** The run of a currency that is still moving money: one at a time. */
export const currencyLockEntity = defineEntity<{ readonly runId: string; readonly since: string }>({
  name: entities.activePayoutRun,
  version: 1,
  schema: deferred(() => z.object({ runId: z.string(), since: z.string() })),
  keys: [{ PK: 'PAYOUT_RUN_LOCK#<currency>', SK: 'LOCK' }],
});

export const currencyLockKey = (currency: string) => ({ PK: `PAYOUT_RUN_LOCK#${currency}`, SK: 'LOCK' });
