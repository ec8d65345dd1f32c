import { recordCompletion } from '#shared/domain/order.ts';
import { taskHandler } from '#shared/workflows/task-handler.ts';
import { orderStore } from '../../stores.ts';

export const handler = taskHandler(async ({ orderId }: { orderId: string }) => {
  await orderStore.update(orderId, (order) => {
    if (order.status === 'completed') return undefined;
    if (order.status === 'cancelled') throw new Error(`order ${orderId} was cancelled; it cannot complete`);
    return recordCompletion(order, new Date());
  });
});
