import { InvokeCommand, type InvokeCommandOutput, LambdaClient } from '@aws-sdk/client-lambda';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { handler } from '#functions/streams/fan-out-table-changes.ts';

const lambda = mockClient(LambdaClient);
afterEach(() => vi.unstubAllEnvs());

const event: DynamoDBStreamEvent = {
  Records: [
    { eventName: 'MODIFY', dynamodb: { SequenceNumber: '1', NewImage: { entity: { S: 'review' } } } },
    { eventName: 'INSERT', dynamodb: { SequenceNumber: '2', NewImage: { entity: { S: 'listing' } } } },
  ],
};

describe('the fan-out function', () => {
  it('loads without its consumers, and names the variable at its first batch', async () => {
    vi.stubEnv('TABLE_CHANGE_CONSUMERS', '');
    await expect(handler(event)).rejects.toThrow('needs TABLE_CHANGE_CONSUMERS');
  });

  it("invokes each consumer's function with its records through the Lambda client, and answers its failure", async () => {
    vi.stubEnv('AWS_REGION', 'eu-west-1');
    vi.stubEnv(
      'TABLE_CHANGE_CONSUMERS',
      JSON.stringify([
        {
          name: 'search/index-listings',
          functionName: 'Marketplace-SearchIndexerFunction',
          batchSize: 100,
          filters: [{ dynamodb: { NewImage: { entity: { S: ['listing'] } } } }],
        },
      ]),
    );
    const answer = '{"batchItemFailures":[{"itemIdentifier":"2"}]}';
    lambda.on(InvokeCommand).resolves({
      Payload: new TextEncoder().encode(answer) as NonNullable<InvokeCommandOutput['Payload']>,
    });

    expect(await handler(event)).toEqual({ batchItemFailures: [{ itemIdentifier: '2' }] });
    expect(lambda.commandCalls(InvokeCommand).map((call) => call.args[0].input)).toEqual([
      {
        FunctionName: 'Marketplace-SearchIndexerFunction',
        InvocationType: 'RequestResponse',
        Payload: JSON.stringify({ Records: [event.Records[1]] }),
      },
    ]);
  });
});
