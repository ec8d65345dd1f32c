import type { ListingDocument, SearchIndex, SearchQuery, SearchResult } from '../port.ts';
import { InvertedTextIndex } from './inverted-text-index.ts';
import { listingFilter } from './listing-filter.ts';
import { ListingTable } from './listing-table.ts';
import type { ListingTextIndex } from './listing-text-index.ts';
import { type MatchVisitor, searchResult } from './search-result.ts';
import { queryTerms } from './text-analysis.ts';

/** The search port in process memory, for the local stack: nothing survives a restart, the stack reindexes at start. */
export class EmbeddedSearchIndex implements SearchIndex {
  private readonly table = new ListingTable();
  /** The version last written or removed per listing id; kept after a removal so a replayed older write stays ignored. */
  private readonly versions = new Map<string, number>();

  /** `text` is replaceable so the benchmark can compare full-text libraries under the same filters, facets and paging. */
  constructor(private readonly text: ListingTextIndex = new InvertedTextIndex()) {}

  async ensureIndex(): Promise<void> {}

  async upsert(listing: ListingDocument): Promise<void> {
    const held = this.versions.get(listing.id);
    if (held !== undefined && listing.version <= held) return;
    this.versions.set(listing.id, listing.version);
    this.deleteHeld(listing.id);
    this.text.add(this.table.insert(listing), listing);
  }

  async remove(listingId: string, version: number): Promise<void> {
    const held = this.versions.get(listingId);
    if (held !== undefined && version <= held) return;
    this.versions.set(listingId, version);
    this.deleteHeld(listingId);
  }

  async search(query: SearchQuery): Promise<SearchResult> {
    return searchResult(query, this.table, (visit) => this.forEachMatch(query, visit));
  }

  private deleteHeld(listingId: string): void {
    const ordinal = this.table.ordinalOf(listingId);
    if (ordinal === undefined) return;
    this.text.delete(ordinal, this.table.listing(ordinal));
    this.table.delete(ordinal);
  }

  private forEachMatch(query: SearchQuery, visit: MatchVisitor): void {
    const accepts = listingFilter(query, this.table);
    const terms = queryTerms(query.text ?? '');
    if (terms.length > 0) {
      this.text.forEachMatch(terms, (ordinal, score) => {
        if (accepts(ordinal)) visit(ordinal, score);
      });
      return;
    }
    const { live } = this.table.columns();
    for (let ordinal = 0; ordinal < this.table.ordinalLimit; ordinal++) {
      if (live[ordinal] === 1 && accepts(ordinal)) visit(ordinal, 0);
    }
  }
}
