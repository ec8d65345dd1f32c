import { randomUUID } from 'node:crypto';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { defaultCheckoutSettings } from '#shared/app/orders/checkout-settings.ts';
import { planCheckout } from '#shared/domain/checkout.ts';
import { defaultCommissionRules } from '#shared/domain/commission.ts';
import type { Listing } from '#shared/domain/listing.ts';
import { processCatalog } from '#shared/domain/processes.ts';
import { maxChargeAmount } from '#shared/payments/charge-limits.ts';
import type { Checkout } from '#shared/store/checkout-records.ts';
import { IdempotencyRecordStore } from '#shared/store/idempotency-records.ts';
import { ListingStore } from '#shared/store/listing-store.ts';
import { OrderStore } from '#shared/store/order-store.ts';
import { lampContent } from './fixtures.ts';
import { storeSellerReadyToPublish } from './sellers.ts';

export const newId = (prefix: string) => `${prefix}-${randomUUID()}`;

type PlaceCheckoutParams = Parameters<OrderStore['placeCheckout']>[0];

/** Listings and checkouts written through the stores, as the API's handlers would: for store tests. */
export function storeCheckouts(client: DynamoDBDocumentClient, tableName: string) {
  const listings = new ListingStore(client, tableName);
  const orders = new OrderStore(client, tableName);
  const idempotencyRecords = new IdempotencyRecordStore(client, tableName);

  /** A new seller ready to publish and one published listing (stock 3 unless overridden). */
  async function publishedListing(overrides: Partial<typeof lampContent> = {}, sellerId = newId('seller')) {
    await storeSellerReadyToPublish(client, tableName, sellerId);
    const draft = await listings.create(sellerId, { ...lampContent, ...overrides });
    return listings.transition(draft.id, sellerId, 'publish');
  }

  /**
   * What the checkout handler would write for `buyerId` buying `lines`, priced from the listings as
   * they are now; placing it is left to the test, so it can change the listings in between.
   */
  async function prepareCheckout(
    buyerId: string,
    lines: readonly { listing: Listing; quantity: number }[],
    { now = new Date(), key = randomUUID() as string }: { now?: Date; key?: string } = {},
  ): Promise<
    PlaceCheckoutParams & {
      plan: ReturnType<typeof planCheckout>;
      idempotency: { userId: string; key: string; fingerprint: string };
    }
  > {
    const asRead = await listings.getMany(lines.map(({ listing }) => listing.id));
    const checkoutId = randomUUID();
    const cart = lines.map(({ listing, quantity }) => ({ listingId: listing.id, quantity, data: {} }));
    const plan = planCheckout({
      checkoutId,
      buyerId,
      lines: cart,
      listings: asRead,
      processes: processCatalog,
      commission: { rules: defaultCommissionRules, sellerVolumes: new Map() },
      newOrderId: randomUUID,
      now,
      paymentWindowSeconds: defaultCheckoutSettings.paymentWindowSeconds,
      maxCharge: maxChargeAmount,
    });
    const checkout: Checkout = {
      id: checkoutId,
      buyerId,
      currency: plan.currency,
      total: plan.total,
      orderIds: plan.orders.map((order) => order.id),
      createdAt: now.toISOString(),
    };
    return {
      plan,
      checkout,
      orders: plan.orders,
      placedEvents: plan.placedEvents,
      reservations: cart.map(({ listingId, quantity }) => {
        const { price } = asRead.get(listingId) as Listing;
        return { listingId, quantity, unitPrice: price.amount, currency: price.currency };
      }),
      idempotency: { userId: buyerId, key, fingerprint: `fingerprint-${key}` },
      idempotencyClaim: idempotencyRecords.claim({
        userId: buyerId,
        key,
        fingerprint: `fingerprint-${key}`,
        resourceId: checkoutId,
        now,
      }),
      unpaidLimit: defaultCheckoutSettings.maxUnpaidCheckouts,
      now,
    };
  }

  async function placeCheckout(...args: Parameters<typeof prepareCheckout>) {
    const params = await prepareCheckout(...args);
    await orders.placeCheckout(params);
    return params;
  }

  return { listings, orders, idempotencyRecords, publishedListing, prepareCheckout, placeCheckout };
}
