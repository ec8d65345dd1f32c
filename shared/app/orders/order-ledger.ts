import { type OrderLedger, orderLedger } from '#shared/domain/ledger/order-ledger.ts';
import { type LedgerTransaction, orderScope, sumOfAmounts } from '#shared/domain/ledger/transaction.ts';
import { type Order, type OrderChange, orderNotFound } from '#shared/domain/order.ts';
import { saleOf } from '#shared/domain/sales-volume.ts';
import { concurrentModification, type TransactItem } from '#shared/store/conditional.ts';
import { ledgerStore } from '../composition/stores/ledger-store.ts';
import { orderStore } from '../composition/stores/order-store.ts';
import { sellerSalesStore } from '../composition/stores/seller-sales-store.ts';

/** A ledger transaction depends on the ledger as it stands: computed again when the order moved. */
const maxAttempts = 5;

class OrderMoved extends Error {}

/**
 * Writes `change` with the ledger transaction `post` computes from the order's ledger as read
 * with the order, in one DynamoDB transaction that holds only if the order has not changed since
 * (every ledger posting of an order changes the order too). Moved meanwhile: both are read again.
 * What a posting gives back to the buyer (a refund, a lost chargeback) comes off the seller's
 * sales in the same transaction, on the day it is posted. `alsoWrite` adds what belongs to the
 * change (an admin's audit entry), `idempotencyClaim` the claim of the key that asked for it.
 */
export async function changeWithLedger(
  orderId: string,
  post: (order: Order, ledger: OrderLedger) => LedgerTransaction | undefined,
  change: (order: Order) => OrderChange | undefined,
  { idempotencyClaim, alsoWrite = [] }: { idempotencyClaim?: TransactItem; alsoWrite?: TransactItem[] } = {},
): Promise<Order | undefined> {
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const read = await orderStore.get(orderId);
    if (!read) throw orderNotFound(orderId);
    const posting = post(read, orderLedger(read, await ledgerStore.transactions(orderScope(orderId))));
    const now = new Date();
    const returned = sumOfAmounts(posting?.returnedLines ?? []);
    try {
      return await orderStore.update(
        orderId,
        (current) => {
          if (current.version !== read.version) throw new OrderMoved();
          return change(current);
        },
        {
          now,
          asRead: read,
          alsoWrite: () => [...(posting ? ledgerStore.transactItems(posting, now) : []), ...alsoWrite],
          alsoWriteIfUnchanged: async (changed) =>
            returned > 0 ? sellerSalesStore.returnWrites(saleOf(changed, returned, now)) : [],
          ...(idempotencyClaim ? { idempotencyClaim } : {}),
        },
      );
    } catch (error) {
      if (!(error instanceof OrderMoved)) throw error;
    }
  }
  throw concurrentModification();
}
