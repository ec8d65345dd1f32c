import type { ErrorDetail } from './errors.ts';
import { noSales, type SalesVolume } from './sales-volume.ts';

/**
 * The rate part of a line's commission: `rateBps` basis points of the line amount, rounded half up
 * to the minor unit (BigInt: amount × rate can pass 2^53). `commissionOnLine` adds the rule's fixed
 * fee and bounds.
 */
export function lineCommission(amount: number, rateBps: number): number {
  return Number((BigInt(amount) * BigInt(rateBps) + 5_000n) / 10_000n);
}

/** Minor units by ISO 4217 currency; a currency not named has no entry. */
export type PerCurrency = Readonly<Partial<Record<string, number>>>;

/** What a commission rule charges on each line of an order. */
export interface CommissionTerms {
  /** Basis points of the line amount (0 to 10000). */
  readonly rateBps: number;
  /** Added to each line, in the currencies named only. */
  readonly fixedFee?: PerCurrency;
  /** The least commission of a line, in the currencies named only. */
  readonly minimum?: PerCurrency;
  /** The most commission of a line, in the currencies named only. */
  readonly maximum?: PerCurrency;
}

/** Applies to a seller's lines whatever their category or tier. */
export interface SellerCommissionRule extends CommissionTerms {
  readonly sellerId: string;
}

/** Applies to lines of the category and every category below it (`home` covers `home/lamps`). */
export interface CategoryCommissionRule extends CommissionTerms {
  readonly category: string;
}

/**
 * Applies to sellers whose trailing 30-day net sales in the checkout's currency are at least
 * `minVolume` of that currency, from at least `minBuyers` distinct buyers (none asked if absent).
 * A tier applies in the currencies its `minVolume` names only.
 */
export interface TierCommissionRule extends CommissionTerms {
  readonly name: string;
  readonly minVolume: PerCurrency;
  readonly minBuyers?: number;
}

/**
 * The platform's commission rules. A line takes the terms of the first rule that applies, in this
 * order: its seller's override, the most specific rule of its category, its seller's tier, the default.
 * The terms of that one rule apply whole: rules are never mixed.
 */
export interface CommissionRules {
  readonly default: CommissionTerms;
  readonly tiers: readonly TierCommissionRule[];
  readonly categories: readonly CategoryCommissionRule[];
  readonly sellers: readonly SellerCommissionRule[];
}

/** In force until an admin saves rules: 10 % of every line, no fixed fee, no bounds. */
export const defaultCommissionRules: CommissionRules = {
  default: { rateBps: 1000 },
  tiers: [],
  categories: [],
  sellers: [],
};

/** What the rules need to know about a line. */
export interface CommissionLine {
  readonly sellerId: string;
  /** A slug path, e.g. `home/lamps`. */
  readonly category: string;
  readonly amount: number;
  readonly currency: string;
}

export type CommissionRuleSource =
  | { readonly scope: 'seller'; readonly sellerId: string }
  | { readonly scope: 'category'; readonly category: string }
  | { readonly scope: 'tier'; readonly tier: string }
  | { readonly scope: 'default' };

export interface AppliedCommissionRule {
  readonly source: CommissionRuleSource;
  readonly terms: CommissionTerms;
}

/** The rules of a checkout, and what they need to know of its sellers. */
export interface CommissionContext {
  readonly rules: CommissionRules;
  /** Each seller's trailing 30-day sales in the checkout's currency; a seller not named has none. */
  readonly sellerVolumes: ReadonlyMap<string, SalesVolume>;
}

/** The amount a per-currency record names for the currency, if it names it (own keys only). */
export function inCurrency(amounts: PerCurrency | undefined, currency: string): number | undefined {
  return amounts && Object.hasOwn(amounts, currency) ? amounts[currency] : undefined;
}

/** Whether the slug path `category` is `prefix` or lies below it, segment by segment. */
export function isCategoryWithin(category: string, prefix: string): boolean {
  return category === prefix || category.startsWith(`${prefix}/`);
}

/** The rule of the longest category prefix of `category` (the most specific), if any. */
export function categoryRuleOf(rules: CommissionRules, category: string): CategoryCommissionRule | undefined {
  let best: CategoryCommissionRule | undefined;
  for (const rule of rules.categories) {
    if (isCategoryWithin(category, rule.category) && rule.category.length > (best?.category.length ?? -1)) {
      best = rule;
    }
  }
  return best;
}

