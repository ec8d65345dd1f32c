import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Listing } from '../domain/listing.ts';
import { batchGetAll } from './batch-get.ts';
import { type StoredCommissionRules, storedRules } from './commission-store.ts';
import { commissionRulesKey } from './entities/commission-rules.ts';
import { userSuspensionKey } from './entities/user-suspension.ts';
import { listingKeys, listingsById } from './listing-store.ts';

/** What a checkout is planned from: its listings as they stand, the commission rules, the buyer's standing. */
export interface CheckoutInputs {
  readonly listings: ReadonlyMap<string, Listing>;
  readonly commission: StoredCommissionRules;
  readonly buyerSuspended: boolean;
}

/**
 * The cart's listings, the commission rules and whether the buyer is suspended, strongly consistent,
 * in one BatchGetItem request.
 */
export async function readCheckoutInputs(
  client: DynamoDBDocumentClient,
  tableName: string,
  buyerId: string,
  listingIds: readonly string[],
): Promise<CheckoutInputs> {
  const rulesKey = commissionRulesKey();
  const suspensionKey = userSuspensionKey(buyerId);
  const items = await batchGetAll(client, tableName, [rulesKey, suspensionKey, ...listingKeys(listingIds)]);
  const keyed = (key: { PK: string; SK: string }) => (item: Record<string, unknown>) =>
    item.PK === key.PK && item.SK === key.SK;
  const [isRules, isSuspension] = [keyed(rulesKey), keyed(suspensionKey)];
  return {
    listings: listingsById(items.filter((item) => !isRules(item) && !isSuspension(item))),
    commission: storedRules(items.find(isRules)),
    buyerSuspended: items.some(isSuspension),
  };
}
