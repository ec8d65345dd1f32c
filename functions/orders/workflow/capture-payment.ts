import { orderNotFound, recordCapture } from '#shared/domain/order.ts';
import { taskHandler } from '#shared/workflows/task-handler.ts';
import { payments } from '../../payments.ts';
import { orderStore } from '../../stores.ts';

/** Captures the order's part of the checkout's payment (idempotent per order), then records it. */
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
  await orderStore.update(orderId, (current) =>
    current.paymentStatus === 'authorised' ? recordCapture(current, new Date()) : undefined,
  );
});
