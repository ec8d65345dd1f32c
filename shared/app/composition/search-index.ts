import { EmbeddedSearchIndex } from '#shared/search/embedded/embedded-search-index.ts';
import { createOpenSearchIndex } from '#shared/search/opensearch/client.ts';
import type { SearchIndex } from '#shared/search/port.ts';

/**
 * Composition root of the search port. Deployed functions get OPENSEARCH_ENDPOINT from the stack;
 * the local stack, where no OpenSearch can run, asks for the embedded engine, which its search route
 * and indexer share in its process (the one local switch left: docs/design/local-parity.md). Neither
 * set is a configuration error, never a silent fallback to memory.
 */
function createSearchIndex(): SearchIndex {
  if (process.env.OPENSEARCH_ENDPOINT) return createOpenSearchIndex();
  if (process.env.SEARCH_ENGINE === 'embedded') return new EmbeddedSearchIndex();
  throw new Error('Set OPENSEARCH_ENDPOINT, or SEARCH_ENGINE=embedded for the embedded engine');
}

export const searchIndex = createSearchIndex();
