import { beforeAll, describe, expect, it } from 'vitest';
import {
  InvalidCursorError,
  type ListingDocument,
  maxQueryWords,
  type SearchIndex,
  type SearchQuery,
} from '#shared/search/port.ts';

/** A listing document with plain defaults, for search tests. */
export const listing = (id: string, fields: Partial<ListingDocument> = {}): ListingDocument => ({
  id,
  sellerId: 'seller-a',
  title: 'Untitled',
  description: '',
  category: 'home/lamps',
  price: 1000,
  currency: 'EUR',
  stock: 1,
  attributes: {},
  publishedAt: '2026-01-01T00:00:00.000Z',
  version: 1,
  ...fields,
});

/** A small catalog whose every expected answer can be worked out by hand. */
export const catalog: readonly ListingDocument[] = [
  listing('l1', {
    title: 'Brass desk lamp',
    description: 'A warm light for late reading',
    price: 4999,
    attributes: { color: 'gold', material: 'brass' },
    rating: 4.5,
    publishedAt: '2026-03-01T00:00:00.000Z',
  }),
  listing('l2', {
    title: 'Walnut floor lamp',
    description: 'Tall and elegant',
    price: 12900,
    attributes: { color: 'brown', material: 'walnut' },
    rating: 3.8,
    publishedAt: '2026-02-01T00:00:00.000Z',
  }),
  listing('l3', {
    title: 'Ceramic table lamp',
    description: 'Glazed by hand',
    price: 2500,
    stock: 0,
    attributes: { color: 'white', material: 'ceramic' },
    publishedAt: '2026-04-01T00:00:00.000Z',
  }),
  listing('l4', {
    title: 'Oak dining table',
    description: 'Seats six, solid oak with ceramic inlays',
    category: 'home/tables',
    price: 89000,
    attributes: { color: 'brown', material: 'oak' },
    rating: 4.9,
    sellerId: 'seller-b',
    publishedAt: '2026-01-15T00:00:00.000Z',
  }),
  listing('l5', {
    title: 'Linen shirt',
    description: 'Breathable summer shirt',
    category: 'fashion/shirts',
    price: 3900,
    attributes: { color: 'white', size: 'M', material: 'linen' },
    rating: 4.1,
    sellerId: 'seller-b',
    publishedAt: '2026-05-01T00:00:00.000Z',
  }),
  listing('l6', {
    title: 'Linen shirt',
    description: 'Breathable summer shirt',
    category: 'fashion/shirts',
    price: 3900,
    attributes: { color: 'blue', size: 'L', material: 'linen' },
    sellerId: 'seller-c',
    publishedAt: '2026-05-02T00:00:00.000Z',
  }),
  listing('l7', {
    title: 'Vintage camera',
    description: 'Film camera, fully working',
    category: 'electronics/cameras',
    price: 15000,
    currency: 'USD',
    attributes: { condition: 'used', brand: 'leica' },
    rating: 5,
    publishedAt: '2026-06-01T00:00:00.000Z',
  }),
];

const query = (fields: Partial<SearchQuery> = {}): SearchQuery => ({
  sort: 'relevance',
  limit: 20,
  ...fields,
});
const ids = (result: { hits: readonly ListingDocument[] }) => result.hits.map((hit) => hit.id);
const sortedIds = (result: { hits: readonly ListingDocument[] }) => ids(result).sort();

