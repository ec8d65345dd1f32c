import type { Order, OrderEvent } from '../domain/order.ts';
import { participantsOf } from '../domain/order.ts';
import { orderSummary } from '../domain/order-summary.ts';
import type { TransactItem } from './conditional.ts';
import { entities, keys } from './table.ts';

export const withSeq = (event: Omit<OrderEvent, 'seq'>, seq: number): OrderEvent => ({ seq, ...event });

/** The order item (conditional on the version read), its participants' list entries, its event. */
export function orderWrites(
  tableName: string,
  previous: Order | undefined,
  next: Order,
  event: OrderEvent | undefined,
): TransactItem[] {
  return [
    {
      Put: {
        TableName: tableName,
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
          TableName: tableName,
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
              TableName: tableName,
              Item: { ...keys.orderEvent(next.id, event.seq), entity: entities.orderEvent, ...event },
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
        ]
      : []),
  ];
}
