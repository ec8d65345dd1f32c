import type { ListingDocument, SearchIndex, SearchQuery, SearchResult } from '#shared/search/port.ts';

/** A search engine as the benchmark sees it: built once from a catalog, then queried. */
export interface SearchCandidate {
  readonly name: string;
  /** The npm package it is built on. */
  readonly library: string;
  build(listings: readonly ListingDocument[]): Promise<{ search(query: SearchQuery): Promise<SearchResult> }>;
}

/** A candidate that is the port's adapter, filled one upsert at a time as the local stack fills it. */
export const adapterWith = (name: string, library: string, create: () => SearchIndex): SearchCandidate => ({
  name,
  library,
  async build(listings) {
    const index = create();
    for (const listing of listings) await index.upsert(listing);
    return index;
  },
});
