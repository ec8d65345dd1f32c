import { Charset, Index } from 'flexsearch';
import { EmbeddedSearchIndex } from '#shared/search/embedded/embedded-search-index.ts';
import type { ListingTextIndex } from '#shared/search/embedded/listing-text-index.ts';
import type { ListingDocument } from '#shared/search/port.ts';
import { adapterWith, type SearchCandidate } from './search-candidate.ts';

/**
 * FlexSearch matches every word as a prefix and has no edit-distance typo tolerance; it returns no
 * scores, so relevance is its result order.
 */
class FlexSearchTextIndex implements ListingTextIndex {
  private readonly index = new Index({ tokenize: 'forward', encoder: Charset.LatinBalance });
  private size = 0;

  add(ordinal: number, listing: ListingDocument): void {
    this.index.add(
      ordinal,
      [listing.title, listing.description, ...Object.values(listing.attributes)].join(' '),
    );
    this.size++;
  }

  delete(ordinal: number): void {
    this.index.remove(ordinal);
    this.size--;
  }

  forEachMatch(terms: readonly string[], visit: (ordinal: number, score: number) => void): void {
    const ordinals = this.index.search(terms.join(' '), { limit: this.size });
    for (const [position, ordinal] of ordinals.entries()) visit(Number(ordinal), ordinals.length - position);
  }
}

export const flexSearchCandidate: SearchCandidate = adapterWith(
  'FlexSearch',
  'flexsearch',
  () => new EmbeddedSearchIndex(new FlexSearchTextIndex()),
);
