import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import {
  type Order,
  type OrderChange,
  type OrderEvent,
  orderNotFound,
  type Transition,
} from '../domain/order.ts';
import type { OrderSummary } from '../domain/order-summary.ts';
import type { PaymentState } from '../payments/port.ts';
import { captureExcludes, requestCheckoutCapture, settleCheckoutCapture } from './checkout-captures.ts';
import { type CheckoutInputs, readCheckoutInputs } from './checkout-inputs.ts';
import { type CheckoutPlacement, placeCheckout } from './checkout-placement.ts';
import {
  type Checkout,
  type CheckoutCapture,
  getCheckout,
  recordFirstPayment,
  setCheckoutPayment,
} from './checkout-records.ts';
import { concurrentModification, type TransactItem } from './conditional.ts';
import { decodeIfPresent } from './entities/entity.ts';
import { orderEntity, orderKey } from './entities/order.ts';
import { orderEventEntity, orderEventPrefix } from './entities/order-event.ts';
import {
  orderParticipantEntity,
  orderParticipantKey,
  participantOrdersPartition,
} from './entities/order-participant.ts';
import { IdempotencyKeyTaken } from './idempotency-records.ts';
import { stockRelease } from './listing-stock.ts';
import { beginPaymentWait, beginStepWait, type Wait, type WaitOutcome } from './order-waits.ts';
import { addOrderWrites, type OrderWrite, withSeq } from './order-writes.ts';
import { idInSortKey } from './page-cursor.ts';
import { type Page, queryPage } from './query-page.ts';
import { TransactionPlan } from './transaction.ts';
import { releaseUnpaidCheckout } from './unpaid-checkouts.ts';

const maxUpdateAttempts = 5;

/**
 * Checkouts and orders, with each order's event history and participant index entries. The
 * checkout's records, capture and stock writes live in their own modules beside it.
 */
