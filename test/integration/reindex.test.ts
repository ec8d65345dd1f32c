import { beforeAll, describe, expect, it } from 'vitest';
import { allListings } from '#infra/local/table-scans.ts';
import type { Listing } from '#shared/domain/listing.ts';
import { EmbeddedSearchIndex } from '#shared/search/embedded/embedded-search-index.ts';
import { toListingDocument } from '#shared/search/indexing.ts';
import { reindexListings } from '#shared/search/reindex.ts';
import { ListingStore } from '#shared/store/listing-store.ts';
import { useFakeOpenSearch } from '../search/fake-opensearch.ts';
import { lampContent } from '../support/fixtures.ts';
import { storeSellerReadyToPublish } from '../support/sellers.ts';
import { freshTable } from '../support/table.ts';

const openSearch = useFakeOpenSearch();

async function sellerTable() {
  const { client, tableName } = await freshTable();
  await storeSellerReadyToPublish(client, tableName, 'alice');
  return { listings: new ListingStore(client, tableName), scan: () => allListings(client, tableName) };
}

describe('reindexListings', () => {
  let listings: ListingStore;
  let scan: () => AsyncGenerator<Listing[]>;

  beforeAll(async () => {
    ({ listings, scan } = await sellerTable());
  });

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
    const result = await reindexListings(scan(), index, ({ scanned }) => progress.push(scanned));

    expect(result).toEqual({ scanned: 3, indexed: 1 });
    expect(progress.at(-1)).toBe(3);
    const found = await index.search({ text: 'teapot', sort: 'relevance', limit: 10 });
    expect(found.hits.map((hit) => hit.title)).toEqual(['Published teapot']);
  });
});

describe('reindexListings into OpenSearch', () => {
  it('writes the published listings and a versioned tombstone for each of the others', async () => {
    const { listings, scan } = await sellerTable();
    const published = await listings.create('alice', { ...lampContent, title: 'Published kettle' });
    await listings.transition(published.id, 'alice', 'publish');
    const draft = await listings.create('alice', { ...lampContent, title: 'Draft kettle' });
    const withdrawn = await listings.create('alice', { ...lampContent, title: 'Withdrawn kettle' });
    await listings.transition(withdrawn.id, 'alice', 'publish');
    await listings.transition(withdrawn.id, 'alice', 'unpublish');
    const current = async (id: string) => {
      const listing = await listings.get(id);
      if (!listing) throw new Error(`listing ${id} is missing`);
      return listing;
    };
    openSearch.reply(200, 'acknowledged.json');
    openSearch.reply(200, 'create-index.json');
    for (let write = 0; write < 3; write++) openSearch.reply(201, 'index-created.json');

    const result = await reindexListings(scan(), openSearch.index());

    expect(result).toEqual({ scanned: 3, indexed: 1 });
    const writes = openSearch.requests.filter((request) => request.path.startsWith('/listings/_doc/'));
    const writeOf = (id: string) => writes.find((request) => request.path === `/listings/_doc/${id}`);
    expect(writes).toHaveLength(3);
    expect(writes.every((write) => write.method === 'PUT')).toBe(true);
    expect(writeOf(published.id)?.body).toMatchObject({ id: published.id, title: 'Published kettle' });
    for (const removed of [await current(draft.id), await current(withdrawn.id)]) {
      expect(writeOf(removed.id)).toMatchObject({
        query: { version: String(removed.version), version_type: 'external' },
        body: { id: removed.id, version: removed.version, deleted: true },
      });
    }
  });
});
