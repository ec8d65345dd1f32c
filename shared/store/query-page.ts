import { type DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { decodePageCursor, encodePageCursor, type PageKind } from './page-cursor.ts';

export interface Page<T> {
  readonly items: readonly T[];
  /** Opaque; pass it back to get the next page. Absent on the last page. */
  readonly nextCursor?: string;
}

export interface PageRequest {
  readonly kind: PageKind;
  readonly limit: number;
  readonly cursor?: string | undefined;
  /** The attribute holding the sort key the cursor records (`SK`, or an index's sort key). */
  readonly sortKeyAttribute: string;
  /** The full key (table and index attributes) of the item a cursor's sort key names. */
  readonly startKey: (sortKey: string) => Record<string, unknown>;
}

/** One Query for one page; the cursor is the sort key of the page's last item. */
export async function queryPage(
  client: DynamoDBDocumentClient,
  query: Omit<QueryCommandInput, 'Limit' | 'ExclusiveStartKey'>,
  { kind, limit, cursor, sortKeyAttribute, startKey }: PageRequest,
): Promise<Page<Record<string, unknown>>> {
  const startSortKey = cursor === undefined ? undefined : decodePageCursor(cursor, kind);
  const { Items = [] } = await client.send(
    new QueryCommand({
      ...query,
      // One more than asked tells whether another page follows, so the last page has no cursor.
      Limit: limit + 1,
      ...(startSortKey ? { ExclusiveStartKey: startKey(startSortKey) } : {}),
    }),
  );
  const page = Items.slice(0, limit);
  const lastSortKey = page.at(-1)?.[sortKeyAttribute];
  return {
    items: page,
    ...(Items.length > limit && typeof lastSortKey === 'string'
      ? { nextCursor: encodePageCursor(lastSortKey) }
      : {}),
  };
}

/** Every page of a Query, one after the other, following LastEvaluatedKey to the end. */
export async function* queryPages(
  client: DynamoDBDocumentClient,
  query: Omit<QueryCommandInput, 'ExclusiveStartKey'>,
): AsyncGenerator<Record<string, unknown>[]> {
  let startKey: Record<string, unknown> | undefined;
  do {
    const { Items = [], LastEvaluatedKey } = await client.send(
      new QueryCommand({ ...query, ...(startKey ? { ExclusiveStartKey: startKey } : {}) }),
    );
    yield Items;
    startKey = LastEvaluatedKey;
  } while (startKey);
}

/** Every item a Query finds, all pages read. */
export async function queryAll(
  client: DynamoDBDocumentClient,
  query: Omit<QueryCommandInput, 'ExclusiveStartKey'>,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  for await (const page of queryPages(client, query)) items.push(...page);
  return items;
}
