// No AWS SDK here: the route table's query schemas validate cursors with this module.

const cursorPattern = /^LISTING#\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z#[0-9a-f-]{36}$/;

/** A page cursor is the sort key of the last listing returned, so it can only resume this seller's list. */
export function decodeListingCursor(cursor: string): { sortKey: string; listingId: string } | undefined {
  const sortKey = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!cursorPattern.test(sortKey)) return undefined;
  return { sortKey, listingId: sortKey.slice(-36) };
}

export const encodeListingCursor = (sortKey: string) => Buffer.from(sortKey, 'utf8').toString('base64url');
