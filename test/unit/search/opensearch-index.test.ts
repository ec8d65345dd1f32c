import { describe, expect, it } from 'vitest';
import { encodeCursor, fingerprintOf } from '#shared/search/opensearch/cursor.ts';
import { searchCriteria } from '#shared/search/opensearch/query.ts';
import {
  InvalidCursorError,
  type ListingDocument,
  type SearchQuery,
  type SearchResult,
} from '#shared/search/port.ts';
import { useFakeOpenSearch } from '../../search/fake-opensearch.ts';

const { requests, reply, onlyRequest, index } = useFakeOpenSearch();

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
  const settings = {
    // A replica only where a second data node can hold it: one node stays green.
    index: { auto_expand_replicas: '0-1' },
    analysis: {
      analyzer: {
        folded: { type: 'custom', tokenizer: 'standard', filter: ['lowercase', 'asciifolding'] },
      },
    },
  };
  const mappings = {
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
      deleted: { type: 'boolean' },
      search_text: { type: 'search_as_you_type', analyzer: 'folded' },
    },
  };

  it('installs a template for the index name, then creates the index from it', async () => {
    reply(200, 'acknowledged.json');
    reply(200, 'create-index.json');
    await index().ensureIndex();

    // A write that reaches a missing index creates it: from the template, never with guessed mappings.
    // The client sends the template and a mapping update as POST (both methods are accepted).
    expect(requests).toEqual([
      {
        method: 'POST',
        path: '/_index_template/listings',
        query: {},
        body: { index_patterns: ['listings'], template: { settings, mappings } },
      },
      { method: 'PUT', path: '/listings', query: {}, body: undefined },
    ]);
  });

  it('brings the mapping and dynamic settings of an existing index up to date', async () => {
    reply(200, 'acknowledged.json');
    reply(400, 'error-resource-already-exists.json');
    reply(200, 'acknowledged.json');
    reply(200, 'acknowledged.json');
    await expect(index().ensureIndex()).resolves.toBeUndefined();

    expect(requests.slice(2)).toEqual([
      { method: 'POST', path: '/listings/_mapping', query: {}, body: mappings },
      { method: 'PUT', path: '/listings/_settings', query: {}, body: { index: settings.index } },
    ]);
  });

  it('fails when the existing index cannot take the mapping, as one created with guessed mappings', async () => {
    reply(200, 'acknowledged.json');
    reply(400, 'error-resource-already-exists.json');
    reply(400, 'error-mapper-conflict.json');
    await expect(index().ensureIndex()).rejects.toThrow(/mapper \[id\] cannot be changed/);
  });

  it('fails on any other error', async () => {
    reply(403, 'error-forbidden.json');
    await expect(index().ensureIndex()).rejects.toMatchObject({
      name: 'ResponseError',
      statusCode: 403,
    });
    expect(requests).toHaveLength(1);
  });
});

describe('upsert', () => {
  it('indexes the listing and its derived attribute fields under external versioning', async () => {
    reply(201, 'index-created.json');
    await index().upsert(jacket);

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
    await index().upsert({ ...jacket, images: ['https://img.example/1.jpg'] } as ListingDocument);
    expect(onlyRequest().body).not.toHaveProperty('images');
  });

  it('ignores a version the index already holds or has passed (409)', async () => {
    reply(409, 'error-version-conflict.json');
    await expect(index().upsert(jacket)).resolves.toBeUndefined();
  });

  it('fails on any other error', async () => {
    reply(400, 'error-strict-dynamic-mapping.json');
    await expect(index().upsert(jacket)).rejects.toThrow(/strict_dynamic_mapping_exception/);
  });
});

describe('remove', () => {
  it('indexes a tombstone under external versioning, which outlives restarts and keeps refusing older writes', async () => {
    reply(201, 'index-created.json');
    await index().remove(jacket.id, 4);

    expect(onlyRequest()).toEqual({
      method: 'PUT',
      path: `/listings/_doc/${jacket.id}`,
      query: { version: '4', version_type: 'external' },
      body: { id: jacket.id, version: 4, deleted: true },
    });
  });

  it('ignores a version the index already holds or has passed (409)', async () => {
    reply(409, 'error-version-conflict.json');
    await expect(index().remove(jacket.id, 4)).resolves.toBeUndefined();
  });

  it('fails on any other error', async () => {
    reply(403, 'error-forbidden.json');
    await expect(index().remove(jacket.id, 4)).rejects.toMatchObject({ statusCode: 403 });
  });
});

