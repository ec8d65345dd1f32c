import type { SearchQuery, SearchResult } from '../port.ts';
import { FacetCounter } from './facet-counter.ts';
import { rankFor } from './listing-order.ts';
import type { ListingTable } from './listing-table.ts';
import { PageCollector } from './page-collector.ts';
import { decodeCursor, encodeCursor, queryFingerprint } from './search-cursor.ts';

export type MatchVisitor = (ordinal: number, score: number) => void;

/**
 * The total, the facets and the page after the query's cursor, over every ordinal that `forEachMatch`
 * visits: the listings matching the query's text and filters, with their relevance scores.
 */
export function searchResult(
  query: SearchQuery,
  table: ListingTable,
  forEachMatch: (visit: MatchVisitor) => void,
): SearchResult {
  const fingerprint = queryFingerprint(query);
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, fingerprint);
  const rank = rankFor(query.sort);
  const columns = table.columns();
  const facets = new FacetCounter(table);
  const page = new PageCollector(query.limit, after, (ordinal) => table.listing(ordinal).id);
  let total = 0;
  forEachMatch((ordinal, score) => {
    total++;
    facets.add(ordinal);
    page.offer(rank(columns, ordinal, score), ordinal);
  });
  const { keys, hasMore } = page.page();
  const last = keys.at(-1);
  return {
    hits: keys.map(({ ordinal }) => table.listing(ordinal)),
    total,
    facets: facets.facets(),
    ...(hasMore && last !== undefined ? { nextCursor: encodeCursor(fingerprint, last) } : {}),
  };
}
