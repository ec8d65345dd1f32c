import { EmbeddedSearchIndex } from '#shared/search/embedded/embedded-search-index.ts';
import { searchIndexContract } from '../search/search-index-contract.ts';

searchIndexContract('embedded search', async () => new EmbeddedSearchIndex());
