import { captureOrder } from '#shared/domain/ledger/order-postings.ts';
import { type Order, recordCapture, recordPaymentFailure } from '#shared/domain/order.ts';
import { saleOf } from '#shared/domain/sales-volume.ts';
import { PaymentRejected, type PaymentState, type PaymentStatus } from '#shared/payments/port.ts';
import type { Checkout, CheckoutCapture } from '#shared/store/checkout-records.ts';
import { concurrentModification } from '#shared/store/conditional.ts';
import { payments } from '../composition/payments.ts';
import { ledgerStore } from '../composition/stores/ledger-store.ts';
import { orderStore } from '../composition/stores/order-store.ts';
import { sellerSalesStore } from '../composition/stores/seller-sales-store.ts';
import { applyPaymentAuthorisation, captureDeadlineOf } from './payment-authorisation.ts';

/** The buyer has yet to pay: no payment method given, or one that needs them to authenticate. */
const awaitsBuyer = (status: PaymentStatus) =>
  status === 'requires-payment-method' || status === 'requires-action';

/**
 * Records the payment as the provider reports it now (at checkout, or from its webhook) and acts
 * on it: authorised, the orders go on; then the checkout's capture is settled if it can be (its
 * orders may all have been cancelled while the report was on its way; orders of a checkout the
 * same request `placed` cannot have been, nor decided anything). Once the buyer has paid, the
 * checkout no longer counts among their unpaid ones. Reports may come late, twice, or out of
 * order; the checkout keeps the furthest stage.
 */
export async function recordCheckoutPayment(
  checkoutId: string,
  payment: PaymentState,
  { placed }: { readonly placed?: Checkout } = {},
): Promise<void> {
  // Recorded as the first report, the payment has no order waiting for it: their waits will find it.
  if (placed && (await orderStore.recordFirstPayment(placed, payment, !awaitsBuyer(payment.status)))) return;
  const checkout = await recordReportedPayment(checkoutId, payment);
  const captureBy = captureDeadlineOf(checkout);
  const orders = captureBy
    ? await Promise.all(checkout.orderIds.map((orderId) => applyPaymentAuthorisation(orderId, captureBy)))
    : undefined;
  if (!placed) await settleCheckout(checkout, false, orders);
}

async function recordReportedPayment(checkoutId: string, payment: PaymentState): Promise<Checkout> {
  const checkout = await orderStore.setCheckoutPayment(checkoutId, payment);
  if (checkout.holdsUnpaidSlot && checkout.payment && !awaitsBuyer(checkout.payment.status)) {
    await orderStore.releaseUnpaidCheckout(checkout);
  }
  return checkout;
}

/**
 * The order's part was captured: recorded with its ledger transaction and the seller's sale (and
 * buyer), at once, starting from the order as the capture was decided on.
 */
function applyCapture(asRead: Order): Promise<Order | undefined> {
  const now = new Date();
  return orderStore.update(
    asRead.id,
    (order) =>
      order.paymentStatus === 'authorised' && order.status !== 'cancelled'
        ? recordCapture(order, now)
        : undefined,
    {
      now,
      asRead,
      alsoWrite: (captured) => ledgerStore.transactItems(captureOrder(captured), now),
      alsoWriteIfUnchanged: (captured) => sellerSalesStore.saleWrites(saleOf(captured, captured.total, now)),
    },
  );
}

const waitsForCapture = (order: Order) => order.captureThen !== undefined && order.taskToken !== undefined;
/** Its decision captures: ready, whether its workflow waits for the capture yet or not. */
const decidedToCapture = (order: Order) =>
  order.pending?.capture === true && order.paymentStatus === 'authorised' && order.status === 'in-progress';
const readyForCapture = (order: Order) => waitsForCapture(order) || decidedToCapture(order);
const undecided = (order: Order) =>
  !readyForCapture(order) && order.status !== 'cancelled' && order.paymentStatus !== 'captured';

