import { orderLedger, releaseOrder } from '#shared/domain/ledger/order-postings.ts';
import { orderScope } from '#shared/domain/ledger/transaction.ts';
import { orderNotFound, recordCompletion } from '#shared/domain/order.ts';
import { taskHandler } from '#shared/workflows/task-handler.ts';
import { ledgerStore, orderStore } from '../../stores.ts';

/** Completes the order and, in the same transaction, makes its payees' money available to pay out. */
export const handler = taskHandler(async ({ orderId }: { orderId: string }) => {
  const order = await orderStore.get(orderId);
  if (!order) throw orderNotFound(orderId);
  const ledger = orderLedger(order, await ledgerStore.transactions(orderScope(orderId)));
  const now = new Date();
  await orderStore.update(
    orderId,
    (current) => {
      if (current.status === 'completed') return undefined;
      if (current.status === 'cancelled')
        throw new Error(`order ${orderId} was cancelled; it cannot complete`);
      return recordCompletion(current, now);
    },
    {
      now,
      alsoWrite: (completed) =>
        ledger.captured ? ledgerStore.transactItems(releaseOrder(completed, ledger), now) : [],
    },
  );
});
