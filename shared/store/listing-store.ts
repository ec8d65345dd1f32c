import { randomUUID } from 'node:crypto';
import {
  type DynamoDBDocumentClient,
  GetCommand,
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
import {
  partiesAwaitingConsent,
  providerConsentRequired,
  providersLockedWhilePublished,
  providersNamed,
} from '../domain/provider-consent.ts';
import { listingRemoved } from '../domain/report.ts';
import { sellerProfileRequired } from '../domain/seller.ts';
import { userSuspended } from '../domain/suspension.ts';
import { batchGetAll } from './batch-get.ts';
import { conditionalWrite } from './conditional.ts';
import { decodeIfPresent } from './entities/entity.ts';
import {
  awaitingConsentAttribute,
  listingEntity,
  listingItem,
  listingKey,
  sellerListingsPartition,
} from './entities/listing.ts';
import { paymentsAccountEntity } from './entities/payments-account.ts';
import { sellerProfileKey } from './entities/seller-profile.ts';
import { userSuspensionKey } from './entities/user-suspension.ts';
import { writeListingWithProviders } from './listing-providers.ts';
import { markSellerListings } from './listing-suspension.ts';
import { idInSortKey } from './page-cursor.ts';
import { chargesEnabledCheck } from './payments-account-store.ts';
import { type Page, queryPage } from './query-page.ts';
import { TransactionPlan } from './transaction.ts';

type TransactUpdate = NonNullable<NonNullable<TransactWriteCommandInput['TransactItems']>[number]['Update']>;

const toListing = (item: Record<string, unknown>) => listingEntity.decode(item);

/** The keys of the listings, each once. */
export const listingKeys = (listingIds: readonly string[]) =>
  [...new Set(listingIds)].map((id) => listingKey(id));

/** Listing items, decoded, by id. */
export const listingsById = (items: readonly Record<string, unknown>[]) =>
  new Map(items.map(toListing).map((listing): [string, Listing] => [listing.id, listing]));

/**
 * Why a conditional write on a listing failed, from the item as it was. `transition`, when the
 * write was one, tells a listing in the wrong status from one whose providers have not all consented.
 */
function explainListingWrite(
  listingId: string,
  sellerId: string,
  expectedVersion?: number,
  transition?: ListingTransition,
) {
  return (item: Record<string, unknown> | undefined): never => {
    const current = decodeIfPresent(listingEntity, item);
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
        `The listing is at version ${current.version}, not ${expectedVersion}; read it again and reapply your change.`,
      );
    }
    if (transition === 'publish' && current.removal) throw listingRemoved();
    const awaited = partiesAwaitingConsent(current.providers);
    if (transition === 'publish' && current.status !== 'published' && awaited.length > 0) {
      throw providerConsentRequired(awaited);
    }
    if (transition === undefined && current.status === 'published') throw providersLockedWhilePublished();
    throw new DomainError('conflict', 'listing_state_conflict', `The listing is ${current.status}.`);
  };
}

