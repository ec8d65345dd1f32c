import {
  InvokeCommand,
  type InvokeCommandOutput,
  LambdaClient,
  ResourceNotFoundException,
} from '@aws-sdk/client-lambda';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { streamConsumerInvoker } from '#shared/streams/stream-consumer-invoker.ts';

const lambda = mockClient(LambdaClient);
beforeEach(() => lambda.reset());

const invoke = streamConsumerInvoker(new LambdaClient({ region: 'eu-west-1' }));
const functionName = 'Marketplace-SearchIndexerFunction';
const event: DynamoDBStreamEvent = {
  Records: [
    {
      eventID: 'event-1',
      eventName: 'MODIFY',
      dynamodb: { SequenceNumber: '100', NewImage: { entity: { S: 'listing' } } },
    },
    {
      eventID: 'event-2',
      eventName: 'REMOVE',
      dynamodb: { SequenceNumber: '200', OldImage: { entity: { S: 'listing' } } },
    },
  ],
};

/** What Lambda answers: the handler's result, or its error, as JSON bytes. */
const payload = (text: string) =>
  new TextEncoder().encode(text) as NonNullable<InvokeCommandOutput['Payload']>;
const answering = (text: string, functionError?: string) =>
  lambda.on(InvokeCommand).resolves({
    StatusCode: 200,
    Payload: payload(text),
    ...(functionError ? { FunctionError: functionError } : {}),
  });

describe('invoking a stream consumer function', () => {
  it('invokes it by name, synchronously, with the records as a DynamoDB stream event', async () => {
    answering('{"batchItemFailures":[]}');
    await invoke(functionName, event);
    expect(lambda.commandCalls(InvokeCommand).map((call) => call.args[0].input)).toEqual([
      {
        FunctionName: functionName,
        InvocationType: 'RequestResponse',
        Payload: JSON.stringify({ Records: event.Records }),
      },
    ]);
  });

  it('answers the partial batch response the function answered', async () => {
    answering('{"batchItemFailures":[{"itemIdentifier":"200"}]}');
    expect(await invoke(functionName, event)).toEqual({ batchItemFailures: [{ itemIdentifier: '200' }] });
  });

  it.each([
    ['null', 'a handler answering nothing'],
    ['', 'no payload'],
    ['{}', 'an empty response'],
    ['{"batchItemFailures":null}', 'no list'],
  ])('takes %j (%s) as no failure, as Lambda does', async (answer) => {
    answering(answer);
    expect(await invoke(functionName, event)).toEqual({ batchItemFailures: [] });
  });

  it("throws a function error with the function's name and the error its payload describes", async () => {
    answering(
      JSON.stringify({ errorType: 'Error', errorMessage: 'search domain unreachable', trace: ['Error: …'] }),
      'Unhandled',
    );
    await expect(invoke(functionName, event)).rejects.toThrow(
      `${functionName} failed (Unhandled): Error: search domain unreachable`,
    );
    answering(
      JSON.stringify({ errorType: 'Sandbox.Timedout', errorMessage: 'Task timed out after 30.03 seconds' }),
      'Unhandled',
    );
    await expect(invoke(functionName, event)).rejects.toThrow(
      `${functionName} failed (Unhandled): Sandbox.Timedout: Task timed out after 30.03 seconds`,
    );
    answering('out of memory', 'Unhandled');
    await expect(invoke(functionName, event)).rejects.toThrow(
      `${functionName} failed (Unhandled): out of memory`,
    );
  });

  it.each([
    ['not JSON', 'OK'],
    ['no object', '"done"'],
    ['a list that is not one of item identifiers', '{"batchItemFailures":[{"itemIdentifier":200}]}'],
    ['a null item identifier', '{"batchItemFailures":[{"itemIdentifier":null}]}'],
    ['failures that are no list', '{"batchItemFailures":"200"}'],
  ])('throws an answer that is no batch response: %s', async (_, answer) => {
    answering(answer);
    await expect(invoke(functionName, event)).rejects.toThrow(`${functionName} answered no batch response`);
  });

  it('passes a failed call on: a missing function, a refused grant, throttling past the retries', async () => {
    lambda
      .on(InvokeCommand)
      .rejects(
        new ResourceNotFoundException({ message: `Function not found: ${functionName}`, $metadata: {} }),
      );
    await expect(invoke(functionName, event)).rejects.toThrow(`Function not found: ${functionName}`);
  });
});