/** The behaviour every SearchIndex adapter must show; run by each adapter's test file. */
export function searchIndexContract(name: string, createIndex: () => Promise<SearchIndex>) {
  describe(`${name}: the search index contract`, () => {
    let index: SearchIndex;

    beforeAll(async () => {
      index = await createIndex();
      await index.ensureIndex();
      for (const document of catalog) await index.upsert(document);
    });

    describe('full text', () => {
      it('finds listings by a word of the title, description or attribute values', async () => {
        expect(sortedIds(await index.search(query({ text: 'lamp' })))).toEqual(['l1', 'l2', 'l3']);
        expect(ids(await index.search(query({ text: 'reading' })))).toEqual(['l1']);
        expect(ids(await index.search(query({ text: 'walnut' })))).toEqual(['l2']);
        expect(ids(await index.search(query({ text: 'leica' })))).toEqual(['l7']);
      });

      it('matches the prefix of the last word, as typed', async () => {
        expect(sortedIds(await index.search(query({ text: 'cera' })))).toEqual(['l3', 'l4']);
        expect(sortedIds(await index.search(query({ text: 'desk la' })))).toContain('l1');
      });

      it('tolerates a typo', async () => {
        expect(ids(await index.search(query({ text: 'camara' })))).toEqual(['l7']);
        expect(sortedIds(await index.search(query({ text: 'lammp' })))).toEqual(['l1', 'l2', 'l3']);
      });

      it('tolerates one typo from four letters on, none in shorter words and never two', async () => {
        expect(ids(await index.search(query({ text: 'oak' })))).toEqual(['l4']);
        expect(ids(await index.search(query({ text: 'oat dining' })))).toEqual([]);
        expect(ids(await index.search(query({ text: 'film' })))).toEqual(['l7']);
        expect(ids(await index.search(query({ text: 'firm camera' })))).toEqual(['l7']);
        expect(ids(await index.search(query({ text: 'cemara film' })))).toEqual([]);
      });

      it('reads only the first maxQueryWords words of a long text', async () => {
        const tenWords = 'oak dining table seats six, solid oak with ceramic inlays';
        expect(tenWords.split(/\W+/)).toHaveLength(maxQueryWords);
        expect(ids(await index.search(query({ text: tenWords })))).toEqual(['l4']);
        expect(ids(await index.search(query({ text: `${tenWords} zzzyzzx camera` })))).toEqual(['l4']);
        expect(ids(await index.search(query({ text: `zzzyzzx ${tenWords}` })))).toEqual([]);
      });

      it('wants every word itself, a typo never carried by the word next to it', async () => {
        expect(ids(await index.search(query({ text: 'linen shirt brea' })))).toEqual(['l5', 'l6']);
        expect(ids(await index.search(query({ text: 'lemon shirt brea' })))).toEqual([]);
      });

      it('ranks a title match above a description-only match', async () => {
        const result = await index.search(query({ text: 'ceramic' }));
        expect(ids(result)).toEqual(['l3', 'l4']);
      });

      it('returns everything when there is no text', async () => {
        expect((await index.search(query())).total).toBe(catalog.length);
      });

      it('finds nothing for an unknown word', async () => {
        const result = await index.search(query({ text: 'zzzyzzx' }));
        expect(result.total).toBe(0);
        expect(result.hits).toEqual([]);
      });
    });

    describe('filters', () => {
      it('keeps any of several categories', async () => {
        const result = await index.search(query({ categories: ['home/tables', 'electronics/cameras'] }));
        expect(sortedIds(result)).toEqual(['l4', 'l7']);
      });

      it('keeps a category with every category below it, path segment by segment', async () => {
        expect(sortedIds(await index.search(query({ categories: ['home'] })))).toEqual([
          'l1',
          'l2',
          'l3',
          'l4',
        ]);
        expect(sortedIds(await index.search(query({ categories: ['fashion', 'home/tables'] })))).toEqual([
          'l4',
          'l5',
          'l6',
        ]);
        expect(ids(await index.search(query({ categories: ['hom'] })))).toEqual([]);
        expect(ids(await index.search(query({ categories: ['home/lamp'] })))).toEqual([]);
        expect(ids(await index.search(query({ categories: ['home/lamps/desk'] })))).toEqual([]);
      });

      it('counts the matches of a category filter under their own categories', async () => {
        const { facets, total } = await index.search(query({ categories: ['home'] }));
        expect(total).toBe(4);
        expect(facets.categories).toEqual([
          { value: 'home/lamps', count: 3 },
          { value: 'home/tables', count: 1 },
        ]);
      });

      it('keeps an inclusive price range in one currency', async () => {
        const result = await index.search(query({ currency: 'EUR', priceMin: 2500, priceMax: 4999 }));
        expect(sortedIds(result)).toEqual(['l1', 'l3', 'l5', 'l6']);
      });

      it('keeps any of the values of an attribute, and all of several attributes', async () => {
        expect(sortedIds(await index.search(query({ attributes: { color: ['white', 'gold'] } })))).toEqual([
          'l1',
          'l3',
          'l5',
        ]);
        expect(
          sortedIds(await index.search(query({ attributes: { color: ['white'], material: ['linen'] } }))),
        ).toEqual(['l5']);
      });

      it('keeps one seller, a minimum rating and listings in stock', async () => {
        expect(sortedIds(await index.search(query({ sellerId: 'seller-b' })))).toEqual(['l4', 'l5']);
        expect(sortedIds(await index.search(query({ minRating: 4.5 })))).toEqual(['l1', 'l4', 'l7']);
        expect(sortedIds(await index.search(query({ text: 'lamp', inStock: true })))).toEqual(['l1', 'l2']);
      });

      it('combines text and filters', async () => {
        const result = await index.search(query({ text: 'shirt', attributes: { size: ['L'] } }));
        expect(ids(result)).toEqual(['l6']);
        expect(result.total).toBe(1);
      });
    });

    describe('sorting', () => {
      it('sorts by price both ways, ties by id', async () => {
        const fashionAndLamps = { categories: ['fashion/shirts', 'home/lamps'] };
        expect(ids(await index.search(query({ ...fashionAndLamps, sort: 'price_asc' })))).toEqual([
          'l3',
          'l5',
          'l6',
          'l1',
          'l2',
        ]);
        expect(ids(await index.search(query({ ...fashionAndLamps, sort: 'price_desc' })))).toEqual([
          'l2',
          'l1',
          'l5',
          'l6',
          'l3',
        ]);
      });

      it('sorts by newest and by rating, unrated last', async () => {
        expect(ids(await index.search(query({ sort: 'newest' })))).toEqual([
          'l7',
          'l6',
          'l5',
          'l3',
          'l1',
          'l2',
          'l4',
        ]);
        expect(ids(await index.search(query({ sort: 'rating' })))).toEqual([
          'l7',
          'l4',
          'l1',
          'l5',
          'l2',
          'l3',
          'l6',
        ]);
      });
    });

    describe('facets', () => {
      it('counts every match, not just the page', async () => {
        const result = await index.search(query({ limit: 1 }));
        expect(result.hits).toHaveLength(1);
        expect(result.total).toBe(7);
        expect(result.facets.categories).toEqual([
          { value: 'home/lamps', count: 3 },
          { value: 'fashion/shirts', count: 2 },
          { value: 'electronics/cameras', count: 1 },
          { value: 'home/tables', count: 1 },
        ]);
        expect(result.facets.attributes.color).toEqual([
          { value: 'brown', count: 2 },
          { value: 'white', count: 2 },
          { value: 'blue', count: 1 },
          { value: 'gold', count: 1 },
        ]);
        expect(result.facets.attributes.condition).toEqual([{ value: 'used', count: 1 }]);
      });

      it('counts price buckets, empty ones included', async () => {
        const { facets } = await index.search(query({ currency: 'EUR' }));
        expect(facets.priceBuckets).toEqual([
          { from: 0, to: 1000, count: 0 },
          { from: 1000, to: 2500, count: 0 },
          { from: 2500, to: 5000, count: 4 },
          { from: 5000, to: 10000, count: 0 },
          { from: 10000, to: 25000, count: 1 },
          { from: 25000, to: 50000, count: 0 },
          { from: 50000, to: 100000, count: 1 },
          { from: 100000, count: 0 },
        ]);
      });

      it('counts within the text and filters', async () => {
        const { facets, total } = await index.search(query({ text: 'lamp', inStock: true }));
        expect(total).toBe(2);
        expect(facets.categories).toEqual([{ value: 'home/lamps', count: 2 }]);
        expect(facets.attributes.material).toEqual([
          { value: 'brass', count: 1 },
          { value: 'walnut', count: 1 },
        ]);
      });
    });

    describe('pagination', () => {
      it('walks every match once with the cursor, in order', async () => {
        const seen: string[] = [];
        let cursor: string | undefined;
        do {
          const page = await index.search(
            query({ sort: 'price_asc', limit: 2, ...(cursor ? { cursor } : {}) }),
          );
          expect(page.hits.length).toBeLessThanOrEqual(2);
          seen.push(...ids(page));
          cursor = page.nextCursor;
        } while (cursor);
        expect(seen).toEqual(['l3', 'l5', 'l6', 'l1', 'l2', 'l7', 'l4']);
      });

      it('rejects a cursor from another query, and garbage', async () => {
        const first = await index.search(query({ sort: 'price_asc', limit: 2 }));
        expect(first.nextCursor).toBeDefined();
        await expect(
          index.search(query({ sort: 'newest', limit: 2, cursor: first.nextCursor })),
        ).rejects.toThrow(InvalidCursorError);
        await expect(index.search(query({ cursor: 'not-a-cursor' }))).rejects.toThrow(InvalidCursorError);
      });
    });
  });

  describe(`${name}: versions decide, whatever the order of writes`, () => {
    let index: SearchIndex;
    const base = listing('v1', { title: 'Teapot', version: 3 });

    beforeAll(async () => {
      index = await createIndex();
      await index.ensureIndex();
    });

    const find = async (text: string) => ids(await index.search(query({ text })));

    it('ignores a replayed or older version', async () => {
      await index.upsert(base);
      await index.upsert({ ...base, title: 'Kettle', version: 2 });
      await index.upsert({ ...base, title: 'Kettle', version: 3 });
      expect(await find('teapot')).toEqual(['v1']);
      expect(await find('kettle')).toEqual([]);
    });

    it('applies a newer version', async () => {
      await index.upsert({ ...base, title: 'Samovar', version: 4 });
      expect(await find('samovar')).toEqual(['v1']);
      expect(await find('teapot')).toEqual([]);
    });

    it('ignores a removal older than the version held, or of the same version', async () => {
      await index.remove('v1', 3);
      expect(await find('samovar')).toEqual(['v1']);
      // External versioning applies a write only above the version held, a removal included.
      await index.remove('v1', 4);
      expect(await find('samovar')).toEqual(['v1']);
    });

    it('removes, and never resurrects from an older replayed write', async () => {
      await index.remove('v1', 5);
      expect(await find('samovar')).toEqual([]);
      await index.upsert({ ...base, title: 'Samovar', version: 4 });
      expect(await find('samovar')).toEqual([]);
      await index.upsert({ ...base, title: 'Samovar', version: 6 });
      expect(await find('samovar')).toEqual(['v1']);
    });

    it('removes at a version above the one held, as for a deleted listing, and stays removed on replay', async () => {
      // A table delete carries the deleted item's version; the indexer removes at the next one, the
      // lowest that OpenSearch's external versioning applies over the version it holds.
      const deleted = listing('v2', { title: 'Percolator', version: 7 });
      await index.upsert(deleted);
      expect(await find('percolator')).toEqual(['v2']);
      await index.remove('v2', 8);
      expect(await find('percolator')).toEqual([]);
      await index.upsert(deleted);
      expect(await find('percolator')).toEqual([]);
    });

    it('treats removing an unknown listing as done', async () => {
      await expect(index.remove('never-indexed', 1)).resolves.toBeUndefined();
    });
  });
}
