import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as StreamRecord,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { localDynamoDbConfig } from '#shared/store/client.ts';
import { type FilterCriteria, passesFilters } from '#shared/streams/event-filter.ts';
import { localAccount } from './aws/authorization.ts';

export type StreamHandler = (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse>;

export interface StreamPollerOptions {
  readonly endpoint: string;
  readonly tableName: string;
  readonly handler: StreamHandler;
  readonly intervalMs?: number;
  /** Attempts at a failing record before it is set aside, as Lambda's maximum retry attempts. */
  readonly maxAttempts?: number;
  readonly batchSize?: number;
  /** The event source mapping's FilterCriteria: records no filter matches never reach the handler. */
  readonly filters?: FilterCriteria;
}

export interface StreamPoller {
  stop(): Promise<void>;
}

/** The Lambda event record for a DynamoDB Streams record, as the event source mapping builds it. */
function toLambdaRecord(record: StreamRecord, streamArn: string): DynamoDBRecord {
  const { ApproximateCreationDateTime, ...change } = record.dynamodb ?? {};
  return {
    eventID: record.eventID ?? '',
    eventName: record.eventName ?? 'MODIFY',
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: localAccount.region,
    eventSourceARN: streamArn,
    dynamodb: {
      ...(change as DynamoDBRecord['dynamodb']),
      ...(ApproximateCreationDateTime
        ? { ApproximateCreationDateTime: Math.floor(ApproximateCreationDateTime.getTime() / 1000) }
        : {}),
    },
  };
}

/** How often a poller looks for new shards: they appear only as the stream rolls over. */
const shardDiscoveryMs = 2000;

/**
 * The local stand-in for a DynamoDB stream event source mapping: reads every shard of the table's
 * stream from now on, hands batches to the handler, and honours partial batch responses by
 * retrying from the first failed record, at most `maxAttempts` times before setting it aside.
 */
export async function startStreamPoller(options: StreamPollerOptions): Promise<StreamPoller> {
  const { endpoint, tableName, handler, intervalMs = 200, maxAttempts = 3, batchSize = 100 } = options;
  const dynamoDb = new DynamoDBClient(localDynamoDbConfig(endpoint));
  const streams = new DynamoDBStreamsClient(localDynamoDbConfig(endpoint));
  const { Table } = await dynamoDb.send(new DescribeTableCommand({ TableName: tableName }));
  dynamoDb.destroy();
  const streamArn = Table?.LatestStreamArn;
  if (!streamArn) throw new Error(`Table ${tableName} has no stream`);

  const iterators = new Map<string, string | undefined>();
  const attempts = new Map<string, number>();

  async function discoverShards(type: 'LATEST' | 'TRIM_HORIZON'): Promise<void> {
    const { StreamDescription } = await streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    for (const shard of StreamDescription?.Shards ?? []) {
      if (!shard.ShardId || iterators.has(shard.ShardId)) continue;
      const { ShardIterator } = await streams.send(
        new GetShardIteratorCommand({
          StreamArn: streamArn,
          ShardId: shard.ShardId,
          ShardIteratorType: type,
        }),
      );
      iterators.set(shard.ShardId, ShardIterator);
    }
  }

  async function failedAt(shardId: string, sequenceNumber: string): Promise<void> {
    const tries = (attempts.get(sequenceNumber) ?? 0) + 1;
    attempts.set(sequenceNumber, tries);
    const type = tries >= maxAttempts ? 'AFTER_SEQUENCE_NUMBER' : 'AT_SEQUENCE_NUMBER';
    if (tries >= maxAttempts) {
      console.error(
        `stream record ${sequenceNumber} failed ${tries} times; set aside as on a dead-letter queue`,
      );
      attempts.delete(sequenceNumber);
    }
    const { ShardIterator } = await streams.send(
      new GetShardIteratorCommand({
        StreamArn: streamArn,
        ShardId: shardId,
        ShardIteratorType: type,
        SequenceNumber: sequenceNumber,
      }),
    );
    iterators.set(shardId, ShardIterator);
  }

  /** Like Lambda: a thrown error or an empty item identifier fails the whole batch. */
  async function firstFailure(records: StreamRecord[]): Promise<string | undefined> {
    const passing = records
      .map((record) => toLambdaRecord(record, streamArn as string))
      .filter((record) => passesFilters(options.filters, record));
    if (passing.length === 0) return undefined;
    const first = passing[0]?.dynamodb?.SequenceNumber;
    try {
      const { batchItemFailures } = await handler({ Records: passing });
      const failed = batchItemFailures[0];
      return failed ? failed.itemIdentifier || first : undefined;
    } catch (error) {
      console.error('stream handler failed:', error);
      return first;
    }
  }

  async function pollShard(shardId: string, iterator: string): Promise<void> {
    const { Records = [], NextShardIterator } = await streams.send(
      new GetRecordsCommand({ ShardIterator: iterator, Limit: batchSize }),
    );
    const failed = Records.length > 0 ? await firstFailure(Records) : undefined;
    if (failed) await failedAt(shardId, failed);
    else iterators.set(shardId, NextShardIterator);
  }

  // New shards appear as DynamoDB rolls the stream over; records written before start are the
  // start-up reindex's business, so existing shards are read from now on, new ones from their start.
  await discoverShards('LATEST');
  let running = true;
  let shardsDiscoveredAt = Date.now();
  const loop = (async () => {
    while (running) {
      try {
        if (Date.now() - shardsDiscoveredAt >= shardDiscoveryMs) {
          await discoverShards('TRIM_HORIZON');
          shardsDiscoveredAt = Date.now();
        }
        for (const [shardId, iterator] of iterators) {
          if (iterator) await pollShard(shardId, iterator);
        }
      } catch (error) {
        if (running) console.error('stream poller:', error);
      }
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  })();

  return {
    async stop() {
      running = false;
      await loop;
      streams.destroy();
    },
  };
}
