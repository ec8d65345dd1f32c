import { EmbeddedSearchIndex } from '#shared/search/embedded/embedded-search-index.ts';
import type { SearchIndex } from '#shared/search/port.ts';

/** One engine per process, shared by the search route and the indexer running in it. */
const embeddedSearchIndex = new EmbeddedSearchIndex();

/**
 * Gives the search functions of this process the embedded engine in place of OpenSearch, which
 * cannot run on this machine; answers the engine.
 */
export async function useEmbeddedSearch(): Promise<SearchIndex> {
  const { standInForOpenSearch } = await import('#shared/app/composition/search-index.ts');
  standInForOpenSearch(embeddedSearchIndex);
  return embeddedSearchIndex;
}
