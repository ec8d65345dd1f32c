import { randomUUID } from 'node:crypto';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  ScanCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { DomainError } from '../domain/errors.ts';
import {
  type Listing,
  type ListingContent,
  type ListingTransition,
  listingNotFound,
  listingTransitions,
} from '../domain/listing.ts';
import { paymentsNotEnabled } from '../domain/payments-account.ts';
import { sellerProfileRequired } from '../domain/seller.ts';
import { concurrentModification, conditionalWrite, fromAttributeValues } from './conditional.ts';
import { idInSortKey } from './page-cursor.ts';
import { chargesEnabledCheck, paymentsAccountFromItem } from './payments-account-store.ts';
import { type Page, queryPage } from './query-page.ts';
import { keys, listingEntity, withoutKeys } from './table.ts';

type TransactUpdate = NonNullable<NonNullable<TransactWriteCommandInput['TransactItems']>[number]['Update']>;

function toListing(item: Record<string, unknown>): Listing {
  return withoutKeys(item) as unknown as Listing;
}

/** Why a conditional write on a listing failed, from the item as it was. */
function explainListingWrite(listingId: string, sellerId: string, expectedVersion?: number) {
  return (current: Record<string, unknown> | undefined): never => {
    // Drafts of other sellers are as invisible here as to GET /listings/{id}.
    if (!current || (current.sellerId !== sellerId && current.status !== 'published')) {
      throw listingNotFound(listingId);
    }
    if (current.sellerId !== sellerId) {
      throw new DomainError(
        'forbidden',
        'not_listing_owner',
        'Only the seller who owns this listing may change it.',
      );
    }
    if (expectedVersion !== undefined && current.version !== expectedVersion) {
      throw new DomainError(
        'stale-version',
        'version_mismatch',
        `The listing is at version ${String(current.version)}, not ${expectedVersion}; read it again and reapply your change.`,
      );
    }
    throw new DomainError('conflict', 'listing_state_conflict', `The listing is ${String(current.status)}.`);
  };
}

