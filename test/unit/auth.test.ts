import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { routes } from '#functions/routes.ts';
import { authorize, parseGroupsClaim } from '#shared/http/auth.ts';
import type { Problem } from '#shared/http/problem.ts';

const eventWithClaims = (claims?: Record<string, string>) =>
  ({
    requestContext: claims ? { authorizer: { jwt: { claims } } } : {},
  }) as unknown as APIGatewayProxyEventV2;

describe('parseGroupsClaim', () => {
  it.each([
    ['[seller admin]', ['seller', 'admin']],
    ['[seller]', ['seller']],
    ['seller', ['seller']],
    ['[]', []],
    [undefined, []],
  ])('reads %j', (claim, groups) => {
    expect(parseGroupsClaim(claim)).toEqual(groups);
  });

  it('accepts a real array too', () => {
    expect(parseGroupsClaim(['buyer', 'finance'])).toEqual(['buyer', 'finance']);
  });
});

describe('authorize', () => {
  it('lets anyone call public routes', () => {
    expect(authorize(routes.getListing, eventWithClaims())).toBeUndefined();
  });

  it('returns the caller when a group matches the route', () => {
    const caller = authorize(
      routes.createListing,
      eventWithClaims({ sub: 'alice', 'cognito:groups': '[buyer seller]' }),
    );
    expect(caller).toEqual({ userId: 'alice', roles: ['buyer', 'seller'] });
  });

  it('ignores groups that are not marketplace roles', () => {
    const caller = authorize(
      routes.createListing,
      eventWithClaims({ sub: 'alice', 'cognito:groups': '[seller staff]' }),
    );
    expect(caller?.roles).toEqual(['seller']);
  });

  it('refuses callers without the role with 403, and requests without claims with 401', () => {
    const statusOf = (event: APIGatewayProxyEventV2) => {
      try {
        authorize(routes.createListing, event);
        return 'allowed';
      } catch (error) {
        return (error as Problem).status;
      }
    };
    expect(statusOf(eventWithClaims({ sub: 'bob', 'cognito:groups': '[buyer]' }))).toBe(403);
    expect(statusOf(eventWithClaims({ sub: 'bob' }))).toBe(403);
    expect(statusOf(eventWithClaims())).toBe(401);
    expect(statusOf(eventWithClaims({ 'cognito:groups': '[seller]' }))).toBe(401);
  });
});
