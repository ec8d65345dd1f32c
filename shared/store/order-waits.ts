import { ConditionalCheckFailedException, TransactionConflictException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type Order, orderNotFound, type Transition } from '../domain/order.ts';
import { fromAttributeValues } from './conditional.ts';
import { orderEntity, orderKey } from './entities/order.ts';

/** A wait of the order's workflow: its task token and when it times out. */
export interface Wait {
  readonly taskToken: string;
  readonly deadline: string;
  /** A dispute step's parties' deadlines: kept from the wait's first start when it is resumed. */
  readonly responseDeadlines?: Readonly<Record<string, string>>;
}

/** The order once waiting, or as it stands when it has moved on (decided, cancelled, resumed after a restart). */
export type WaitOutcome = { readonly waiting: Order } | { readonly movedOn: Order };

/**
 * Tries of a wait whose order another transaction is writing at that moment (DynamoDB refuses the
 * update; DynamoDB Local never does): a retry here costs less than the workflow's own, a state
 * transition and a new task token later.
 */
const maxTries = 3;

/** Where an order must stand for a wait to begin, as a condition on its item. */
interface WaitCondition {
  readonly expression: string;
  readonly names: Readonly<Record<string, string>>;
  readonly values: Readonly<Record<string, unknown>>;
}

/**
 * Stores the wait's token and deadline on the order in one conditional update, without reading it
 * first: the order answered either way comes with the write (ALL_NEW) or its refusal (ALL_OLD). A
 * wait shows nothing new in the participants' entries (the status and step stay), so only the
 * order is written.
 */
async function beginWait(
  client: DynamoDBDocumentClient,
  tableName: string,
  orderId: string,
  wait: Wait,
  at: WaitCondition,
  now: Date,
): Promise<WaitOutcome> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await updateForWait(client, tableName, orderId, wait, at, now);
    } catch (error) {
      if (!(error instanceof TransactionConflictException) || attempt >= maxTries) throw error;
      await new Promise((resolve) => setTimeout(resolve, 25 * attempt));
    }
  }
}

async function updateForWait(
  client: DynamoDBDocumentClient,
  tableName: string,
  orderId: string,
  { taskToken, deadline, responseDeadlines }: Wait,
  at: WaitCondition,
  now: Date,
): Promise<WaitOutcome> {
  const responses = responseDeadlines
    ? ', dispute.responseDeadlines = if_not_exists(dispute.responseDeadlines, :responseDeadlines)'
    : '';
  try {
    const { Attributes } = await client.send(
      new UpdateCommand({
        TableName: tableName,
        Key: orderKey(orderId),
        UpdateExpression:
          `SET taskToken = :token, deadline = :deadline, version = version + :one, updatedAt = :now${responses} ` +
          'REMOVE pending, captureThen',
        ConditionExpression: at.expression,
        ExpressionAttributeNames: { '#status': 'status', ...at.names },
        ExpressionAttributeValues: {
          ':token': taskToken,
          ':deadline': deadline,
          ':one': 1,
          ':now': now.toISOString(),
          ...at.values,
          ...(responseDeadlines ? { ':responseDeadlines': responseDeadlines } : {}),
        },
        ReturnValues: 'ALL_NEW',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      }),
    );
    return { waiting: orderEntity.decode(Attributes ?? {}) };
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    const standing = fromAttributeValues(error.Item);
    if (!standing) throw orderNotFound(orderId);
    return { movedOn: orderEntity.decode(standing) };
  }
}

/** The wait for the checkout's payment: the order awaits it, with no decision pending. */
export function beginPaymentWait(
  client: DynamoDBDocumentClient,
  tableName: string,
  orderId: string,
  wait: Wait,
  now: Date,
): Promise<WaitOutcome> {
  return beginWait(
    client,
    tableName,
    orderId,
    wait,
    {
      expression: '#status = :awaitingPayment AND attribute_not_exists(pending)',
      names: {},
      values: { ':awaitingPayment': 'awaiting-payment' },
    },
    now,
  );
}

/**
 * The wait for a step's party: the order is in progress at the step `transition` leads to, with no
 * decision pending other than the one that led to this wait.
 */
export async function beginStepWait(
  client: DynamoDBDocumentClient,
  tableName: string,
  orderId: string,
  wait: Wait & { readonly transition: Transition },
  now: Date,
): Promise<WaitOutcome> {
  const { transition } = wait;
  if (transition.next !== 'await-step' || transition.stepIndex === undefined) {
    throw new Error(`order ${orderId}: a step wait needs an await-step transition with its step`);
  }
  return beginWait(
    client,
    tableName,
    orderId,
    wait,
    {
      expression:
        '#status = :inProgress AND stepIndex = :step AND ' +
        '(attribute_not_exists(pending) OR (pending.#next = :next AND pending.stepIndex = :step))',
      names: { '#next': 'next' },
      values: { ':inProgress': 'in-progress', ':step': transition.stepIndex, ':next': transition.next },
    },
    now,
  );
}
