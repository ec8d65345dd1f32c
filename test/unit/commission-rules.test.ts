import { describe, expect, it } from 'vitest';
import {
  applicableCommissionRule,
  type CommissionRules,
  type CommissionTerms,
  commissionOf,
  commissionOnLine,
  commissionRuleProblems,
  defaultCommissionRules,
  dependsOnSalesVolume,
  isCategoryWithin,
  tierOf,
} from '#shared/domain/commission.ts';
import { noSales, type SalesVolume } from '#shared/domain/sales-volume.ts';

const noRules: Omit<CommissionRules, 'default'> = { tiers: [], categories: [], sellers: [] };

/** Every kind of rule, each with its own rate so the test can tell which one applied. */
const rules: CommissionRules = {
  default: { rateBps: 1000 },
  tiers: [
    { name: 'silver', minVolume: { EUR: 1_000_000 }, rateBps: 900 },
    { name: 'bronze', minVolume: { EUR: 0, USD: 0 }, rateBps: 950 },
    { name: 'gold', minVolume: { EUR: 10_000_000 }, rateBps: 800 },
  ],
  categories: [
    { category: 'home', rateBps: 700 },
    { category: 'home/lamps/desk', rateBps: 500 },
    { category: 'home/lamps', rateBps: 600 },
  ],
  sellers: [{ sellerId: 'vip', rateBps: 300 }],
};

const eur = (sellerId: string, category: string) => ({ sellerId, category, currency: 'EUR' });

/** A seller's trailing sales of `amount`, from `buyers` distinct buyers. */
const sales = (amount: number, buyers = 1): SalesVolume => ({ amount, buyers });

