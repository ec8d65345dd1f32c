import type { ListingDocument } from '../port.ts';

/** The full-text part of the embedded engine: which listings match the words of a query, and how well. */
export interface ListingTextIndex {
  /** Indexes a listing under its ordinal in the listing table; ordinals only grow. */
  add(ordinal: number, listing: ListingDocument): void;
  delete(ordinal: number, listing: ListingDocument): void;
  /**
   * Visits the ordinal of every listing whose title, description or attribute values match all `terms`
   * (from `searchTerms`), the last one also as a prefix, with a relevance score (higher is better).
   */
  forEachMatch(terms: readonly string[], visit: (ordinal: number, score: number) => void): void;
}