export class OrderStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** See {@link readCheckoutInputs}. */
  checkoutInputs(buyerId: string, listingIds: readonly string[]): Promise<CheckoutInputs> {
    return readCheckoutInputs(this.client, this.tableName, buyerId, listingIds);
  }

  /** See {@link placeCheckout}. */
  placeCheckout(placement: CheckoutPlacement): Promise<void> {
    return placeCheckout(this.client, this.tableName, placement);
  }

  /** See {@link releaseUnpaidCheckout}. */
  releaseUnpaidCheckout(checkout: Pick<Checkout, 'id' | 'buyerId'>): Promise<void> {
    return releaseUnpaidCheckout(this.client, this.tableName, checkout);
  }

  getCheckout(checkoutId: string): Promise<Checkout | undefined> {
    return getCheckout(this.client, this.tableName, checkoutId);
  }

  /** See {@link setCheckoutPayment}. */
  setCheckoutPayment(checkoutId: string, reported: PaymentState, now = new Date()): Promise<Checkout> {
    return setCheckoutPayment(this.client, this.tableName, checkoutId, reported, now);
  }

  /** See {@link recordFirstPayment}. */
  recordFirstPayment(
    placed: Checkout,
    reported: PaymentState,
    releasesSlot: boolean,
    now = new Date(),
  ): Promise<boolean> {
    return recordFirstPayment(this.client, this.tableName, placed, reported, { releasesSlot, now });
  }

  /** See {@link requestCheckoutCapture}. */
  requestCheckoutCapture(
    checkoutId: string,
    capture: CheckoutCapture,
    orders: readonly Pick<Order, 'id' | 'version'>[],
  ): Promise<CheckoutCapture | undefined> {
    return requestCheckoutCapture(this.client, this.tableName, checkoutId, capture, orders);
  }

  /** See {@link captureExcludes}. */
  captureExcludes(checkoutId: string, orderId: string): TransactItem {
    return captureExcludes(this.tableName, checkoutId, orderId);
  }

  /** See {@link settleCheckoutCapture}. */
  settleCheckoutCapture(
    checkoutId: string,
    outcome: Pick<CheckoutCapture, 'status' | 'reason'>,
    now = new Date(),
  ): Promise<CheckoutCapture> {
    return settleCheckoutCapture(this.client, this.tableName, checkoutId, outcome, now);
  }

  /** See {@link beginPaymentWait}. */
  beginPaymentWait(orderId: string, wait: Wait, now = new Date()): Promise<WaitOutcome> {
    return beginPaymentWait(this.client, this.tableName, orderId, wait, now);
  }

  /** See {@link beginStepWait}. */
  beginStepWait(
    orderId: string,
    wait: Wait & { readonly transition: Transition },
    now = new Date(),
  ): Promise<WaitOutcome> {
    return beginStepWait(this.client, this.tableName, orderId, wait, now);
  }

  async get(orderId: string): Promise<Order | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: orderKey(orderId), ConsistentRead: true }),
    );
    return decodeIfPresent(orderEntity, Item);
  }

  /**
   * Reads the order, lets `change` decide what becomes of it, and writes the result only if nobody
   * changed the order meanwhile (its version), retrying with a fresh read when somebody did.
   * `change` returning undefined writes nothing. Cancelling with `releaseStock` puts every line's
   * quantity back in the same transaction; `alsoWrite` adds the writes that belong to the change
   * (its ledger transaction), committed or refused with it. `alsoWriteIfUnchanged` adds writes
   * made from items it reads, whose conditions hold only while those items are as read (a seller's
   * sales): one failing is a lost race too, retried with fresh reads.
   */
  async update(
    orderId: string,
    change: (order: Order) => OrderChange | undefined,
    {
      releaseStock = false,
      alsoWrite = () => [],
      alsoWriteIfUnchanged = async () => [],
      idempotencyClaim,
      now = new Date(),
      asRead,
    }: {
      releaseStock?: boolean;
      alsoWrite?: (next: Order) => TransactItem[];
      alsoWriteIfUnchanged?: (next: Order) => Promise<TransactItem[]>;
      /** An Idempotency-Key's claim for the change: taken already, and nothing is written. */
      idempotencyClaim?: TransactItem;
      now?: Date;
      /** The order as the caller has just read it: the first try starts from it instead of reading. */
      asRead?: Order;
    } = {},
  ): Promise<Order | undefined> {
    for (let attempt = 1; ; attempt++) {
      const current = attempt === 1 && asRead ? asRead : await this.get(orderId);
      if (!current) throw orderNotFound(orderId);
      const decided = change(current);
      if (!decided) return undefined;
      const next: Order = {
        ...decided.order,
        version: current.version + 1,
        eventCount: current.eventCount + (decided.event ? 1 : 0),
        updatedAt: now.toISOString(),
      };
      const plan = new TransactionPlan<
        OrderWrite | 'stockRelease' | 'alsoWrite' | 'asRead' | 'idempotencyClaim'
      >();
      addOrderWrites(
        plan,
        this.tableName,
        current,
        next,
        decided.event && withSeq(decided.event, next.eventCount),
      );
      if (releaseStock) {
        plan.add(
          'stockRelease',
          ...next.lines.map((line) => stockRelease(this.tableName, line.listingId, line.quantity, now)),
        );
      }
      plan.add('alsoWrite', ...alsoWrite(next)).add('asRead', ...(await alsoWriteIfUnchanged(next)));
      if (idempotencyClaim) plan.add('idempotencyClaim', idempotencyClaim);
      const cancelled = await plan.write(this.client);
      if (!cancelled) return next;
      if (cancelled.has('idempotencyClaim')) throw new IdempotencyKeyTaken();
      // Somebody else changed the order or an item the `asRead` writes were made from, or is writing one now.
      const lostRace = cancelled.has('order') || cancelled.has('asRead') || cancelled.conflict;
      if (!lostRace) throw cancelled.error;
      if (attempt >= maxUpdateAttempts) throw concurrentModification();
    }
  }

  async events(orderId: string, limit: number, cursor?: string): Promise<Page<OrderEvent>> {
    const order = orderKey(orderId);
    const page = await queryPage(
      this.client,
      {
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': order.PK, ':prefix': orderEventPrefix },
        ConsistentRead: true,
      },
      {
        kind: 'event',
        limit,
        cursor,
        sortKeyAttribute: 'SK',
        startKey: (sortKey) => ({ PK: order.PK, SK: sortKey }),
      },
    );
    return { ...page, items: page.items.map((item) => orderEventEntity.decode(item)) };
  }

  /** The orders the user takes part in (as buyer, seller or provider), newest first. */
  async listForParticipant(userId: string, limit: number, cursor?: string): Promise<Page<OrderSummary>> {
    const participant = participantOrdersPartition(userId);
    const page = await queryPage(
      this.client,
      {
        TableName: this.tableName,
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk AND begins_with(GSI1SK, :prefix)',
        ExpressionAttributeValues: { ':pk': participant.GSI1PK, ':prefix': 'ORDER#' },
        ScanIndexForward: false,
      },
      {
        kind: 'order',
        limit,
        cursor,
        sortKeyAttribute: 'GSI1SK',
        startKey: (sortKey) => ({
          ...orderParticipantKey(idInSortKey(sortKey), userId),
          ...participant,
          GSI1SK: sortKey,
        }),
      },
    );
    return { ...page, items: page.items.map((item) => orderParticipantEntity.decode(item)) };
  }
}
