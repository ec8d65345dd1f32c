import { describe, expect, it } from 'vitest';
import { type CartLine, type CheckoutRequest, planCheckout } from '#shared/domain/checkout.ts';
import { type CommissionRules, defaultCommissionRules } from '#shared/domain/commission.ts';
import { DomainError } from '#shared/domain/errors.ts';
import type { Listing } from '#shared/domain/listing.ts';
import { processCatalog } from '#shared/domain/processes.ts';
import { maxChargeAmount } from '#shared/payments/charge-limits.ts';
import { lampContent } from '../support/fixtures.ts';

const now = new Date('2030-03-04T05:06:07.000Z');
const buyerId = 'buyer-1';

const designer = { party: 'designer', userId: 'designer-1', shareBps: 2000, consent: 'accepted' } as const;
const manufacturer = {
  party: 'manufacturer',
  userId: 'maker-1',
  shareBps: 3333,
  consent: 'accepted',
} as const;
const designers = [designer, manufacturer];

/** A published listing of `sellerId`; `overrides` change what the test is about. */
function listing(id: string, sellerId: string, overrides: Partial<Listing> = {}): Listing {
  return {
    ...lampContent,
    providers: [],
    id,
    sellerId,
    status: 'published',
    version: 1,
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    ...overrides,
  };
}

const line = (listingId: string, quantity = 1, data: Record<string, string> = {}): CartLine => ({
  listingId,
  quantity,
  data,
});

function request(listings: readonly Listing[], lines: readonly CartLine[]): CheckoutRequest {
  let orderCount = 0;
  return {
    checkoutId: 'checkout-1',
    buyerId,
    lines,
    listings: new Map(listings.map((candidate) => [candidate.id, candidate])),
    processes: processCatalog,
    commission: { rules: defaultCommissionRules, sellerVolumes: new Map() },
    newOrderId: () => `order-${++orderCount}`,
    now,
    paymentWindowSeconds: 900,
    maxCharge: maxChargeAmount,
  };
}

/** What planCheckout refused, as kind, code and details. */
function refusal(checkout: CheckoutRequest) {
  try {
    planCheckout(checkout);
  } catch (error) {
    if (error instanceof DomainError) return { kind: error.kind, code: error.code, details: error.details };
    throw error;
  }
  return 'planned';
}

