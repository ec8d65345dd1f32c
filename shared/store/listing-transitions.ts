import { DeleteCommand, type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { DomainError } from '../domain/errors.ts';
import {
  type Listing,
  type ListingStatus,
  type ListingTransition,
  listingNotFound,
  listingTransitions,
} from '../domain/listing.ts';
import { needsReview, noModeration } from '../domain/moderation.ts';
import { paymentsNotEnabled } from '../domain/payments-account.ts';
import {
  partiesAwaitingConsent,
  providerConsentRequired,
  providersLockedWhilePublished,
} from '../domain/provider-consent.ts';
import { listingRemoved } from '../domain/report.ts';
import { sellerProfileRequired } from '../domain/seller.ts';
import { userSuspended } from '../domain/suspension.ts';
import { batchGetAll } from './batch-get.ts';
import { conditionalWrite } from './conditional.ts';
import { decodeIfPresent } from './entities/entity.ts';
import { listingEntity, listingKey } from './entities/listing.ts';
import {
  moderationPolicyEntity,
  moderationPolicyKey,
  reviewRequestItem,
  reviewRequestKey,
  sellerApprovalsEntity,
  sellerApprovalsKey,
} from './entities/moderation.ts';
import { paymentsAccountEntity } from './entities/payments-account.ts';
import { sellerProfileKey } from './entities/seller-profile.ts';
import { userSuspensionKey } from './entities/user-suspension.ts';
import { chargesEnabledCheck } from './payments-account-store.ts';
import { entities } from './table.ts';
import { TransactionPlan } from './transaction.ts';

/** The condition that a listing's status is one of `statuses`, and the values it names. */
const statusIn = (statuses: readonly ListingStatus[]) => ({
  condition: `#status IN (${statuses.map((_, index) => `:from${index}`).join(', ')})`,
  values: Object.fromEntries(statuses.map((status, index) => [`:from${index}`, status])),
});

interface ListingTable {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
}

/**
 * Why a conditional write on a listing failed, from the item as it was. `transition`, when the
 * write was one, tells a listing in the wrong status from one whose providers have not all consented.
 */
export function explainListingWrite(
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
    const publishable = listingTransitions.publish.from.includes(current.status);
    if (transition === 'publish' && publishable && current.removal) throw listingRemoved();
    const awaited = partiesAwaitingConsent(current.providers);
    if (transition === 'publish' && publishable && awaited.length > 0) throw providerConsentRequired(awaited);
    if (transition === undefined && current.status === 'published') throw providersLockedWhilePublished();
    throw new DomainError('conflict', 'listing_state_conflict', `The listing is ${current.status}.`);
  };
}

/** In one read: the listing, the moderation policy, and how many of the seller's listings admins approved. */
export async function readForModeration(
  { client, tableName }: ListingTable,
  listingId: string,
  sellerId: string,
) {
  const items = await batchGetAll(client, tableName, [
    listingKey(listingId),
    moderationPolicyKey(),
    sellerApprovalsKey(sellerId),
  ]);
  const find = (entity: string) => items.find((item) => item.entity === entity);
  const item = find(entities.listing);
  return {
    item,
    listing: decodeIfPresent(listingEntity, item),
    policy: decodeIfPresent(moderationPolicyEntity, find(entities.moderationPolicy))?.policy ?? noModeration,
    approved: decodeIfPresent(sellerApprovalsEntity, find(entities.sellerApprovals))?.approved ?? 0,
  };
}

/**
 * Publishes the seller's listing, or sends it to review when the moderation policy covers it. One
 * read (the listing, the policy, the seller's approvals), then one transaction that also requires
 * the seller's profile, no suspension, Stripe charges enabled, every provider's consent, no removal,
 * and the listing as read.
 */
