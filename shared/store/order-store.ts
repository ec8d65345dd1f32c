import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  ScanCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { linesUnavailable } from '../domain/checkout.ts';
import { DomainError } from '../domain/errors.ts';
import { type Order, type OrderChange, type OrderEvent, orderNotFound } from '../domain/order.ts';
import type { OrderSummary } from '../domain/order-summary.ts';
import type { PaymentState } from '../payments/port.ts';
import { captureExcludes, requestCheckoutCapture, settleCheckoutCapture } from './checkout-captures.ts';
import {
  getIdempotencyRecord,
  IdempotencyKeyTaken,
  type IdempotencyRecord,
  idempotencyClaim,
  saveIdempotentResponse,
} from './checkout-idempotency.ts';
import { type Checkout, type CheckoutCapture, getCheckout, setCheckoutPayment } from './checkout-records.ts';
import { concurrentModification, fromAttributeValues, type TransactItem } from './conditional.ts';
import { type StockReservation, stockRelease, stockReservation, whyUnavailable } from './listing-stock.ts';
import { orderWrites, withSeq } from './order-writes.ts';
import { idInSortKey } from './page-cursor.ts';
import { type Page, queryPage } from './query-page.ts';
import { entities, keys, withoutKeys } from './table.ts';
import { releaseUnpaidCheckout, tooManyUnpaidCheckouts, unpaidCheckoutClaim } from './unpaid-checkouts.ts';

const maxUpdateAttempts = 5;
/** DynamoDB's limit on the actions of one transaction. */
const maxTransactionItems = 100;

/**
 * Somebody else changed the order (item 0 of the transaction) or an item that the writes from
 * `readsFrom` on were made from, or is writing one of the items right now.
 */
function lostRace(error: unknown, readsFrom: number): boolean {
  if (!(error instanceof TransactionCanceledException)) return false;
  const reasons = error.CancellationReasons ?? [];
  return (
    reasons[0]?.Code === 'ConditionalCheckFailed' ||
    reasons.slice(readsFrom).some((reason) => reason.Code === 'ConditionalCheckFailed') ||
    reasons.some((reason) => reason.Code === 'TransactionConflict')
  );
}

/**
 * Checkouts and orders, with each order's event history and participant index entries. The
 * checkout's records, idempotency key, capture and stock writes live in their own modules beside it.
 */
