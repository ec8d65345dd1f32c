import { utcDay } from '#shared/domain/commission.ts';
import { captureOrder } from '#shared/domain/ledger/order-postings.ts';
import { orderNotFound, recordCapture } from '#shared/domain/order.ts';
import { taskHandler } from '#shared/workflows/task-handler.ts';
import { payments } from '../../payments.ts';
import { ledgerStore, orderStore, sellerSalesStore } from '../../stores.ts';

/**
 * Captures the order's part of the checkout's payment (idempotent per order), then records it with
 * its ledger transaction and the seller's sale (for commission tiers) in one DynamoDB transaction.
 */
export const handler = taskHandler(async ({ orderId }: { orderId: string }) => {
  const order = await orderStore.get(orderId);
  if (!order) throw orderNotFound(orderId);
  if (order.paymentStatus !== 'authorised') return;
  await payments.capture({
    checkoutId: order.checkoutId,
    orderId,
    amount: order.total,
    currency: order.currency,
  });
  const now = new Date();
  await orderStore.update(
    orderId,
    (current) => (current.paymentStatus === 'authorised' ? recordCapture(current, now) : undefined),
    {
      now,
      alsoWrite: (captured) => [
        ...ledgerStore.transactItems(captureOrder(captured), now),
        sellerSalesStore.saleUpdate(captured.sellerId, captured.currency, captured.total, utcDay(now)),
      ],
    },
  );
});
