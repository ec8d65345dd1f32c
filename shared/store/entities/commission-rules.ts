import * as z from 'zod';
import { deferred } from '../../deferred-schema.ts';
import type { StoredCommissionRules } from '../commission-store.ts';
import { entities } from '../table.ts';
import { defineEntity } from './entity.ts';

const perCurrency = () => z.record(z.string(), z.number());

const terms = () => ({
  rateBps: z.number(),
  fixedFee: perCurrency().optional(),
  minimum: perCurrency().optional(),
  maximum: perCurrency().optional(),
});

const savedRulesSchema = deferred(() =>
  z.object({
    rules: z.object({
      default: z.object(terms()),
      tiers: z.array(
        z.object({
          name: z.string(),
          minVolume: perCurrency(),
          minBuyers: z.number().optional(),
          ...terms(),
        }),
      ),
      categories: z.array(z.object({ category: z.string(), ...terms() })),
      sellers: z.array(z.object({ sellerId: z.string(), ...terms() })),
    }),
    version: z.number(),
    updatedAt: z.string(),
    updatedBy: z.string(),
  }),
) satisfies z.ZodType<Required<StoredCommissionRules>>;

/** The platform's one saved commission rule set. */
export const commissionRulesEntity = defineEntity<Required<StoredCommissionRules>>({
  name: entities.commissionRules,
  version: 1,
  schema: savedRulesSchema,
  keys: [{ PK: 'CONFIG#COMMISSION', SK: 'RULES' }],
});

export const commissionRulesKey = () => ({ PK: 'CONFIG#COMMISSION', SK: 'RULES' });
