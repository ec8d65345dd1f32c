import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestApi } from '../support/api.ts';
import { eventually } from '../support/eventually.ts';
import { lampContent } from '../support/fixtures.ts';
import { onboardSeller } from '../support/sellers.ts';

let api: TestApi;
let alice: string;
const published: Record<string, string> = {};

async function publish(key: string, content: typeof lampContent) {
  const created = await api.call('POST', '/listings', { token: alice, body: content });
  expect((await api.call('POST', `/listings/${created.body.id}/publish`, { token: alice })).status).toBe(200);
  published[key] = created.body.id;
}

const searchIds = async (parameters: string) => {
  const response = await api.call('GET', `/search?${parameters}`);
  expect(response.status).toBe(200);
  return (response.body.items as { id: string }[]).map((item) => item.id).sort();
};

beforeAll(async () => {
  api = await TestApi.start();
  alice = await api.token('alice', 'seller');
  await onboardSeller(api, alice);
  await publish('brass', lampContent);
  await publish('walnut', {
    ...lampContent,
    title: 'Walnut floor lamp',
    price: { amount: 12900, currency: 'EUR' },
    attributes: { color: 'brown', material: 'walnut' },
  });
  await publish('shirt', {
    ...lampContent,
    title: 'Linen shirt',
    description: 'Breathable',
    category: 'fashion/shirts',
    price: { amount: 3900, currency: 'EUR' },
    stock: 0,
    attributes: { color: 'white', size: 'M' },
  });
  await publish('insoles', {
    ...lampContent,
    title: 'Gel insoles',
    description: 'Cushioning for long days.',
    category: 'medical/insoles',
    price: { amount: 1500, currency: 'EUR' },
    attributes: { color: 'blue' },
  });
  // The draft is written before the sentinel, so once the sentinel is searchable the indexer has
  // read the draft's record too (see "never drafts").
  await api.call('POST', '/listings', {
    token: alice,
    body: { ...lampContent, title: 'Draft lamp never published' },
  });
  await publish('sentinel', {
    ...lampContent,
    title: 'Sentinel vase',
    description: 'Stoneware, thrown by hand.',
    category: 'home/vases',
    price: { amount: 20000, currency: 'EUR' },
    attributes: { color: 'green', material: 'stoneware' },
  });
});
afterAll(() => api.stop());

describe('catalog search over HTTP, fed by the table stream', () => {
  it('finds published listings by text within moments of publishing, and never drafts', async () => {
    await eventually(async () => expect(await searchIds('q=sentinel')).toEqual([published.sentinel]));
    expect(await searchIds('q=lamp')).toEqual([published.brass, published.walnut].sort());
  });

  it('filters, sorts and counts facets over all matches', async () => {
    await eventually(async () => expect(await searchIds('q=shirt')).toEqual([published.shirt]));
    const response = await api.call(
      'GET',
      '/search?currency=EUR&price_min=3000&price_max=5000&sort=price_asc&limit=1',
    );
    expect(response.body.items.map((item: { id: string }) => item.id)).toEqual([published.shirt]);
    expect(response.body.total).toBe(2);
    expect(response.body.items[0].price).toEqual({ amount: 3900, currency: 'EUR' });
    expect(response.body.facets.categories).toEqual([
      { value: 'fashion/shirts', count: 1 },
      { value: 'home/lamps', count: 1 },
    ]);
    expect(response.body.nextCursor).toBeDefined();

    const next = await api.call(
      'GET',
      `/search?currency=EUR&price_min=3000&price_max=5000&sort=price_asc&limit=1&cursor=${response.body.nextCursor}`,
    );
    expect(next.body.items.map((item: { id: string }) => item.id)).toEqual([published.brass]);

    expect(await searchIds('attr=color:brown,color:white&in_stock=true')).toEqual([published.walnut]);
    expect(await searchIds('category=fashion/shirts,home/tables')).toEqual([published.shirt]);
  });

  it('finds a listing by any category above its own', async () => {
    expect(await searchIds('category=medical')).toEqual([published.insoles]);
    expect(await searchIds('category=medical/insoles')).toEqual([published.insoles]);
    expect(await searchIds('category=medic')).toEqual([]);
  });

  it('drops a listing from results once it is unpublished', async () => {
    await api.call('POST', `/listings/${published.walnut}/unpublish`, { token: alice });
    await eventually(async () => expect(await searchIds('q=walnut')).toEqual([]));
  });

  it('rejects invalid parameters with a problem naming them', async () => {
    const cases: [string, string][] = [
      ['sort=cheapest', 'query.sort'],
      ['price_min=10', 'query.currency'],
      ['currency=EUR&price_min=500&price_max=100', 'query.price_min'],
      ['attr=color', 'query.attr.0'],
      ['limit=0', 'query.limit'],
      ['currency=EUR&price_max=', 'query.price_max'],
      ['currency=EUR&price_min=0x10', 'query.price_min'],
      ['min_rating=%20', 'query.min_rating'],
      ['colour=red', 'query.colour'],
      ['cursor=bm90LWEtY3Vyc29y', 'query.cursor'],
    ];
    for (const [parameters, field] of cases) {
      const response = await api.call('GET', `/search?${parameters}`);
      expect(response.status, parameters).toBe(400);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect(
        response.body.errors.map((error: { field: string }) => error.field),
        parameters,
      ).toContain(field);
    }
  });
});