describe('search result', () => {
  const query: SearchQuery = { text: 'leather jacket', sort: 'relevance', limit: 2 };

  it('maps hits back to listings, total and facets from one response', async () => {
    reply(200, 'search-leather-jacket.json');
    const result = await index().search(query);

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
    const { nextCursor } = await index().search(query);
    expect(nextCursor).toEqual(expect.any(String));

    reply(200, 'search-no-hits.json');
    await index().search({ ...query, cursor: nextCursor });
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
    const { nextCursor } = await index().search(filtered);

    reply(200, 'search-no-hits.json');
    const reordered = {
      ...query,
      categories: ['b', 'a'],
      attributes: { color: ['blue', 'red'], size: ['M'] },
    };
    await expect(index().search({ ...reordered, limit: 50, cursor: nextCursor })).resolves.toBeDefined();
  });

  it('has no cursor when no hit follows the page', async () => {
    reply(200, 'search-leather-jacket.json');
    const result = await index().search({ ...query, limit: 3 });
    expect(result.hits).toHaveLength(3);
    expect(result).not.toHaveProperty('nextCursor');
  });

  it('reports zero-count price buckets and empty facets when nothing matches', async () => {
    reply(200, 'search-no-hits.json');
    expect(await index().search(query)).toEqual(emptyResult);
  });

  it.each<[string, Partial<SearchQuery>]>([
    ['other text', { text: 'leather coat' }],
    ['another filter', { currency: 'USD' }],
    ['another sort', { sort: 'newest' }],
  ])('rejects a cursor made for a query with %s, without calling OpenSearch', async (_case, change) => {
    reply(200, 'search-leather-jacket.json');
    const { nextCursor } = await index().search(query);
    requests.length = 0;

    await expect(index().search({ ...query, ...change, cursor: nextCursor })).rejects.toThrow(
      InvalidCursorError,
    );
    expect(requests).toHaveLength(0);
  });

  it('rejects a malformed cursor', async () => {
    await expect(index().search({ ...query, cursor: 'not-a-cursor' })).rejects.toThrow(InvalidCursorError);
    expect(requests).toHaveLength(0);
  });

  it('rejects a cursor that OpenSearch refuses as search_after (400)', async () => {
    const priced: SearchQuery = { sort: 'price_asc', limit: 2 };
    const after = [12_900, '0b7c5a4e-8f0d-4a57-9a4e-1c2d3e4f5a61'];
    const cursor = encodeCursor(after, fingerprintOf(searchCriteria(priced)));
    reply(400, 'error-search-after-unparsable.json');

    await expect(index().search({ ...priced, cursor })).rejects.toThrow(InvalidCursorError);
    expect(onlyRequest().body).toMatchObject({ search_after: after });
  });

  it('propagates any other 400, cursor or not: the cursor is not at fault', async () => {
    const newest: SearchQuery = { sort: 'newest', limit: 2 };
    const cursor = encodeCursor([1_740_910_500_000, 'a'], fingerprintOf(searchCriteria(newest)));
    // What an index created with guessed mappings (id as text) answers to any sorted search.
    reply(400, 'error-sort-on-text-field.json');

    await expect(index().search({ ...newest, cursor })).rejects.toMatchObject({
      name: 'ResponseError',
      statusCode: 400,
    });
  });

  it('rejects, without calling OpenSearch, an infinite value for a sort key OpenSearch would fail to parse', async () => {
    // Only a float (the score, the rating) takes an infinity back; for the date it is a parse error
    // whose message does not name search_after.
    const newest: SearchQuery = { sort: 'newest', limit: 2 };
    const forged = encodeCursor(['Infinity', 'a'], fingerprintOf(searchCriteria(newest)));

    await expect(index().search({ ...newest, cursor: forged })).rejects.toThrow(InvalidCursorError);
    expect(requests).toHaveLength(0);
  });

  it('propagates a 400 when no cursor was sent', async () => {
    reply(400, 'error-search-after-unparsable.json');
    await expect(index().search(query)).rejects.toMatchObject({
      name: 'ResponseError',
      statusCode: 400,
    });
  });

  it('finds nothing, rather than failing, before the index exists', async () => {
    reply(404, 'error-index-not-found.json');
    expect(await index().search(query)).toEqual(emptyResult);
  });

  it('propagates any other error', async () => {
    reply(500, 'error-search-phase-execution.json');
    await expect(index().search(query)).rejects.toMatchObject({
      name: 'ResponseError',
      statusCode: 500,
      message: expect.stringContaining('search_phase_execution_exception'),
    });
  });
});
