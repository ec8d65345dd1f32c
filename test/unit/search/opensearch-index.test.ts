import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from '@opensearch-project/opensearch';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { encodeCursor, fingerprintOf } from '#shared/search/opensearch/cursor.ts';
import { OpenSearchIndex } from '#shared/search/opensearch/opensearch-index.ts';
import { searchCriteria } from '#shared/search/opensearch/query.ts';
import {
  InvalidCursorError,
  type ListingDocument,
  type SearchQuery,
  type SearchResult,
  type SearchSort,
} from '#shared/search/port.ts';

// No OpenSearch can run here: a local HTTP server records what the real client sends and answers
// with responses written in the shape OpenSearch 2.x returns.

interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Record<string, string>;
  readonly body: unknown;
}

const requests: RecordedRequest[] = [];
const replies: { status: number; fixture: string }[] = [];

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/opensearch/${name}`, import.meta.url));

const fakeOpenSearch = createServer(async (request, response) => {
  let text = '';
  for await (const chunk of request) text += chunk;
  const url = new URL(request.url ?? '/', 'http://127.0.0.1');
  requests.push({
    method: request.method ?? '',
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    body: text ? JSON.parse(text) : undefined,
  });
  const reply = replies.shift();
  if (!reply) {
    response.writeHead(599).end();
    return;
  }
  response.writeHead(reply.status, { 'content-type': 'application/json' }).end(fixture(reply.fixture));
});

let index: OpenSearchIndex;

beforeAll(async () => {
  await new Promise<void>((resolve) => fakeOpenSearch.listen(0, '127.0.0.1', resolve));
  const { port } = fakeOpenSearch.address() as AddressInfo;
  index = new OpenSearchIndex(new Client({ node: `http://127.0.0.1:${port}`, maxRetries: 0 }), 'listings');
});

afterAll(() => new Promise<void>((resolve) => fakeOpenSearch.close(() => resolve())));

beforeEach(() => {
  requests.length = 0;
  replies.length = 0;
});

function reply(status: number, fixtureName: string) {
  replies.push({ status, fixture: fixtureName });
}

function onlyRequest(): RecordedRequest {
  expect(requests).toHaveLength(1);
  return requests[0] as RecordedRequest;
}

const jacket: ListingDocument = {
  id: '0b7c5a4e-8f0d-4a57-9a4e-1c2d3e4f5a61',
  sellerId: 'seller-anna',
  title: 'Brown leather jacket',
  description: 'Vintage lambskin jacket, barely worn.',
  category: 'clothing/jackets',
  price: 12900,
  currency: 'EUR',
  stock: 1,
  attributes: { color: 'brown', size: 'M', material: 'leather' },
  rating: 4.5,
  publishedAt: '2025-03-02T10:15:00.000Z',
  version: 3,
};

const noPriceBuckets = [
  { from: 0, to: 1_000, count: 0 },
  { from: 1_000, to: 2_500, count: 0 },
  { from: 2_500, to: 5_000, count: 0 },
  { from: 5_000, to: 10_000, count: 0 },
  { from: 10_000, to: 25_000, count: 0 },
  { from: 25_000, to: 50_000, count: 0 },
  { from: 50_000, to: 100_000, count: 0 },
  { from: 100_000, count: 0 },
];

const emptyResult: SearchResult = {
  hits: [],
  total: 0,
  facets: {
    categories: [],
    priceBuckets: noPriceBuckets,
    attributes: { color: [], size: [], material: [], brand: [], condition: [] },
  },
};

