import type { ProviderShare } from './commission.ts';
import { DomainError } from './errors.ts';
import type { Money } from './money.ts';

export const providerConsents = ['pending', 'accepted', 'declined'] as const;
export type ProviderConsent = (typeof providerConsents)[number];

/** A provider named on a listing, with their share and whether they agreed to it. */
export interface ListedProvider extends ProviderShare {
  readonly consent: ProviderConsent;
}

export type ConsentDecision = 'accept' | 'decline';

/** What a provider's decision makes of their consent; declining after accepting withdraws it. */
export const consentAfter: Record<ConsentDecision, ProviderConsent> = {
  accept: 'accepted',
  decline: 'declined',
};

/** The invitation a provider gets when a seller names them on a listing. */
export interface ProviderInvitation {
  readonly listingId: string;
  readonly party: string;
  /** The provider invited. */
  readonly userId: string;
  /** The seller who named them. */
  readonly sellerId: string;
  readonly shareBps: number;
  /** The listing as it was when the provider was named. */
  readonly listing: { readonly title: string; readonly category: string; readonly price: Money };
  readonly consent: ProviderConsent;
  readonly invitedAt: string;
  readonly decidedAt?: string;
}

const sameShare = (a: ProviderShare, b: ProviderShare) =>
  a.party === b.party && a.userId === b.userId && a.shareBps === b.shareBps;

/**
 * The providers of a listing once its seller names `named`. A provider named again for the same
 * party and share keeps an acceptance; everyone else is asked (again). Sellers naming themselves
 * consent by doing so.
 */
export function providersNamed(
  sellerId: string,
  current: readonly ListedProvider[],
  named: readonly ProviderShare[],
): ListedProvider[] {
  return named.map(({ party, userId, shareBps }) => {
    const kept = current.find((provider) => sameShare(provider, { party, userId, shareBps }));
    const consent = userId === sellerId || kept?.consent === 'accepted' ? 'accepted' : 'pending';
    return { party, userId, shareBps, consent };
  });
}

/** The parties whose provider has not accepted: a listing with any cannot be published. */
export const partiesAwaitingConsent = (providers: readonly ListedProvider[]) =>
  providers.filter((provider) => provider.consent !== 'accepted').map((provider) => provider.party);

/** The shares alone, as orders and the commission split take them. */
export const sharesOf = (providers: readonly ListedProvider[]): ProviderShare[] =>
  providers.map(({ party, userId, shareBps }) => ({ party, userId, shareBps }));

export const providerConsentRequired = (parties: readonly string[]) =>
  new DomainError(
    'conflict',
    'provider_consent_required',
    `The listing cannot be published until its ${parties.join(' and ')} accept${
      parties.length === 1 ? 's' : ''
    } the invitation (GET /sellers/me/invitations).`,
  );

export const providersLockedWhilePublished = () =>
  new DomainError(
    'conflict',
    'listing_published',
    'Unpublish the listing before changing its process or providers: new providers consent first.',
  );

export const invitationNotFound = (listingId: string, party: string) =>
  new DomainError(
    'not-found',
    'invitation_not_found',
    `You have no invitation to be the ${party} of listing ${listingId}.`,
  );

/** Providers must be sellers: `positions` are their indexes among the listing's providers. */
export const providersWithoutProfile = (positions: readonly number[]) =>
  new DomainError(
    'unprocessable',
    'provider_not_a_seller',
    'Only sellers can be named as providers: ask them to create a seller profile (PUT /sellers/me).',
    positions.map((position) => ({
      path: ['providers', position, 'userId'],
      message: 'has no seller profile',
    })),
  );
