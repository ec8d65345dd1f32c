import { type Order, recordPaymentAuthorised } from '#shared/domain/order.ts';
import { authorisationLifetimeSeconds, captureMarginSeconds } from '#shared/domain/order-process.ts';
import type { Checkout } from '#shared/store/checkout-records.ts';
import { orderStore } from '../composition/stores/order-store.ts';

/**
 * When the checkout's payment must be captured at the latest, once it is authorised: a margin
 * before the authorisation lapses, as the card network set it (else a card's usual seven days).
 */
export function captureDeadlineOf(checkout: Checkout | undefined): string | undefined {
  if (checkout?.payment?.status !== 'authorised' || !checkout.authorisedAt) return undefined;
  const lapses =
    checkout.payment.captureBefore ??
    new Date(Date.parse(checkout.authorisedAt) + authorisationLifetimeSeconds * 1000).toISOString();
  return new Date(Date.parse(lapses) - captureMarginSeconds * 1000).toISOString();
}

/**
 * Records the authorisation on an order whose workflow waits for it; the table's stream then
 * resumes the workflow. An order not waiting yet is left alone: its payment wait finds the
 * authorisation on the checkout when it begins. Answers the order as it stands now; `asRead` is the
 * order as the caller has just read it.
 */
export async function applyPaymentAuthorisation(
  orderId: string,
  captureBy: string,
  asRead?: Order,
): Promise<Order> {
  let latest = asRead;
  const authorised = await orderStore.update(
    orderId,
    (order) => {
      latest = order;
      return order.status === 'awaiting-payment' && order.taskToken && !order.pending
        ? recordPaymentAuthorised(order, captureBy, new Date())
        : undefined;
    },
    asRead ? { asRead } : {},
  );
  const order = authorised ?? latest;
  if (!order) throw new Error(`order ${orderId} was not read`);
  return order;
}
