import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  TransactionConflictException,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { beginPaymentWait } from '#shared/store/order-waits.ts';

/**
 * DynamoDB refuses a write to an item another transaction is writing (TransactionConflict);
 * DynamoDB Local never does, so the wait's own retry is checked against a mocked client here.
 */
const client = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-west-1' }));
const dynamo = mockClient(client);

const conflict = () => new TransactionConflictException({ message: 'in a transaction', $metadata: {} });
const wait = { taskToken: 'token-1', deadline: '2030-01-09T00:00:00.000Z' };
const beginWait = () => beginPaymentWait(client, 'table', 'order-1', wait, new Date());

beforeEach(() => dynamo.reset());

describe('a wait whose order another transaction is writing', () => {
  it('is tried again, the same update each time', async () => {
    dynamo
      .on(UpdateCommand)
      .rejectsOnce(conflict())
      .rejectsOnce(new ConditionalCheckFailedException({ message: 'no order', $metadata: {} }));

    await expect(beginWait()).rejects.toMatchObject({ code: 'order_not_found' });

    const updates = dynamo.commandCalls(UpdateCommand).map((call) => call.args[0].input);
    expect(updates).toHaveLength(2);
    expect(updates[1]).toEqual(updates[0]);
    expect(updates[0]).toMatchObject({
      Key: { PK: 'ORDER#order-1', SK: 'ORDER' },
      ConditionExpression: '#status = :awaitingPayment AND attribute_not_exists(pending)',
      ExpressionAttributeValues: { ':token': 'token-1', ':deadline': wait.deadline },
    });
  });

  it('fails after three conflicts, for the workflow to retry the task', async () => {
    dynamo.on(UpdateCommand).rejects(conflict());
    await expect(beginWait()).rejects.toBeInstanceOf(TransactionConflictException);
    expect(dynamo.commandCalls(UpdateCommand)).toHaveLength(3);
  });
});