describe('ensureIndex', () => {
  it('creates the index with analysis settings, a long tombstone life and a strict explicit mapping', async () => {
    reply(200, 'create-index.json');
    await index.ensureIndex();

    const request = onlyRequest();
    expect(request).toMatchObject({ method: 'PUT', path: '/listings' });
    expect(request.body).toEqual({
      settings: {
        index: { gc_deletes: '24h' },
        analysis: {
          analyzer: {
            folded: { type: 'custom', tokenizer: 'standard', filter: ['lowercase', 'asciifolding'] },
          },
        },
      },
      mappings: {
        dynamic: 'strict',
        properties: {
          id: { type: 'keyword' },
          sellerId: { type: 'keyword' },
          title: { type: 'text', analyzer: 'folded', copy_to: 'search_text' },
          description: { type: 'text', analyzer: 'folded', copy_to: 'search_text' },
          category: { type: 'keyword' },
          price: { type: 'long' },
          currency: { type: 'keyword' },
          stock: { type: 'integer' },
          attributes: { type: 'object', enabled: false },
          attr_values: { type: 'text', analyzer: 'folded', copy_to: 'search_text' },
          attr_kv: { type: 'keyword' },
          rating: { type: 'float' },
          publishedAt: { type: 'date' },
          version: { type: 'long' },
          search_text: { type: 'search_as_you_type', analyzer: 'folded' },
        },
      },
    });
  });

  it('succeeds when the index already exists', async () => {
    reply(400, 'error-resource-already-exists.json');
    await expect(index.ensureIndex()).resolves.toBeUndefined();
  });

  it('fails on any other error', async () => {
    reply(403, 'error-forbidden.json');
    await expect(index.ensureIndex()).rejects.toMatchObject({ name: 'ResponseError', statusCode: 403 });
  });
});

describe('upsert', () => {
  it('indexes the listing and its derived attribute fields under external versioning', async () => {
    reply(201, 'index-created.json');
    await index.upsert(jacket);

    expect(onlyRequest()).toEqual({
      method: 'PUT',
      path: `/listings/_doc/${jacket.id}`,
      query: { version: '3', version_type: 'external' },
      body: {
        ...jacket,
        attr_values: ['brown', 'M', 'leather'],
        attr_kv: ['color=brown', 'size=M', 'material=leather'],
      },
    });
  });

  it('sends only the fields the mapping knows, even if the caller passes more', async () => {
    reply(201, 'index-created.json');
    await index.upsert({ ...jacket, images: ['https://img.example/1.jpg'] } as ListingDocument);
    expect(onlyRequest().body).not.toHaveProperty('images');
  });

  it('ignores a version the index already holds or has passed (409)', async () => {
    reply(409, 'error-version-conflict.json');
    await expect(index.upsert(jacket)).resolves.toBeUndefined();
  });

  it('fails on any other error', async () => {
    reply(400, 'error-strict-dynamic-mapping.json');
    await expect(index.upsert(jacket)).rejects.toThrow(/strict_dynamic_mapping_exception/);
  });
});