/** Listings in the single table. See README.md beside this file for keys and access patterns. */
export class ListingStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** A draft; each provider it names but the seller is invited and must have a seller profile. */
  async create(sellerId: string, content: ListingContent, now = new Date()): Promise<Listing> {
    const timestamp = now.toISOString();
    const listing: Listing = {
      ...content,
      providers: providersNamed(sellerId, [], content.providers),
      id: randomUUID(),
      sellerId,
      status: 'draft',
      version: 1,
      createdAt: timestamp,
      updatedAt: timestamp,
    };
    const put = {
      Put: {
        TableName: this.tableName,
        Item: listingItem(listing),
        ConditionExpression: 'attribute_not_exists(PK)',
      },
    };
    const failed = await writeListingWithProviders(this.client, this.tableName, put, listing, [], now);
    if (failed) throw new Error(`Listing id ${listing.id} is taken`);
    return listing;
  }

  async get(listingId: string): Promise<Listing | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: listingKey(listingId) }),
    );
    return Item ? toListing(Item) : undefined;
  }

  /** The listings with these ids (at most 100) that exist, by id: one BatchGetItem, retried for unprocessed keys. */
  async getMany(listingIds: readonly string[]): Promise<Map<string, Listing>> {
    return listingsById(await batchGetAll(this.client, this.tableName, listingKeys(listingIds)));
  }

  /**
   * Applies `changes` if the caller owns the listing and it is still at `expectedVersion`. Naming
   * providers asks them again (see writeListingWithProviders), which a published listing cannot wait for.
   */
  async update(
    listingId: string,
    sellerId: string,
    expectedVersion: number,
    changes: Partial<ListingContent>,
    now = new Date(),
  ): Promise<Listing> {
    const explain = explainListingWrite(listingId, sellerId, expectedVersion);
    const { providers, ...content } = changes;
    if (providers !== undefined) {
      return this.renameProviders({ listingId, sellerId, expectedVersion, now, explain }, content, providers);
    }
    const { Attributes } = await conditionalWrite(
      () =>
        this.client.send(
          new UpdateCommand({
            ...this.contentUpdate(listingId, sellerId, expectedVersion, content, now),
            ReturnValues: 'ALL_NEW',
          }),
        ),
      explain,
    );
    return toListing(Attributes ?? {});
  }

  private async renameProviders(
    change: {
      listingId: string;
      sellerId: string;
      expectedVersion: number;
      now: Date;
      explain: (item: Record<string, unknown> | undefined) => never;
    },
    content: Partial<Omit<ListingContent, 'providers'>>,
    named: ListingContent['providers'],
  ): Promise<Listing> {
    const { listingId, sellerId, expectedVersion, now, explain } = change;
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: listingKey(listingId), ConsistentRead: true }),
    );
    const current = decodeIfPresent(listingEntity, Item);
    if (!current || current.sellerId !== sellerId || current.version !== expectedVersion)
      return explain(Item);
    if (current.status === 'published') throw providersLockedWhilePublished();
    const defined = Object.fromEntries(Object.entries(content).filter(([, value]) => value !== undefined));
    const providers = providersNamed(sellerId, current.providers, named);
    const listing: Listing = {
      ...current,
      ...defined,
      providers,
      version: current.version + 1,
      updatedAt: now.toISOString(),
    };
    const update = this.contentUpdate(listingId, sellerId, expectedVersion, { ...defined, providers }, now);
    const awaiting = awaitingConsentAttribute(listing).awaitingConsent;
    const values = { ...update.ExpressionAttributeValues, ':published': 'published' };
    const failed = await writeListingWithProviders(
      this.client,
      this.tableName,
      {
        Update: {
          ...update,
          UpdateExpression: `${update.UpdateExpression}${awaiting ? ', awaitingConsent = :awaiting' : ' REMOVE awaitingConsent'}`,
          ConditionExpression: `${update.ConditionExpression} AND #status <> :published`,
          ExpressionAttributeNames: { ...update.ExpressionAttributeNames, '#status': 'status' },
          ExpressionAttributeValues: awaiting ? { ...values, ':awaiting': awaiting } : values,
        },
      },
      listing,
      current.providers,
      now,
    );
    return failed ? explain(failed.current) : listing;
  }

  /** The conditional update that sets `fields` on the caller's listing at `expectedVersion`. */
  private contentUpdate(
    listingId: string,
    sellerId: string,
    expectedVersion: number,
    fields: Record<string, unknown>,
    now: Date,
  ) {
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {
      ':seller': sellerId,
      ':expected': expectedVersion,
      ':one': 1,
      ':now': now.toISOString(),
    };
    const assignments = Object.entries(fields)
      .filter(([, value]) => value !== undefined)
      .map(([field, value], index) => {
        names[`#f${index}`] = field;
        values[`:v${index}`] = value;
        return `#f${index} = :v${index}`;
      });
    return {
      TableName: this.tableName,
      Key: listingKey(listingId),
      UpdateExpression: `SET ${[...assignments, 'version = version + :one', 'updatedAt = :now'].join(', ')}`,
      ConditionExpression: 'attribute_exists(PK) AND sellerId = :seller AND version = :expected',
      ...(assignments.length > 0 ? { ExpressionAttributeNames: names } : {}),
      ExpressionAttributeValues: values,
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
    };
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
      Key: listingKey(listingId),
      UpdateExpression: `SET #status = :to, version = version + :one, updatedAt = :now${
        transition === 'publish' ? ', publishedAt = :now' : ''
      }`,
      ConditionExpression: [
        'attribute_exists(PK) AND sellerId = :seller',
        `#status IN (${from.map((_, index) => `:from${index}`).join(', ')})`,
        ...(expectedVersion === undefined ? [] : ['version = :expected']),
        ...(transition === 'publish'
          ? ['attribute_not_exists(awaitingConsent)', 'attribute_not_exists(removal)']
          : []),
      ].join(' AND '),
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: values,
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    };
    const explain = explainListingWrite(listingId, sellerId, expectedVersion, transition);
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
      new GetCommand({ TableName: this.tableName, Key: listingKey(listingId), ConsistentRead: true }),
    );
    if (!Item) throw listingNotFound(listingId);
    return toListing(Item);
  }

  private async publishWithSellerChecks(
    sellerId: string,
    update: TransactUpdate,
    explain: (current: Record<string, unknown> | undefined) => never,
  ): Promise<void> {
    const cancelled = await new TransactionPlan<'profile' | 'standing' | 'charges' | 'listing'>()
      .add('standing', {
        ConditionCheck: {
          TableName: this.tableName,
          Key: userSuspensionKey(sellerId),
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      })
      .add('profile', {
        ConditionCheck: {
          TableName: this.tableName,
          Key: sellerProfileKey(sellerId),
          ConditionExpression: 'attribute_exists(PK)',
        },
      })
      .add('charges', chargesEnabledCheck(this.tableName, sellerId))
      .add('listing', { Update: update })
      .write(this.client);
    if (!cancelled) return;
    const [listing] = cancelled.failedAt('listing');
    if (listing) explain(listing.current);
    if (cancelled.has('standing')) throw userSuspended();
    if (cancelled.has('profile')) throw sellerProfileRequired('publishing listings');
    const [charges] = cancelled.failedAt('charges');
    if (charges) throw paymentsNotEnabled(decodeIfPresent(paymentsAccountEntity, charges.current));
    throw cancelled.unexplained();
  }

  /** See {@link markSellerListings}. */
  markSellerSuspended(sellerId: string, suspended: boolean): Promise<number> {
    return markSellerListings(this.client, this.tableName, sellerId, suspended);
  }

  /** The seller's listings, newest first. */
  async listBySeller(sellerId: string, limit: number, cursor?: string): Promise<Page<Listing>> {
    const seller = sellerListingsPartition(sellerId);
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
        startKey: (sortKey) => ({ ...listingKey(idInSortKey(sortKey)), ...seller, GSI1SK: sortKey }),
      },
    );
    return { ...page, items: page.items.map(toListing) };
  }
}
