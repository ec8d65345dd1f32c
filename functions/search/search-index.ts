import { EmbeddedSearchIndex } from '#shared/search/embedded/embedded-search-index.ts';
import { createOpenSearchIndex } from '#shared/search/opensearch/client.ts';
import type { SearchIndex } from '#shared/search/port.ts';

/**
 * Composition root of the search port. Deployed functions get OPENSEARCH_ENDPOINT from the stack;
 * on one machine the search route and the indexer share one in-process engine, which the local
 * stack fills from the table at start.
 */
export const searchIndex: SearchIndex = process.env.OPENSEARCH_ENDPOINT
  ? createOpenSearchIndex()
  : new EmbeddedSearchIndex();
