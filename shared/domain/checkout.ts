import { type CommissionContext, commissionOnLine, splitProceeds } from './commission.ts';
import { DomainError, describeDetails, type ErrorDetail } from './errors.ts';
import { type Listing, providerProblems } from './listing.ts';
import { sumOf } from './money.ts';
import type { Order, OrderEvent, OrderLine } from './order.ts';
import type { ProcessDefinition } from './order-process.ts';
import { processRefOf } from './processes.ts';
import { sharesOf } from './provider-consent.ts';

export interface CartLine {
  readonly listingId: string;
  readonly quantity: number;
  /** The process's order fields, e.g. a scan file URL. */
  readonly data: Readonly<Record<string, string>>;
}

export interface CheckoutPlan {
  readonly total: number;
  readonly currency: string;
  readonly orders: readonly Order[];
  readonly placedEvents: readonly Omit<OrderEvent, 'seq'>[];
}

export interface CheckoutRequest {
  readonly checkoutId: string;
  readonly buyerId: string;
  readonly lines: readonly CartLine[];
  /** The cart's listings by id, as read just before. */
  readonly listings: ReadonlyMap<string, Listing>;
  readonly processes: ReadonlyMap<string, ProcessDefinition>;
  /** The commission rules in force and the sales volumes of the cart's sellers they need. */
  readonly commission: CommissionContext;
  readonly newOrderId: () => string;
  readonly now: Date;
  /** How long the orders wait for the payment before they are cancelled and their stock released. */
  readonly paymentWindowSeconds: number;
  /** The most the payment provider takes in one payment, in minor units. */
  readonly maxCharge: number;
}

interface PricedLine {
  readonly listing: Listing;
  readonly process: ProcessDefinition;
  readonly line: OrderLine;
}

/** Cart lines that cannot be bought as they are (409), each named with its reason. */
export const linesUnavailable = (details: readonly ErrorDetail[]) =>
  new DomainError('conflict', 'lines_unavailable', describeDetails(details), details);

/** Lines asking more of a listing than it sells to one checkout (422); a cart names each listing once. */
function checkMaxPerOrder(request: CheckoutRequest): void {
  const problems = request.lines.flatMap((line, index): ErrorDetail[] => {
    const max = request.listings.get(line.listingId)?.maxPerOrder;
    return max !== undefined && line.quantity > max
      ? [
          {
            path: ['lines', index, 'quantity'],
            message: `at most ${max} per checkout, ${line.quantity} wanted`,
          },
        ]
      : [];
  });
  if (problems.length > 0) {
    throw new DomainError('unprocessable', 'over_max_per_order', describeDetails(problems), problems);
  }
}

/** A cart the payment provider would refuse to charge at once (422), before anything is reserved. */
function checkChargeable(total: number, currency: string, request: CheckoutRequest): void {
  const max = request.maxCharge;
  if (total <= max) return;
  const message = `the total ${total} exceeds ${max}, the most one payment in ${currency} can take`;
  throw new DomainError('unprocessable', 'over_payment_limit', `lines: ${message}`, [
    { path: ['lines'], message },
  ]);
}

/** Each line priced from its listing, or the lines that cannot be bought, named. */
function priceLines(request: CheckoutRequest): PricedLine[] {
  checkMaxPerOrder(request);
  const problems: ErrorDetail[] = [];
  const available = request.lines.flatMap((cartLine, index) => {
    const path = ['lines', index];
    const listing = request.listings.get(cartLine.listingId);
    if (listing?.status !== 'published' || listing.sellerSuspended) {
      problems.push({ path, message: 'the listing is not on sale' });
      return [];
    }
    const process = request.processes.get(listing.process);
    if (listing.sellerId === request.buyerId)
      problems.push({ path, message: 'you cannot buy your own listing' });
    else if (listing.stock < cartLine.quantity) {
      problems.push({ path, message: `only ${listing.stock} left, ${cartLine.quantity} wanted` });
    } else if (!process || providerProblems(process, listing.providers).length > 0) {
      problems.push({
        path,
        message: 'the listing names no valid process and providers; the seller must fix it',
      });
    } else {
      return [{ cartLine, listing, process }];
    }
    return [];
  });
  if (problems.length > 0) throw linesUnavailable(problems);
  const currencies = new Set(available.map(({ listing }) => listing.price.currency));
  if (currencies.size > 1) {
    const message = `one checkout has one currency, not ${[...currencies].join(' and ')}`;
    throw new DomainError('unprocessable', 'mixed_currencies', `lines: ${message}`, [
      { path: ['lines'], message },
    ]);
  }
  return available.map(({ cartLine, listing, process }): PricedLine => {
    const amount = listing.price.amount * cartLine.quantity;
    const commission = commissionOnLine(request.commission, {
      sellerId: listing.sellerId,
      category: listing.category,
      amount,
      currency: listing.price.currency,
    });
    const line: OrderLine = {
      listingId: listing.id,
      title: listing.title,
      quantity: cartLine.quantity,
      unitPrice: listing.price.amount,
      amount,
      commission,
      data: cartLine.data,
    };
    return { listing, process, line };
  });
}

/** Lines go to one order per seller, and apart when their process or providers differ. */
const orderGroup = ({ listing }: PricedLine) =>
  JSON.stringify([listing.sellerId, listing.process, sharesOf(listing.providers)]);

/**
 * Prices the cart, snapshots prices, commission (each line's, by the commission rules: see
 * commission.ts) and process, and splits it into one order per seller. Refuses lines not on sale,
 * short of stock or over their listing's maximum per order (naming them), carts in two currencies
 * and carts the payment provider cannot charge at once.
 */
export function planCheckout(request: CheckoutRequest): CheckoutPlan {
  const priced = priceLines(request);
  const groups = new Map<string, PricedLine[]>();
  for (const line of priced) groups.set(orderGroup(line), [...(groups.get(orderGroup(line)) ?? []), line]);
  const timestamp = request.now.toISOString();
  const orders = [...groups.values()].map((lines): Order => {
    const [{ listing, process }] = lines as [PricedLine, ...PricedLine[]];
    const total = lines.reduce((sum, { line }) => sum + line.amount, 0);
    const commission = lines.reduce((sum, { line }) => sum + line.commission, 0);
    return {
      id: request.newOrderId(),
      checkoutId: request.checkoutId,
      buyerId: request.buyerId,
      sellerId: listing.sellerId,
      parties: {
        buyer: request.buyerId,
        seller: listing.sellerId,
        ...Object.fromEntries(listing.providers.map((provider) => [provider.party, provider.userId])),
      },
      currency: listing.price.currency,
      lines: lines.map(({ line }) => line),
      total,
      commission,
      payees: splitProceeds(total - commission, listing.sellerId, sharesOf(listing.providers)),
      process: processRefOf(process),
      paymentWindowSeconds: request.paymentWindowSeconds,
      status: 'awaiting-payment',
      paymentStatus: 'authorising',
      version: 1,
      eventCount: 1,
      createdAt: timestamp,
      updatedAt: timestamp,
    };
  });
  const total = sumOf(orders.map((order) => order.total));
  const currency = orders[0]?.currency ?? '';
  checkChargeable(total, currency, request);
  return {
    total,
    currency,
    orders,
    placedEvents: orders.map(() => ({
      at: timestamp,
      by: { party: 'buyer', userId: request.buyerId },
      type: 'placed',
    })),
  };
}
