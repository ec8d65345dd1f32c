import { randomUUID } from 'node:crypto';
import { payments } from '#shared/app/composition/payments.ts';
import { orderStore } from '#shared/app/composition/stores/order-store.ts';
import { sellerSalesStore } from '#shared/app/composition/stores/seller-sales-store.ts';
import { idempotentHandler } from '#shared/app/idempotency/idempotent-handler.ts';
import { recordCheckoutPayment } from '#shared/app/orders/checkout-payment.ts';
import { checkoutSettings } from '#shared/app/orders/checkout-settings.ts';
import { type CartLine, planCheckout } from '#shared/domain/checkout.ts';
import { type CommissionRules, dependsOnSalesVolume } from '#shared/domain/commission.ts';
import { DomainError } from '#shared/domain/errors.ts';
import type { Listing } from '#shared/domain/listing.ts';
import type { Order } from '#shared/domain/order.ts';
import { fieldsSchema } from '#shared/domain/order-process.ts';
import { processCatalog } from '#shared/domain/processes.ts';
import type { SalesVolume } from '#shared/domain/sales-volume.ts';
import { userSuspended } from '#shared/domain/suspension.ts';
import { badRequest } from '#shared/http/problem.ts';
import { fieldErrors } from '#shared/http/request.ts';
import { logger } from '#shared/logger.ts';
import { count, counters } from '#shared/observability/metrics.ts';
import { maxChargeAmount } from '#shared/payments/charge-limits.ts';
import type { Checkout } from '#shared/store/checkout-records.ts';
import { orderRoutes } from '../routes/orders.ts';

const route = orderRoutes.placeCheckout;
const settings = checkoutSettings();

/** DynamoDB cancels a transaction that races another on the same items; a few tries settle it. */
const maxPlacementAttempts = 3;

/** The lines' order fields, checked against their listing's process (400 naming each bad value). */
function checkOrderFields(lines: readonly CartLine[], listings: ReadonlyMap<string, Listing>): void {
  const errors = lines.flatMap((line, index) => {
    const process = processCatalog.get(listings.get(line.listingId)?.process ?? '');
    if (!process) return [];
    const result = fieldsSchema(process.orderFields).safeParse(line.data);
    return result.success ? [] : fieldErrors(`body.lines.${index}.data`, result.error);
  });
  if (errors.length > 0) throw badRequest('Some lines lack the data their listing needs.', errors);
}

/**
 * The trailing 30-day sales (net volume and distinct buyers) of each seller whose commission
 * depends on them (no override, no category rule, a tier in the cart's currency): one Query per
 * such seller, none with no tiers.
 */
async function sellerVolumesFor(
  listings: ReadonlyMap<string, Listing>,
  rules: CommissionRules,
  now: Date,
): Promise<ReadonlyMap<string, SalesVolume>> {
  const currencies = new Set([...listings.values()].map((listing) => listing.price.currency));
  // A cart in two currencies is refused by the plan; nothing to read for it.
  if (currencies.size !== 1) return new Map();
  const sellerIds = new Set(
    [...listings.values()]
      .filter((listing) =>
        dependsOnSalesVolume(rules, {
          sellerId: listing.sellerId,
          category: listing.category,
          currency: listing.price.currency,
        }),
      )
      .map((listing) => listing.sellerId),
  );
  const [currency = ''] = currencies;
  const volumes = await Promise.all(
    [...sellerIds].map(
      async (sellerId) => [sellerId, await sellerSalesStore.trailingVolume(sellerId, currency, now)] as const,
    ),
  );
  return new Map(volumes);
}

/**
 * Creates the payment (confirmed at once when the buyer sent a payment method) and records it,
 * which lets the orders go on if it is authorised. Every part is idempotent, so a retry of a
 * checkout interrupted half-way finishes it, with the payment recorded already if there is one.
 * The orders' workflows were started from the table's stream when the orders were written; one
 * whose payment is never authorised times out and is cancelled with compensation.
 */
