import type { SearchResult } from '../port.ts';
import { encodeCursor, type SortValues } from './cursor.ts';
import { type IndexedListing, listingFieldsOf } from './document.ts';
import { type FacetAggregates, facetsOf } from './facets.ts';

/** The parts of a response to `searchRequestBody` that a result is made of. */
export interface ListingSearchResponse {
  readonly hits: {
    readonly total: { readonly value: number };
    readonly hits: readonly { readonly _source: IndexedListing; readonly sort: SortValues }[];
  };
  readonly aggregations: FacetAggregates;
}

/** `response` holds up to `limit + 1` hits; the extra one only says that a next page exists. */
export function toSearchResult(
  response: ListingSearchResponse,
  limit: number,
  fingerprint: string,
): SearchResult {
  const page = response.hits.hits.slice(0, limit);
  const last = page.at(-1);
  return {
    hits: page.map((hit) => listingFieldsOf(hit._source)),
    total: response.hits.total.value,
    facets: facetsOf(response.aggregations),
    ...(last && response.hits.hits.length > limit
      ? { nextCursor: encodeCursor(last.sort, fingerprint) }
      : {}),
  };
}

export const emptySearchResult: SearchResult = { hits: [], total: 0, facets: facetsOf({}) };