export class OrderStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Records the checkout and its orders, reserving every line's stock and taking one of the buyer's
   * `unpaidLimit` slots for checkouts waiting for their payment, all in one transaction: either
   * everything is written or nothing is.
   */
  async placeCheckout(params: {
    readonly checkout: Checkout;
    readonly orders: readonly Order[];
    readonly placedEvents: readonly Omit<OrderEvent, 'seq'>[];
    readonly reservations: readonly StockReservation[];
    readonly idempotency: { readonly userId: string; readonly key: string; readonly fingerprint: string };
    readonly unpaidLimit: number;
    readonly now: Date;
  }): Promise<void> {
    const { checkout, orders, placedEvents, reservations, idempotency, unpaidLimit, now } = params;
    const timestamp = now.toISOString();
    const items: TransactItem[] = [
      idempotencyClaim(this.tableName, idempotency, checkout.id, now),
      {
        Put: {
          TableName: this.tableName,
          Item: {
            ...keys.checkout(checkout.id),
            entity: entities.checkout,
            ...checkout,
            holdsUnpaidSlot: true,
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
      ...reservations.map((reservation) => stockReservation(this.tableName, reservation, timestamp)),
      ...orders.flatMap((order, index) => {
        const event = placedEvents[index];
        return orderWrites(this.tableName, undefined, order, event ? withSeq(event, 1) : undefined);
      }),
      unpaidCheckoutClaim(this.tableName, checkout.buyerId, unpaidLimit),
    ];
    if (items.length > maxTransactionItems) {
      throw new DomainError(
        'unprocessable',
        'cart_too_large',
        'This cart spans too many sellers to check out at once; split it into smaller checkouts.',
        [{ path: ['lines'], message: 'too many sellers and lines for one checkout' }],
      );
    }
    try {
      await this.client.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = error.CancellationReasons ?? [];
      if (reasons[0]?.Code === 'ConditionalCheckFailed') throw new IdempotencyKeyTaken();
      const unavailable = reservations.flatMap((reservation, line) => {
        const reason = reasons[2 + line];
        return reason?.Code === 'ConditionalCheckFailed'
          ? [
              {
                path: ['lines', line],
                message: whyUnavailable(reservation, fromAttributeValues(reason.Item)),
              },
            ]
          : [];
      });
      if (unavailable.length > 0) throw linesUnavailable(unavailable);
      if (reasons[items.length - 1]?.Code === 'ConditionalCheckFailed')
        throw tooManyUnpaidCheckouts(unpaidLimit);
      if (reasons.some((reason) => reason.Code === 'TransactionConflict')) throw concurrentModification();
      throw error;
    }
  }

  idempotencyRecord(userId: string, key: string): Promise<IdempotencyRecord | undefined> {
    return getIdempotencyRecord(this.client, this.tableName, userId, key);
  }

  saveIdempotentResponse(userId: string, key: string, response: unknown): Promise<void> {
    return saveIdempotentResponse(this.client, this.tableName, userId, key, response);
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

  async get(orderId: string): Promise<Order | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keys.order(orderId), ConsistentRead: true }),
    );
    return Item ? (withoutKeys(Item) as unknown as Order) : undefined;
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
      now = new Date(),
    }: {
      releaseStock?: boolean;
      alsoWrite?: (next: Order) => TransactItem[];
      alsoWriteIfUnchanged?: (next: Order) => Promise<TransactItem[]>;
      now?: Date;
    } = {},
  ): Promise<Order | undefined> {
    for (let attempt = 1; ; attempt++) {
      const current = await this.get(orderId);
      if (!current) throw orderNotFound(orderId);
      const decided = change(current);
      if (!decided) return undefined;
      const next: Order = {
        ...decided.order,
        version: current.version + 1,
        eventCount: current.eventCount + (decided.event ? 1 : 0),
        updatedAt: now.toISOString(),
      };
      const items = [
        ...orderWrites(
          this.tableName,
          current,
          next,
          decided.event && withSeq(decided.event, next.eventCount),
        ),
        ...(releaseStock
          ? next.lines.map((line) => stockRelease(this.tableName, line.listingId, line.quantity, now))
          : []),
        ...alsoWrite(next),
      ];
      const readsFrom = items.length;
      items.push(...(await alsoWriteIfUnchanged(next)));
      try {
        await this.client.send(new TransactWriteCommand({ TransactItems: items }));
        return next;
      } catch (error) {
        if (!lostRace(error, readsFrom)) throw error;
        if (attempt >= maxUpdateAttempts) throw concurrentModification();
      }
    }
  }

  async events(orderId: string, limit: number, cursor?: string): Promise<Page<OrderEvent>> {
    const order = keys.order(orderId);
    const page = await queryPage(
      this.client,
      {
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': order.PK, ':prefix': 'EVENT#' },
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
    return { ...page, items: page.items.map((item) => withoutKeys(item) as unknown as OrderEvent) };
  }

  /** The orders the user takes part in (as buyer, seller or provider), newest first. */
  async listForParticipant(userId: string, limit: number, cursor?: string): Promise<Page<OrderSummary>> {
    const participant = keys.participantOrders(userId);
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
          ...keys.orderParticipant(idInSortKey(sortKey), userId),
          ...participant,
          GSI1SK: sortKey,
        }),
      },
    );
    return { ...page, items: page.items.map((item) => withoutKeys(item) as unknown as OrderSummary) };
  }

  /**
   * Every order not yet completed or cancelled. A Scan: for restarting the local workflow runner,
   * never for a request path.
   */
  async *unfinished(pageSize = 500): AsyncGenerator<Order[]> {
    let startKey: Record<string, unknown> | undefined;
    do {
      const { Items = [], LastEvaluatedKey } = await this.client.send(
        new ScanCommand({
          TableName: this.tableName,
          FilterExpression: 'entity = :order AND NOT #status IN (:completed, :cancelled)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':order': entities.order,
            ':completed': 'completed',
            ':cancelled': 'cancelled',
          },
          Limit: pageSize,
          ConsistentRead: true,
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      if (Items.length > 0) yield Items.map((item) => withoutKeys(item) as unknown as Order);
      startKey = LastEvaluatedKey;
    } while (startKey);
  }
}
