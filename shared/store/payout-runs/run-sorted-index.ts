import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type Page, queryPage } from '../query-page.ts';

/** The table the payout-run modules read and write, and its client. */
export interface PayoutRunTable {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
}

/** One page of a GSI1 partition sorted by run (`runSortKey`), newest first; `tableKey` names an item by its run. */
export const newestRunFirst = (
  { client, tableName }: PayoutRunTable,
  partition: string,
  tableKey: (runId: string) => Record<string, string>,
  limit: number,
  cursor: string | undefined,
): Promise<Page<Record<string, unknown>>> =>
  queryPage(
    client,
    {
      TableName: tableName,
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :pk',
      ExpressionAttributeValues: { ':pk': partition },
      ScanIndexForward: false,
    },
    {
      kind: 'payoutRun',
      limit,
      cursor,
      sortKeyAttribute: 'GSI1SK',
      startKey: (sortKey) => ({
        ...tableKey(sortKey.slice(sortKey.lastIndexOf('#') + 1)),
        GSI1PK: partition,
        GSI1SK: sortKey,
      }),
    },
  );
