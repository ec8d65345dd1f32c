import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { fromAttributeValues } from '../store/conditional.ts';
import { entities, keys } from '../store/table.ts';
import {
  type CheckoutPayment,
  type OrderPayment,
  type PaymentAuthorisation,
  PaymentRejected,
  type Payments,
} from './port.ts';

type Operation = 'capture' | 'cancel' | 'refund';

/** How each operation moves the payment's amounts, and what must be left for it. */
const operations: Record<Operation, { update: string; requires: string }> = {
  capture: {
    update: 'uncommitted = uncommitted - :amount, refundable = refundable + :amount',
    requires: 'uncommitted',
  },
  cancel: {
    update: 'uncommitted = uncommitted - :amount, released = released + :amount',
    requires: 'uncommitted',
  },
  refund: {
    update: 'refundable = refundable - :amount, refunded = refunded + :amount',
    requires: 'refundable',
  },
};

/**
 * A payment provider simulated in the table: authorisations succeed at once, and captures,
 * cancellations and refunds move amounts between buckets, each at most once per order and never
 * beyond what is left. No money moves; it stands in until a real provider's adapter is wired.
 */
export class SimulatedPayments implements Payments {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Authorised at once; authorising the same checkout again answers the same. */
  async authorise({ checkoutId, amount, currency }: CheckoutPayment): Promise<PaymentAuthorisation> {
    const authorisation: PaymentAuthorisation = {
      paymentId: `simulated_${checkoutId}`,
      status: 'authorised',
    };
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...keys.payment(checkoutId),
            entity: entities.payment,
            ...authorisation,
            currency,
            authorised: amount,
            uncommitted: amount,
            refundable: 0,
            released: 0,
            refunded: 0,
          },
          ConditionExpression: 'attribute_not_exists(PK)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const existing = fromAttributeValues(error.Item);
      if (existing?.authorised !== amount || existing.currency !== currency) {
        throw new PaymentRejected(`Checkout ${checkoutId} was authorised for a different amount.`);
      }
    }
    return authorisation;
  }

  capture(part: OrderPayment): Promise<void> {
    return this.apply('capture', part);
  }

  async release(part: OrderPayment): Promise<'refunded' | 'cancelled'> {
    const { Item: capture } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.paymentOperation(part.checkoutId, `capture:${part.orderId}`),
        ConsistentRead: true,
      }),
    );
    if (capture) {
      await this.apply('refund', part);
      return 'refunded';
    }
    await this.apply('cancel', part);
    return 'cancelled';
  }

  /** The operation and its record in one transaction: a repeated call finds the record and stops. */
  private async apply(
    operation: Operation,
    { checkoutId, orderId, amount, currency }: OrderPayment,
  ): Promise<void> {
    const { update, requires } = operations[operation];
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: {
                  ...keys.paymentOperation(checkoutId, `${operation}:${orderId}`),
                  entity: entities.paymentOperation,
                  amount,
                },
                ConditionExpression: 'attribute_not_exists(PK)',
              },
            },
            {
              Update: {
                TableName: this.tableName,
                Key: keys.payment(checkoutId),
                UpdateExpression: `SET ${update}`,
                ConditionExpression: `currency = :currency AND ${requires} >= :amount`,
                ExpressionAttributeValues: { ':amount': amount, ':currency': currency },
              },
            },
          ],
        }),
      );
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const [record, payment] = error.CancellationReasons ?? [];
      if (record?.Code === 'ConditionalCheckFailed') return;
      if (payment?.Code === 'ConditionalCheckFailed') {
        throw new PaymentRejected(
          `Cannot ${operation} ${amount} ${currency} of order ${orderId}: not enough left.`,
        );
      }
      throw error;
    }
  }
}
