import * as z from 'zod';
import { deferred } from '../../deferred-schema.ts';
import { type ProviderInvitation, providerConsents } from '../../domain/provider-consent.ts';
import { entities } from '../table.ts';
import { defineEntity } from './entity.ts';
import { moneySchema } from './value-schemas.ts';

const providerInvitationSchema = deferred(() =>
  z.object({
    listingId: z.string(),
    party: z.string(),
    userId: z.string(),
    sellerId: z.string(),
    shareBps: z.number(),
    listing: z.object({ title: z.string(), category: z.string(), price: moneySchema }),
    consent: z.enum(providerConsents),
    invitedAt: z.string(),
    decidedAt: z.string().optional(),
  }),
) satisfies z.ZodType<ProviderInvitation>;

/** A provider's invitation to a listing, beside the listing, and in the provider's list by GSI1. */
export const providerInvitationEntity = defineEntity<ProviderInvitation>({
  name: entities.providerInvitation,
  version: 1,
  schema: providerInvitationSchema,
  keys: [
    {
      PK: 'LISTING#<listingId>',
      SK: 'INVITATION#<party>',
      GSI1PK: 'SELLER#<userId>',
      GSI1SK: 'INVITATION#<invitedAt>#<listingId>#<party>',
    },
  ],
});

export const invitationKey = (listingId: string, party: string) => ({
  PK: `LISTING#${listingId}`,
  SK: `INVITATION#${party}`,
});

/** A provider's invitations in GSI1, newest first. */
export const providerInvitationsPartition = (userId: string) => ({ GSI1PK: `SELLER#${userId}` });

const invitationSortKey = (invitation: Pick<ProviderInvitation, 'invitedAt' | 'listingId' | 'party'>) =>
  `INVITATION#${invitation.invitedAt}#${invitation.listingId}#${invitation.party}`;

export const invitationItem = (invitation: ProviderInvitation) =>
  providerInvitationEntity.item(
    {
      ...invitationKey(invitation.listingId, invitation.party),
      ...providerInvitationsPartition(invitation.userId),
      GSI1SK: invitationSortKey(invitation),
    },
    invitation,
  );

/** The full key of the invitation a page cursor's GSI1 sort key names. */
export function invitationPageKey(userId: string, sortKey: string) {
  const [, invitedAt = '', listingId = '', party = ''] = sortKey.split('#');
  return {
    ...invitationKey(listingId, party),
    ...providerInvitationsPartition(userId),
    GSI1SK: invitationSortKey({ invitedAt, listingId, party }),
  };
}