describe('planCheckout', () => {
  it('splits a cart of two sellers into two priced orders', () => {
    const lamp = listing('lamp', 'seller-a', { price: { amount: 4999, currency: 'EUR' } });
    const shade = listing('shade', 'seller-a', { price: { amount: 1005, currency: 'EUR' } });
    const rug = listing('rug', 'seller-b', { price: { amount: 12345, currency: 'EUR' } });
    const plan = planCheckout(request([lamp, shade, rug], [line('lamp', 2), line('rug'), line('shade', 3)]));

    expect(plan.currency).toBe('EUR');
    expect(plan.total).toBe(2 * 4999 + 12345 + 3 * 1005);
    expect(plan.orders.map((order) => [order.id, order.sellerId])).toEqual([
      ['order-1', 'seller-a'],
      ['order-2', 'seller-b'],
    ]);
    const [first, second] = plan.orders;
    expect(first).toMatchObject({
      checkoutId: 'checkout-1',
      buyerId,
      parties: { buyer: buyerId, seller: 'seller-a' },
      currency: 'EUR',
      total: 9998 + 3015,
      // 10% of 9998 = 999.8 -> 1000; of 3015 = 301.5 -> 302 (half up)
      commission: 1000 + 302,
      payees: [{ party: 'seller', userId: 'seller-a', amount: 9998 + 3015 - 1302 }],
      process: { id: 'default-purchase', version: 2 },
      status: 'awaiting-payment',
      paymentStatus: 'authorising',
      version: 1,
      eventCount: 1,
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
    });
    expect(first?.lines).toEqual([
      {
        listingId: 'lamp',
        title: lampContent.title,
        quantity: 2,
        unitPrice: 4999,
        amount: 9998,
        commission: 1000,
        data: {},
      },
      {
        listingId: 'shade',
        title: lampContent.title,
        quantity: 3,
        unitPrice: 1005,
        amount: 3015,
        commission: 302,
        data: {},
      },
    ]);
    expect(second).toMatchObject({
      total: 12345,
      commission: 1235,
      parties: { buyer: buyerId, seller: 'seller-b' },
    });
    expect(plan.placedEvents).toEqual([
      { at: now.toISOString(), by: { party: 'buyer', userId: buyerId }, type: 'placed' },
      { at: now.toISOString(), by: { party: 'buyer', userId: buyerId }, type: 'placed' },
    ]);
  });

  it('makes providers parties and payees, the seller getting the remainder', () => {
    const scan = { scanFileUrl: 'https://scans.example/1.stl' };
    const custom = listing('custom', 'seller-a', {
      process: 'custom-manufacturing',
      providers: designers,
      price: { amount: 10000, currency: 'EUR' },
    });
    const [order] = planCheckout(request([custom], [line('custom', 1, scan)])).orders;
    expect(order?.parties).toEqual({
      buyer: buyerId,
      seller: 'seller-a',
      designer: 'designer-1',
      manufacturer: 'maker-1',
    });
    expect(order?.lines[0]?.data).toEqual(scan);
    // proceeds 9000: designer 20% = 1800, manufacturer 33.33% = 2999.7 -> 2999, seller the rest
    expect(order?.payees).toEqual([
      { party: 'seller', userId: 'seller-a', amount: 9000 - 1800 - 2999 },
      { party: 'designer', userId: 'designer-1', amount: 1800 },
      { party: 'manufacturer', userId: 'maker-1', amount: 2999 },
    ]);
    expect(order?.process.id).toBe('custom-manufacturing');
  });

  it('keeps one seller’s lines apart when their process or providers differ', () => {
    const plain = listing('plain', 'seller-a');
    const customA = listing('custom-a', 'seller-a', {
      process: 'custom-manufacturing',
      providers: designers,
    });
    const customB = listing('custom-b', 'seller-a', {
      process: 'custom-manufacturing',
      providers: [designer, { ...manufacturer, userId: 'maker-2' }],
    });
    const customA2 = listing('custom-a2', 'seller-a', {
      process: 'custom-manufacturing',
      providers: designers,
    });
    const plan = planCheckout(
      request(
        [plain, customA, customB, customA2],
        [line('plain'), line('custom-a'), line('custom-b'), line('custom-a2')],
      ),
    );
    expect(plan.orders.map((order) => order.lines.map((orderLine) => orderLine.listingId))).toEqual([
      ['plain'],
      ['custom-a', 'custom-a2'],
      ['custom-b'],
    ]);
    expect(plan.orders.map((order) => order.sellerId)).toEqual(['seller-a', 'seller-a', 'seller-a']);
  });

  it('names every line that cannot be bought, as a conflict', () => {
    const listings = [
      listing('fine', 'seller-a'),
      listing('draft', 'seller-a', { status: 'unpublished' }),
      listing('own', buyerId),
      listing('short', 'seller-a', { stock: 2 }),
      listing('no-designer', 'seller-a', { process: 'custom-manufacturing', providers: [manufacturer] }),
      listing('over-shared', 'seller-a', {
        process: 'custom-manufacturing',
        providers: designers.map((provider) => ({ ...provider, shareBps: 6000 })),
      }),
      listing('unknown-process', 'seller-a', { process: 'barter' }),
    ];
    const lines = [
      line('fine'),
      line('draft'),
      line('own'),
      line('short', 3),
      line('missing'),
      line('no-designer'),
      line('over-shared'),
      line('unknown-process'),
    ];
    const misconfigured = 'the listing names no valid process and providers; the seller must fix it';
    expect(refusal(request(listings, lines))).toEqual({
      kind: 'conflict',
      code: 'lines_unavailable',
      details: [
        { path: ['lines', 1], message: 'the listing is not on sale' },
        { path: ['lines', 2], message: 'you cannot buy your own listing' },
        { path: ['lines', 3], message: 'only 2 left, 3 wanted' },
        { path: ['lines', 4], message: 'the listing is not on sale' },
        { path: ['lines', 5], message: misconfigured },
        { path: ['lines', 6], message: misconfigured },
        { path: ['lines', 7], message: misconfigured },
      ],
    });
  });

  it('sells exactly the stock that is left', () => {
    const plan = planCheckout(request([listing('last', 'seller-a', { stock: 2 })], [line('last', 2)]));
    expect(plan.orders[0]?.lines[0]?.quantity).toBe(2);
  });

  it('refuses a cart in two currencies as unprocessable', () => {
    const euros = listing('euros', 'seller-a');
    const pounds = listing('pounds', 'seller-b', { price: { amount: 100, currency: 'GBP' } });
    expect(refusal(request([euros, pounds], [line('euros'), line('pounds')]))).toEqual({
      kind: 'unprocessable',
      code: 'mixed_currencies',
      details: [{ path: ['lines'], message: 'one checkout has one currency, not EUR and GBP' }],
    });
  });

  it("charges each line by the commission rules in force, with its seller's volume for tiers", () => {
    const rules: CommissionRules = {
      default: { rateBps: 1000 },
      tiers: [
        { name: 'bronze', minVolume: { EUR: 0 }, rateBps: 1200 },
        { name: 'gold', minVolume: { EUR: 10_000_000 }, rateBps: 600 },
      ],
      categories: [{ category: 'home/lamps', rateBps: 250, fixedFee: { EUR: 30 } }],
      sellers: [{ sellerId: 'seller-c', rateBps: 100, minimum: { EUR: 75 } }],
    };
    const lamp = listing('lamp', 'seller-a', { price: { amount: 4999, currency: 'EUR' } });
    const rug = listing('rug', 'seller-a', {
      category: 'home/rugs',
      price: { amount: 10_000, currency: 'EUR' },
    });
    const vase = listing('vase', 'seller-b', {
      category: 'home/vases',
      price: { amount: 10_000, currency: 'EUR' },
    });
    const chair = listing('chair', 'seller-c', { price: { amount: 4999, currency: 'EUR' } });
    const plan = planCheckout({
      ...request([lamp, rug, vase, chair], [line('lamp'), line('rug'), line('vase'), line('chair')]),
      commission: { rules, sellerVolumes: new Map([['seller-b', { amount: 10_000_000, buyers: 40 }]]) },
    });
    const commissions = plan.orders.flatMap((order) =>
      order.lines.map((each) => [each.listingId, each.commission]),
    );
    expect(commissions).toEqual([
      ['lamp', 125 + 30], // category home/lamps: 2.5% of 4999 = 124.975 -> 125, plus the EUR fee
      ['rug', 1200], // no category rule; seller-a has no sales: the lowest tier, 12%
      ['vase', 600], // seller-b has reached gold: 6%
      ['chair', 75], // seller-c's override beats the category: 1% = 50, raised to the minimum 75
    ]);
    expect(plan.orders[0]).toMatchObject({ commission: 155 + 1200, payees: [{ amount: 14_999 - 1355 }] });
  });

  it('charges 10% of each line, rounded half up, under the default rules', () => {
    const lamp = listing('lamp', 'seller-a', { price: { amount: 25, currency: 'EUR' } });
    const plan = planCheckout(request([lamp], [line('lamp')]));
    // 10% of 25 = 2.5 -> 3
    expect(plan.orders[0]).toMatchObject({ commission: 3, payees: [{ amount: 22 }] });
  });
});
