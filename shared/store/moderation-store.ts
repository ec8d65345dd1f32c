import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { type Listing, listingNotFound } from '../domain/listing.ts';
import {
  changedSinceReview,
  type ModerationDecision,
  type ModerationPolicy,
  noModeration,
  notAwaitingReview,
} from '../domain/moderation.ts';
import { partiesAwaitingConsent, providerConsentRequired } from '../domain/provider-consent.ts';
import { auditEntryPut } from './admin-audit-store.ts';
import { batchGetAll } from './batch-get.ts';
import { concurrentModification } from './conditional.ts';
import { decodeIfPresent } from './entities/entity.ts';
import { listingEntity, listingKey } from './entities/listing.ts';
import {
  moderationPolicyEntity,
  moderationPolicyKey,
  reviewPageKey,
  reviewQueuePartition,
  reviewRequestEntity,
  reviewRequestKey,
  type StoredModerationPolicy,
  sellerApprovalsEntity,
  sellerApprovalsKey,
} from './entities/moderation.ts';
import { type Page, queryPage } from './query-page.ts';
import { TransactionPlan } from './transaction.ts';

/** A listing in the review queue: when it was submitted, and the listing as it stands. */
export interface ListingUnderReview {
  readonly submittedAt: string;
  readonly listing: Listing;
}

/** The moderation policy, the review queue and admins' decisions. See README.md beside this file. */
export class ModerationStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async policy(): Promise<StoredModerationPolicy> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: moderationPolicyKey(), ConsistentRead: true }),
    );
    return decodeIfPresent(moderationPolicyEntity, Item) ?? { policy: noModeration, version: 0 };
  }

  /** Replaces the policy, audited in the same transaction; listings already live stay live. */
  async savePolicy(policy: ModerationPolicy, by: string, now = new Date()): Promise<StoredModerationPolicy> {
    const current = await this.policy();
    const saved = { policy, version: current.version + 1, updatedAt: now.toISOString(), updatedBy: by };
    const cancelled = await new TransactionPlan<'policy' | 'audit'>()
      .add('policy', {
        Put: {
          TableName: this.tableName,
          Item: moderationPolicyEntity.item(moderationPolicyKey(), saved),
          ConditionExpression: current.version === 0 ? 'attribute_not_exists(PK)' : 'version = :read',
          ...(current.version === 0 ? {} : { ExpressionAttributeValues: { ':read': current.version } }),
        },
      })
      .add(
        'audit',
        auditEntryPut(this.tableName, {
          at: saved.updatedAt,
          action: 'moderation-policy.saved',
          actor: by,
          target: { kind: 'moderation-policy', id: 'policy' },
          reason: `mode ${policy.mode}`,
        }),
      )
      .write(this.client);
    if (cancelled) throw concurrentModification();
    return saved;
  }

  /** The listings awaiting review, oldest first: one Query of the queue, one BatchGetItem of its listings. */
  async queue(limit: number, cursor?: string): Promise<Page<ListingUnderReview>> {
    const page = await queryPage(
      this.client,
      {
        TableName: this.tableName,
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': reviewQueuePartition.GSI1PK },
      },
      { kind: 'review', limit, cursor, sortKeyAttribute: 'GSI1SK', startKey: reviewPageKey },
    );
    const requests = page.items.map((item) => reviewRequestEntity.decode(item));
    const listings = new Map(
      (
        await batchGetAll(
          this.client,
          this.tableName,
          requests.map(({ listingId }) => listingKey(listingId)),
        )
      )
        .map((item) => listingEntity.decode(item))
        .map((listing): [string, Listing] => [listing.id, listing]),
    );
    const items = requests.flatMap(({ listingId, submittedAt }) => {
      const listing = listings.get(listingId);
      return listing ? [{ submittedAt, listing }] : [];
    });
    return { ...page, items };
  }

  /**
   * Approves (publishes) or rejects (back to draft, with the reason shown to its seller) a listing
   * awaiting review, at the version the admin reviewed: the request leaves the queue, an approval counts towards the seller's,
   * and the decision is audited, in one transaction.
   */
  async decide(listingId: string, reviewedVersion: number, decision: ModerationDecision): Promise<Listing> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: listingKey(listingId), ConsistentRead: true }),
    );
    const listing = decodeIfPresent(listingEntity, Item);
    if (!listing) throw listingNotFound(listingId);
    if (listing.status !== 'pending-review') throw notAwaitingReview(listingId);
    if (listing.version !== reviewedVersion) throw changedSinceReview(listing.version, reviewedVersion);
    const approve = decision.verdict === 'approve';
    const awaited = partiesAwaitingConsent(listing.providers);
    if (approve && awaited.length > 0) throw providerConsentRequired(awaited);
    const decided: Listing = {
      ...listing,
      status: approve ? 'published' : 'draft',
      moderation: decision,
      version: listing.version + 1,
      updatedAt: decision.at,
      ...(approve ? { publishedAt: decision.at } : {}),
    };
    const plan = new TransactionPlan<'listing' | 'request' | 'approvals' | 'audit'>()
      .add('listing', {
        Update: {
          TableName: this.tableName,
          Key: listingKey(listingId),
          UpdateExpression: `SET #status = :to, moderation = :decision, version = version + :one, updatedAt = :at${
            approve ? ', publishedAt = :at' : ''
          }`,
          ConditionExpression: 'version = :read AND #status = :pending',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':to': decided.status,
            ':decision': decision,
            ':one': 1,
            ':at': decision.at,
            ':read': listing.version,
            ':pending': 'pending-review',
          },
        },
      })
      .add('request', { Delete: { TableName: this.tableName, Key: reviewRequestKey(listingId) } })
      .add(
        'audit',
        auditEntryPut(this.tableName, {
          at: decision.at,
          action: approve ? 'listing.approved' : 'listing.rejected',
          actor: decision.by,
          target: { kind: 'listing', id: listingId },
          ...(decision.reason ? { reason: decision.reason } : {}),
        }),
      );
    if (approve) {
      plan.add('approvals', {
        Update: {
          TableName: this.tableName,
          Key: sellerApprovalsKey(listing.sellerId),
          UpdateExpression:
            'SET sellerId = :seller, entity = :entity, schemaVersion = :schema ADD approved :one',
          ExpressionAttributeValues: {
            ':seller': listing.sellerId,
            ':entity': sellerApprovalsEntity.stamp.entity,
            ':schema': sellerApprovalsEntity.stamp.schemaVersion,
            ':one': 1,
          },
        },
      });
    }
    // The seller changed or withdrew the listing since it was read: they decide again after reading it.
    if (await plan.write(this.client)) throw concurrentModification();
    return decided;
  }
}
