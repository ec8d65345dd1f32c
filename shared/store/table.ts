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
} as const;

/** The `entity` attribute of each kind of item, which stream consumers filter on. */
export const listingEntity = 'Listing';
export const sellerProfileEntity = 'SellerProfile';
