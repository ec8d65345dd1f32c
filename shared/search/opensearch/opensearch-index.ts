import {
  InvalidCursorError,
  type ListingDocument,
  type SearchIndex,
  type SearchQuery,
  type SearchResult,
} from '../port.ts';
import { decodeCursor, fingerprintOf } from './cursor.ts';
import { type IndexedListing, type ListingTombstone, toIndexedListing, tombstoneOf } from './document.ts';
import { errorResponseOf } from './errors.ts';
import { listingIndexDefinition } from './mapping.ts';
import { searchCriteria, searchRequestBody, sortFieldsOf } from './query.ts';
import { emptySearchResult, type ListingSearchResponse, toSearchResult } from './response.ts';
import type { OpenSearchRequests } from './transport.ts';

const namesSearchAfter = (reason: string) => reason.includes('search_after');

const isVersionConflict = (error: unknown) =>
  errorResponseOf(error)?.type === 'version_conflict_engine_exception';

/** The search port on an OpenSearch index; one request per call. */
export class OpenSearchIndex implements SearchIndex {
  constructor(
    private readonly requests: OpenSearchRequests,
    private readonly indexName: string,
  ) {}

  private get path() {
    return `/${encodeURIComponent(this.indexName)}`;
  }

  /**
   * Installs the index definition as a template for the index name, then creates the index from it. A
   * write to a missing index creates it too (a first write, or one after the index was deleted), and the
   * template makes that index the same instead of one with guessed mappings, where every sort on `id`
   * fails. An existing index gets the mapping's new fields and the dynamic settings; a mapping it cannot
   * take (a changed field type) fails here, loudly, and the index has to be rebuilt (npm run reindex).
   */
  async ensureIndex(): Promise<void> {
    const { mappings, settings } = listingIndexDefinition;
    await this.requests.request({
      method: 'POST',
      path: `/_index_template${this.path}`,
      body: { index_patterns: [this.indexName], template: listingIndexDefinition },
    });
    try {
      await this.requests.request({ method: 'PUT', path: this.path });
    } catch (error) {
      if (errorResponseOf(error)?.type !== 'resource_already_exists_exception') throw error;
      await this.requests.request({ method: 'POST', path: `${this.path}/_mapping`, body: mappings });
      await this.requests.request({
        method: 'PUT',
        path: `${this.path}/_settings`,
        body: { index: settings.index },
      });
    }
  }

  /**
   * External versioning: OpenSearch keeps the document only if `version` is greater than the one it
   * holds, and answers 409 otherwise, which here means the index is already as new or newer.
   */
  async upsert(document: ListingDocument): Promise<void> {
    try {
      await this.putDocument(document.id, document.version, toIndexedListing(document));
    } catch (error) {
      if (!isVersionConflict(error)) throw error;
    }
  }

  /**
   * Replaces the listing with a tombstone at `version` (see document.ts), under external versioning as
   * `upsert`: 409 means the index already holds this version or a newer one, which stays.
   */
  async remove(listingId: string, version: number): Promise<void> {
    try {
      await this.putDocument(listingId, version, tombstoneOf(listingId, version));
    } catch (error) {
      if (!isVersionConflict(error)) throw error;
    }
  }

  async search(query: SearchQuery): Promise<SearchResult> {
    const criteria = searchCriteria(query);
    const fingerprint = fingerprintOf(criteria);
    const searchAfter =
      query.cursor === undefined
        ? undefined
        : decodeCursor(query.cursor, fingerprint, sortFieldsOf(criteria));
    try {
      const response = await this.requests.request({
        method: 'POST',
        path: `${this.path}/_search`,
        body: searchRequestBody(criteria, query.limit, searchAfter),
      });
      return toSearchResult(response.body as ListingSearchResponse, query.limit, fingerprint);
    } catch (error) {
      const failure = errorResponseOf(error);
      // The index appears with the indexer's first ensureIndex; until then (a new deployment, nothing
      // published yet) a search finds nothing rather than failing.
      if (failure?.type === 'index_not_found_exception') return emptySearchResult;
      // decodeCursor checks the values against the sort, yet OpenSearch has the last word on what it can
      // read back; when it refuses the `search_after`, the cursor is at fault. Any other 400 is not.
      if (failure?.status === 400 && searchAfter !== undefined && failure.reasons.some(namesSearchAfter)) {
        throw new InvalidCursorError();
      }
      throw error;
    }
  }

  private putDocument(id: string, version: number, body: IndexedListing | ListingTombstone) {
    return this.requests.request({
      method: 'PUT',
      path: `${this.path}/_doc/${encodeURIComponent(id)}`,
      querystring: { version, version_type: 'external' },
      body,
    });
  }
}
