import type * as searchComposition from '#functions/search/search-index.ts';
import { EmbeddedSearchIndex } from '#shared/search/embedded/embedded-search-index.ts';
import type { SearchIndex } from '#shared/search/port.ts';
import { loadFunctionModule } from './handler-loader.ts';

/** One engine per process, shared by the search route and the indexer running in it. */
const embeddedSearchIndex = new EmbeddedSearchIndex();

/**
 * Gives the search functions of this process the embedded engine in place of OpenSearch, which
 * cannot run on this machine; answers the engine.
 */
export async function useEmbeddedSearch(): Promise<SearchIndex> {
  const { standInForOpenSearch } = await loadFunctionModule<typeof searchComposition>('search/search-index');
  standInForOpenSearch(embeddedSearchIndex);
  return embeddedSearchIndex;
}
