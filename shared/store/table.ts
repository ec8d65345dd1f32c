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

/**
 * The `entity` attribute of each kind of item, which stream consumers filter on. Each item type's
 * keys, schema and writes are in its module under entities/.
 */
export const entities = {
  listing: 'Listing',
  sellerProfile: 'SellerProfile',
  checkout: 'Checkout',
  buyerUnpaidCheckouts: 'BuyerUnpaidCheckouts',
  idempotency: 'IdempotencyRecord',
  order: 'Order',
  orderEvent: 'OrderEvent',
  orderParticipant: 'OrderParticipant',
  disputeEvidence: 'DisputeEvidence',
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
  providerInvitation: 'ProviderInvitation',
  userSuspension: 'UserSuspension',
  auditEntry: 'AuditEntry',
  report: 'Report',
  openReport: 'OpenReport',
  moderationPolicy: 'ModerationPolicy',
  reviewRequest: 'ReviewRequest',
  sellerApprovals: 'SellerApprovals',
  review: 'Review',
  reviewWindow: 'ReviewWindow',
  publishedReview: 'PublishedReview',
  userRating: 'UserRating',
  marketplaceEvent: 'MarketplaceEvent',
  userFeedEvent: 'UserFeedEvent',
  eventLogCounter: 'EventLogCounter',
  eventSource: 'EventSource',
  webhookEndpoint: 'WebhookEndpoint',
  webhookEndpointCount: 'WebhookEndpointCount',
  webhookDelivery: 'WebhookDelivery',
  notificationPreferences: 'NotificationPreferences',
  stepReminder: 'StepReminder',
  sentNotification: 'SentNotification',
  marketplaceMetrics: 'MarketplaceMetrics',
  metricsSource: 'MetricsSource',
  metricsMember: 'MetricsMember',
} as const;
