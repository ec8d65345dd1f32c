// No AWS SDK here: the route table's query schemas validate cursors with this module.

const timestampAndId = String.raw`\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z#[0-9a-f-]{36}`;

/** The sort keys a page may end on, per kind of list. */
const sortKeyPatterns = {
  listing: new RegExp(`^LISTING#${timestampAndId}$`),
  order: new RegExp(`^ORDER#${timestampAndId}$`),
  event: /^EVENT#\d{6}$/,
  statement: /^ENTRY#\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z#[^#]+#[a-z-]+$/,
  bankPayout: /^BANK_PAYOUT#\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z#po_\w{1,64}$/,
  payoutRun: /^PAYOUT_RUN#\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z#pr_[a-z0-9]{16}$/,
  payoutLine: /^LINE#[\w-]{1,128}$/,
  review: new RegExp(`^LISTING#${timestampAndId}$`),
  report: new RegExp(`^REPORT#${timestampAndId}$`),
  audit: new RegExp(`^ACTION#${timestampAndId}$`),
  publishedReview: new RegExp(`^REVIEW#${timestampAndId}\\.[a-z0-9-]{1,40}\\.[a-z0-9-]{1,40}$`),
  dispute: new RegExp(`^DISPUTE#${timestampAndId}$`),
  invitation: new RegExp(`^INVITATION#${timestampAndId}#[a-z0-9-]{1,40}$`),
  webhookDelivery: /^DELIVERY#\d{12}$/,
} as const;

export type PageKind = keyof typeof sortKeyPatterns;

/**
 * A page cursor is the sort key of the last item returned, so it can only resume a list of the
 * same kind; the partition comes from the request, never from the cursor.
 */
export function decodePageCursor(cursor: string, kind: PageKind): string | undefined {
  const sortKey = Buffer.from(cursor, 'base64url').toString('utf8');
  return sortKeyPatterns[kind].test(sortKey) ? sortKey : undefined;
}

export const encodePageCursor = (sortKey: string) => Buffer.from(sortKey, 'utf8').toString('base64url');

/** The id at the end of a `<KIND>#<timestamp>#<id>` sort key. */
export const idInSortKey = (sortKey: string) => sortKey.slice(-36);
