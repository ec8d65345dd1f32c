import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { PayoutLineStatus } from '../../domain/payout-run.ts';
import { decodeIfPresent } from '../entities/entity.ts';
import {
  payoutLineEntity,
  payoutLineKey,
  payoutLinePrefix,
  sellerPayoutIndexKeys,
  sellerPayoutsPartition,
} from '../entities/payout-line.ts';
import { payoutRunKey } from '../entities/payout-run.ts';
import { type Page, queryPage, queryPages } from '../query-page.ts';
import type { PayoutLine, PayoutRun } from './run-and-line-types.ts';
import { newestRunFirst, type PayoutRunTable } from './run-sorted-index.ts';

const toLine = (item: Record<string, unknown>) => payoutLineEntity.decode(item);

/** A line of the selection; one already written (by an earlier attempt) is left as it is. */
export const addLine = async (
  { client, tableName }: PayoutRunTable,
  run: PayoutRun,
  line: Omit<PayoutLine, 'runId' | 'currency' | 'runCreatedAt' | 'updatedAt'>,
) => {
  try {
    await client.send(
      new PutCommand({
        TableName: tableName,
        Item: payoutLineEntity.item(
          {
            ...payoutLineKey(run.runId, line.sellerId),
            ...(run.dryRun || line.status === 'planned'
              ? {}
              : sellerPayoutIndexKeys({
                  sellerId: line.sellerId,
                  runId: run.runId,
                  runCreatedAt: run.createdAt,
                })),
          },
          {
            runId: run.runId,
            currency: run.currency,
            runCreatedAt: run.createdAt,
            ...line,
            updatedAt: new Date().toISOString(),
          },
        ),
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
  }
};

export const getLine = async (
  { client, tableName }: PayoutRunTable,
  runId: string,
  sellerId: string,
): Promise<PayoutLine | undefined> => {
  const { Item } = await client.send(
    new GetCommand({
      TableName: tableName,
      Key: payoutLineKey(runId, sellerId),
      ConsistentRead: true,
    }),
  );
  return decodeIfPresent(payoutLineEntity, Item);
};

/** One page of the run's lines, by seller id, optionally of one status. */
export const linePage = async (
  { client, tableName }: PayoutRunTable,
  runId: string,
  { limit, cursor, status }: { limit: number; cursor?: string; status?: PayoutLineStatus },
): Promise<Page<PayoutLine>> => {
  const { PK } = payoutRunKey(runId);
  const page = await queryPage(
    client,
    {
      TableName: tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: {
        ':pk': PK,
        ':prefix': payoutLinePrefix,
        ...(status ? { ':status': status } : {}),
      },
      ...(status
        ? { FilterExpression: '#status = :status', ExpressionAttributeNames: { '#status': 'status' } }
        : {}),
      ConsistentRead: true,
    },
    { kind: 'payoutLine', limit, cursor, sortKeyAttribute: 'SK', startKey: (SK) => ({ PK, SK }) },
  );
  return { ...page, items: page.items.map(toLine) };
};

/** Every line of the run, page by page. */
export async function* allLines(
  { client, tableName }: PayoutRunTable,
  runId: string,
): AsyncGenerator<PayoutLine[]> {
  for await (const items of queryPages(client, {
    TableName: tableName,
    KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
    ExpressionAttributeValues: { ':pk': payoutRunKey(runId).PK, ':prefix': payoutLinePrefix },
    ConsistentRead: true,
  })) {
    yield items.map(toLine);
  }
}

/** The seller's payout lines, newest run first. */
export const sellerPayouts = async (
  table: PayoutRunTable,
  sellerId: string,
  limit: number,
  cursor?: string,
): Promise<Page<PayoutLine>> => {
  const page = await newestRunFirst(
    table,
    sellerPayoutsPartition(sellerId).GSI1PK,
    (runId) => payoutLineKey(runId, sellerId),
    limit,
    cursor,
  );
  return { ...page, items: page.items.map(toLine) };
};
