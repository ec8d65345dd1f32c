import { describe, expect, it } from 'vitest';
import type { SearchQuery, SearchSort } from '#shared/search/port.ts';
import { useFakeOpenSearch } from '../../search/fake-opensearch.ts';

// The exact request bodies the adapter sends: no OpenSearch runs here, so what a query matches
// follows from these bodies and OpenSearch 2.19's documented semantics.

const { reply, onlyRequest, index } = useFakeOpenSearch();

/** A removed listing stays in the index as a versioned tombstone, which no search may count. */
const tombstones = { term: { deleted: true } };

describe('search request', () => {
  const facetAggregations = {
    categories: { terms: { field: 'category', size: 50, order: [{ _count: 'desc' }, { _key: 'asc' }] } },
    prices: {
      range: {
        field: 'price',
        ranges: [
          { from: 0, to: 1_000 },
          { from: 1_000, to: 2_500 },
          { from: 2_500, to: 5_000 },
          { from: 5_000, to: 10_000 },
          { from: 10_000, to: 25_000 },
          { from: 25_000, to: 50_000 },
          { from: 50_000, to: 100_000 },
          { from: 100_000 },
        ],
      },
    },
    ...Object.fromEntries(
      ['color', 'size', 'material', 'brand', 'condition'].map((name) => [
        `attribute_${name}`,
        {
          terms: {
            field: 'attr_kv',
            include: `${name}=.*`,
            size: 50,
            order: [{ _count: 'desc' }, { _key: 'asc' }],
          },
        },
      ]),
    ),
  };

  async function searchBody(query: SearchQuery): Promise<Record<string, unknown>> {
    reply(200, 'search-no-hits.json');
    await index().search(query);
    const request = onlyRequest();
    expect(request).toMatchObject({ method: 'POST', path: '/listings/_search' });
    return request.body as Record<string, unknown>;
  }

  it('without text or filters: match_all, relevance order, one hit beyond the page, every facet', async () => {
    expect(await searchBody({ sort: 'relevance', limit: 20 })).toEqual({
      query: { bool: { filter: [], must_not: [tombstones], must: [{ match_all: {} }] } },
      sort: [{ _score: { order: 'desc' } }, { id: 'asc' }],
      size: 21,
      track_total_hits: true,
      aggs: facetAggregations,
    });
  });

  it('with text: every word in the listing, prefix tolerant, one typo from four letters, title weighing most', async () => {
    const body = await searchBody({ text: '  leather jack ', sort: 'relevance', limit: 10 });
    const typoTolerant = {
      query: 'leather jack',
      operator: 'and',
      fuzziness: 'AUTO:4,1000',
      max_expansions: 15,
    };
    expect(body.query).toEqual({
      bool: {
        filter: [],
        must_not: [tombstones],
        must: [
          {
            bool: {
              should: [
                { match_bool_prefix: { search_text: typoTolerant } },
                { match: { search_text: typoTolerant } },
              ],
              minimum_should_match: 1,
            },
          },
        ],
        should: [
          {
            multi_match: {
              query: 'leather jack',
              type: 'bool_prefix',
              fields: ['search_text._2gram', 'search_text._3gram'],
            },
          },
          {
            multi_match: {
              query: 'leather jack',
              fields: ['title^3', 'description', 'attr_values^1.5'],
              fuzziness: 'AUTO:4,1000',
              max_expansions: 15,
            },
          },
        ],
      },
    });
  });

  it('matches word pairs and triples exactly and only for scoring, so a typo never spans two words', async () => {
    // Fuzzy on the shingle fields, "red leather" (11 letters, two edits) would match "bad leather",
    // and a match on any one field was enough: "red leather jack" found "Bad leather jacket".
    const body = await searchBody({ text: 'red leather jack', sort: 'relevance', limit: 10 });
    const { must, should } = (body.query as { bool: { must: unknown[]; should: unknown[] } }).bool;
    expect(JSON.stringify(must)).not.toMatch(/_[23]gram/);
    const shingleClauses = should.filter((clause) => /_[23]gram/.test(JSON.stringify(clause)));
    expect(shingleClauses).toHaveLength(1);
    expect(shingleClauses[0]).not.toHaveProperty('multi_match.fuzziness');
  });

  it('sends only the first 10 words of a long text, each typo expanding to at most 15 terms', async () => {
    // Within OpenSearch's default limit of 1024 clauses: per word, 5 fuzzy clauses (2 to match, 3 to
    // score by field) of at most 15 terms each and up to 2 shingles, 770 for 10 words, filters aside.
    const pasted =
      'Vintage brown leather biker jacket, size M - barely worn, original zip, from 1985 with receipt';
    const body = await searchBody({ text: pasted, sort: 'relevance', limit: 10 });
    const tenWords = 'Vintage brown leather biker jacket, size M - barely worn, original';
    const texts = JSON.stringify(body.query).match(/"query":"[^"]*"/g);
    expect(new Set(texts)).toEqual(new Set([`"query":"${tenWords}"`]));
    const expansions = JSON.stringify(body.query).match(/"max_expansions":\d+/g);
    expect(expansions).toEqual(['"max_expansions":15', '"max_expansions":15', '"max_expansions":15']);
  });

  it('puts every filter in filter context, categories with those below them, attribute values ORed within and ANDed across attributes', async () => {
    const body = await searchBody({
      categories: ['clothing/jackets', 'clothing/coats'],
      currency: 'EUR',
      priceMin: 5_000,
      priceMax: 30_000,
      attributes: { size: ['M', 'L'], color: ['black'] },
      sellerId: 'seller-anna',
      minRating: 4,
      inStock: true,
      sort: 'price_asc',
      limit: 10,
    });
    expect(body.query).toEqual({
      bool: {
        filter: [
          {
            bool: {
              should: [
                { terms: { category: ['clothing/coats', 'clothing/jackets'] } },
                { prefix: { category: 'clothing/coats/' } },
                { prefix: { category: 'clothing/jackets/' } },
              ],
              minimum_should_match: 1,
            },
          },
          { term: { currency: 'EUR' } },
          { range: { price: { gte: 5_000, lte: 30_000 } } },
          { terms: { attr_kv: ['color=black'] } },
          { terms: { attr_kv: ['size=L', 'size=M'] } },
          { term: { sellerId: 'seller-anna' } },
          { range: { rating: { gte: 4 } } },
          { range: { stock: { gt: 0 } } },
        ],
        must_not: [tombstones],
        must: [{ match_all: {} }],
      },
    });
  });

  it('sends a one-sided price range with only its bound', async () => {
    const body = await searchBody({ priceMax: 2_500, sort: 'relevance', limit: 10 });
    expect(body.query).toEqual({
      bool: {
        filter: [{ range: { price: { lte: 2_500 } } }],
        must_not: [tombstones],
        must: [{ match_all: {} }],
      },
    });
  });

  it('leaves out empty lists, blank text and inStock: false', async () => {
    const body = await searchBody({
      text: '   ',
      categories: [],
      attributes: { color: [] },
      inStock: false,
      sort: 'relevance',
      limit: 10,
    });
    expect(body.query).toEqual({ bool: { filter: [], must_not: [tombstones], must: [{ match_all: {} }] } });
  });

  it.each<[SearchSort, unknown[]]>([
    ['relevance', [{ _score: { order: 'desc' } }, { id: 'asc' }]],
    ['price_asc', [{ price: 'asc' }, { id: 'asc' }]],
    ['price_desc', [{ price: 'desc' }, { id: 'asc' }]],
    ['newest', [{ publishedAt: 'desc' }, { id: 'asc' }]],
    ['rating', [{ rating: { order: 'desc', missing: '_last' } }, { id: 'asc' }]],
  ])('sorts %s by %j', async (sort, expected) => {
    expect((await searchBody({ sort, limit: 10 })).sort).toEqual(expected);
  });
});