async function finishCheckout(
  checkout: Checkout,
  orders: readonly Pick<Order, 'id' | 'sellerId' | 'total'>[],
  paymentMethod: string | undefined,
  placement: { readonly placed?: Checkout },
) {
  const payment = checkout.payment
    ? await payments.retrieve(checkout.payment.paymentId)
    : await payments.authorise({
        checkoutId: checkout.id,
        buyerId: checkout.buyerId,
        amount: checkout.total,
        currency: checkout.currency,
        ...(paymentMethod ? { paymentMethod } : {}),
      });
  await recordCheckoutPayment(checkout.id, payment, placement);
  const body = {
    id: checkout.id,
    currency: checkout.currency,
    total: checkout.total,
    orders: orders.map(({ id, sellerId, total }) => ({ id, sellerId, total })),
    payment: {
      id: payment.paymentId,
      status: payment.status,
      ...(payment.clientSecret ? { clientSecret: payment.clientSecret } : {}),
      ...(payment.failure ? { failure: payment.failure } : {}),
    },
    createdAt: checkout.createdAt,
  };
  return { status: 201, body };
}

/** The checkout a request with this key placed: its retry finishes it rather than placing another. */
async function finishPlacedCheckout(checkoutId: string, paymentMethod: string | undefined) {
  const checkout = await orderStore.getCheckout(checkoutId);
  if (!checkout) throw new Error(`checkout ${checkoutId} claimed by an idempotency key is missing`);
  const orders = await Promise.all(checkout.orderIds.map((orderId) => orderStore.get(orderId)));
  return finishCheckout(
    checkout,
    orders.filter((order) => order !== undefined),
    paymentMethod,
    {},
  );
}

export const handler = idempotentHandler(route, async ({ body, caller }, idempotency) => {
  const { lines, paymentMethod } = body;
  if (idempotency.resumes) return finishPlacedCheckout(idempotency.resumes, paymentMethod);

  const {
    listings,
    commission: { rules },
    buyerSuspended,
  } = await orderStore.checkoutInputs(
    caller.userId,
    lines.map((line) => line.listingId),
  );
  if (buyerSuspended) throw userSuspended();
  checkOrderFields(lines, listings);
  const now = new Date();
  const sellerVolumes = await sellerVolumesFor(listings, rules, now);
  const checkoutId = randomUUID();
  const plan = planCheckout({
    checkoutId,
    buyerId: caller.userId,
    lines,
    listings,
    processes: processCatalog,
    commission: { rules, sellerVolumes },
    newOrderId: randomUUID,
    now,
    paymentWindowSeconds: settings.paymentWindowSeconds,
    maxCharge: maxChargeAmount,
  });
  const checkout: Checkout = {
    id: checkoutId,
    buyerId: caller.userId,
    currency: plan.currency,
    total: plan.total,
    orderIds: plan.orders.map((order) => order.id),
    createdAt: now.toISOString(),
  };
  const placement = {
    checkout,
    orders: plan.orders,
    placedEvents: plan.placedEvents,
    reservations: lines.map((line) => {
      const listing = listings.get(line.listingId) as Listing;
      return {
        listingId: line.listingId,
        quantity: line.quantity,
        unitPrice: listing.price.amount,
        currency: listing.price.currency,
      };
    }),
    idempotencyClaim: idempotency.claim(checkoutId),
    unpaidLimit: settings.maxUnpaidCheckouts,
    now,
  };
  for (let attempt = 1; ; attempt++) {
    try {
      await orderStore.placeCheckout(placement);
      count(counters.checkoutsPlaced);
      logger.info('checkout placed', { checkoutId, orderIds: checkout.orderIds });
      break;
    } catch (error) {
      const raced = error instanceof DomainError && error.code === 'concurrent_modification';
      if (!(raced && attempt < maxPlacementAttempts)) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 50 * attempt));
    }
  }
  return finishCheckout(checkout, plan.orders, paymentMethod, {
    placed: checkout,
  });
});
