import * as z from 'zod';
import { commissionRuleProblems } from '#shared/domain/commission.ts';
import { maxAmount } from '#shared/domain/money.ts';
import { component } from '#shared/http/component.ts';
import type { StoredCommissionRules } from '#shared/store/commission-store.ts';
import { categorySchema, currencySchema } from './catalog.ts';
import { sellerIdSchema } from './sellers.ts';

const minorUnits = () => z.number().int('must be an integer number of minor units').min(0).max(maxAmount);

/** Amounts by currency; a currency not named is not concerned. */
const perCurrency = (description: string) =>
  z.partialRecord(currencySchema, minorUnits()).meta({ description });

const terms = () => ({
  rateBps: z
    .number()
    .int('must be an integer number of basis points')
    .min(0)
    .max(10_000)
    .meta({ description: 'Basis points of the line amount, rounded half up to the minor unit' }),
  fixedFee: perCurrency('Added to each line, in the currencies named only').optional(),
  minimum: perCurrency('The least commission of a line, in the currencies named only').optional(),
  maximum: perCurrency('The most commission of a line, in the currencies named only').optional(),
});

const commissionTerms = component('CommissionTerms', () => z.strictObject(terms()));

const tierRule = component('CommissionTier', () =>
  z.strictObject({
    name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'must be a lower-case name, e.g. gold'),
    minVolume: z
      .partialRecord(currencySchema, z.number().int().min(0).max(Number.MAX_SAFE_INTEGER))
      .refine((volumes) => Object.keys(volumes).length > 0, 'must name at least one currency')
      .meta({
        description:
          "The least trailing 30-day net sales (minor units) of the tier's sellers, per currency: " +
          'captures less what refunds and lost chargebacks gave back; the tier applies in the ' +
          'currencies named only',
      }),
    minBuyers: z
      .number()
      .int('must be a whole number of buyers')
      .min(0)
      .max(1_000_000)
      .optional()
      .meta({
        description:
          'The least number of distinct buyers with a net purchase from the seller in the same 30 days ' +
          "and currency; absent: none. Must be absent or 0 on a currency's lowest tier (at 0)",
      }),
    ...terms(),
  }),
);

const categoryRule = component('CategoryCommissionRule', () =>
  z.strictObject({
    category: categorySchema
      .unwrap()
      .meta({ description: 'Applies to this category and every one below it' }),
    ...terms(),
  }),
);

const sellerRule = component('SellerCommissionRule', () =>
  z.strictObject({ sellerId: sellerIdSchema, ...terms() }),
);

/** A whole rule set, as an admin saves it; rules whose scopes repeat or whose bounds cross are named. */
export const commissionRulesBody = component('CommissionRulesInput', () =>
  z
    .strictObject({
      default: commissionTerms.meta({ description: 'Applies when no other rule does' }),
      tiers: z.array(tierRule).max(20).default([]),
      categories: z.array(categoryRule).max(500).default([]),
      sellers: z.array(sellerRule).max(1000).default([]),
    })
    .superRefine((rules, context) => {
      for (const { path, message } of commissionRuleProblems(rules)) {
        context.addIssue({ code: 'custom', path: [...path], message });
      }
    })
    .meta({
      description:
        'Precedence per line: the seller override, else the most specific category rule, else the ' +
        "seller's tier, else the default. Commission = min(line amount, clamp(round_half_up(amount × " +
        'rateBps / 10000) + fixedFee, minimum, maximum)).',
    }),
);

export const commissionRulesViewSchema = component('CommissionRules', () =>
  z.object({
    default: commissionTerms,
    tiers: z.array(tierRule),
    categories: z.array(categoryRule),
    sellers: z.array(sellerRule),
    version: z.number().int().meta({ description: '0 while no rule set was saved: the defaults apply' }),
    updatedAt: z.iso.datetime().optional(),
    updatedBy: z.string().optional(),
  }),
);

/** The rule set as the API shows it: its rules, version, and who saved it when. */
export const commissionRulesView = ({ rules, ...saved }: StoredCommissionRules) => ({ ...rules, ...saved });
