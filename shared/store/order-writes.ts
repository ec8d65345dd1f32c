import type { Order, OrderEvent } from '../domain/order.ts';
import { participantsOf } from '../domain/order-parties.ts';
import { orderSummary, summaryChanged } from '../domain/order-summary.ts';
import { disputeQueueKeys, orderEntity, orderKey } from './entities/order.ts';
import { orderEventEntity, orderEventKey } from './entities/order-event.ts';
import {
  orderParticipantEntity,
  orderParticipantKey,
  participantIndexKeys,
} from './entities/order-participant.ts';
import type { TransactionPlan } from './transaction.ts';

export const withSeq = (event: Omit<OrderEvent, 'seq'>, seq: number): OrderEvent => ({ seq, ...event });

/** The names `addOrderWrites` gives its actions. */
export type OrderWrite = 'order' | 'participants' | 'event';

/**
 * Adds to `plan` the order item (conditional on the version read, or new), its participants' list
 * entries where they show something new, and its event (new).
 */
export function addOrderWrites<Name extends string>(
  plan: TransactionPlan<Name | OrderWrite>,
  tableName: string,
  previous: Order | undefined,
  next: Order,
  event: OrderEvent | undefined,
): void {
  plan.add('order', {
    Put: {
      TableName: tableName,
      Item: orderEntity.item({ ...orderKey(next.id), ...disputeQueueKeys(next) }, next),
      ...(previous
        ? {
            ConditionExpression: 'version = :version',
            ExpressionAttributeValues: { ':version': previous.version },
          }
        : { ConditionExpression: 'attribute_not_exists(PK)' }),
    },
  });
  plan.add(
    'participants',
    ...participantsOf(next)
      .filter((userId) => !previous || summaryChanged(previous, next, userId))
      .map((userId) => ({
        Put: {
          TableName: tableName,
          Item: orderParticipantEntity.item(
            { ...orderParticipantKey(next.id, userId), ...participantIndexKeys(userId, next) },
            orderSummary(next, userId),
          ),
        },
      })),
  );
  if (event) {
    plan.add('event', {
      Put: {
        TableName: tableName,
        Item: orderEventEntity.item(orderEventKey(next.id, event.seq), event),
        ConditionExpression: 'attribute_not_exists(PK)',
      },
    });
  }
}
