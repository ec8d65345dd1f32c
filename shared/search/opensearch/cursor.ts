import { createHash } from 'node:crypto';
import { z } from 'zod';
import { InvalidCursorError } from '../port.ts';

/** The sort values of a hit, as OpenSearch returns them and takes them back in `search_after`. */
export type SortValues = readonly (string | number)[];

/**
 * A short hash of what selects and orders the results (the query and the sort sent to OpenSearch),
 * so a cursor cannot resume a different search. The page size is left out: it may change between pages.
 */
export function fingerprintOf(criteria: object): string {
  return createHash('sha256').update(JSON.stringify(criteria)).digest('base64url').slice(0, 22);
}

const cursorContent = z.object({
  fingerprint: z.string(),
  after: z.array(z.union([z.string(), z.number()])),
});

export function encodeCursor(after: SortValues, fingerprint: string): string {
  return Buffer.from(JSON.stringify({ fingerprint, after }), 'utf8').toString('base64url');
}

/** The `search_after` values of a cursor made by `encodeCursor` for the same fingerprint and sort. */
export function decodeCursor(cursor: string, fingerprint: string, sortLength: number): SortValues {
  const content = cursorContent.safeParse(parseJson(Buffer.from(cursor, 'base64url').toString('utf8')));
  if (
    !content.success ||
    content.data.fingerprint !== fingerprint ||
    content.data.after.length !== sortLength
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
