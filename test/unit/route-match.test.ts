import { describe, expect, it } from 'vitest';
import { routeList } from '#functions/routes.ts';
import { matchRoute } from '#shared/http/route-match.ts';

describe('matchRoute', () => {
  it('prefers literal segments over parameters, as API Gateway does', () => {
    const match = matchRoute(routeList, 'GET', '/sellers/me');
    expect(match).toMatchObject({ kind: 'found', route: { handler: 'sellers/get-my-profile' }, params: {} });
  });

  it('extracts and decodes path parameters', () => {
    const match = matchRoute(routeList, 'GET', '/sellers/bob%2Dsmith');
    expect(match).toMatchObject({
      kind: 'found',
      route: { handler: 'sellers/get-seller' },
      params: { sellerId: 'bob-smith' },
    });
  });

  it('answers method-not-allowed with the methods the path has', () => {
    const match = matchRoute(routeList, 'DELETE', '/listings/abc');
    expect(match).toEqual({ kind: 'method-not-allowed', allowed: ['GET', 'PATCH'] });
  });

  it('answers not-found for unknown paths and malformed escapes', () => {
    expect(matchRoute(routeList, 'GET', '/nowhere')).toEqual({ kind: 'not-found' });
    expect(matchRoute(routeList, 'GET', '/listings/%E0%A4%A')).toEqual({ kind: 'not-found' });
  });

  it('has no two routes with the same method and path', () => {
    const keys = routeList.map((route) => `${route.method} ${route.path}`);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
