import { utcDay } from '#shared/domain/commission.ts';
import { captureOrder } from '#shared/domain/ledger/order-postings.ts';
import {
  type Order,
  recordCapture,
  recordPaymentAuthorised,
  recordPaymentFailure,
} from '#shared/domain/order.ts';
import { captureWindowSeconds } from '#shared/domain/order-process.ts';
import { PaymentRejected, type PaymentState } from '#shared/payments/port.ts';
import type { Checkout, CheckoutCapture } from '#shared/store/order-store.ts';
import { payments } from '../payments.ts';
import { ledgerStore, orderStore, sellerSalesStore } from '../stores.ts';

/** When the checkout's payment must be captured at the latest, once it is authorised. */
export function captureDeadlineOf(checkout: Checkout | undefined): string | undefined {
  if (!checkout?.authorisedAt) return undefined;
  return new Date(Date.parse(checkout.authorisedAt) + captureWindowSeconds * 1000).toISOString();
}

/**
 * Records the authorisation on an order whose workflow waits for it; the table's stream then
 * resumes the workflow. An order not waiting yet is left alone: its payment wait finds the
 * authorisation on the checkout when it begins.
 */
export async function applyPaymentAuthorisation(orderId: string, captureBy: string): Promise<void> {
  await orderStore.update(orderId, (order) =>
    order.status === 'awaiting-payment' && order.taskToken && !order.pending
      ? recordPaymentAuthorised(order, captureBy, new Date())
      : undefined,
  );
}

/**
 * Records the payment as the provider reports it now (at checkout, or from its webhook) and acts
 * on it: authorised, the orders go on; captured or cancelled, the checkout's settlement is finished.
 * Reports may come late, twice, or out of order; the checkout keeps the furthest stage.
 */
export async function recordCheckoutPayment(checkoutId: string, payment: PaymentState): Promise<void> {
  const checkout = await orderStore.setCheckoutPayment(checkoutId, payment);
  const captureBy = captureDeadlineOf(checkout);
  if (checkout.payment?.status === 'authorised' && captureBy) {
    await Promise.all(checkout.orderIds.map((orderId) => applyPaymentAuthorisation(orderId, captureBy)));
  } else if (checkout.capture?.status === 'requested') {
    await settleCheckoutPayment(checkoutId);
  }
}

/** The order's part was captured: recorded with its ledger transaction and the seller's sale, at once. */
async function applyCapture(orderId: string): Promise<void> {
  const now = new Date();
  await orderStore.update(
    orderId,
    (order) =>
      order.paymentStatus === 'authorised' && order.status !== 'cancelled'
        ? recordCapture(order, now)
        : undefined,
    {
      now,
      alsoWrite: (captured) => [
        ...ledgerStore.transactItems(captureOrder(captured), now),
        sellerSalesStore.saleUpdate(captured.sellerId, captured.currency, captured.total, utcDay(now)),
      ],
    },
  );
}

/** Cancels an order waiting on the checkout's payment: its part will never be captured. */
async function failOrder(orderId: string, reason: string): Promise<void> {
  await orderStore.update(orderId, (order) =>
    order.taskToken &&
    !order.pending &&
    order.status === 'in-progress' &&
    order.paymentStatus === 'authorised'
      ? recordPaymentFailure(order, reason, new Date())
      : undefined,
  );
}

const waitsForCapture = (order: Order) => order.captureThen !== undefined && order.taskToken !== undefined;
const undecided = (order: Order) =>
  !waitsForCapture(order) && order.status !== 'cancelled' && order.paymentStatus !== 'captured';

/** Asks the provider for the recorded capture (or cancellation) and records what it did. */
async function carryOut(checkout: Checkout, capture: CheckoutCapture): Promise<CheckoutCapture> {
  if (capture.status !== 'requested') return capture;
  if (!checkout.payment) throw new Error(`checkout ${checkout.id} has no payment to capture`);
  const reference = { checkoutId: checkout.id, paymentId: checkout.payment.paymentId };
  try {
    if (capture.amount > 0) await payments.capture(reference, capture.amount);
    else await payments.cancel(reference);
  } catch (error) {
    if (!(error instanceof PaymentRejected)) throw error;
    return orderStore.settleCheckoutCapture(checkout.id, { status: 'refused', reason: error.message });
  }
  return orderStore.settleCheckoutCapture(checkout.id, {
    status: capture.amount > 0 ? 'captured' : 'cancelled',
  });
}

/**
 * The checkout's one capture. Once every order has reached its capture wait or been cancelled,
 * the orders waiting are captured together (nothing waiting: the authorisation is cancelled). At
 * the capture deadline (`force`) the orders waiting are captured and the undecided ones are
 * cancelled by rule, so an authorisation never lapses unnoticed. Safe to call any number of
 * times from any order's workflow: the capture is recorded before the provider is asked, every
 * retry asks for the same, and each order applies the outcome once.
 */
export async function settleCheckoutPayment(checkoutId: string, { force = false } = {}): Promise<void> {
  const checkout = await orderStore.getCheckout(checkoutId);
  if (!checkout?.payment) return;
  const orders = (await Promise.all(checkout.orderIds.map((orderId) => orderStore.get(orderId)))).filter(
    (order) => order !== undefined,
  );
  let capture = checkout.capture;
  if (!capture) {
    if (!force && orders.some(undecided)) return;
    const ready = orders.filter(waitsForCapture);
    capture = await orderStore.requestCheckoutCapture(checkoutId, {
      orderIds: ready.map((order) => order.id),
      amount: ready.reduce((sum, order) => sum + order.total, 0),
      status: 'requested',
      requestedAt: new Date().toISOString(),
    });
  }
  const settled = await carryOut(checkout, capture);
  const captured = new Set(settled.status === 'captured' ? settled.orderIds : []);
  const reason =
    settled.status === 'refused'
      ? `the payment could not be captured: ${settled.reason ?? 'refused'}`
      : 'the payment was captured before this order was ready; an authorisation lasts a few days only';
  await Promise.all(
    orders.map((order) =>
      captured.has(order.id)
        ? applyCapture(order.id)
        : undecided(order) || waitsForCapture(order)
          ? failOrder(order.id, reason)
          : undefined,
    ),
  );
}