/** Listings in the single table. See README.md beside this file for keys and access patterns. */
export class ListingStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(sellerId: string, content: ListingContent, now = new Date()): Promise<Listing> {
    const timestamp = now.toISOString();
    const listing: Listing = {
      ...content,
      id: randomUUID(),
      sellerId,
      status: 'draft',
      version: 1,
      createdAt: timestamp,
      updatedAt: timestamp,
    };
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...keys.listing(listing.id),
          ...keys.sellerListings(sellerId),
          GSI1SK: keys.sellerListingSort(timestamp, listing.id),
          entity: listingEntity,
          ...listing,
        },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
    return listing;
  }

  async get(listingId: string): Promise<Listing | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keys.listing(listingId) }),
    );
    return Item ? toListing(Item) : undefined;
  }

  /** The listings with these ids (at most 100) that exist, by id: one BatchGetItem, retried for unprocessed keys. */
  async getMany(listingIds: readonly string[]): Promise<Map<string, Listing>> {
    const found = new Map<string, Listing>();
    let pending: Record<string, unknown>[] = [...new Set(listingIds)].map((id) => keys.listing(id));
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
      const { Responses, UnprocessedKeys } = await this.client.send(
        new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: pending, ConsistentRead: true } } }),
      );
      for (const item of Responses?.[this.tableName] ?? []) {
        const listing = toListing(item);
        found.set(listing.id, listing);
      }
      pending = UnprocessedKeys?.[this.tableName]?.Keys ?? [];
      if (attempt >= 5 && pending.length > 0) throw new Error('DynamoDB left listings unread after 6 tries');
    }
    return found;
  }

  /** Applies `changes` if the caller owns the listing and it is still at `expectedVersion`. */
  async update(
    listingId: string,
    sellerId: string,
    expectedVersion: number,
    changes: Partial<ListingContent>,
    now = new Date(),
  ): Promise<Listing> {
    const fields = Object.entries(changes).filter(([, value]) => value !== undefined);
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {
      ':seller': sellerId,
      ':expected': expectedVersion,
      ':one': 1,
      ':now': now.toISOString(),
    };
    const assignments = fields.map(([field, value], index) => {
      names[`#f${index}`] = field;
      values[`:v${index}`] = value;
      return `#f${index} = :v${index}`;
    });
    const { Attributes } = await conditionalWrite(
      () =>
        this.client.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: keys.listing(listingId),
            UpdateExpression: `SET ${[...assignments, 'version = version + :one', 'updatedAt = :now'].join(', ')}`,
            ConditionExpression: 'attribute_exists(PK) AND sellerId = :seller AND version = :expected',
            ...(fields.length > 0 ? { ExpressionAttributeNames: names } : {}),
            ExpressionAttributeValues: values,
            ReturnValues: 'ALL_NEW',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        ),
      explainListingWrite(listingId, sellerId, expectedVersion),
    );
    return toListing(Attributes ?? {});
  }

  /**
   * Publishes or unpublishes. Publishing also requires the seller's profile to exist and Stripe to
   * have enabled charges on the seller's payments account, checked in the same transaction.
   * `expectedVersion`, when given, must match.
   */
  async transition(
    listingId: string,
    sellerId: string,
    transition: ListingTransition,
    expectedVersion?: number,
    now = new Date(),
  ): Promise<Listing> {
    const { from, to } = listingTransitions[transition];
    const values: Record<string, unknown> = {
      ':seller': sellerId,
      ':to': to,
      ':one': 1,
      ':now': now.toISOString(),
      ...Object.fromEntries(from.map((status, index) => [`:from${index}`, status])),
      ...(expectedVersion === undefined ? {} : { ':expected': expectedVersion }),
    };
    const update: TransactUpdate = {
      TableName: this.tableName,
      Key: keys.listing(listingId),
      UpdateExpression: `SET #status = :to, version = version + :one, updatedAt = :now${
        transition === 'publish' ? ', publishedAt = :now' : ''
      }`,
      ConditionExpression: [
        'attribute_exists(PK) AND sellerId = :seller',
        `#status IN (${from.map((_, index) => `:from${index}`).join(', ')})`,
        ...(expectedVersion === undefined ? [] : ['version = :expected']),
      ].join(' AND '),
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: values,
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    };
    const explain = explainListingWrite(listingId, sellerId, expectedVersion);
    if (transition === 'unpublish') {
      const { Attributes } = await conditionalWrite(
        () => this.client.send(new UpdateCommand({ ...update, ReturnValues: 'ALL_NEW' })),
        explain,
      );
      return toListing(Attributes ?? {});
    }
    await this.publishWithSellerChecks(sellerId, update, explain);
    // A transaction returns no item: read it back, strongly consistent so the new version shows.
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keys.listing(listingId), ConsistentRead: true }),
    );
    if (!Item) throw listingNotFound(listingId);
    return toListing(Item);
  }

  private async publishWithSellerChecks(
    sellerId: string,
    update: TransactUpdate,
    explain: (current: Record<string, unknown> | undefined) => never,
  ): Promise<void> {
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              ConditionCheck: {
                TableName: this.tableName,
                Key: keys.sellerProfile(sellerId),
                ConditionExpression: 'attribute_exists(PK)',
              },
            },
            chargesEnabledCheck(this.tableName, sellerId),
            { Update: update },
          ],
        }),
      );
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const [profileCheck, paymentsCheck, listingUpdate] = error.CancellationReasons ?? [];
      if (listingUpdate?.Code === 'ConditionalCheckFailed') {
        const { Item } = listingUpdate;
        explain(fromAttributeValues(Item));
      }
      if (profileCheck?.Code === 'ConditionalCheckFailed') throw sellerProfileRequired('publishing listings');
      if (paymentsCheck?.Code === 'ConditionalCheckFailed') {
        throw paymentsNotEnabled(paymentsAccountFromItem(fromAttributeValues(paymentsCheck.Item)));
      }
      if (error.CancellationReasons?.some((reason) => reason.Code === 'TransactionConflict')) {
        throw concurrentModification();
      }
      throw error;
    }
  }

  /**
   * Every listing, a page at a time. A Scan: for maintenance jobs such as rebuilding the search
   * index, never for a request path.
   */
  async *scanAll(pageSize = 500): AsyncGenerator<Listing[]> {
    let startKey: Record<string, unknown> | undefined;
    do {
      const { Items = [], LastEvaluatedKey } = await this.client.send(
        new ScanCommand({
          TableName: this.tableName,
          FilterExpression: 'entity = :listing',
          ExpressionAttributeValues: { ':listing': listingEntity },
          Limit: pageSize,
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      if (Items.length > 0) yield Items.map(toListing);
      startKey = LastEvaluatedKey;
    } while (startKey);
  }

  /** The seller's listings, newest first. */
  async listBySeller(sellerId: string, limit: number, cursor?: string): Promise<Page<Listing>> {
    const seller = keys.sellerListings(sellerId);
    const page = await queryPage(
      this.client,
      {
        TableName: this.tableName,
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk AND begins_with(GSI1SK, :prefix)',
        ExpressionAttributeValues: { ':pk': seller.GSI1PK, ':prefix': 'LISTING#' },
        ScanIndexForward: false,
      },
      {
        kind: 'listing',
        limit,
        cursor,
        sortKeyAttribute: 'GSI1SK',
        startKey: (sortKey) => ({ ...keys.listing(idInSortKey(sortKey)), ...seller, GSI1SK: sortKey }),
      },
    );
    return { ...page, items: page.items.map(toListing) };
  }
}
