import { createHash } from 'node:crypto';
import { InvalidCursorError, type SearchQuery } from '../port.ts';
import type { SortKey } from './listing-order.ts';
import { queryTerms } from './text-analysis.ts';

const sortedUnique = (values: readonly string[] | undefined) =>
  values === undefined || values.length === 0 ? undefined : [...new Set(values)].sort();

/**
 * Identifies what a query asks for, whatever the order of its lists or the spelling of its text, so a
 * cursor is accepted by the same query only. The page size is left out: it may change between pages.
 */
export function queryFingerprint(query: SearchQuery): string {
  const attributes = Object.entries(query.attributes ?? {})
    .map(([name, values]) => [name, sortedUnique(values)] as const)
    .filter(([, values]) => values !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : 1));
  const canonical = [
    queryTerms(query.text ?? ''),
    sortedUnique(query.categories),
    query.currency,
    query.priceMin,
    query.priceMax,
    attributes,
    query.sellerId,
    query.minRating,
    query.inStock === true,
    query.sort,
  ];
  return createHash('sha256').update(JSON.stringify(canonical)).digest('base64url').slice(0, 16);
}

/** An opaque cursor: the sort key of the last hit returned and the fingerprint of its query. */
export function encodeCursor(fingerprint: string, after: SortKey): string {
  return Buffer.from(JSON.stringify([fingerprint, after.rank, after.id]), 'utf8').toString('base64url');
}

function parse(cursor: string): unknown {
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

/** The sort key to resume after; throws `InvalidCursorError` for garbage or another query's cursor. */
export function decodeCursor(cursor: string, fingerprint: string): SortKey {
  const payload = parse(cursor);
  if (!Array.isArray(payload) || payload.length !== 3) throw new InvalidCursorError();
  const [cursorFingerprint, rank, id] = payload as unknown[];
  if (cursorFingerprint !== fingerprint || typeof id !== 'string') throw new InvalidCursorError();
  if (typeof rank !== 'number' || !Number.isFinite(rank)) throw new InvalidCursorError();
  return { rank, id };
}
