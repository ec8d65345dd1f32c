import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { logger } from '#shared/logger.ts';
import { countTableChangeConsumerFailure } from '#shared/observability/metrics.ts';
import { matchesAnyPattern } from '#shared/streams/event-filter.ts';
import type { TableChangeConsumer } from './table-change-consumers.ts';

/**
 * Runs the consumer function `functionName` with `event` and answers its partial batch response;
 * throws when the function failed.
 */
export type InvokeConsumer = (
  functionName: string,
  event: DynamoDBStreamEvent,
) => Promise<DynamoDBBatchResponse>;

/** A record of the incoming batch, with its position there. */
interface PositionedRecord {
  readonly record: DynamoDBRecord;
  readonly position: number;
}

type Chunk = readonly [PositionedRecord, ...PositionedRecord[]];

const sequenceNumberOf = ({ record }: PositionedRecord) => record.dynamodb?.SequenceNumber ?? '';

function chunksOf(records: readonly PositionedRecord[], size: number): Chunk[] {
  const chunks: Chunk[] = [];
  for (let start = 0; start < records.length; start += size) {
    chunks.push(records.slice(start, start + size) as [PositionedRecord, ...PositionedRecord[]]);
  }
  return chunks;
}

/**
 * The one reader of the table's stream for its consumers (DynamoDB advises at most two per shard):
 * hands each consumer the records its filters match, in stream order and in chunks of its batch size,
 * as an event source mapping would, and answers the stream with the earliest record any consumer
 * failed at. The stream delivers the batch again from there to every consumer, so a consumer sees
 * again records it took already, as it does when its own mapping retries.
 */
export class TableChangeFanOut {
  constructor(
    private readonly consumers: readonly TableChangeConsumer[],
    private readonly invoke: InvokeConsumer,
  ) {}

  async deliver(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
    const records = event.Records.map((record, position) => ({ record, position }));
    const failures = await Promise.all(
      this.consumers.map((consumer) =>
        this.deliverTo(
          consumer,
          records.filter(({ record }) => matchesAnyPattern(consumer.filters, record)),
        ),
      ),
    );
    const [earliest] = failures
      .filter((failed) => failed !== undefined)
      .sort((one, other) => one.position - other.position);
    const failedAt = earliest && sequenceNumberOf(earliest);
    logger.info('table changes fanned out', { records: records.length, failedAt });
    return { batchItemFailures: failedAt === undefined ? [] : [{ itemIdentifier: failedAt }] };
  }

  /** Invokes the consumer with one chunk after the other; answers the record of its first failure. */
  private async deliverTo(
    consumer: TableChangeConsumer,
    records: readonly PositionedRecord[],
  ): Promise<PositionedRecord | undefined> {
    for (const chunk of chunksOf(records, consumer.batchSize)) {
      const failure = await this.invokeWith(consumer, chunk);
      if (failure) {
        logger.error('a table-change consumer failed', {
          consumer: consumer.name,
          sequenceNumber: sequenceNumberOf(failure.failed),
          error: failure.error,
        });
        countTableChangeConsumerFailure(consumer.name);
        return failure.failed;
      }
    }
    return undefined;
  }

  /**
   * Where the chunk failed: at the first record the consumer reports, or at the chunk's first when
   * the function failed or the report names none of its records (as Lambda takes an empty identifier).
   */
  private async invokeWith(
    consumer: TableChangeConsumer,
    chunk: Chunk,
  ): Promise<{ readonly failed: PositionedRecord; readonly error: unknown } | undefined> {
    try {
      const {
        batchItemFailures: [reported],
      } = await this.invoke(consumer.functionName, { Records: chunk.map(({ record }) => record) });
      if (!reported) return undefined;
      const { itemIdentifier } = reported;
      const named = chunk.find((one) => itemIdentifier !== '' && sequenceNumberOf(one) === itemIdentifier);
      return {
        failed: named ?? chunk[0],
        error: `the consumer reported item ${JSON.stringify(itemIdentifier)} failed`,
      };
    } catch (error) {
      return { failed: chunk[0], error };
    }
  }
}