export async function publishListing(
  { client, tableName }: ListingTable,
  listingId: string,
  sellerId: string,
  expectedVersion: number | undefined,
  now: Date,
): Promise<Listing> {
  const explain = explainListingWrite(listingId, sellerId, expectedVersion, 'publish');
  const { listing, item, policy, approved } = await readForModeration(
    { client, tableName },
    listingId,
    sellerId,
  );
  if (!listing || listing.sellerId !== sellerId) return explain(item);
  const review = needsReview(policy, listing.category, approved);
  const timestamp = now.toISOString();
  const from = statusIn(listingTransitions.publish.from);
  const plan = new TransactionPlan<'standing' | 'profile' | 'charges' | 'listing' | 'review'>()
    .add('standing', {
      ConditionCheck: {
        TableName: tableName,
        Key: userSuspensionKey(sellerId),
        ConditionExpression: 'attribute_not_exists(PK)',
      },
    })
    .add('profile', {
      ConditionCheck: {
        TableName: tableName,
        Key: sellerProfileKey(sellerId),
        ConditionExpression: 'attribute_exists(PK)',
      },
    })
    .add('charges', chargesEnabledCheck(tableName, sellerId))
    .add('listing', {
      Update: {
        TableName: tableName,
        Key: listingKey(listingId),
        UpdateExpression: `SET #status = :to, version = version + :one, updatedAt = :now${review ? '' : ', publishedAt = :now'}`,
        ConditionExpression: [
          'sellerId = :seller AND version = :read',
          from.condition,
          'attribute_not_exists(awaitingConsent) AND attribute_not_exists(removal)',
          ...(expectedVersion === undefined ? [] : ['version = :expected']),
        ].join(' AND '),
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':to': review ? 'pending-review' : 'published',
          ':one': 1,
          ':now': timestamp,
          ':seller': sellerId,
          ':read': listing.version,
          ...from.values,
          ...(expectedVersion === undefined ? {} : { ':expected': expectedVersion }),
        },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    });
  if (review) {
    plan.add('review', {
      Put: { TableName: tableName, Item: reviewRequestItem({ listingId, sellerId, submittedAt: timestamp }) },
    });
  }
  const cancelled = await plan.write(client);
  if (cancelled) {
    const [failed] = cancelled.failedAt('listing');
    if (failed) explain(failed.current);
    if (cancelled.has('standing')) throw userSuspended();
    if (cancelled.has('profile')) throw sellerProfileRequired('publishing listings');
    const [charges] = cancelled.failedAt('charges');
    if (charges) throw paymentsNotEnabled(decodeIfPresent(paymentsAccountEntity, charges.current));
    throw cancelled.unexplained();
  }
  return {
    ...listing,
    status: review ? 'pending-review' : 'published',
    version: listing.version + 1,
    updatedAt: timestamp,
    ...(review ? {} : { publishedAt: timestamp }),
  };
}

/** Takes the seller's listing off the marketplace, or out of the review queue. */
export async function unpublishListing(
  { client, tableName }: ListingTable,
  listingId: string,
  sellerId: string,
  expectedVersion: number | undefined,
  now: Date,
): Promise<Listing> {
  const { to } = listingTransitions.unpublish;
  const from = statusIn(listingTransitions.unpublish.from);
  const { Attributes } = await conditionalWrite(
    () =>
      client.send(
        new UpdateCommand({
          TableName: tableName,
          Key: listingKey(listingId),
          UpdateExpression: 'SET #status = :to, version = version + :one, updatedAt = :now',
          ConditionExpression: [
            'attribute_exists(PK) AND sellerId = :seller',
            from.condition,
            ...(expectedVersion === undefined ? [] : ['version = :expected']),
          ].join(' AND '),
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':to': to,
            ':one': 1,
            ':now': now.toISOString(),
            ':seller': sellerId,
            ...from.values,
            ...(expectedVersion === undefined ? {} : { ':expected': expectedVersion }),
          },
          ReturnValues: 'ALL_OLD',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      ),
    explainListingWrite(listingId, sellerId, expectedVersion, 'unpublish'),
  );
  const before = listingEntity.decode(Attributes ?? {});
  if (before.status === 'pending-review') {
    await client.send(new DeleteCommand({ TableName: tableName, Key: reviewRequestKey(listingId) }));
  }
  return { ...before, status: to, version: before.version + 1, updatedAt: now.toISOString() };
}
