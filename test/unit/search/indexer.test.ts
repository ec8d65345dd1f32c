import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { handler } from '#functions/search/index-listings.ts';
import { standInForOpenSearch } from '#shared/app/composition/search-index.ts';
import type { Listing } from '#shared/domain/listing.ts';
import { EmbeddedSearchIndex } from '#shared/search/embedded/embedded-search-index.ts';
import { indexChangeFor } from '#shared/search/indexing.ts';
import { listingEntity, listingKey } from '#shared/store/entities/listing.ts';
import { sellerProfileEntity, sellerProfileKey } from '#shared/store/entities/seller-profile.ts';
import { lampContent } from '../../support/fixtures.ts';

/** The index the handler writes to, in place of OpenSearch as in the local stack. */
const searchIndex = new EmbeddedSearchIndex();
standInForOpenSearch(searchIndex);

const listing = (
  id: string,
  version: number,
  status: Listing['status'],
  title = lampContent.title,
): Listing => ({
  ...lampContent,
  providers: [],
  title,
  id,
  sellerId: 'alice',
  status,
  version,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  ...(status === 'published' ? { publishedAt: '2026-01-02T00:00:00.000Z' } : {}),
});

const image = (item: Listing) => marshall(listingEntity.item(listingKey(item.id), item));

let sequence = 0;
function record(before: Listing | undefined, after: Listing | undefined): DynamoDBRecord {
  sequence += 1;
  return {
    eventName: before && after ? 'MODIFY' : after ? 'INSERT' : 'REMOVE',
    dynamodb: {
      SequenceNumber: String(sequence),
      ...(before ? { OldImage: image(before) as never } : {}),
      ...(after ? { NewImage: image(after) as never } : {}),
    },
  };
}

const titlesFor = async (text: string) =>
  (await searchIndex.search({ text, sort: 'relevance', limit: 10 })).hits.map(
    (hit) => `${hit.id}:${hit.title}`,
  );

afterEach(() => vi.restoreAllMocks());

describe('indexChangeFor', () => {
  it('upserts published listings and removes the others at their new version', () => {
    expect(indexChangeFor(undefined, listing('a', 2, 'published'))).toMatchObject({ kind: 'upsert' });
    expect(indexChangeFor(listing('a', 2, 'published'), listing('a', 3, 'unpublished'))).toEqual({
      kind: 'remove',
      listingId: 'a',
      version: 3,
    });
    expect(indexChangeFor(undefined, undefined)).toBeUndefined();
  });

  it("removes a suspended seller's published listing, and puts it back once they are reinstated", () => {
    const suspended = { ...listing('a', 3, 'published'), sellerSuspended: true };
    expect(indexChangeFor(listing('a', 2, 'published'), suspended)).toEqual({
      kind: 'remove',
      listingId: 'a',
      version: 3,
    });
    expect(indexChangeFor(suspended, listing('a', 4, 'published'))).toMatchObject({ kind: 'upsert' });
  });

  it('removes a deleted listing at the version after its last, which the index may hold', () => {
    expect(indexChangeFor(listing('a', 3, 'published'), undefined)).toEqual({
      kind: 'remove',
      listingId: 'a',
      version: 4,
    });
    expect(indexChangeFor(listing('a', 3, 'draft'), undefined)).toEqual({
      kind: 'remove',
      listingId: 'a',
      version: 4,
    });
  });
});

describe('the stream indexer', () => {
  it('leaves the index right when records are replayed and arrive out of order', async () => {
    const draft = listing('order-1', 1, 'draft', 'Copper kettle');
    const published = listing('order-1', 2, 'published', 'Copper kettle');
    const renamed = listing('order-1', 3, 'published', 'Copper teapot');
    const records = [record(undefined, draft), record(draft, published), record(published, renamed)];

    await handler({ Records: [records[2], records[0], records[1]] as DynamoDBRecord[] });
    await handler({ Records: records });
    expect(await titlesFor('copper')).toEqual(['order-1:Copper teapot']);

    const withdrawn = listing('order-1', 4, 'unpublished', 'Copper teapot');
    await handler({ Records: [record(renamed, withdrawn), ...records] });
    expect(await titlesFor('copper')).toEqual([]);
  });

  it('ignores items that are not listings', async () => {
    const profile = { ...sellerProfileKey('alice'), ...sellerProfileEntity.stamp, displayName: 'Alice' };
    const result = await handler({
      Records: [{ eventName: 'INSERT', dynamodb: { NewImage: marshall(profile) as never } }],
    });
    expect(result.batchItemFailures).toEqual([]);
  });

  it('reports the first failing record and leaves the rest of the batch for the retry', async () => {
    const first = listing('fail-1', 1, 'published', 'Pewter jug');
    const second = listing('fail-2', 1, 'published', 'Pewter cup');
    const third = listing('fail-3', 1, 'published', 'Pewter bowl');
    const records = [record(undefined, first), record(undefined, second), record(undefined, third)];
    const upsert = searchIndex.upsert.bind(searchIndex);
    vi.spyOn(searchIndex, 'upsert').mockImplementation(async (document) => {
      if (document.id === 'fail-2') throw new Error('index unavailable');
      return upsert(document);
    });

    const result = await handler({ Records: records });

    expect(result.batchItemFailures).toEqual([{ itemIdentifier: records[1]?.dynamodb?.SequenceNumber }]);
    expect(await titlesFor('pewter')).toEqual(['fail-1:Pewter jug']);
  });
});
