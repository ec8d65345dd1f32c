import { searchIndex } from '#shared/app/composition/search-index.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { badRequest } from '#shared/http/problem.ts';
import type { ValidRequest } from '#shared/http/route.ts';
import { InvalidCursorError, type SearchQuery, type SearchResult } from '#shared/search/port.ts';
import { catalogRoutes } from '../routes/catalog.ts';

type SearchParameters = ValidRequest<typeof catalogRoutes.searchListings>['query'];

function toSearchQuery(parameters: SearchParameters): SearchQuery {
  const attributes: Record<string, string[]> = {};
  for (const { name, value } of parameters.attr ?? [])
    attributes[name] = [...(attributes[name] ?? []), value];
  return {
    sort: parameters.sort,
    limit: parameters.limit,
    ...(parameters.q ? { text: parameters.q } : {}),
    ...(parameters.category ? { categories: parameters.category } : {}),
    ...(parameters.currency ? { currency: parameters.currency } : {}),
    ...(parameters.price_min === undefined ? {} : { priceMin: parameters.price_min }),
    ...(parameters.price_max === undefined ? {} : { priceMax: parameters.price_max }),
    ...(parameters.attr ? { attributes } : {}),
    ...(parameters.seller ? { sellerId: parameters.seller } : {}),
    ...(parameters.min_rating === undefined ? {} : { minRating: parameters.min_rating }),
    ...(parameters.in_stock === undefined ? {} : { inStock: parameters.in_stock }),
    ...(parameters.cursor ? { cursor: parameters.cursor } : {}),
  };
}

function toView({ hits, total, facets, nextCursor }: SearchResult) {
  return {
    items: hits.map(({ price, currency, version: _version, ...hit }) => ({
      ...hit,
      price: { amount: price, currency },
    })),
    total,
    facets,
    ...(nextCursor ? { nextCursor } : {}),
  };
}

export const handler = httpHandler(catalogRoutes.searchListings, async ({ query }) => {
  try {
    return { status: 200, body: toView(await searchIndex.search(toSearchQuery(query))) };
  } catch (error) {
    if (error instanceof InvalidCursorError) {
      throw badRequest('The request is invalid; see errors.', [
        { field: 'query.cursor', message: 'is not a cursor of this search' },
      ]);
    }
    throw error;
  }
});
