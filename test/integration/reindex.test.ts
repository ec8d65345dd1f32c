import { beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedSearchIndex } from '#shared/search/embedded/embedded-search-index.ts';
import { toListingDocument } from '#shared/search/indexing.ts';
import { reindexListings } from '#shared/search/reindex.ts';
import { ListingStore } from '#shared/store/listing-store.ts';
import { lampContent } from '../support/fixtures.ts';
import { storeSellerReadyToPublish } from '../support/sellers.ts';
import { freshTable } from '../support/table.ts';

let listings: ListingStore;

beforeAll(async () => {
  const { client, tableName } = await freshTable();
  listings = new ListingStore(client, tableName);
  await storeSellerReadyToPublish(client, tableName, 'alice');
});

describe('reindexListings', () => {
  it('puts every published listing in the index and takes the others out', async () => {
    const published = await listings.create('alice', { ...lampContent, title: 'Published teapot' });
    await listings.transition(published.id, 'alice', 'publish');
    await listings.create('alice', { ...lampContent, title: 'Draft teapot' });
    const withdrawn = await listings.create('alice', { ...lampContent, title: 'Withdrawn teapot' });
    await listings.transition(withdrawn.id, 'alice', 'publish');
    const index = new EmbeddedSearchIndex();
    // The index still holds the withdrawn listing as it was when published.
    await index.upsert(toListingDocument((await listings.get(withdrawn.id)) ?? withdrawn));
    await listings.transition(withdrawn.id, 'alice', 'unpublish');

    const progress: number[] = [];
    const result = await reindexListings(listings, index, ({ scanned }) => progress.push(scanned));

    expect(result).toEqual({ scanned: 3, indexed: 1 });
    expect(progress.at(-1)).toBe(3);
    const found = await index.search({ text: 'teapot', sort: 'relevance', limit: 10 });
    expect(found.hits.map((hit) => hit.title)).toEqual(['Published teapot']);
  });
});
