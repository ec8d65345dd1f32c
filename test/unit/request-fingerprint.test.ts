import { describe, expect, it } from 'vitest';
import { canonicalJson, requestFingerprint } from '#shared/app/idempotency/request-fingerprint.ts';

const route = { method: 'POST', path: '/orders/{orderId}/refunds' };
const request = {
  params: { orderId: 'o-1' },
  query: undefined,
  body: { lines: [{ line: 0, amount: 500 }], reason: 'damaged' },
};

describe('requestFingerprint', () => {
  it('is the same for the same request, whatever the order of its members', () => {
    const reordered = {
      body: { reason: 'damaged', lines: [{ amount: 500, line: 0 }] },
      params: { orderId: 'o-1' },
      query: undefined,
    };
    expect(requestFingerprint(route, reordered)).toBe(requestFingerprint(route, request));
  });

  it('differs for another body, another path parameter or another route', () => {
    const fingerprint = requestFingerprint(route, request);
    const others = [
      requestFingerprint(route, { ...request, body: { ...request.body, reason: 'late' } }),
      requestFingerprint(route, { ...request, body: { lines: [{ line: 0, amount: 501 }] } }),
      requestFingerprint(route, { ...request, params: { orderId: 'o-2' } }),
      requestFingerprint({ method: 'POST', path: '/checkouts' }, request),
    ];
    expect(new Set([fingerprint, ...others]).size).toBe(5);
  });

  it('keeps the order of arrays: the lines of a cart are not a set', () => {
    const swapped = {
      ...request,
      body: {
        lines: [
          { line: 1, amount: 1 },
          { line: 0, amount: 2 },
        ],
      },
    };
    const kept = {
      ...request,
      body: {
        lines: [
          { line: 0, amount: 2 },
          { line: 1, amount: 1 },
        ],
      },
    };
    expect(requestFingerprint(route, swapped)).not.toBe(requestFingerprint(route, kept));
  });
});

describe('canonicalJson', () => {
  it('sorts keys at every depth, leaves out undefined members and keeps values exact', () => {
    expect(canonicalJson({ b: { d: 1, c: [true, null] }, a: 'x', e: undefined })).toBe(
      '{"a":"x","b":{"c":[true,null],"d":1}}',
    );
    // A member a client names __proto__ is data like any other.
    expect(canonicalJson(JSON.parse('{"__proto__":{"a":1}}'))).toBe('{"__proto__":{"a":1}}');
  });
});