/**
 * The seller's tier in `currency`: of the tiers naming the currency whose buyers the seller has,
 * the one with the highest threshold the volume reaches. The rules require the lowest threshold of
 * each currency to be 0 and to ask for no buyers, so a seller with no sales is in the lowest tier;
 * a currency no tier names has no tiers.
 */
export function tierOf(
  rules: CommissionRules,
  currency: string,
  volume: SalesVolume,
): TierCommissionRule | undefined {
  let best: { tier: TierCommissionRule; threshold: number } | undefined;
  for (const tier of rules.tiers) {
    const threshold = inCurrency(tier.minVolume, currency);
    if (
      threshold !== undefined &&
      threshold <= volume.amount &&
      (tier.minBuyers ?? 0) <= volume.buyers &&
      threshold > (best?.threshold ?? -1)
    ) {
      best = { tier, threshold };
    }
  }
  return best?.tier;
}

/**
 * Whether the line's commission depends on its seller's sales volume: no seller override and no
 * category rule applies, and a tier names the currency. The checkout reads volumes only then.
 */
export function dependsOnSalesVolume(rules: CommissionRules, line: Omit<CommissionLine, 'amount'>): boolean {
  return (
    !rules.sellers.some((rule) => rule.sellerId === line.sellerId) &&
    categoryRuleOf(rules, line.category) === undefined &&
    rules.tiers.some((tier) => inCurrency(tier.minVolume, line.currency) !== undefined)
  );
}

/** Precedence: seller override > most specific category > seller tier > default. */
export function applicableCommissionRule(
  rules: CommissionRules,
  line: Omit<CommissionLine, 'amount'>,
  sellerVolume: SalesVolume,
): AppliedCommissionRule {
  const override = rules.sellers.find((rule) => rule.sellerId === line.sellerId);
  if (override) return { source: { scope: 'seller', sellerId: override.sellerId }, terms: override };
  const category = categoryRuleOf(rules, line.category);
  if (category) return { source: { scope: 'category', category: category.category }, terms: category };
  const tier = tierOf(rules, line.currency, sellerVolume);
  if (tier) return { source: { scope: 'tier', tier: tier.name }, terms: tier };
  return { source: { scope: 'default' }, terms: rules.default };
}

/**
 * The commission of one line of `amount` minor units of `currency` under `terms`:
 *
 *   commission = min(amount, clamp(round_half_up(amount × rateBps / 10000) + fixedFee, minimum, maximum))
 *
 * - round_half_up: the exact quotient amount × rateBps / 10000, computed in integers (BigInt, as the
 *   product passes 2^53 near 1e12), rounded to the nearest minor unit, a remainder of exactly half a
 *   unit rounding up (amounts are never negative, so up is away from zero): 0.5 → 1, 2.5 → 3,
 *   0.4999 → 0.
 * - fixedFee, minimum and maximum count only in the currencies they name (else 0, none, none); the
 *   fee is added after rounding, the bounds apply to the sum.
 * - The result is never above the line amount (a minimum or a fee larger than a small line takes
 *   the whole line) and never below 0.
 */
export function commissionOf(amount: number, currency: string, terms: CommissionTerms): number {
  const charged = lineCommission(amount, terms.rateBps) + (inCurrency(terms.fixedFee, currency) ?? 0);
  const minimum = inCurrency(terms.minimum, currency) ?? 0;
  const maximum = inCurrency(terms.maximum, currency) ?? Number.POSITIVE_INFINITY;
  return Math.max(0, Math.min(amount, maximum, Math.max(minimum, charged)));
}

/** The commission of a line under the rule that applies to it (see `applicableCommissionRule`). */
export function commissionOnLine(context: CommissionContext, line: CommissionLine): number {
  const volume = context.sellerVolumes.get(line.sellerId) ?? noSales;
  const { terms } = applicableCommissionRule(context.rules, line, volume);
  return commissionOf(line.amount, line.currency, terms);
}

function boundProblems(terms: CommissionTerms, at: readonly (string | number)[]): ErrorDetail[] {
  return Object.entries(terms.minimum ?? {}).flatMap(([currency, minimum]) => {
    const maximum = inCurrency(terms.maximum, currency);
    return minimum !== undefined && maximum !== undefined && minimum > maximum
      ? [{ path: [...at, 'minimum', currency], message: `is above the maximum ${maximum} ${currency}` }]
      : [];
  });
}

