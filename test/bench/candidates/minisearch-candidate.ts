import MiniSearch from 'minisearch';
import { EmbeddedSearchIndex } from '#shared/search/embedded/embedded-search-index.ts';
import type { ListingTextIndex } from '#shared/search/embedded/listing-text-index.ts';
import { searchTerms } from '#shared/search/embedded/text-analysis.ts';
import { type ListingDocument, minTypoTolerantLength } from '#shared/search/port.ts';
import { adapterWith, type SearchCandidate } from './search-candidate.ts';

const attributeValues = 'attributeValues';

interface OrdinalListing {
  readonly ordinal: number;
  readonly listing: ListingDocument;
}

/** MiniSearch's BM25 over the three fields, the same boosts, every word required, the last one also as a prefix. */
class MiniSearchTextIndex implements ListingTextIndex {
  private readonly index = new MiniSearch<OrdinalListing>({
    idField: 'ordinal',
    fields: ['title', 'description', attributeValues],
    extractField: ({ ordinal, listing }, field) => {
      if (field === 'ordinal') return String(ordinal);
      if (field === attributeValues) return Object.values(listing.attributes).join(' ');
      return String(listing[field as keyof ListingDocument]);
    },
    tokenize: searchTerms,
    processTerm: (term) => term,
    searchOptions: {
      combineWith: 'AND',
      boost: { title: 3, [attributeValues]: 1.5 },
      prefix: (_term, index, terms) => index === terms.length - 1,
      fuzzy: (term) => (term.length >= minTypoTolerantLength ? 1 : false),
    },
  });

  add(ordinal: number, listing: ListingDocument): void {
    this.index.add({ ordinal, listing });
  }

  delete(ordinal: number): void {
    this.index.discard(String(ordinal));
  }

  forEachMatch(terms: readonly string[], visit: (ordinal: number, score: number) => void): void {
    for (const { id, score } of this.index.search(terms.join(' '))) visit(Number(id), score);
  }
}

export const miniSearchCandidate: SearchCandidate = adapterWith(
  'MiniSearch',
  'minisearch',
  () => new EmbeddedSearchIndex(new MiniSearchTextIndex()),
);
