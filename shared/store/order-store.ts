import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  ScanCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { linesUnavailable } from '../domain/checkout.ts';
import { DomainError } from '../domain/errors.ts';
import {
  type Order,
  type OrderChange,
  type OrderEvent,
  type OrderSummary,
  orderNotFound,
  orderSummary,
  participantsOf,
} from '../domain/order.ts';
import type { PaymentState, PaymentStatus } from '../payments/port.ts';
import { concurrentModification, fromAttributeValues, type TransactItem } from './conditional.ts';
import { idInSortKey } from './page-cursor.ts';
import { type Page, queryPage } from './query-page.ts';
import { entities, keys, withoutKeys } from './table.ts';

export interface Checkout {
  readonly id: string;
  readonly buyerId: string;
  readonly currency: string;
  readonly total: number;
  readonly orderIds: readonly string[];
  readonly payment?: PaymentState;
  /** When the provider first reported the payment authorised. */
  readonly authorisedAt?: string;
  readonly capture?: CheckoutCapture;
  readonly createdAt: string;
}

/**
 * The checkout's one capture: which orders it takes and how much, recorded before the provider is
 * asked so that every retry asks for exactly the same. No orders and nothing to take: the
 * authorisation is cancelled instead.
 */
export interface CheckoutCapture {
  readonly orderIds: readonly string[];
  readonly amount: number;
  readonly status: 'requested' | 'captured' | 'cancelled' | 'refused';
  readonly requestedAt: string;
  readonly settledAt?: string;
  /** Why the provider refused. */
  readonly reason?: string;
}

/**
 * How far a payment has come: a report of an earlier stage, arriving late, never overwrites a
 * later one. Equal stages may alternate (a failed attempt, another payment method).
 */
const paymentProgress: Record<PaymentStatus, number> = {
  'requires-payment-method': 0,
  'requires-action': 0,
  processing: 1,
  authorised: 2,
  // A late report of a cancellation never undoes a capture.
  cancelled: 3,
  captured: 4,
};

/** Stock taken for one cart line, at the price the buyer saw. */
export interface StockReservation {
  readonly listingId: string;
  readonly quantity: number;
  readonly unitPrice: number;
  readonly currency: string;
}

export interface IdempotencyRecord {
  readonly fingerprint: string;
  readonly checkoutId: string;
  /** The response, once the checkout finished; replays answer exactly this. */
  readonly response?: unknown;
}

/** The checkout's idempotency key was taken by an earlier (or a concurrent) request. */
export class IdempotencyKeyTaken extends Error {
  constructor() {
    super('The idempotency key was used before.');
    this.name = 'IdempotencyKeyTaken';
  }
}

function toCheckout(item: Record<string, unknown>): Checkout {
  const { paymentProgress: _progress, ...checkout } = withoutKeys(item);
  return checkout as unknown as Checkout;
}

/** Idempotency keys are honoured for a day, as payment providers do. */
const idempotencyTtlSeconds = 24 * 60 * 60;
const maxUpdateAttempts = 5;
/** DynamoDB's limit on the actions of one transaction. */
const maxTransactionItems = 100;

const withSeq = (event: Omit<OrderEvent, 'seq'>, seq: number): OrderEvent => ({ seq, ...event });

/** Somebody else changed the order (item 0 of the transaction) or one of its items meanwhile. */
function lostRace(error: unknown): boolean {
  if (!(error instanceof TransactionCanceledException)) return false;
  const reasons = error.CancellationReasons ?? [];
  return (
    reasons[0]?.Code === 'ConditionalCheckFailed' ||
    reasons.some((reason) => reason.Code === 'TransactionConflict')
  );
}

/** Why reserving the stock of a cart line failed, from its listing as it was. */
function whyUnavailable(reservation: StockReservation, listing?: Record<string, unknown>): string {
  if (listing?.status !== 'published') return 'the listing is not on sale';
  const price = listing.price as { amount: number; currency: string };
  if (price.amount !== reservation.unitPrice || price.currency !== reservation.currency) {
    return `the price is now ${price.amount} ${price.currency}; check out again`;
  }
  return `only ${String(listing.stock)} left, ${reservation.quantity} wanted`;
}

