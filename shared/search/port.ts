/**
 * The catalog search port: what the indexer writes and `GET /search` reads. Two adapters implement
 * it: OpenSearch in the cloud, an embedded in-process engine on one machine.
 */

/** What the index holds of one published listing. */
export interface ListingDocument {
  readonly id: string;
  readonly sellerId: string;
  readonly title: string;
  readonly description: string;
  readonly category: string;
  /** Minor units of `currency`. */
  readonly price: number;
  readonly currency: string;
  readonly stock: number;
  readonly attributes: Readonly<Record<string, string>>;
  /** Average review rating, 0 to 5; absent until the listing has reviews. */
  readonly rating?: number;
  readonly publishedAt: string;
  /** The listing's version: a write carrying an older version than the index holds is ignored. */
  readonly version: number;
}

export const searchSorts = ['relevance', 'price_asc', 'price_desc', 'newest', 'rating'] as const;
export type SearchSort = (typeof searchSorts)[number];

/** Absent fields, empty lists and `inStock: false` filter nothing. */
export interface SearchQuery {
  /**
   * Free text over title, description and attribute values: every word must match, the last one also
   * as a prefix; a word of `minTypoTolerantLength` letters or more also matches with one typo. Only the
   * first `maxQueryWords` words count.
   */
  readonly text?: string;
  /**
   * Any of these category paths, each with every category below it: `home` takes `home` and
   * `home/lamps`, not `homeware`. Facets still count each match once, under its own category.
   */
  readonly categories?: readonly string[];
  readonly currency?: string;
  /** Inclusive bounds, in minor units. */
  readonly priceMin?: number;
  readonly priceMax?: number;
  /** Attribute name -> accepted values (any of them). */
  readonly attributes?: Readonly<Record<string, readonly string[]>>;
  readonly sellerId?: string;
  readonly minRating?: number;
  readonly inStock?: boolean;
  readonly sort: SearchSort;
  readonly limit: number;
  /** Opaque, from a previous result's `nextCursor`. */
  readonly cursor?: string;
}

export interface FacetCount {
  readonly value: string;
  readonly count: number;
}

export interface PriceBucketCount {
  /** Inclusive lower bound, minor units. */
  readonly from: number;
  /** Exclusive upper bound, minor units; absent for the last, open-ended bucket. */
  readonly to?: number;
  readonly count: number;
}

export interface SearchFacets {
  /** At most `maxFacetValues` per facet, most frequent first. */
  readonly categories: readonly FacetCount[];
  readonly priceBuckets: readonly PriceBucketCount[];
  /** Attribute name -> counts per value, for the attributes in `facetAttributes`. */
  readonly attributes: Readonly<Record<string, readonly FacetCount[]>>;
}

export interface SearchResult {
  readonly hits: readonly ListingDocument[];
  /** Number of listings matching the query and filters. */
  readonly total: number;
  /** Counts over every listing matching the query and filters (not just this page). */
  readonly facets: SearchFacets;
  readonly nextCursor?: string;
}

/**
 * Words shorter than this match only as typed (or, the last one, as a prefix): one edit would turn them
 * into too many other words. Longer words also match with exactly one edit, never two: a letter
 * inserted, deleted or replaced, or two adjacent letters swapped.
 */
export const minTypoTolerantLength = 4;

/**
 * The most words of a query's text that count; later ones are ignored. A long pasted text would
 * otherwise grow one OpenSearch query past its clause limit (`indices.query.bool.max_clause_count`).
 * A word is a run of letters, digits and their marks (see query-text.ts).
 */
export const maxQueryWords = 10;

/** The most values a facet lists, most frequent first: OpenSearch's terms aggregations need a size. */
export const maxFacetValues = 50;

/** The attributes whose values are counted in facets. */
export const facetAttributes = ['color', 'size', 'material', 'brand', 'condition'] as const;

/** Lower bounds of the price buckets, in minor units; the last bucket is open-ended. */
export const priceBucketBounds = [0, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000, 100_000] as const;

export interface SearchIndex {
  /** Creates the index if it does not exist, or brings the existing one up to date; safe to call at every start. */
  ensureIndex(): Promise<void>;
  /** Adds or replaces a document unless the index already holds the same or a newer version. */
  upsert(document: ListingDocument): Promise<void>;
  /** Removes a listing unless the index already holds the same or a newer version. */
  remove(listingId: string, version: number): Promise<void>;
  search(query: SearchQuery): Promise<SearchResult>;
}

/** Thrown by `search` when a cursor does not belong to the query it is used with. */
export class InvalidCursorError extends Error {
  constructor() {
    super('The cursor does not belong to this query.');
    this.name = 'InvalidCursorError';
  }
}
