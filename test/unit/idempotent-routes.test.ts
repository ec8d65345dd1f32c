import { describe, expect, it } from 'vitest';
import { routeList, routes } from '#functions/routes.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { headerNames } from '#shared/http/route.ts';

describe('idempotent routes', () => {
  it('are exactly the routes that take an Idempotency-Key', () => {
    for (const route of routeList) {
      const takesKey = headerNames(route).includes('idempotency-key');
      expect(Boolean(route.idempotent), `${route.method} ${route.path}`).toBe(takesKey);
    }
  });

  it('cannot be served by a plain httpHandler, which would skip the key', () => {
    expect(() => httpHandler(routes.placeCheckout, async () => ({ status: 201 }))).toThrow(
      /idempotentHandler/,
    );
  });
});