/** Cancels an order that will never be captured, wherever its workflow stands. */
function failOrder(orderId: string, reason: string): Promise<Order | undefined> {
  return orderStore.update(orderId, (order) =>
    order.status === 'cancelled' || order.paymentStatus === 'captured' || order.pending?.next === 'cancel'
      ? undefined
      : recordPaymentFailure(order, reason, new Date()),
  );
}

/** Why an order left out of its checkout's capture is cancelled, by what became of the capture. */
const failureReasons: Record<Exclude<CheckoutCapture['status'], 'requested'>, string> = {
  captured: 'the payment was captured before this order was ready; an authorisation lasts a few days only',
  cancelled: 'the payment authorisation was released before this order was ready; it lasts a few days only',
  refused: 'the payment could not be captured',
};

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

/** Orders of a checkout change while its capture is decided: a few fresh reads settle it. */
const maxDecisions = 5;

/**
 * The capture the checkout has recorded, or the one to record now; none while orders are undecided.
 * `asRead` are orders of the checkout as the caller has just read them: the first decision starts
 * from them and reads the others. The capture is recorded only against the versions it was decided
 * on, so one read too early costs a second decision, never a wrong capture.
 */
async function captureOf(checkout: Checkout, force: boolean, asRead: readonly Order[] = []) {
  for (let attempt = 1; attempt <= maxDecisions; attempt++) {
    const fresh = attempt === 1 ? checkout : await orderStore.getCheckout(checkout.id);
    const known = attempt === 1 ? asRead : [];
    const orders = (
      await Promise.all(
        checkout.orderIds.map(
          (orderId) => known.find((order) => order.id === orderId) ?? orderStore.get(orderId),
        ),
      )
    ).filter((order) => order !== undefined);
    if (fresh?.capture) return { capture: fresh.capture, orders };
    if (!force && orders.some(undecided)) return { orders };
    const ready = orders.filter(readyForCapture);
    const capture = await orderStore.requestCheckoutCapture(
      checkout.id,
      {
        orderIds: ready.map((order) => order.id),
        amount: ready.reduce((sum, order) => sum + order.total, 0),
        status: 'requested',
        requestedAt: new Date().toISOString(),
      },
      ready,
    );
    if (capture) return { capture, orders };
  }
  throw concurrentModification();
}

/**
 * The checkout's one capture. Once every order has decided to capture (or reached its capture
 * wait) or been cancelled, the orders ready are captured together (nothing waiting: the authorisation is cancelled). At
 * the capture deadline (`force`) the orders waiting are captured and the undecided ones are
 * cancelled by rule, so an authorisation never lapses unnoticed. Any workflow of the checkout may
 * call it, any number of times, concurrently: the capture is recorded (against the versions of
 * the orders it takes) before the provider is asked, every retry asks for the same, the first
 * outcome recorded stands, and each order applies it once. `asRead`: orders of the checkout as the
 * caller has just read them. Answers the orders the settlement changed, as written; none if the
 * capture is not settled yet.
 */
export async function settleCheckoutPayment(
  checkoutId: string,
  { force = false, asRead = [] }: { readonly force?: boolean; readonly asRead?: readonly Order[] } = {},
): Promise<readonly Order[]> {
  const checkout = await orderStore.getCheckout(checkoutId);
  return checkout ? settleCheckout(checkout, force, asRead) : [];
}

async function settleCheckout(
  checkout: Checkout,
  force: boolean,
  ordersAsRead?: readonly Order[],
): Promise<readonly Order[]> {
  const checkoutId = checkout.id;
  if (!checkout.payment) return [];
  const { capture, orders } = await captureOf(checkout, force, ordersAsRead);
  if (!capture) return [];
  const settled = await carryOut(checkout, capture);
  if (settled.status === 'requested')
    throw new Error(`the capture of checkout ${checkoutId} was not settled`);
  const captured = new Set(settled.status === 'captured' ? settled.orderIds : []);
  const reason = `${failureReasons[settled.status]}${settled.reason ? `: ${settled.reason}` : ''}`;
  const applied = await Promise.all(
    orders.map((order) => (captured.has(order.id) ? applyCapture(order) : failOrder(order.id, reason))),
  );
  return applied.filter((order) => order !== undefined);
}
