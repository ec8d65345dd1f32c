import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type Order, orderNotFound, type Transition } from '../domain/order.ts';
import { fromAttributeValues } from './conditional.ts';
import { orderEntity, orderKey } from './entities/order.ts';

/** A wait for a step's party: its task token and when it times out. */
export interface StepWait {
  readonly transition: Transition;
  readonly taskToken: string;
  readonly deadline: string;
}

/**
 * Stores the wait's token and deadline on an order that stands at the wait's step, in one
 * conditional update: in progress, at that step, and with no decision pending other than the one
 * that led to this wait (`beginWait`'s outcome, without reading the order first). The update shows
 * nothing new in the participants' entries (the step and status stay), so only the order is
 * written. Answers undefined once waiting, or the order as it stands when it has moved on
 * (decided meanwhile, cancelled, or resumed after a restart).
 */
export async function beginStepWait(
  client: DynamoDBDocumentClient,
  tableName: string,
  orderId: string,
  { transition, taskToken, deadline }: StepWait,
  now: Date,
): Promise<Order | undefined> {
  if (transition.next !== 'await-step' || transition.stepIndex === undefined) {
    throw new Error(`order ${orderId}: a step wait needs an await-step transition with its step`);
  }
  try {
    await client.send(
      new UpdateCommand({
        TableName: tableName,
        Key: orderKey(orderId),
        UpdateExpression:
          'SET taskToken = :token, deadline = :deadline, version = version + :one, updatedAt = :now ' +
          'REMOVE pending, captureThen',
        ConditionExpression:
          '#status = :inProgress AND stepIndex = :step AND ' +
          '(attribute_not_exists(pending) OR (pending.#next = :next AND pending.stepIndex = :step))',
        ExpressionAttributeNames: { '#status': 'status', '#next': 'next' },
        ExpressionAttributeValues: {
          ':token': taskToken,
          ':deadline': deadline,
          ':one': 1,
          ':now': now.toISOString(),
          ':inProgress': 'in-progress',
          ':step': transition.stepIndex,
          ':next': transition.next,
        },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return undefined;
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    const standing = fromAttributeValues(error.Item);
    if (!standing) throw orderNotFound(orderId);
    return orderEntity.decode(standing);
  }
}
