import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, queryFingerprint } from '#shared/search/embedded/search-cursor.ts';
import { InvalidCursorError, type SearchQuery } from '#shared/search/port.ts';

const query: SearchQuery = {
  text: 'Desk lamp',
  categories: ['home/lamps', 'home/desks'],
  attributes: { color: ['gold', 'white'], material: ['brass'] },
  priceMax: 5000,
  sort: 'price_asc',
  limit: 20,
};

const fingerprint = queryFingerprint(query);
const encoded = (payload: unknown) => Buffer.from(JSON.stringify(payload)).toString('base64url');

describe('the search cursor', () => {
  it('gives back the sort key it was made from, to the query it was made for', () => {
    const cursor = encodeCursor(fingerprint, { rank: 4999.5, id: 'l1' });
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, fingerprint)).toEqual({ rank: 4999.5, id: 'l1' });
  });

  it('belongs to the same query whatever the order of its lists, the case of its text or the page size', () => {
    const reordered: SearchQuery = {
      ...query,
      text: '  desk   LAMP ',
      categories: ['home/desks', 'home/lamps'],
      attributes: { material: ['brass'], color: ['white', 'gold'] },
      limit: 50,
    };
    expect(queryFingerprint(reordered)).toBe(queryFingerprint(query));
  });

  it.each<[string, Partial<SearchQuery>]>([
    ['another sort', { sort: 'newest' }],
    ['other text', { text: 'desk lamps' }],
    ['another filter value', { priceMax: 5001 }],
    ['another attribute value', { attributes: { color: ['gold'], material: ['brass'] } }],
    ['an added filter', { inStock: true }],
  ])('is refused by a query with %s', (_, change) => {
    const cursor = encodeCursor(fingerprint, { rank: 1, id: 'l1' });
    expect(() => decodeCursor(cursor, queryFingerprint({ ...query, ...change }))).toThrow(InvalidCursorError);
  });

  it.each([
    ['garbage', 'not-a-cursor'],
    ['JSON of another shape', encoded({ rank: 1, id: 'l1' })],
    ['a rank that is not a number', encoded([fingerprint, '1', 'l1'])],
    ['an id that is not a string', encoded([fingerprint, 1, 1])],
    ['an empty string', ''],
  ])('refuses %s', (_, cursor) => {
    expect(() => decodeCursor(cursor, fingerprint)).toThrow(InvalidCursorError);
  });
});
