import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Listing } from '../domain/listing.ts';
import { type ListedProvider, providersWithoutProfile } from '../domain/provider-consent.ts';
import type { TransactItem } from './conditional.ts';
import { invitationItem, invitationKey } from './entities/provider-invitation.ts';
import { sellerProfileKey } from './entities/seller-profile.ts';
import { type FailedCondition, TransactionPlan } from './transaction.ts';

const sameConsent = (a: ListedProvider, b: ListedProvider) =>
  a.party === b.party && a.userId === b.userId && a.shareBps === b.shareBps && a.consent === b.consent;

/**
 * Writes a listing whose providers were (re)named with what consent asks for, in one transaction:
 * an invitation to each provider asked anew, whose seller profile must exist; the invitations of
 * parties nobody is asked for any more are deleted. A provider named again as before keeps their
 * invitation as it is. Answers the listing action's failed condition, for the caller to explain;
 * throws when an invitee is no seller.
 */
export async function writeListingWithProviders(
  client: DynamoDBDocumentClient,
  tableName: string,
  listingAction: TransactItem,
  listing: Listing,
  previous: readonly ListedProvider[],
  now: Date,
): Promise<FailedCondition | undefined> {
  const invited = listing.providers.flatMap((provider, position) =>
    provider.userId !== listing.sellerId &&
    provider.consent === 'pending' &&
    !previous.some((before) => sameConsent(before, provider))
      ? [{ provider, position }]
      : [],
  );
  const askedFor = new Set(
    listing.providers.filter((provider) => provider.userId !== listing.sellerId).map(({ party }) => party),
  );
  const dropped = previous.filter(
    (before) => before.userId !== listing.sellerId && !askedFor.has(before.party),
  );
  const plan = new TransactionPlan<'listing' | 'invitee' | 'invitation'>().add('listing', listingAction);
  for (const { provider } of invited) {
    plan
      .add('invitee', {
        ConditionCheck: {
          TableName: tableName,
          Key: sellerProfileKey(provider.userId),
          ConditionExpression: 'attribute_exists(PK)',
        },
      })
      .add('invitation', {
        Put: {
          TableName: tableName,
          Item: invitationItem({
            listingId: listing.id,
            party: provider.party,
            userId: provider.userId,
            sellerId: listing.sellerId,
            shareBps: provider.shareBps,
            listing: { title: listing.title, category: listing.category, price: listing.price },
            consent: 'pending',
            invitedAt: now.toISOString(),
          }),
        },
      });
  }
  for (const { party } of dropped) {
    plan.add('invitation', { Delete: { TableName: tableName, Key: invitationKey(listing.id, party) } });
  }
  const cancelled = await plan.write(client);
  if (!cancelled) return undefined;
  const [listingFailure] = cancelled.failedAt('listing');
  if (listingFailure) return listingFailure;
  const noProfile = cancelled.failedAt('invitee').map(({ position }) => invited[position]?.position ?? -1);
  if (noProfile.length > 0) throw providersWithoutProfile(noProfile);
  throw cancelled.unexplained();
}
