import { describe, expect, it } from 'vitest';
import { EmbeddedSearchIndex } from '#shared/search/embedded/embedded-search-index.ts';
import {
  type ListingDocument,
  maxFacetValues,
  type SearchQuery,
  type SearchResult,
} from '#shared/search/port.ts';
import { listing } from '../../search/search-index-contract.ts';

// What the contract suite leaves to each adapter: the exact text rules, pages that stay stable while
// listings come and go, and facets after deletions.

const ids = (result: SearchResult) => result.hits.map((hit) => hit.id);

async function indexOf(...listings: ListingDocument[]): Promise<EmbeddedSearchIndex> {
  const index = new EmbeddedSearchIndex();
  for (const each of listings) await index.upsert(each);
  return index;
}

async function walk(index: EmbeddedSearchIndex, query: SearchQuery, between?: () => Promise<void>) {
  const seen: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await index.search({ ...query, ...(cursor ? { cursor } : {}) });
    seen.push(...ids(page));
    cursor = page.nextCursor;
    await between?.();
  } while (cursor);
  return seen;
}

describe('the embedded search index', () => {
  describe('text', () => {
    const catalog = [
      listing('cafe', { title: 'Café table', description: 'Round, with a marble top' }),
      listing('desk', { title: 'Desk lamp' }),
      listing('oak', { title: 'Oak shelf' }),
    ];

    it('ignores case and accents', async () => {
      const index = await indexOf(...catalog);
      expect(ids(await index.search({ text: 'CAFE', sort: 'relevance', limit: 10 }))).toEqual(['cafe']);
    });

    it('takes only the last word as a prefix', async () => {
      const index = await indexOf(...catalog);
      expect(ids(await index.search({ text: 'des lamp', sort: 'relevance', limit: 10 }))).toEqual([]);
      expect(ids(await index.search({ text: 'lamp des', sort: 'relevance', limit: 10 }))).toEqual(['desk']);
    });

    it('tolerates swapped letters but no typo in words shorter than four letters', async () => {
      const index = await indexOf(...catalog);
      expect(ids(await index.search({ text: 'lmap', sort: 'relevance', limit: 10 }))).toEqual(['desk']);
      expect(ids(await index.search({ text: 'oat shelf', sort: 'relevance', limit: 10 }))).toEqual([]);
    });

    it('treats text without any word as no text', async () => {
      const index = await indexOf(...catalog);
      expect((await index.search({ text: ' ?! ', sort: 'relevance', limit: 10 })).total).toBe(3);
    });
  });

  describe('filters', () => {
    it('filters on attributes that are not faceted', async () => {
      const index = await indexOf(listing('a', { attributes: { voltage: '230V' } }), listing('b'));
      const result = await index.search({ attributes: { voltage: ['230V'] }, sort: 'newest', limit: 10 });
      expect(ids(result)).toEqual(['a']);
    });

    it('matches nothing for a value no listing has, and everything for an empty list', async () => {
      const index = await indexOf(listing('a'), listing('b'));
      expect((await index.search({ categories: ['home/none'], sort: 'newest', limit: 10 })).total).toBe(0);
      expect((await index.search({ currency: 'JPY', sort: 'newest', limit: 10 })).total).toBe(0);
      expect((await index.search({ categories: [], sort: 'newest', limit: 10 })).total).toBe(2);
    });
  });

  describe('pages', () => {
    const catalog = Array.from({ length: 9 }, (_, n) =>
      listing(`l${n}`, {
        title: 'Lamp',
        price: 1000 + 100 * (n % 3),
        description: `lamp ${'shade '.repeat(n)}`,
      }),
    );

    it('walk every match once, for every sort', async () => {
      const index = await indexOf(...catalog);
      for (const sort of ['relevance', 'price_asc', 'price_desc', 'newest', 'rating'] as const) {
        const seen = await walk(index, { text: 'lamp', sort, limit: 2 });
        expect(seen.toSorted()).toEqual(catalog.map(({ id }) => id).toSorted());
      }
    });

    it('resume after the last hit when a listing is added before it', async () => {
      const index = await indexOf(...catalog);
      const first = await index.search({ sort: 'price_asc', limit: 4 });
      await index.upsert(listing('cheap', { price: 100 }));
      const rest = await walk(index, { sort: 'price_asc', limit: 4, cursor: first.nextCursor });
      expect([...ids(first), ...rest]).toEqual(['l0', 'l3', 'l6', 'l1', 'l4', 'l7', 'l2', 'l5', 'l8']);
    });

    it('resume after the last hit by relevance when a better match is added before it', async () => {
      const index = await indexOf(...catalog);
      const query = { text: 'lamp', sort: 'relevance', limit: 4 } as const;
      const everyMatch = ids(await index.search({ ...query, limit: 20 }));
      const first = await index.search(query);
      await index.upsert(listing('best', { title: 'Lamp', description: 'lamp' }));
      const rest = await walk(index, { ...query, cursor: first.nextCursor });
      expect([...ids(first), ...rest]).toEqual(everyMatch);
    });

    it('neither repeat nor skip a listing updated while walking', async () => {
      const index = await indexOf(...catalog);
      let version = 1;
      const seen = await walk(index, { sort: 'newest', limit: 2 }, async () => {
        version++;
        await index.upsert({ ...(catalog[8] as ListingDocument), title: 'Lamp, updated', version });
      });
      expect(seen.toSorted()).toEqual(catalog.map(({ id }) => id).toSorted());
    });
  });

  it('leaves out of facets the values of removed and replaced listings', async () => {
    const index = await indexOf(
      listing('gold', { attributes: { color: 'gold' } }),
      listing('red', { attributes: { color: 'red' } }),
      listing('other', { category: 'home/rugs', attributes: { color: 'red' } }),
    );
    await index.remove('gold', 2);
    await index.upsert(listing('other', { version: 2, attributes: { color: 'blue' } }));
    const { facets } = await index.search({ sort: 'newest', limit: 10 });
    expect(facets.attributes.color).toEqual([
      { value: 'blue', count: 1 },
      { value: 'red', count: 1 },
    ]);
    expect(facets.categories).toEqual([{ value: 'home/lamps', count: 2 }]);
  });

  it('finds a listing by its new words only after an update, and by none after removal', async () => {
    const index = await indexOf(listing('a', { title: 'Teapot' }));
    await index.upsert(listing('a', { title: 'Kettle', version: 2 }));
    const find = async (text: string) => ids(await index.search({ text, sort: 'relevance', limit: 10 }));
    expect(await find('teapot')).toEqual([]);
    expect(await find('kettle')).toEqual(['a']);
    await index.remove('a', 3);
    expect(await find('kettle')).toEqual([]);
    await index.upsert(listing('a', { title: 'Kettle', version: 3 }));
    expect(await find('kettle')).toEqual([]);
  });

  it('lists at most maxFacetValues values per facet, the most frequent first', async () => {
    const brands = Array.from(
      { length: maxFacetValues + 10 },
      (_, index) => `brand${String(index).padStart(2, '0')}`,
    );
    const index = await indexOf(
      ...brands.map((brand, position) => listing(`b${position}`, { attributes: { brand } })),
      listing('extra', { attributes: { brand: 'brand59' } }),
    );
    const { facets } = await index.search({ sort: 'newest', limit: 1 });
    expect(facets.attributes.brand).toHaveLength(maxFacetValues);
    expect(facets.attributes.brand?.[0]).toEqual({ value: 'brand59', count: 2 });
    expect(facets.attributes.brand?.at(-1)).toEqual({ value: 'brand48', count: 1 });
  });
});
