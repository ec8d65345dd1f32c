import type { DynamoDBBatchResponse, DynamoDBStreamEvent, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { FilterCriteria } from '#shared/streams/event-filter.ts';
import type { LocalAwsServices } from './aws-services.ts';
import { LocalMessageQueue } from './message-queue.ts';
import { type StreamPoller, startStreamPoller } from './stream-poller.ts';

/** Runs a function of the template (by logical id) with an event, as Lambda invokes it. */
export type InvokeFunction = (functionId: string, event: unknown) => Promise<unknown>;

interface EventSourceMapping {
  readonly FunctionName: { readonly Ref: string };
  readonly EventSourceArn: { readonly 'Fn::GetAtt': readonly [string, string] };
  readonly BatchSize?: number;
  readonly MaximumBatchingWindowInSeconds?: number;
  readonly MaximumRetryAttempts?: number;
  readonly FilterCriteria?: FilterCriteria;
}

export interface LocalEventSources {
  /** The queues feeding functions, by the function they feed. */
  readonly queues: ReadonlyMap<string, LocalMessageQueue>;
  stop(): Promise<void>;
}

/** SQS's default when a queue has no redrive policy: a message is received again and again. */
const noDeadLetters = Number.MAX_SAFE_INTEGER;

/**
 * The template's event source mappings, run here with their settings: each queue a function
 * consumes (batch size, batching window, its redrive policy's maxReceiveCount) served by the local
 * SQS, and each table stream a function follows (batch size, filters, retry attempts) polled.
 */
export async function startEventSources(
  aws: LocalAwsServices,
  template: { readonly Resources: Readonly<Record<string, { Type: string; Properties?: unknown }>> },
  dynamoDbEndpoint: string,
  tableName: string,
  invoke: InvokeFunction,
): Promise<LocalEventSources> {
  const queues = new Map<string, LocalMessageQueue>();
  const pollers: StreamPoller[] = [];
  const stop = async () => {
    await Promise.all([...queues.values()].map((queue) => queue.stop()));
    await Promise.all(pollers.map((poller) => poller.stop()));
  };
  try {
    for (const mappingId of aws.resourcesOfType('AWS::Lambda::EventSourceMapping')) {
      const mapping = template.Resources[mappingId]?.Properties as EventSourceMapping;
      const functionId = mapping.FunctionName.Ref;
      const [sourceId] = mapping.EventSourceArn['Fn::GetAtt'];
      const source = template.Resources[sourceId];
      if (source?.Type === 'AWS::SQS::Queue') {
        const name = aws.references.physicalName(sourceId);
        const redrive = (source.Properties as { RedrivePolicy?: { maxReceiveCount?: number } }).RedrivePolicy;
        const queue = new LocalMessageQueue({
          name,
          handler: (event: SQSEvent) => invoke(functionId, event) as Promise<SQSBatchResponse>,
          batchSize: mapping.BatchSize ?? 10,
          batchWindowMs: (mapping.MaximumBatchingWindowInSeconds ?? 0) * 1000,
          maxReceiveCount: redrive?.maxReceiveCount ?? noDeadLetters,
        });
        queues.set(functionId, queue);
        aws.sqs.addQueue(name, queue);
      } else if (source?.Type === 'AWS::DynamoDB::Table') {
        pollers.push(
          await startStreamPoller({
            endpoint: dynamoDbEndpoint,
            tableName,
            handler: (event: DynamoDBStreamEvent) =>
              invoke(functionId, event) as Promise<DynamoDBBatchResponse>,
            ...(mapping.BatchSize ? { batchSize: mapping.BatchSize } : {}),
            ...(mapping.MaximumRetryAttempts === undefined
              ? {}
              : { maxAttempts: mapping.MaximumRetryAttempts + 1 }),
            ...(mapping.FilterCriteria ? { filters: mapping.FilterCriteria } : {}),
          }),
        );
      } else {
        throw new Error(`${mappingId} reads from ${sourceId}, a source the local stack cannot serve`);
      }
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { queues, stop };
}
