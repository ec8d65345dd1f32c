import { createHash } from 'node:crypto';
import * as z from 'zod';
import { InvalidCursorError } from '../port.ts';
import { listingIndexDefinition } from './mapping.ts';

/** The sort values of a hit, as OpenSearch returns them and takes them back in `search_after`. */
export type SortValues = readonly (string | number)[];

/**
 * A short hash of what selects and orders the results (the query and the sort sent to OpenSearch),
 * so a cursor cannot resume a different search. The page size is left out: it may change between pages.
 */
export function fingerprintOf(criteria: object): string {
  return createHash('sha256').update(JSON.stringify(criteria)).digest('base64url').slice(0, 22);
}

/**
 * Infinite sort values, which JSON cannot hold as numbers, so OpenSearch writes them as strings: the
 * stand-in for a missing float sorted `missing: _last` (`-Infinity` descending, `Infinity` ascending),
 * as the rating sort does for unrated listings. OpenSearch reads them back only for a float (the score
 * or a float field); for the date they are a parse error that does not name `search_after`.
 */
const infiniteSortValues: ReadonlySet<unknown> = new Set(['-Infinity', 'Infinity']);

const isFloatSort = (field: string) =>
  field === '_score' ||
  (listingIndexDefinition.mappings.properties as Record<string, { type: string }>)[field]?.type === 'float';

const isSortValueOf = (field: string, value: unknown) =>
  (typeof value === 'number' && Number.isFinite(value)) ||
  (isFloatSort(field) && infiniteSortValues.has(value));

/**
 * Every sort ends on the `id` keyword; the keys before it (`_score`, price, publishedAt as epoch
 * millis, rating) are numbers. A value of any other type would reach OpenSearch as a `search_after`
 * it cannot parse.
 */
const fitsSort = (after: SortValues, sortFields: readonly string[]) =>
  after.length === sortFields.length &&
  typeof after.at(-1) === 'string' &&
  sortFields.slice(0, -1).every((field, position) => isSortValueOf(field, after[position]));

const cursorContent = z.object({
  fingerprint: z.string(),
  after: z.array(z.union([z.string(), z.number()])),
});

export function encodeCursor(after: SortValues, fingerprint: string): string {
  return Buffer.from(JSON.stringify({ fingerprint, after }), 'utf8').toString('base64url');
}

/**
 * The `search_after` values of a cursor made by `encodeCursor` for the same fingerprint, checked against
 * the fields of the sort (`_score` for relevance).
 */
export function decodeCursor(cursor: string, fingerprint: string, sortFields: readonly string[]): SortValues {
  const content = cursorContent.safeParse(parseJson(Buffer.from(cursor, 'base64url').toString('utf8')));
  if (
    !content.success ||
    content.data.fingerprint !== fingerprint ||
    !fitsSort(content.data.after, sortFields)
  ) {
    throw new InvalidCursorError();
  }
  return content.data.after;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
