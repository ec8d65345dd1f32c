import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  type ConsentDecision,
  consentAfter,
  invitationNotFound,
  type ProviderInvitation,
} from '../domain/provider-consent.ts';
import { batchGetAll } from './batch-get.ts';
import { concurrentModification } from './conditional.ts';
import { decodeIfPresent } from './entities/entity.ts';
import { listingEntity, listingKey } from './entities/listing.ts';
import { reviewRequestKey } from './entities/moderation.ts';
import {
  invitationKey,
  invitationPageKey,
  providerInvitationEntity,
  providerInvitationsPartition,
} from './entities/provider-invitation.ts';
import { type Page, queryPage } from './query-page.ts';
import { entities } from './table.ts';
import { TransactionPlan } from './transaction.ts';

/** Reads and writes of a decision that lost a race with another change of the listing, before giving up. */
const maxTries = 3;

/** Providers' invitations to listings, and their decisions. See README.md beside this file. */
export class ProviderInvitationStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** The provider's invitations, newest first. */
  async listFor(userId: string, limit: number, cursor?: string): Promise<Page<ProviderInvitation>> {
    const partition = providerInvitationsPartition(userId);
    const page = await queryPage(
      this.client,
      {
        TableName: this.tableName,
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk AND begins_with(GSI1SK, :prefix)',
        ExpressionAttributeValues: { ':pk': partition.GSI1PK, ':prefix': 'INVITATION#' },
        ScanIndexForward: false,
      },
      {
        kind: 'invitation',
        limit,
        cursor,
        sortKeyAttribute: 'GSI1SK',
        startKey: (sortKey) => invitationPageKey(userId, sortKey),
      },
    );
    return { ...page, items: page.items.map((item) => providerInvitationEntity.decode(item)) };
  }

  /**
   * Records the provider's decision on the listing and on their invitation together. Declining a
   * published listing, or one awaiting review, unpublishes it: it cannot be sold without them.
   * Deciding as before changes nothing.
   */
  async decide(
    listingId: string,
    party: string,
    userId: string,
    decision: ConsentDecision,
    now = new Date(),
  ): Promise<ProviderInvitation> {
    const consent = consentAfter[decision];
    for (let attempt = 1; attempt <= maxTries; attempt++) {
      const items = await batchGetAll(this.client, this.tableName, [
        listingKey(listingId),
        invitationKey(listingId, party),
      ]);
      const find = (entity: string) => items.find((item) => item.entity === entity);
      const listing = decodeIfPresent(listingEntity, find(entities.listing));
      const invitation = decodeIfPresent(providerInvitationEntity, find(entities.providerInvitation));
      const position =
        listing?.providers.findIndex((provider) => provider.party === party && provider.userId === userId) ??
        -1;
      if (!listing || !invitation || invitation.userId !== userId || position < 0) {
        throw invitationNotFound(listingId, party);
      }
      if (invitation.consent === consent && listing.providers[position]?.consent === consent)
        return invitation;
      // Declining takes the listing off the marketplace, or out of the review queue: it cannot go live.
      const unpublish =
        decision === 'decline' && (listing.status === 'published' || listing.status === 'pending-review');
      const plan = new TransactionPlan<'listing' | 'invitation' | 'review'>()
        .add('listing', {
          Update: {
            TableName: this.tableName,
            Key: listingKey(listingId),
            UpdateExpression: `SET providers[${position}].consent = :consent, version = version + :one, updatedAt = :now${
              unpublish ? ', #status = :unpublished' : ''
            } ${decision === 'accept' ? 'DELETE' : 'ADD'} awaitingConsent :party`,
            ConditionExpression: 'version = :read',
            ...(unpublish ? { ExpressionAttributeNames: { '#status': 'status' } } : {}),
            ExpressionAttributeValues: {
              ':consent': consent,
              ':one': 1,
              ':now': now.toISOString(),
              ':party': new Set([party]),
              ':read': listing.version,
              ...(unpublish ? { ':unpublished': 'unpublished' } : {}),
            },
          },
        })
        .add('invitation', {
          Update: {
            TableName: this.tableName,
            Key: invitationKey(listingId, party),
            UpdateExpression: 'SET consent = :consent, decidedAt = :now',
            ConditionExpression: 'userId = :user AND invitedAt = :invitedAt',
            ExpressionAttributeValues: {
              ':consent': consent,
              ':now': now.toISOString(),
              ':user': userId,
              ':invitedAt': invitation.invitedAt,
            },
          },
        });
      if (listing.status === 'pending-review' && unpublish) {
        plan.add('review', { Delete: { TableName: this.tableName, Key: reviewRequestKey(listingId) } });
      }
      const cancelled = await plan.write(this.client);
      if (!cancelled) return { ...invitation, consent, decidedAt: now.toISOString() };
      if (!cancelled.has('listing') && !cancelled.has('invitation')) throw cancelled.unexplained();
    }
    // The seller kept changing the listing; nothing was written, so the provider may simply retry.
    throw concurrentModification();
  }
}
