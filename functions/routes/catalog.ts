import * as z from 'zod';
import { deferred } from '#shared/deferred-schema.ts';
import { defineRoute, type RouteSpec } from '#shared/http/route.ts';
import { ifMatch } from './if-match.ts';
import {
  createListingBody,
  listingId,
  listingPage,
  listingView,
  pageQuery,
  publicListingView,
  updateListingBody,
} from './schemas/catalog.ts';
import { searchQuerySchema, searchResultView } from './schemas/search.ts';

const listingParams = deferred(() => z.strictObject({ listingId }));

/** The catalog: listings through their lifecycle, and search. */
export const catalogRoutes = {
  createListing: defineRoute({
    method: 'POST',
    path: '/listings',
    handler: 'catalog/create-listing',
    summary: 'Create a draft listing',
    tags: ['catalog'],
    uses: { table: ['PutItem'] },
    access: ['seller'],
    body: createListingBody,
    responses: { 201: { description: 'Created as a draft', body: listingView } },
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
    summary: 'Change fields of your listing (If-Match required)',
    tags: ['catalog'],
    uses: { table: ['UpdateItem'] },
    access: ['seller'],
    params: listingParams,
    headers: ifMatch,
    body: updateListingBody,
    responses: {
      200: { description: 'Updated', body: listingView },
      412: { description: 'If-Match does not match the current version' },
      428: { description: 'If-Match is missing' },
    },
  }),
  publishListing: defineRoute({
    method: 'POST',
    path: '/listings/{listingId}/publish',
    handler: 'catalog/publish-listing',
    summary: 'Publish your listing (requires a seller profile and Stripe charges enabled)',
    tags: ['catalog'],
    uses: { table: ['ConditionCheckItem', 'UpdateItem', 'GetItem'] },
    access: ['seller'],
    params: listingParams,
    headers: ifMatch,
    responses: {
      200: { description: 'Published', body: listingView },
      409: {
        description:
          'Already published, no seller profile yet, or Stripe has not enabled charges on your account (payments_not_enabled)',
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
    uses: { table: ['UpdateItem'] },
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
