import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Listing } from '../domain/listing.ts';
import { batchGetAll } from './batch-get.ts';
import { type StoredCommissionRules, storedRules } from './commission-store.ts';
import { commissionRulesKey } from './entities/commission-rules.ts';
import { listingKeys, listingsById } from './listing-store.ts';

/** What a checkout is planned from: its listings as they stand, and the commission rules. */
export interface CheckoutInputs {
  readonly listings: ReadonlyMap<string, Listing>;
  readonly commission: StoredCommissionRules;
}

/** The cart's listings and the commission rules, strongly consistent, in one BatchGetItem request. */
export async function readCheckoutInputs(
  client: DynamoDBDocumentClient,
  tableName: string,
  listingIds: readonly string[],
): Promise<CheckoutInputs> {
  const rulesKey = commissionRulesKey();
  const items = await batchGetAll(client, tableName, [rulesKey, ...listingKeys(listingIds)]);
  const isRules = (item: Record<string, unknown>) => item.PK === rulesKey.PK && item.SK === rulesKey.SK;
  return {
    listings: listingsById(items.filter((item) => !isRules(item))),
    commission: storedRules(items.find(isRules)),
  };
}
