import { defineRoute, type RouteSpec } from '#shared/http/route.ts';
import { ifMatch } from './if-match.ts';
import {
  createListingBody,
  invitationPage,
  invitationParams,
  invitationQuery,
  invitationView,
  listingPage,
  listingParams,
  listingView,
  pageQuery,
  publicListingView,
  updateListingBody,
} from './schemas/catalog.ts';
import { searchQuerySchema, searchResultView } from './schemas/search.ts';

/** Accepting or declining an invitation: the provider's decision, and the listing's consent with it. */
const invitationDecision = (decision: 'accept' | 'decline', summary: string, outcome: string) =>
  defineRoute({
    method: 'POST',
    path: `/sellers/me/invitations/{listingId}/{party}/${decision}`,
    handler: `catalog/${decision}-invitation`,
    summary,
    tags: ['catalog'],
    // Declining a listing awaiting review also takes its review request out of the queue.
    uses: { table: ['BatchGetItem', 'UpdateItem', 'DeleteItem'] },
    access: ['seller'],
    params: invitationParams,
    responses: {
      200: { description: outcome, body: invitationView },
      404: { description: 'You have no such invitation' },
      409: { description: 'The listing kept changing while you decided; retry' },
    },
  });

/** The catalog: listings through their lifecycle, and search. */
export const catalogRoutes = {
  createListing: defineRoute({
    method: 'POST',
    path: '/listings',
    handler: 'catalog/create-listing',
    summary: 'Create a draft listing; each provider it names is invited and must be a seller',
    tags: ['catalog'],
    uses: { table: ['PutItem', 'ConditionCheckItem'] },
    access: ['seller'],
    body: createListingBody,
    responses: {
      201: { description: 'Created as a draft', body: listingView },
      422: { description: 'A provider named has no seller profile (provider_not_a_seller)' },
    },
  }),
  getListing: defineRoute({
    method: 'GET',
    path: '/listings/{listingId}',
    handler: 'catalog/get-listing',
    summary: 'A published listing',
    tags: ['catalog'],
    uses: { table: ['GetItem'] },
    access: 'public',
    params: listingParams,
    responses: {
      200: { description: 'The listing; ETag carries its version', body: publicListingView },
    },
  }),
  updateListing: defineRoute({
    method: 'PATCH',
    path: '/listings/{listingId}',
    handler: 'catalog/update-listing',
    summary: 'Change fields of your listing (If-Match required); new providers are invited',
    tags: ['catalog'],
    // Naming providers reads the listing first; changing reviewed content reads what moderation needs.
    uses: { table: ['UpdateItem', 'GetItem', 'BatchGetItem', 'PutItem', 'DeleteItem', 'ConditionCheckItem'] },
    access: ['seller'],
    params: listingParams,
    headers: ifMatch,
    body: updateListingBody,
    responses: {
      200: { description: 'Updated', body: listingView },
      409: { description: 'Providers of a published listing cannot change (listing_published)' },
      412: { description: 'If-Match does not match the current version' },
      422: { description: 'A provider named has no seller profile (provider_not_a_seller)' },
      428: { description: 'If-Match is missing' },
    },
  }),
  publishListing: defineRoute({
    method: 'POST',
    path: '/listings/{listingId}/publish',
    handler: 'catalog/publish-listing',
    summary:
      'Publish your listing (requires a seller profile, Stripe charges enabled and every provider’s consent)',
    tags: ['catalog'],
    // The listing, the moderation policy and the seller's approvals, then one transaction.
    uses: { table: ['BatchGetItem', 'ConditionCheckItem', 'UpdateItem', 'PutItem'] },
    access: ['seller'],
    params: listingParams,
    headers: ifMatch,
    responses: {
      200: { description: 'Published', body: listingView },
      409: {
        description:
          'Already published, no seller profile yet, Stripe has not enabled charges on your account (payments_not_enabled), or a provider has not accepted (provider_consent_required)',
      },
      412: { description: 'If-Match does not match the current version' },
    },
  }),
  unpublishListing: defineRoute({
    method: 'POST',
    path: '/listings/{listingId}/unpublish',
    handler: 'catalog/unpublish-listing',
    summary: 'Take your listing off the marketplace',
    tags: ['catalog'],
    uses: { table: ['UpdateItem', 'DeleteItem'] },
    access: ['seller'],
    params: listingParams,
    headers: ifMatch,
    responses: {
      200: { description: 'Unpublished', body: listingView },
      409: { description: 'Not published' },
      412: { description: 'If-Match does not match the current version' },
    },
  }),
  listMyListings: defineRoute({
    method: 'GET',
    path: '/sellers/me/listings',
    handler: 'catalog/list-my-listings',
    summary: 'Your listings in every status, newest first',
    tags: ['catalog'],
    uses: { table: ['Query'] },
    access: ['seller'],
    query: pageQuery,
    responses: { 200: { description: 'One page of listings', body: listingPage } },
  }),
  listMyInvitations: defineRoute({
    method: 'GET',
    path: '/sellers/me/invitations',
    handler: 'catalog/list-my-invitations',
    summary: 'Listings whose sellers named you as a provider, newest first',
    tags: ['catalog'],
    uses: { table: ['Query'] },
    access: ['seller'],
    query: invitationQuery,
    responses: { 200: { description: 'One page of invitations', body: invitationPage } },
  }),
  acceptInvitation: invitationDecision(
    'accept',
    'Agree to provide your part of a listing for the share named',
    'Accepted; the listing may be published once every provider has',
  ),
  declineInvitation: invitationDecision(
    'decline',
    'Refuse to provide your part of a listing, or withdraw an acceptance',
    'Declined; a published listing is unpublished, orders already placed keep you as a party',
  ),
  searchListings: defineRoute({
    method: 'GET',
    path: '/search',
    handler: 'search/search-listings',
    summary: 'Find published listings by text, with filters, facets and sorting',
    tags: ['search'],
    uses: { search: 'read' },
    access: 'public',
    query: searchQuerySchema,
    responses: {
      200: { description: 'One page of matches, the total and facet counts', body: searchResultView },
    },
  }),
} satisfies Record<string, RouteSpec>;
