/**
 * The marketplace's single DynamoDB table. Both the CDK stack and the local stack create the
 * table from this definition; the access patterns it serves are listed in README.md beside it.
 */
export const table = {
  partitionKey: 'PK',
  sortKey: 'SK',
  globalIndexes: [{ indexName: 'GSI1', partitionKey: 'GSI1PK', sortKey: 'GSI1SK' }],
  stream: 'NEW_AND_OLD_IMAGES',
  timeToLiveAttribute: 'expiresAt',
} as const;

export const keys = {
  listing: (listingId: string) => ({ PK: `LISTING#${listingId}`, SK: 'LISTING' }),
  sellerListings: (sellerId: string) => ({ GSI1PK: `SELLER#${sellerId}` }),
  sellerListingSort: (createdAt: string, listingId: string) => `LISTING#${createdAt}#${listingId}`,
  sellerProfile: (sellerId: string) => ({ PK: `SELLER#${sellerId}`, SK: 'PROFILE' }),
  sellerPaymentsAccount: (sellerId: string) => ({ PK: `SELLER#${sellerId}`, SK: 'PAYMENTS_ACCOUNT' }),
  /** A payout from the seller's connected account to their bank; the SK sorts by Stripe's creation time. */
  sellerBankPayout: (sellerId: string, createdAt: string, payoutId: string) => ({
    PK: `SELLER#${sellerId}`,
    SK: `BANK_PAYOUT#${createdAt}#${payoutId}`,
  }),
  sellerBankPayouts: (sellerId: string) => ({ PK: `SELLER#${sellerId}` }),
  checkout: (checkoutId: string) => ({ PK: `CHECKOUT#${checkoutId}`, SK: 'CHECKOUT' }),
  /** How many of the buyer's checkouts hold stock waiting for their payment. */
  buyerUnpaidCheckouts: (buyerId: string) => ({ PK: `BUYER#${buyerId}`, SK: 'UNPAID_CHECKOUTS' }),
  idempotency: (userId: string, key: string) => ({ PK: `IDEMPOTENCY#${userId}#${key}`, SK: 'IDEMPOTENCY' }),
  order: (orderId: string) => ({ PK: `ORDER#${orderId}`, SK: 'ORDER' }),
  orderEvent: (orderId: string, seq: number) => ({
    PK: `ORDER#${orderId}`,
    SK: `EVENT#${String(seq).padStart(6, '0')}`,
  }),
  orderParticipant: (orderId: string, userId: string) => ({
    PK: `ORDER#${orderId}`,
    SK: `PARTICIPANT#${userId}`,
  }),
  participantOrders: (userId: string) => ({ GSI1PK: `PARTICIPANT#${userId}` }),
  participantOrderSort: (createdAt: string, orderId: string) => `ORDER#${createdAt}#${orderId}`,
  commissionRules: () => ({ PK: 'CONFIG#COMMISSION', SK: 'RULES' }),
  /** One item per seller, currency and UTC day (`YYYY-MM-DD`): the SK sorts by day within a currency. */
  sellerDailySales: (sellerId: string, currency: string, day: string) => ({
    PK: `SELLER#${sellerId}`,
    SK: `SALES#${currency}#${day}`,
  }),
  /** Where a buyer stands with a seller in a currency: counted among the seller's distinct buyers or not. */
  sellerBuyer: (sellerId: string, currency: string, buyerId: string) => ({
    PK: `SELLER#${sellerId}`,
    SK: `BUYER#${currency}#${buyerId}`,
  }),
  /** A ledger partition: an owner's entries and balances, or a scope's transactions. */
  ledgerPartition: (ownerOrScope: string) => ({ PK: `LEDGER#${ownerOrScope}` }),
  /** `scope` is `order:<orderId>` or `transfer:<transferId>`: the transactions read together. */
  ledgerTransaction: (scope: string, transactionId: string) => ({
    PK: `LEDGER#${scope}`,
    SK: `TX#${transactionId}`,
  }),
  /** `owner` is `platform` or `user:<userId>`. */
  ledgerEntry: (owner: string, postedAt: string, transactionId: string, accountType: string) => ({
    PK: `LEDGER#${owner}`,
    SK: `ENTRY#${postedAt}#${transactionId}#${accountType}`,
  }),
  ledgerEntriesInCurrency: (owner: string, currency: string) => ({ GSI1PK: `LEDGER#${owner}#${currency}` }),
  ledgerBalance: (owner: string, currency: string, accountType: string, shard?: number) => ({
    PK: `LEDGER#${owner}`,
    SK: `BALANCE#${currency}#${accountType}${shard === undefined ? '' : `#${shard}`}`,
  }),
  /**
   * The payable index: a user's available balance item in a currency, for a payout run to find
   * everyone it may pay with one Query per shard (sparse: only available balances carry it).
   */
  payableBalance: (currency: string, shard: number, owner: string) => ({
    GSI1PK: `PAYABLE#${currency}#${shard}`,
    GSI1SK: owner,
  }),
  /** A payout run: its run item, its progress counters (`RUN#PROGRESS#<shard>`) and one line per seller. */
  payoutRun: (runId: string) => ({ PK: `PAYOUT_RUN#${runId}`, SK: 'RUN' }),
  payoutRunProgress: (runId: string, shard: number) => ({
    PK: `PAYOUT_RUN#${runId}`,
    SK: `RUN#PROGRESS#${shard}`,
  }),
  payoutLine: (runId: string, sellerId: string) => ({ PK: `PAYOUT_RUN#${runId}`, SK: `LINE#${sellerId}` }),
  /** Every run, newest first. */
  payoutRuns: () => ({ GSI1PK: 'PAYOUT_RUNS' }),
  /** A seller's payout lines across runs (dry runs left out), by the run's creation. */
  sellerPayouts: (sellerId: string) => ({ GSI1PK: `SELLER_PAYOUTS#${sellerId}` }),
  /** The run of a currency that is still moving money: one at a time. */
  activePayoutRun: (currency: string) => ({ PK: `PAYOUT_RUN_LOCK#${currency}`, SK: 'LOCK' }),
  /**
   * What a run of the currency paid or may still pay, by its start: the SK sorts by the run's
   * creation, so one Query finds the runs of the last 24 hours the approval threshold counts.
   */
  payoutWindow: (currency: string) => ({ PK: `PAYOUT_WINDOW#${currency}` }),
  payoutWindowRun: (currency: string, createdAt: string, runId: string) => ({
    PK: `PAYOUT_WINDOW#${currency}`,
    SK: `${createdAt}#${runId}`,
  }),
  /** Finance holds a seller's payouts back. */
  sellerPayoutHold: (sellerId: string) => ({ PK: `SELLER#${sellerId}`, SK: 'PAYOUT_HOLD' }),
  /** A released hold, kept with who released it, when and why. */
  sellerPayoutHoldRelease: (sellerId: string, releasedAt: string) => ({
    PK: `SELLER#${sellerId}`,
    SK: `PAYOUT_HOLD#RELEASED#${releasedAt}`,
  }),
  /** A verified Stripe event, stored once per event id whatever the number of deliveries. */
  stripeEvent: (eventId: string) => ({ PK: `STRIPE_EVENT#${eventId}`, SK: 'STRIPE_EVENT' }),
} as const;

