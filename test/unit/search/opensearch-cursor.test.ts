import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, fingerprintOf } from '#shared/search/opensearch/cursor.ts';
import { InvalidCursorError } from '#shared/search/port.ts';

const criteria = { query: { match_all: {} }, sort: [{ price: 'asc' }, { id: 'asc' }] };
const fingerprint = fingerprintOf(criteria);
const priceSort = ['price', 'id'];

describe('search cursor', () => {
  it('gives back the sort values it was made from, as an opaque URL-safe string', () => {
    const after = [12_900, '0b7c5a4e-8f0d-4a57-9a4e-1c2d3e4f5a61'];
    const cursor = encodeCursor(after, fingerprint);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, fingerprint, priceSort)).toEqual(after);
  });

  it('keeps the infinities OpenSearch writes as strings for a missing float sorted last', () => {
    for (const infinity of ['-Infinity', 'Infinity']) {
      const after = [infinity, 'c0ffee00-0000-4000-8000-000000000000'];
      expect(decodeCursor(encodeCursor(after, fingerprint), fingerprint, ['rating', 'id'])).toEqual(after);
    }
  });

  it('fingerprints equal criteria alike and different criteria apart', () => {
    expect(fingerprintOf(structuredClone(criteria))).toBe(fingerprint);
    expect(fingerprintOf({ ...criteria, sort: [{ price: 'desc' }, { id: 'asc' }] })).not.toBe(fingerprint);
  });

  it('rejects a cursor made for other criteria', () => {
    const cursor = encodeCursor(
      [1, 'a'],
      fingerprintOf({ ...criteria, query: { term: { currency: 'EUR' } } }),
    );
    expect(() => decodeCursor(cursor, fingerprint, priceSort)).toThrow(InvalidCursorError);
  });

  it('rejects a cursor whose values do not fit the sort', () => {
    expect(() => decodeCursor(encodeCursor([1], fingerprint), fingerprint, priceSort)).toThrow(
      InvalidCursorError,
    );
  });

  it.each<[string, string[], (string | number)[]]>([
    ['a relevance score and an id', ['_score', 'id'], [7.3124266, 'a']],
    ['epoch millis and an id', ['publishedAt', 'id'], [1_740_910_500_000, 'a']],
    ['a rating and an id', ['rating', 'id'], [4.5, 'a']],
  ])('keeps every kind of value OpenSearch returns: %s', (_case, sort, after) => {
    expect(decodeCursor(encodeCursor(after, fingerprint), fingerprint, sort)).toEqual(after);
  });

  it.each<[string, string[], unknown[]]>([
    ['a string for a numeric key', priceSort, ['12900', 'a']],
    ['a word for a numeric key', priceSort, ['cheap', 'a']],
    ['a number for the id', priceSort, [12_900, 42]],
    ['an infinity for the price, which is no float', priceSort, ['-Infinity', 'a']],
    ['an infinity for the date, which OpenSearch cannot parse', ['publishedAt', 'id'], ['Infinity', 'a']],
    ['no values at all', [], []],
  ])('rejects forged values of the wrong type: %s', (_case, sort, after) => {
    const forged = Buffer.from(JSON.stringify({ fingerprint, after })).toString('base64url');
    expect(() => decodeCursor(forged, fingerprint, sort)).toThrow(InvalidCursorError);
  });

  it('rejects a number too large to be finite', () => {
    const forged = Buffer.from(`{"fingerprint":"${fingerprint}","after":[1e999,"a"]}`).toString('base64url');
    expect(() => decodeCursor(forged, fingerprint, priceSort)).toThrow(InvalidCursorError);
  });

  it.each([
    ['empty', ''],
    ['not base64url', '%%%'],
    ['not JSON', Buffer.from('page 2').toString('base64url')],
    ['JSON of another shape', Buffer.from('[1,"a"]').toString('base64url')],
    [
      'values of the wrong type',
      Buffer.from(JSON.stringify({ fingerprint, after: [{}, null] })).toString('base64url'),
    ],
  ])('rejects a malformed cursor: %s', (_case, cursor) => {
    expect(() => decodeCursor(cursor, fingerprint, priceSort)).toThrow(InvalidCursorError);
  });
});
