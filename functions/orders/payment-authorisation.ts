import { recordPaymentAuthorised } from '#shared/domain/order.ts';
import { orderStore } from '../stores.ts';

/** Whether the provider has authorised the checkout's payment (recorded at checkout, or by its webhook). */
export async function checkoutPaymentAuthorised(checkoutId: string): Promise<boolean> {
  return (await orderStore.getCheckout(checkoutId))?.payment?.status === 'authorised';
}

/**
 * Records the payment's authorisation on an order whose workflow waits for it; the table's stream
 * then resumes the workflow. An order not waiting yet is left alone: its payment wait finds the
 * authorisation on the checkout when it begins.
 */
export async function applyPaymentAuthorisation(orderId: string): Promise<void> {
  await orderStore.update(orderId, (order) =>
    order.status === 'awaiting-payment' && order.taskToken && !order.pending
      ? recordPaymentAuthorised(order, new Date())
      : undefined,
  );
}