/** The `entity` attribute of each kind of item, which stream consumers filter on. */
export const listingEntity = 'Listing';
export const sellerProfileEntity = 'SellerProfile';
export const entities = {
  checkout: 'Checkout',
  buyerUnpaidCheckouts: 'BuyerUnpaidCheckouts',
  idempotency: 'IdempotencyRecord',
  order: 'Order',
  orderEvent: 'OrderEvent',
  orderParticipant: 'OrderParticipant',
  commissionRules: 'CommissionRules',
  sellerDailySales: 'SellerDailySales',
  sellerBuyer: 'SellerBuyer',
  ledgerTransaction: 'LedgerTransaction',
  ledgerEntry: 'LedgerEntry',
  ledgerBalance: 'LedgerBalance',
  sellerPaymentsAccount: 'SellerPaymentsAccount',
  sellerBankPayout: 'SellerBankPayout',
  stripeEvent: 'StripeEvent',
  payoutRun: 'PayoutRun',
  payoutRunProgress: 'PayoutRunProgress',
  payoutLine: 'PayoutLine',
  activePayoutRun: 'ActivePayoutRun',
  payoutWindowRun: 'PayoutWindowRun',
  sellerPayoutHold: 'SellerPayoutHold',
  sellerPayoutHoldRelease: 'SellerPayoutHoldRelease',
} as const;

/** An item's own attributes: without its table and index keys and its `entity` marker. */
export function withoutKeys(item: Record<string, unknown>): Record<string, unknown> {
  const { PK: _pk, SK: _sk, GSI1PK: _gpk, GSI1SK: _gsk, entity: _entity, ...attributes } = item;
  return attributes;
}