/** Checkouts and orders, with each order's event history and participant index entries. */
export class OrderStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Records the checkout and its orders, reserving every line's stock, all in one transaction:
   * either everything is written or nothing is.
   */
  async placeCheckout(params: {
    readonly checkout: Checkout;
    readonly orders: readonly Order[];
    readonly placedEvents: readonly Omit<OrderEvent, 'seq'>[];
    readonly reservations: readonly StockReservation[];
    readonly idempotency: { readonly userId: string; readonly key: string; readonly fingerprint: string };
    readonly now: Date;
  }): Promise<void> {
    const { checkout, orders, placedEvents, reservations, idempotency, now } = params;
    const timestamp = now.toISOString();
    const items: TransactItem[] = [
      {
        Put: {
          TableName: this.tableName,
          Item: {
            ...keys.idempotency(idempotency.userId, idempotency.key),
            entity: entities.idempotency,
            fingerprint: idempotency.fingerprint,
            checkoutId: checkout.id,
            expiresAt: Math.floor(now.getTime() / 1000) + idempotencyTtlSeconds,
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
      {
        Put: {
          TableName: this.tableName,
          Item: { ...keys.checkout(checkout.id), entity: entities.checkout, ...checkout },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
      ...reservations.map(
        (reservation): TransactItem => ({
          Update: {
            TableName: this.tableName,
            Key: keys.listing(reservation.listingId),
            UpdateExpression: 'SET stock = stock - :quantity, version = version + :one, updatedAt = :now',
            ConditionExpression:
              'attribute_exists(PK) AND #status = :published AND stock >= :quantity AND ' +
              'price.amount = :price AND price.currency = :currency',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':quantity': reservation.quantity,
              ':one': 1,
              ':now': timestamp,
              ':published': 'published',
              ':price': reservation.unitPrice,
              ':currency': reservation.currency,
            },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          },
        }),
      ),
      ...orders.flatMap((order, index) => {
        const event = placedEvents[index];
        return this.orderWrites(undefined, order, event ? withSeq(event, 1) : undefined);
      }),
    ];
    if (items.length > maxTransactionItems) {
      throw new DomainError(
        'unprocessable',
        'cart_too_large',
        'This cart spans too many sellers to check out at once; split it into smaller checkouts.',
        [{ field: 'body.lines', message: 'too many sellers and lines for one checkout' }],
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
                field: `body.lines.${line}`,
                message: whyUnavailable(reservation, fromAttributeValues(reason.Item)),
              },
            ]
          : [];
      });
      if (unavailable.length > 0) throw linesUnavailable(unavailable);
      if (reasons.some((reason) => reason.Code === 'TransactionConflict')) throw concurrentModification();
      throw error;
    }
  }

  async idempotencyRecord(userId: string, key: string): Promise<IdempotencyRecord | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keys.idempotency(userId, key), ConsistentRead: true }),
    );
    return Item as IdempotencyRecord | undefined;
  }

  async saveIdempotentResponse(userId: string, key: string, response: unknown): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.idempotency(userId, key),
        UpdateExpression: 'SET #response = :response',
        ExpressionAttributeNames: { '#response': 'response' },
        ExpressionAttributeValues: { ':response': response },
      }),
    );
  }

  async getCheckout(checkoutId: string): Promise<Checkout | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keys.checkout(checkoutId), ConsistentRead: true }),
    );
    return Item ? toCheckout(Item) : undefined;
  }

  /**
   * Records the checkout's payment as the provider reported it, unless a later stage is recorded
   * already (or another payment: the first one stands), and when it was first authorised. The
   * client secret is for the buyer's client only and is not kept. Answers the checkout after the write.
   */
  async setCheckoutPayment(checkoutId: string, reported: PaymentState, now = new Date()): Promise<Checkout> {
    const { clientSecret: _secret, ...payment } = reported;
    const authorised = payment.status === 'authorised';
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.checkout(checkoutId),
          UpdateExpression: `SET payment = :payment, paymentProgress = :progress${
            authorised ? ', authorisedAt = if_not_exists(authorisedAt, :now)' : ''
          }`,
          ConditionExpression:
            'attribute_exists(PK) AND (attribute_not_exists(payment) OR payment.paymentId = :paymentId) AND ' +
            '(attribute_not_exists(paymentProgress) OR paymentProgress <= :progress)',
          ExpressionAttributeValues: {
            ':payment': payment,
            ':paymentId': payment.paymentId,
            ':progress': paymentProgress[payment.status],
            ...(authorised ? { ':now': now.toISOString() } : {}),
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return toCheckout(Attributes ?? {});
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const checkout = await this.getCheckout(checkoutId);
      if (!checkout) throw new Error(`checkout ${checkoutId} does not exist`);
      return checkout;
    }
  }

  /**
   * Records the capture to ask for, decided from `orders` as read: only if none is recorded yet
   * and none of those orders changed meanwhile. Answers the capture recorded, or undefined when an
   * order moved (decide again from a fresh read).
   */
  async requestCheckoutCapture(
    checkoutId: string,
    capture: CheckoutCapture,
    orders: readonly Pick<Order, 'id' | 'version'>[],
  ): Promise<CheckoutCapture | undefined> {
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tableName,
                Key: keys.checkout(checkoutId),
                UpdateExpression: 'SET #capture = :capture',
                ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(#capture)',
                ExpressionAttributeNames: { '#capture': 'capture' },
                ExpressionAttributeValues: { ':capture': capture },
              },
            },
            ...orders.map((order) => ({
              ConditionCheck: {
                TableName: this.tableName,
                Key: keys.order(order.id),
                ConditionExpression: 'version = :version',
                ExpressionAttributeValues: { ':version': order.version },
              },
            })),
          ],
        }),
      );
      return capture;
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const [checkoutCheck, ...orderChecks] = error.CancellationReasons ?? [];
      if (checkoutCheck?.Code === 'ConditionalCheckFailed') return this.recordedCapture(checkoutId);
      const moved = orderChecks.some(
        (reason) => reason.Code === 'ConditionalCheckFailed' || reason.Code === 'TransactionConflict',
      );
      if (moved || checkoutCheck?.Code === 'TransactionConflict') return undefined;
      throw error;
    }
  }

  /**
   * A condition for a transaction: the checkout's capture, if any, took nothing of the order (it
   * leaves the order out, or the provider refused it).
   */
  captureExcludes(checkoutId: string, orderId: string): TransactItem {
    return {
      ConditionCheck: {
        TableName: this.tableName,
        Key: keys.checkout(checkoutId),
        ConditionExpression:
          'attribute_not_exists(#capture) OR NOT contains(#capture.orderIds, :orderId) OR #capture.#status = :refused',
        ExpressionAttributeNames: { '#capture': 'capture', '#status': 'status' },
        ExpressionAttributeValues: { ':orderId': orderId, ':refused': 'refused' },
      },
    };
  }

  /**
   * What the provider did with the requested capture, unless an outcome is recorded already;
   * answers the outcome recorded.
   */
  async settleCheckoutCapture(
    checkoutId: string,
    outcome: Pick<CheckoutCapture, 'status' | 'reason'>,
    now = new Date(),
  ): Promise<CheckoutCapture> {
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.checkout(checkoutId),
          UpdateExpression: `SET #capture.#status = :status, #capture.settledAt = :now${
            outcome.reason ? ', #capture.reason = :reason' : ''
          }`,
          ConditionExpression: '#capture.#status = :requested',
          ExpressionAttributeNames: { '#capture': 'capture', '#status': 'status' },
          ExpressionAttributeValues: {
            ':requested': 'requested',
            ':status': outcome.status,
            ':now': now.toISOString(),
            ...(outcome.reason ? { ':reason': outcome.reason } : {}),
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      const capture = toCheckout(Attributes ?? {}).capture;
      if (!capture) throw new Error(`checkout ${checkoutId} has no capture`);
      return capture;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      return this.recordedCapture(checkoutId);
    }
  }

  private async recordedCapture(checkoutId: string): Promise<CheckoutCapture> {
    const recorded = (await this.getCheckout(checkoutId))?.capture;
    if (!recorded) throw new Error(`checkout ${checkoutId} has no capture`);
    return recorded;
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
   * (its ledger transaction), committed or refused with it.
   */
  async update(
    orderId: string,
    change: (order: Order) => OrderChange | undefined,
    {
      releaseStock = false,
      alsoWrite = () => [],
      now = new Date(),
    }: { releaseStock?: boolean; alsoWrite?: (next: Order) => TransactItem[]; now?: Date } = {},
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
        ...this.orderWrites(current, next, decided.event && withSeq(decided.event, next.eventCount)),
        ...(releaseStock
          ? next.lines.map((line) => this.stockRelease(line.listingId, line.quantity, now))
          : []),
        ...alsoWrite(next),
      ];
      try {
        await this.client.send(new TransactWriteCommand({ TransactItems: items }));
        return next;
      } catch (error) {
        if (!lostRace(error)) throw error;
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

  /** The order item (conditional on the version read), its participants' list entries, its event. */
  private orderWrites(
    previous: Order | undefined,
    next: Order,
    event: OrderEvent | undefined,
  ): TransactItem[] {
    return [
      {
        Put: {
          TableName: this.tableName,
          Item: { ...keys.order(next.id), entity: entities.order, ...next },
          ...(previous
            ? {
                ConditionExpression: 'version = :version',
                ExpressionAttributeValues: { ':version': previous.version },
              }
            : { ConditionExpression: 'attribute_not_exists(PK)' }),
        },
      },
      ...participantsOf(next).map(
        (userId): TransactItem => ({
          Put: {
            TableName: this.tableName,
            Item: {
              ...keys.orderParticipant(next.id, userId),
              ...keys.participantOrders(userId),
              GSI1SK: keys.participantOrderSort(next.createdAt, next.id),
              entity: entities.orderParticipant,
              ...orderSummary(next, userId),
            },
          },
        }),
      ),
      ...(event
        ? [
            {
              Put: {
                TableName: this.tableName,
                Item: { ...keys.orderEvent(next.id, event.seq), entity: entities.orderEvent, ...event },
                ConditionExpression: 'attribute_not_exists(PK)',
              },
            },
          ]
        : []),
    ];
  }

  private stockRelease(listingId: string, quantity: number, now: Date): TransactItem {
    return {
      Update: {
        TableName: this.tableName,
        Key: keys.listing(listingId),
        UpdateExpression: 'SET stock = stock + :quantity, version = version + :one, updatedAt = :now',
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeValues: { ':quantity': quantity, ':one': 1, ':now': now.toISOString() },
      },
    };
  }
}