function duplicateProblems<T>(
  rules: readonly T[],
  scope: string,
  field: string,
  keyOf: (rule: T) => string,
): ErrorDetail[] {
  const first = new Map<string, number>();
  return rules.flatMap((rule, index) => {
    const key = keyOf(rule);
    const earlier = first.get(key);
    if (earlier === undefined) {
      first.set(key, index);
      return [];
    }
    return [{ path: [scope, index, field], message: `${key} has a rule already (${scope}.${earlier})` }];
  });
}

/** The lowest tier of each currency is where sellers without sales are: it cannot ask for buyers. */
function lowestTierBuyerProblems(tiers: readonly TierCommissionRule[]): ErrorDetail[] {
  return tiers.flatMap((tier, index) => {
    const startsAtZero = Object.entries(tier.minVolume).filter(([, threshold]) => threshold === 0);
    return (tier.minBuyers ?? 0) > 0 && startsAtZero.length > 0
      ? [
          {
            path: ['tiers', index, 'minBuyers'],
            message: `must be 0 or absent on a tier starting at 0 (${startsAtZero.map(([currency]) => currency).join(', ')}), so a seller without sales has a tier`,
          },
        ]
      : [];
  });
}

function tierThresholdProblems(tiers: readonly TierCommissionRule[]): ErrorDetail[] {
  const byCurrency = new Map<string, { index: number; threshold: number }[]>();
  tiers.forEach((tier, index) => {
    for (const [currency, threshold] of Object.entries(tier.minVolume)) {
      if (threshold === undefined) continue;
      byCurrency.set(currency, [...(byCurrency.get(currency) ?? []), { index, threshold }]);
    }
  });
  return [...byCurrency].flatMap(([currency, thresholds]) => {
    const problems: ErrorDetail[] = [];
    const seen = new Map<number, number>();
    for (const { index, threshold } of thresholds) {
      const other = seen.get(threshold);
      if (other === undefined) seen.set(threshold, index);
      else {
        problems.push({
          path: ['tiers', index, 'minVolume', currency],
          message: `tier tiers.${other} starts at ${threshold} ${currency} already`,
        });
      }
    }
    if (!thresholds.some(({ threshold }) => threshold === 0)) {
      problems.push({
        path: ['tiers'],
        message: `the lowest tier in ${currency} must start at 0, so a seller without sales has a tier`,
      });
    }
    return problems;
  });
}

/**
 * What is wrong with a rule set beyond the shape of its fields: duplicate scopes (a seller, a
 * category or a tier name twice, two tiers at one threshold of a currency), a minimum above its
 * maximum, and tiers of a currency that leave sellers without sales out (none at 0, or the one at 0
 * asking for buyers).
 */
export function commissionRuleProblems(rules: CommissionRules): ErrorDetail[] {
  return [
    ...boundProblems(rules.default, ['default']),
    ...rules.tiers.flatMap((tier, index) => boundProblems(tier, ['tiers', index])),
    ...rules.categories.flatMap((rule, index) => boundProblems(rule, ['categories', index])),
    ...rules.sellers.flatMap((rule, index) => boundProblems(rule, ['sellers', index])),
    ...duplicateProblems(rules.tiers, 'tiers', 'name', (tier) => tier.name),
    ...duplicateProblems(rules.categories, 'categories', 'category', (rule) => rule.category),
    ...duplicateProblems(rules.sellers, 'sellers', 'sellerId', (rule) => rule.sellerId),
    ...tierThresholdProblems(rules.tiers),
    ...lowestTierBuyerProblems(rules.tiers),
  ];
}

export interface ProviderShare {
  readonly party: string;
  readonly userId: string;
  /** Basis points of the proceeds (the order total minus commission). */
  readonly shareBps: number;
}

/**
 * Splits the proceeds between the providers by their shares, each rounded down; the seller gets
 * the rest, so the parts always add up to exactly `proceeds`.
 */
export function splitProceeds(proceeds: number, sellerId: string, shares: readonly ProviderShare[]) {
  const providerParts = shares.map(({ party, userId, shareBps }) => ({
    party,
    userId,
    amount: Number((BigInt(proceeds) * BigInt(shareBps)) / 10_000n),
  }));
  const sellerAmount = proceeds - providerParts.reduce((sum, part) => sum + part.amount, 0);
  return [{ party: 'seller', userId: sellerId, amount: sellerAmount }, ...providerParts];
}
