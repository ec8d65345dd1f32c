import { EmbeddedSearchIndex } from '#shared/search/embedded/embedded-search-index.ts';
import { adapterWith, type SearchCandidate } from './search-candidate.ts';

export const embeddedCandidate: SearchCandidate = adapterWith(
  'Embedded (own inverted index)',
  'embedded',
  () => new EmbeddedSearchIndex(),
);