describe('which rule applies to a line', () => {
  it('follows the precedence seller override > category > tier > default', () => {
    const applied = (line: ReturnType<typeof eur>, volume = 0) =>
      applicableCommissionRule(rules, line, sales(volume)).source;
    expect(applied(eur('vip', 'home/lamps'), 50_000_000)).toEqual({ scope: 'seller', sellerId: 'vip' });
    expect(applied(eur('anyone', 'home/lamps'), 50_000_000)).toEqual({
      scope: 'category',
      category: 'home/lamps',
    });
    expect(applied(eur('anyone', 'garden/tools'), 50_000_000)).toEqual({ scope: 'tier', tier: 'gold' });
    expect(applied({ ...eur('anyone', 'garden/tools'), currency: 'GBP' })).toEqual({ scope: 'default' });
    expect(
      applicableCommissionRule({ default: { rateBps: 42 }, ...noRules }, eur('vip', 'home'), noSales),
    ).toEqual({
      source: { scope: 'default' },
      terms: { rateBps: 42 },
    });
  });

  it('takes the terms of the one rule that applies, whole', () => {
    const withFee: CommissionRules = {
      ...rules,
      default: { rateBps: 1000, fixedFee: { EUR: 99 } },
      sellers: [{ sellerId: 'vip', rateBps: 300 }],
    };
    // The override names no fee: the default's fee does not leak into it.
    expect(
      commissionOnLine({ rules: withFee, sellerVolumes: new Map() }, { ...eur('vip', 'x'), amount: 10_000 }),
    ).toBe(300);
  });

  it('picks the most specific category prefix, segment by segment', () => {
    const categoryOf = (category: string) => {
      const { source } = applicableCommissionRule(rules, eur('anyone', category), noSales);
      return source.scope === 'category' ? source.category : source.scope;
    };
    expect(categoryOf('home')).toBe('home');
    expect(categoryOf('home/rugs')).toBe('home');
    expect(categoryOf('home/lamps')).toBe('home/lamps');
    expect(categoryOf('home/lamps/floor')).toBe('home/lamps');
    expect(categoryOf('home/lamps/desk')).toBe('home/lamps/desk');
    expect(categoryOf('home/lamps/desk/brass')).toBe('home/lamps/desk');
    // A prefix of the text that is not a whole segment does not count.
    expect(categoryOf('homeware')).toBe('tier');
    expect(categoryOf('home/lampshades')).toBe('home');
    expect(isCategoryWithin('home/lamps', 'home/lamp')).toBe(false);
  });

  it('finds the tier by the volume in the line currency, the lowest when there are no sales', () => {
    const tierName = (currency: string, volume: number) => tierOf(rules, currency, sales(volume))?.name;
    expect(tierName('EUR', 0)).toBe('bronze');
    expect(tierName('EUR', 999_999)).toBe('bronze');
    expect(tierName('EUR', 1_000_000)).toBe('silver');
    expect(tierName('EUR', 9_999_999)).toBe('silver');
    expect(tierName('EUR', 10_000_000)).toBe('gold');
    expect(tierName('EUR', 1e15)).toBe('gold');
    // USD names only bronze: a seller selling a lot in USD stays there; GBP has no tiers.
    expect(tierName('USD', 50_000_000)).toBe('bronze');
    expect(tierName('GBP', 50_000_000)).toBeUndefined();
    const context = { rules, sellerVolumes: new Map([['big', sales(12_000_000)]]) };
    expect(commissionOnLine(context, { ...eur('big', 'garden'), amount: 10_000 })).toBe(800);
    expect(commissionOnLine(context, { ...eur('small', 'garden'), amount: 10_000 })).toBe(950);
  });

  it('puts a seller in a tier only with the distinct buyers it asks for, else in the best tier they qualify for', () => {
    const withBuyers: CommissionRules = {
      ...rules,
      tiers: [
        { name: 'bronze', minVolume: { EUR: 0 }, minBuyers: 0, rateBps: 950 },
        { name: 'silver', minVolume: { EUR: 1_000_000 }, rateBps: 900 },
        { name: 'gold', minVolume: { EUR: 10_000_000 }, minBuyers: 3, rateBps: 800 },
      ],
    };
    const tierName = (volume: SalesVolume) => tierOf(withBuyers, 'EUR', volume)?.name;
    expect(tierName(sales(50_000_000, 1))).toBe('silver');
    expect(tierName(sales(50_000_000, 2))).toBe('silver');
    expect(tierName(sales(10_000_000, 3))).toBe('gold');
    // Many buyers do not make up for the volume.
    expect(tierName(sales(9_999_999, 100))).toBe('silver');
    expect(tierName(noSales)).toBe('bronze');
    const context = {
      rules: withBuyers,
      sellerVolumes: new Map([
        ['one-big-buyer', sales(50_000_000, 1)],
        ['popular', sales(50_000_000, 3)],
      ]),
    };
    expect(commissionOnLine(context, { ...eur('one-big-buyer', 'garden'), amount: 10_000 })).toBe(900);
    expect(commissionOnLine(context, { ...eur('popular', 'garden'), amount: 10_000 })).toBe(800);
  });

  it('needs the sales volume only when no override or category rule applies and a tier names the currency', () => {
    expect(dependsOnSalesVolume(rules, eur('anyone', 'garden'))).toBe(true);
    expect(dependsOnSalesVolume(rules, eur('vip', 'garden'))).toBe(false);
    expect(dependsOnSalesVolume(rules, eur('anyone', 'home/rugs'))).toBe(false);
    expect(dependsOnSalesVolume(rules, { ...eur('anyone', 'garden'), currency: 'GBP' })).toBe(false);
    expect(dependsOnSalesVolume(defaultCommissionRules, eur('anyone', 'garden'))).toBe(false);
  });
});

