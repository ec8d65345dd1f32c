import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxBodyBytes } from '#shared/http/request.ts';
import { TestApi } from '../support/api.ts';
import { lampContent } from '../support/fixtures.ts';
import { requestHeadersTheApiReads } from '../support/request-headers.ts';

let api: TestApi;
let seller: string;

beforeAll(async () => {
  api = await TestApi.start();
  seller = await api.token('carol', 'seller');
});
afterAll(() => api.stop());

async function listingCount() {
  const response = await api.call('GET', '/sellers/me/listings?limit=100', { token: seller });
  return response.body.items.length as number;
}

function expectProblem(
  response: { status: number; headers: Headers; body: unknown },
  status: number,
  code: string,
) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  expect(response.body).toMatchObject({ type: 'about:blank', status, code });
}

describe('bad input gets a problem naming what was wrong, and changes nothing', () => {
  it('names each invalid field of the body', async () => {
    const response = await api.call('POST', '/listings', {
      token: seller,
      body: { ...lampContent, price: { amount: 12.5, currency: 'eur' }, title: '', colour: 'red' },
    });
    expectProblem(response, 400, 'validation_failed');
    expect(response.body.errors.map((error: { field: string }) => error.field).sort()).toEqual([
      'body.colour',
      'body.price.amount',
      'body.price.currency',
      'body.title',
    ]);
    expect(await listingCount()).toBe(0);
  });

  it.each([
    ['malformed JSON', '{"title": ', 'malformed_json'],
    ['JSON null', 'null', 'validation_failed'],
    ['a JSON array', '[]', 'validation_failed'],
    ['a JSON string', '"lamp"', 'validation_failed'],
    ['an empty body', '', 'validation_failed'],
  ])('rejects %s with 400', async (_, body, code) => {
    const response = await api.call('POST', '/listings', {
      token: seller,
      body,
      headers: { 'content-type': 'application/json' },
    });
    expectProblem(response, 400, code);
  });

  it('rejects a body over the limit with 413', async () => {
    const body = JSON.stringify({ ...lampContent, description: 'x'.repeat(maxBodyBytes) });
    expectProblem(await api.call('POST', '/listings', { token: seller, body }), 413, 'body_too_large');
  });

  it('rejects a body that is not JSON with 415', async () => {
    const response = await api.call('POST', '/listings', {
      token: seller,
      body: 'title=lamp',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expectProblem(response, 415, 'unsupported_media_type');
  });

  it('validates path, query and headers', async () => {
    const badId = await api.call('GET', '/listings/not-a-uuid');
    expectProblem(badId, 400, 'validation_failed');
    expect(badId.body.errors[0].field).toBe('params.listingId');

    const badLimit = await api.call('GET', '/sellers/me/listings?limit=1000', { token: seller });
    expect(badLimit.body.errors[0].field).toBe('query.limit');

    const unknownQuery = await api.call('GET', '/sellers/me/listings?sort=price', { token: seller });
    expect(unknownQuery.body.errors[0].field).toBe('query.sort');

    const badIfMatch = await api.call('PATCH', '/listings/00000000-0000-4000-8000-000000000000', {
      token: seller,
      headers: { 'if-match': 'version-1' },
      body: { stock: 1 },
    });
    expectProblem(badIfMatch, 400, 'validation_failed');
    expect(badIfMatch.body.errors[0].field).toBe('headers.if-match');
  });

  it('rejects an empty change set', async () => {
    const created = await api.call('POST', '/listings', { token: seller, body: lampContent });
    const response = await api.call('PATCH', `/listings/${created.body.id}`, {
      token: seller,
      headers: { 'if-match': '"1"' },
      body: {},
    });
    expectProblem(response, 400, 'validation_failed');
  });
});

describe('routing', () => {
  it('answers an unknown route with 404', async () => {
    expectProblem(await api.call('GET', '/no/such/route'), 404, 'route_not_found');
  });

  it('answers a known path with the wrong method with 405 and Allow', async () => {
    const response = await api.call('DELETE', '/listings');
    expectProblem(response, 405, 'method_not_allowed');
    expect(response.headers.get('allow')).toBe('POST');
  });

  it('serves health and an OpenAPI 3.1 document covering every route', async () => {
    expect((await api.call('GET', '/health')).body).toEqual({ status: 'ok' });
    const { body } = await api.call('GET', '/openapi.json');
    expect(body.openapi).toBe('3.1.0');
    expect(Object.keys(body.paths['/listings/{listingId}']).sort()).toEqual(['get', 'patch']);
    expect(body.paths['/listings'].post.requestBody.content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/NewListing',
    });
    expect(body.components.schemas.NewListing.properties.price).toEqual({
      $ref: '#/components/schemas/Money',
    });
    expect(body.paths['/listings'].post.security).toEqual([{ bearer: [] }]);
    expect(body.paths['/health'].get.security).toEqual([]);
  });
});

describe('CORS, as API Gateway applies it', () => {
  it('answers a preflight from an allowed origin, allowing every header the API reads', async () => {
    expect(requestHeadersTheApiReads).toEqual(expect.arrayContaining(['idempotency-key', 'if-match']));
    const response = await api.call('OPTIONS', '/checkouts', {
      headers: {
        origin: 'https://shop.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': requestHeadersTheApiReads.join(','),
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    expect(response.headers.get('access-control-allow-methods')).toContain('POST');
    const allowed = response.headers.get('access-control-allow-headers')?.split(',') ?? [];
    expect(allowed).toEqual(expect.arrayContaining(requestHeadersTheApiReads));
  });

  it('exposes ETag to allowed origins and says nothing to others', async () => {
    const allowed = await api.call('GET', '/health', { headers: { origin: 'https://shop.example' } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://shop.example');
    expect(allowed.headers.get('access-control-expose-headers')).toContain('etag');
    const other = await api.call('GET', '/health', { headers: { origin: 'https://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('every invalid part of a request is named at once', () => {
  it('reports path, header and body errors together', async () => {
    const response = await api.call('PATCH', '/listings/not-a-uuid', {
      token: seller,
      headers: { 'if-match': 'v1' },
      body: { stock: -1 },
    });
    expectProblem(response, 400, 'validation_failed');
    expect(response.body.errors.map((error: { field: string }) => error.field).sort()).toEqual([
      'body.stock',
      'headers.if-match',
      'params.listingId',
    ]);
  });
});
