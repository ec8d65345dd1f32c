import * as z from 'zod';
import { deferred } from '../../deferred-schema.ts';
import { type ModerationPolicy, moderationModes } from '../../domain/moderation.ts';
import { entities } from '../table.ts';
import { defineEntity } from './entity.ts';

export interface StoredModerationPolicy {
  readonly policy: ModerationPolicy;
  /** 0 while none was saved and nothing is moderated. */
  readonly version: number;
  readonly updatedAt?: string;
  readonly updatedBy?: string;
}

export const moderationPolicyEntity = defineEntity<StoredModerationPolicy>({
  name: entities.moderationPolicy,
  version: 1,
  schema: deferred(() =>
    z.object({
      policy: z.object({
        mode: z.enum(moderationModes),
        firstListings: z.number(),
        categories: z.array(z.string()),
        reviewChanges: z.boolean(),
      }),
      version: z.number(),
      updatedAt: z.string().optional(),
      updatedBy: z.string().optional(),
    }),
  ),
  keys: [{ PK: 'CONFIG#MODERATION', SK: 'POLICY' }],
});

export const moderationPolicyKey = () => ({ PK: 'CONFIG#MODERATION', SK: 'POLICY' });

/** A listing awaiting review: beside the listing, and in the admins' queue by GSI1, oldest first. */
export interface ReviewRequest {
  readonly listingId: string;
  readonly sellerId: string;
  readonly submittedAt: string;
}

export const reviewRequestEntity = defineEntity<ReviewRequest>({
  name: entities.reviewRequest,
  version: 1,
  schema: deferred(() => z.object({ listingId: z.string(), sellerId: z.string(), submittedAt: z.string() })),
  keys: [
    {
      PK: 'LISTING#<listingId>',
      SK: 'REVIEW',
      GSI1PK: 'REVIEWS#pending',
      GSI1SK: 'LISTING#<submittedAt>#<listingId>',
    },
  ],
});

export const reviewRequestKey = (listingId: string) => ({ PK: `LISTING#${listingId}`, SK: 'REVIEW' });

export const reviewQueuePartition = { GSI1PK: 'REVIEWS#pending' } as const;

export const reviewRequestItem = (request: ReviewRequest) =>
  reviewRequestEntity.item(
    {
      ...reviewRequestKey(request.listingId),
      ...reviewQueuePartition,
      GSI1SK: `LISTING#${request.submittedAt}#${request.listingId}`,
    },
    request,
  );

/** The full key of the review request a page cursor's GSI1 sort key names. */
export const reviewPageKey = (sortKey: string) => ({
  ...reviewRequestKey(sortKey.slice(-36)),
  ...reviewQueuePartition,
  GSI1SK: sortKey,
});

/** How many of a seller's listings admins approved: a new seller's count, for the `new-sellers` mode. */
export const sellerApprovalsEntity = defineEntity<{ readonly sellerId: string; readonly approved: number }>({
  name: entities.sellerApprovals,
  version: 1,
  schema: deferred(() => z.object({ sellerId: z.string(), approved: z.number() })),
  keys: [{ PK: 'SELLER#<sellerId>', SK: 'APPROVALS' }],
});

export const sellerApprovalsKey = (sellerId: string) => ({ PK: `SELLER#${sellerId}`, SK: 'APPROVALS' });