describe('the commission of a line under its terms', () => {
  const rate = (rateBps: number): CommissionTerms => ({ rateBps });

  it.each([
    // amount, rate (bps), commission: exactly half a minor unit rounds up, just below rounds down
    [5, 1000, 1], // 0.5
    [4, 1000, 0], // 0.4
    [25, 1000, 3], // 2.5
    [4999, 1, 0], // 0.4999
    [5000, 1, 1], // 0.5
    [14_999, 1, 1], // 1.4999
    [15_000, 1, 2], // 1.5
    [4999, 250, 125], // 124.975
    [0, 10_000, 0],
    [1, 10_000, 1],
  ])('rounds %i at %i bps half up to %i', (amount, rateBps, commission) => {
    expect(commissionOf(amount, 'EUR', rate(rateBps))).toBe(commission);
  });

  it('adds the fixed fee after rounding, in the currencies it names only', () => {
    const terms: CommissionTerms = { rateBps: 1000, fixedFee: { EUR: 30, JPY: 50 } };
    expect(commissionOf(1005, 'EUR', terms)).toBe(101 + 30); // 100.5 -> 101, then + 30
    expect(commissionOf(1000, 'JPY', terms)).toBe(100 + 50);
    expect(commissionOf(1000, 'USD', terms)).toBe(100);
    expect(commissionOf(1000, 'GBP', { rateBps: 0, fixedFee: { EUR: 30 } })).toBe(0);
  });

  it('clamps the sum between the minimum and maximum of the currency', () => {
    const terms: CommissionTerms = {
      rateBps: 1000,
      fixedFee: { EUR: 20 },
      minimum: { EUR: 50, USD: 10 },
      maximum: { EUR: 500 },
    };
    expect(commissionOf(200, 'EUR', terms)).toBe(50); // 20 + 20 = 40 -> the minimum 50
    expect(commissionOf(300, 'EUR', terms)).toBe(50); // 30 + 20 = 50: on the minimum
    expect(commissionOf(305, 'EUR', terms)).toBe(51); // 30.5 -> 31, + 20
    expect(commissionOf(4800, 'EUR', terms)).toBe(500); // 480 + 20 = 500: on the maximum
    expect(commissionOf(4806, 'EUR', terms)).toBe(500); // 480.6 -> 481, + 20 -> the maximum 500
    expect(commissionOf(1_000_000, 'EUR', terms)).toBe(500);
    expect(commissionOf(40, 'USD', terms)).toBe(10); // 4 -> the USD minimum 10, no fee, no maximum
    expect(commissionOf(1_000_000, 'USD', terms)).toBe(100_000);
    expect(commissionOf(1_000_000, 'GBP', terms)).toBe(100_000); // no bounds in GBP
  });

  it('never takes more than the line, nor less than nothing', () => {
    expect(commissionOf(30, 'EUR', { rateBps: 1000, minimum: { EUR: 50 } })).toBe(30);
    expect(commissionOf(10, 'EUR', { rateBps: 0, fixedFee: { EUR: 25 } })).toBe(10);
    expect(commissionOf(0, 'EUR', { rateBps: 10_000, fixedFee: { EUR: 25 }, minimum: { EUR: 5 } })).toBe(0);
    expect(commissionOf(100, 'EUR', { rateBps: 10_000, fixedFee: { EUR: 25 } })).toBe(100);
    expect(commissionOf(100, 'EUR', { rateBps: 0, maximum: { EUR: 0 } })).toBe(0);
  });

  it('stays exact for amounts near 1e12, where amount × rate passes 2^53', () => {
    // 999 999 995 001 × 9999 = 9 998 999 950 014 999, odd and above 2^53: in floating point it
    // becomes ...015 000 and would round up to 999 899 995 002.
    expect(999_999_995_001 * 9_999).toBeGreaterThan(Number.MAX_SAFE_INTEGER);
    expect(commissionOf(999_999_995_001, 'EUR', rate(9_999))).toBe(999_899_995_001);
    expect(commissionOf(1_000_000_000_000, 'EUR', rate(10_000))).toBe(1_000_000_000_000);
    expect(commissionOf(1_000_000_000_000, 'EUR', { rateBps: 10_000, fixedFee: { EUR: 1 } })).toBe(
      1_000_000_000_000,
    );
    expect(commissionOf(999_999_999_999, 'EUR', { rateBps: 1, fixedFee: { EUR: 7 } })).toBe(100_000_007);
    expect(
      commissionOf(1_234_567_890_123, 'EUR', { rateBps: 7_500, maximum: { EUR: 900_000_000_000 } }),
    ).toBe(900_000_000_000);
    // 1000 units at the highest price: 1e15, still exact.
    expect(commissionOf(1e15 - 1, 'EUR', rate(5_000))).toBe(500_000_000_000_000); // ...499.5 -> up
  });
});