describe('remove', () => {
  it('deletes under external versioning', async () => {
    reply(200, 'delete-deleted.json');
    await index.remove(jacket.id, 4);

    expect(onlyRequest()).toEqual({
      method: 'DELETE',
      path: `/listings/_doc/${jacket.id}`,
      query: { version: '4', version_type: 'external' },
      body: undefined,
    });
  });

  it.each([
    ['the listing is not indexed', 404, 'delete-not-found.json'],
    ['the index does not exist', 404, 'error-index-not-found.json'],
    ['the index holds a newer version', 409, 'error-version-conflict.json'],
  ])('succeeds when %s', async (_case, status, fixtureName) => {
    reply(status, fixtureName);
    await expect(index.remove(jacket.id, 4)).resolves.toBeUndefined();
  });

  it('fails on any other error', async () => {
    reply(403, 'error-forbidden.json');
    await expect(index.remove(jacket.id, 4)).rejects.toMatchObject({ statusCode: 403 });
  });
});

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
    await index.search(query);
    const request = onlyRequest();
    expect(request).toMatchObject({ method: 'POST', path: '/listings/_search' });
    return request.body as Record<string, unknown>;
  }

  it('without text or filters: match_all, relevance order, one hit beyond the page, every facet', async () => {
    expect(await searchBody({ sort: 'relevance', limit: 20 })).toEqual({
      query: { bool: { filter: [], must: [{ match_all: {} }] } },
      sort: [{ _score: { order: 'desc' } }, { id: 'asc' }],
      size: 21,
      track_total_hits: true,
      aggs: facetAggregations,
    });
  });

  it('with text: every word in the listing, prefix and typo tolerant, title weighing most', async () => {
    const body = await searchBody({ text: '  leather jack ', sort: 'relevance', limit: 10 });
    expect(body.query).toEqual({
      bool: {
        filter: [],
        must: [
          {
            bool: {
              should: [
                {
                  multi_match: {
                    query: 'leather jack',
                    type: 'bool_prefix',
                    fields: ['search_text', 'search_text._2gram', 'search_text._3gram'],
                    operator: 'and',
                    fuzziness: 'AUTO',
                  },
                },
                { match: { search_text: { query: 'leather jack', operator: 'and', fuzziness: 'AUTO' } } },
              ],
              minimum_should_match: 1,
            },
          },
        ],
        should: [
          {
            multi_match: {
              query: 'leather jack',
              fields: ['title^3', 'description', 'attr_values^1.5'],
              fuzziness: 'AUTO',
            },
          },
        ],
      },
    });
  });

  it('puts every filter in filter context, attribute values ORed within and ANDed across attributes', async () => {
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
          { terms: { category: ['clothing/coats', 'clothing/jackets'] } },
          { term: { currency: 'EUR' } },
          { range: { price: { gte: 5_000, lte: 30_000 } } },
          { terms: { attr_kv: ['color=black'] } },
          { terms: { attr_kv: ['size=L', 'size=M'] } },
          { term: { sellerId: 'seller-anna' } },
          { range: { rating: { gte: 4 } } },
          { range: { stock: { gt: 0 } } },
        ],
        must: [{ match_all: {} }],
      },
    });
  });

  it('sends a one-sided price range with only its bound', async () => {
    const body = await searchBody({ priceMax: 2_500, sort: 'relevance', limit: 10 });
    expect(body.query).toEqual({
      bool: { filter: [{ range: { price: { lte: 2_500 } } }], must: [{ match_all: {} }] },
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
    expect(body.query).toEqual({ bool: { filter: [], must: [{ match_all: {} }] } });
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

describe('search result', () => {
  const query: SearchQuery = { text: 'leather jacket', sort: 'relevance', limit: 2 };

  it('maps hits back to listings, total and facets from one response', async () => {
    reply(200, 'search-leather-jacket.json');
    const result = await index.search(query);

    expect(result.hits).toEqual([
      jacket,
      {
        id: '5d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6',
        sellerId: 'seller-ben',
        title: 'Black leather biker jacket',
        description: 'Heavy cowhide, asymmetric zip.',
        category: 'clothing/jackets',
        price: 24900,
        currency: 'EUR',
        stock: 4,
        attributes: { color: 'black', size: 'L', brand: 'Schott' },
        publishedAt: '2025-02-11T08:00:00.000Z',
        version: 1,
      },
    ]);
    expect(result.hits[1]).not.toHaveProperty('rating');
    expect(result.total).toBe(3);
    expect(result.facets).toEqual({
      categories: [
        { value: 'clothing/jackets', count: 2 },
        { value: 'clothing/accessories', count: 1 },
      ],
      priceBuckets: [
        { from: 0, to: 1_000, count: 0 },
        { from: 1_000, to: 2_500, count: 1 },
        { from: 2_500, to: 5_000, count: 0 },
        { from: 5_000, to: 10_000, count: 0 },
        { from: 10_000, to: 25_000, count: 2 },
        { from: 25_000, to: 50_000, count: 0 },
        { from: 50_000, to: 100_000, count: 0 },
        { from: 100_000, count: 0 },
      ],
      attributes: {
        color: [
          { value: 'black', count: 1 },
          { value: 'brown', count: 1 },
        ],
        size: [
          { value: 'L', count: 1 },
          { value: 'M', count: 1 },
        ],
        material: [{ value: 'leather', count: 1 }],
        brand: [{ value: 'Schott', count: 1 }],
        condition: [],
      },
    });
  });

  it('continues after the last hit of the page with the cursor', async () => {
    reply(200, 'search-leather-jacket.json');
    const { nextCursor } = await index.search(query);
    expect(nextCursor).toEqual(expect.any(String));

    reply(200, 'search-no-hits.json');
    await index.search({ ...query, cursor: nextCursor });
    expect(requests[1]?.body).toMatchObject({
      search_after: [6.0410995, '5d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6'],
      size: 3,
    });
  });

  it('accepts the cursor with the same filters given in another order, and another page size', async () => {
    const filtered = {
      ...query,
      categories: ['a', 'b'],
      attributes: { size: ['M'], color: ['red', 'blue'] },
    };
    reply(200, 'search-leather-jacket.json');
    const { nextCursor } = await index.search(filtered);

    reply(200, 'search-no-hits.json');
    const reordered = {
      ...query,
      categories: ['b', 'a'],
      attributes: { color: ['blue', 'red'], size: ['M'] },
    };
    await expect(index.search({ ...reordered, limit: 50, cursor: nextCursor })).resolves.toBeDefined();
  });

  it('has no cursor when no hit follows the page', async () => {
    reply(200, 'search-leather-jacket.json');
    const result = await index.search({ ...query, limit: 3 });
    expect(result.hits).toHaveLength(3);
    expect(result).not.toHaveProperty('nextCursor');
  });

  it('reports zero-count price buckets and empty facets when nothing matches', async () => {
    reply(200, 'search-no-hits.json');
    expect(await index.search(query)).toEqual(emptyResult);
  });

  it.each<[string, Partial<SearchQuery>]>([
    ['other text', { text: 'leather coat' }],
    ['another filter', { currency: 'USD' }],
    ['another sort', { sort: 'newest' }],
  ])('rejects a cursor made for a query with %s, without calling OpenSearch', async (_case, change) => {
    reply(200, 'search-leather-jacket.json');
    const { nextCursor } = await index.search(query);
    requests.length = 0;

    await expect(index.search({ ...query, ...change, cursor: nextCursor })).rejects.toThrow(
      InvalidCursorError,
    );
    expect(requests).toHaveLength(0);
  });

  it('rejects a malformed cursor', async () => {
    await expect(index.search({ ...query, cursor: 'not-a-cursor' })).rejects.toThrow(InvalidCursorError);
    expect(requests).toHaveLength(0);
  });

  it('rejects a cursor whose values OpenSearch cannot read for the sort (400)', async () => {
    const priced: SearchQuery = { sort: 'price_asc', limit: 2 };
    const forged = encodeCursor(
      ['-Infinity', '0b7c5a4e-8f0d-4a57-9a4e-1c2d3e4f5a61'],
      fingerprintOf(searchCriteria(priced)),
    );
    reply(400, 'error-search-after-unparsable.json');

    await expect(index.search({ ...priced, cursor: forged })).rejects.toThrow(InvalidCursorError);
    expect(onlyRequest().body).toMatchObject({
      search_after: ['-Infinity', '0b7c5a4e-8f0d-4a57-9a4e-1c2d3e4f5a61'],
    });
  });

  it('propagates a 400 when no cursor was sent', async () => {
    reply(400, 'error-search-after-unparsable.json');
    await expect(index.search(query)).rejects.toMatchObject({ name: 'ResponseError', statusCode: 400 });
  });

  it('finds nothing, rather than failing, before the index exists', async () => {
    reply(404, 'error-index-not-found.json');
    expect(await index.search(query)).toEqual(emptyResult);
  });

  it('propagates any other error', async () => {
    reply(500, 'error-search-phase-execution.json');
    await expect(index.search(query)).rejects.toMatchObject({
      name: 'ResponseError',
      statusCode: 500,
      message: expect.stringContaining('search_phase_execution_exception'),
    });
  });
});
