import { describe, expect, it } from 'vitest';
import { commissionRulesBody } from '#functions/routes/schemas/admin.ts';
import { fieldErrors } from '#shared/http/request.ts';

/** The fields a rule set is refused for, as the API names them. */
function invalidFields(body: unknown): string[] {
  const result = commissionRulesBody.safeParse(body);
  return result.success ? [] : fieldErrors('body', result.error).map((error) => error.field);
}

describe('the commission rule set an admin saves', () => {
  it('accepts a full rule set and defaults the lists to empty', () => {
    const full = {
      default: { rateBps: 1000 },
      tiers: [
        { name: 'bronze', minVolume: { EUR: 0 }, rateBps: 1000 },
        { name: 'silver', minVolume: { EUR: 1_000_000 }, rateBps: 900, fixedFee: { EUR: 10 } },
        {
          name: 'gold',
          minVolume: { EUR: 10_000_000 },
          minBuyers: 25,
          rateBps: 800,
          maximum: { EUR: 10_000 },
        },
      ],
      categories: [{ category: 'home/lamps', rateBps: 600, minimum: { EUR: 50, USD: 50 } }],
      sellers: [{ sellerId: 'seller-1', rateBps: 0, fixedFee: { EUR: 0 } }],
    };
    expect(commissionRulesBody.parse(full)).toEqual(full);
    expect(commissionRulesBody.parse({ default: { rateBps: 0 } })).toEqual({
      default: { rateBps: 0 },
      tiers: [],
      categories: [],
      sellers: [],
    });
  });

  it('names rates outside 0 to 10000 basis points and amounts that are not whole minor units', () => {
    expect(
      invalidFields({
        default: { rateBps: 10_001 },
        categories: [
          { category: 'home', rateBps: -1 },
          { category: 'garden', rateBps: 12.5 },
          { category: 'toys', rateBps: 100, fixedFee: { EUR: -1, USD: 1.5 } },
          { category: 'tools', rateBps: 100, maximum: { EUR: 1e13 } },
        ],
      }),
    ).toEqual([
      'body.default.rateBps',
      'body.categories.0.rateBps',
      'body.categories.1.rateBps',
      'body.categories.2.fixedFee.EUR',
      'body.categories.2.fixedFee.USD',
      'body.categories.3.maximum.EUR',
    ]);
  });

  it('names unknown currencies, fields and malformed scopes', () => {
    expect(
      invalidFields({
        default: { rateBps: 100, fixedFee: { EURO: 1 }, percent: 5 },
        tiers: [
          { name: 'Gold!', minVolume: {}, rateBps: 1 },
          { name: 'gold', minVolume: { EUR: 0 }, minBuyers: 1.5, rateBps: 1 },
          { name: 'platinum', minVolume: { EUR: 10 }, minBuyers: -1, rateBps: 1 },
        ],
        categories: [{ category: 'Home Lamps', rateBps: 1 }],
        sellers: [{ sellerId: 'a b', rateBps: 1 }],
      }),
    ).toEqual([
      'body.default.fixedFee.EURO',
      'body.default.percent',
      'body.tiers.0.name',
      'body.tiers.0.minVolume',
      'body.tiers.1.minBuyers',
      'body.tiers.2.minBuyers',
      'body.categories.0.category',
      'body.sellers.0.sellerId',
    ]);
    expect(invalidFields({})).toEqual(['body.default']);
  });

  it('names a minimum above its maximum, duplicate scopes and tiers without a start at 0 that asks no buyers', () => {
    expect(
      invalidFields({
        default: { rateBps: 100, minimum: { EUR: 10 }, maximum: { EUR: 9 } },
        tiers: [
          { name: 'silver', minVolume: { EUR: 1000 }, rateBps: 1 },
          { name: 'bronze', minVolume: { USD: 0 }, minBuyers: 1, rateBps: 1 },
        ],
        categories: [
          { category: 'home', rateBps: 1 },
          { category: 'home', rateBps: 2 },
        ],
        sellers: [
          { sellerId: 'a', rateBps: 1 },
          { sellerId: 'a', rateBps: 1 },
        ],
      }),
    ).toEqual([
      'body.default.minimum.EUR',
      'body.categories.1.category',
      'body.sellers.1.sellerId',
      'body.tiers',
      'body.tiers.1.minBuyers',
    ]);
  });
});
