import { randomUUID } from 'node:crypto';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Listing, ListingContent, ListingTransition } from '../domain/listing.ts';
import { changeNeedsReview, reviewedFields } from '../domain/moderation.ts';
import { providersLockedWhilePublished, providersNamed } from '../domain/provider-consent.ts';
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
import { reviewRequestItem } from './entities/moderation.ts';
import { writeListingWithProviders } from './listing-providers.ts';
import { markSellerListings } from './listing-suspension.ts';
import {
  explainListingWrite,
  publishListing,
  readForModeration,
  unpublishListing,
} from './listing-transitions.ts';
import { idInSortKey } from './page-cursor.ts';
import { type Page, queryPage } from './query-page.ts';
import { TransactionPlan } from './transaction.ts';

const toListing = (item: Record<string, unknown>) => listingEntity.decode(item);

/** The keys of the listings, each once. */
export const listingKeys = (listingIds: readonly string[]) =>
  [...new Set(listingIds)].map((id) => listingKey(id));

/** Listing items, decoded, by id. */
export const listingsById = (items: readonly Record<string, unknown>[]) =>
  new Map(items.map(toListing).map((listing): [string, Listing] => [listing.id, listing]));

/** A seller's change of their listing at the version they read, and how a refusal is explained. */
interface ChangeOfListing {
  readonly listingId: string;
  readonly sellerId: string;
  readonly expectedVersion: number;
  readonly now: Date;
  readonly explain: (item: Record<string, unknown> | undefined) => never;
}

/** Listings in the single table. See README.md beside this file for keys and access patterns. */
export class ListingStore {
  constructor(
    readonly client: DynamoDBDocumentClient,
    readonly tableName: string,
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
    if (reviewedFields.some((field) => content[field] !== undefined)) {
      const reviewed = await this.sendBackToReview(
        { listingId, sellerId, expectedVersion, now, explain },
        content,
      );
      if (reviewed) return reviewed;
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

  /**
   * Applies a change of reviewed content to a live listing the moderation policy covers, sending it
   * back to review in the same transaction; answers undefined, writing nothing, when it does not.
   */
  private async sendBackToReview(
    change: ChangeOfListing,
    content: Partial<Omit<ListingContent, 'providers'>>,
  ): Promise<Listing | undefined> {
    const { listingId, sellerId, expectedVersion, now, explain } = change;
    const { listing, item, policy, approved } = await readForModeration(this, listingId, sellerId);
    if (!listing || listing.sellerId !== sellerId || listing.version !== expectedVersion)
      return explain(item);
    if (!changeNeedsReview(policy, listing, content, approved)) return undefined;
    const update = this.contentUpdate(listingId, sellerId, expectedVersion, content, now);
    const timestamp = now.toISOString();
    const plan = new TransactionPlan<'listing' | 'review'>()
      .add('listing', {
        Update: {
          ...update,
          UpdateExpression: `${update.UpdateExpression}, #status = :review`,
          ConditionExpression: `${update.ConditionExpression} AND #status = :published`,
          ExpressionAttributeNames: { ...update.ExpressionAttributeNames, '#status': 'status' },
          ExpressionAttributeValues: {
            ...update.ExpressionAttributeValues,
            ':review': 'pending-review',
            ':published': 'published',
          },
        },
      })
      .add('review', {
        Put: {
          TableName: this.tableName,
          Item: reviewRequestItem({ listingId, sellerId, submittedAt: timestamp }),
        },
      });
    const cancelled = await plan.write(this.client);
    const [failed] = cancelled?.failedAt('listing') ?? [];
    if (failed) return explain(failed.current);
    if (cancelled) throw cancelled.unexplained();
    const defined = Object.fromEntries(Object.entries(content).filter(([, value]) => value !== undefined));
    return {
      ...listing,
      ...defined,
      status: 'pending-review',
      version: listing.version + 1,
      updatedAt: timestamp,
    };
  }

  private async renameProviders(
    change: ChangeOfListing,
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

  /** Publishes (or sends to review) or unpublishes; `expectedVersion`, when given, must match. */
  transition(
    listingId: string,
    sellerId: string,
    transition: ListingTransition,
    expectedVersion?: number,
    now = new Date(),
  ): Promise<Listing> {
    const move = transition === 'publish' ? publishListing : unpublishListing;
    return move(this, listingId, sellerId, expectedVersion, now);
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