describe('what is wrong with a rule set', () => {
  const fields = (candidate: CommissionRules) =>
    commissionRuleProblems(candidate).map((problem) => problem.path.join('.'));

  it('finds nothing wrong with consistent rules or the defaults', () => {
    expect(commissionRuleProblems(rules)).toEqual([]);
    expect(commissionRuleProblems(defaultCommissionRules)).toEqual([]);
  });

  it('names duplicate scopes, crossed bounds and tiers that leave sellers without sales out', () => {
    const problems = commissionRuleProblems({
      default: { rateBps: 1000, minimum: { EUR: 60 }, maximum: { EUR: 50, USD: 1 } },
      tiers: [
        { name: 'bronze', minVolume: { EUR: 0, USD: 100 }, rateBps: 900 },
        { name: 'silver', minVolume: { EUR: 1000 }, rateBps: 900 },
        { name: 'silver', minVolume: { EUR: 1000 }, rateBps: 800 },
      ],
      categories: [
        { category: 'home', rateBps: 1, minimum: { EUR: 5 }, maximum: { EUR: 5 } },
        { category: 'home', rateBps: 2 },
      ],
      sellers: [
        { sellerId: 'a', rateBps: 1 },
        { sellerId: 'b', rateBps: 1, minimum: { JPY: 10 }, maximum: { JPY: 9 } },
        { sellerId: 'a', rateBps: 2 },
      ],
    });
    expect(problems).toEqual([
      { path: ['default', 'minimum', 'EUR'], message: 'is above the maximum 50 EUR' },
      { path: ['sellers', 1, 'minimum', 'JPY'], message: 'is above the maximum 9 JPY' },
      { path: ['tiers', 2, 'name'], message: 'silver has a rule already (tiers.1)' },
      { path: ['categories', 1, 'category'], message: 'home has a rule already (categories.0)' },
      { path: ['sellers', 2, 'sellerId'], message: 'a has a rule already (sellers.0)' },
      { path: ['tiers', 2, 'minVolume', 'EUR'], message: 'tier tiers.1 starts at 1000 EUR already' },
      {
        path: ['tiers'],
        message: 'the lowest tier in USD must start at 0, so a seller without sales has a tier',
      },
    ]);
  });

  it('names buyers asked of the tier a currency starts at 0 with, where sellers without sales are', () => {
    const problems = commissionRuleProblems({
      ...rules,
      tiers: [
        { name: 'bronze', minVolume: { EUR: 0, USD: 0 }, minBuyers: 2, rateBps: 950 },
        { name: 'bronze-gb', minVolume: { GBP: 0 }, minBuyers: 0, rateBps: 950 },
        { name: 'silver', minVolume: { EUR: 1000, GBP: 1000 }, minBuyers: 2, rateBps: 900 },
      ],
    });
    expect(problems).toEqual([
      {
        path: ['tiers', 0, 'minBuyers'],
        message:
          'must be 0 or absent on a tier starting at 0 (EUR, USD), so a seller without sales has a tier',
      },
    ]);
  });

  it('accepts the same threshold in different currencies, and a minimum equal to the maximum', () => {
    expect(
      fields({
        ...rules,
        tiers: [
          { name: 'bronze', minVolume: { EUR: 0, USD: 0 }, rateBps: 900 },
          { name: 'silver', minVolume: { EUR: 500 }, rateBps: 900 },
          { name: 'silver-us', minVolume: { USD: 500 }, rateBps: 900 },
        ],
        default: { rateBps: 1000, minimum: { EUR: 5 }, maximum: { EUR: 5 } },
      }),
    ).toEqual([]);
  });
});
