import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import * as z from 'zod';

/**
 * A stream consumer's answer, as Lambda reads it: no answer, no list or an empty one is a success;
 * anything else than a list of item identifiers is not an answer.
 */
const batchResponseSchema = z
  .object({ batchItemFailures: z.array(z.object({ itemIdentifier: z.string() })).nullish() })
  .nullable();

const functionErrorSchema = z.object({ errorType: z.string(), errorMessage: z.string() }).partial();

/** The payload's JSON, or its text when it is not JSON. */
function decoded(payload: string): unknown {
  try {
    return JSON.parse(payload);
  } catch {
    return payload;
  }
}

/** What the failed function answered: its error's type and message, as Lambda's runtime writes them. */
function functionErrorOf(payload: string): string {
  const parsed = functionErrorSchema.safeParse(decoded(payload));
  if (!parsed.success) return payload;
  return [parsed.data.errorType, parsed.data.errorMessage].filter(Boolean).join(': ');
}

/**
 * Invokes stream consumer functions by name, synchronously, with a DynamoDB stream event, and answers
 * their partial batch response. A function error (an exception, a timeout, memory exhausted) or an
 * answer that is no batch response is thrown, naming the function.
 */
export const streamConsumerInvoker =
  (lambda: LambdaClient) =>
  async (functionName: string, event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    const { FunctionError, Payload } = await lambda.send(
      new InvokeCommand({
        FunctionName: functionName,
        InvocationType: 'RequestResponse',
        Payload: JSON.stringify({ Records: event.Records }),
      }),
    );
    const payload = new TextDecoder().decode(Payload);
    if (FunctionError) {
      throw new Error(`${functionName} failed (${FunctionError}): ${functionErrorOf(payload)}`);
    }
    const answer = batchResponseSchema.safeParse(payload.trim() === '' ? null : decoded(payload));
    if (!answer.success) {
      throw new Error(`${functionName} answered no batch response: ${z.prettifyError(answer.error)}`);
    }
    return { batchItemFailures: answer.data?.batchItemFailures ?? [] };
  };
