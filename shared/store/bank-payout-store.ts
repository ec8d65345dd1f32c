import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { BankPayout, BankPayoutState } from '../domain/bank-payout.ts';
import {
  bankPayoutEntity,
  bankPayoutKey,
  bankPayoutPrefix,
  sellerBankPayoutsPartition,
} from './entities/bank-payout.ts';
import { noLaterReadStored, writeObservedState } from './observed-state.ts';
import { type Page, queryPage } from './query-page.ts';

const toBankPayout = (item: Record<string, unknown>) => bankPayoutEntity.decode(item);

/**
 * Payouts from each seller's connected account to their bank, as last read from Stripe, in the
 * seller's partition. See README.md beside this file.
 */
export class BankPayoutStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Keeps what a read of the payout from Stripe, begun at `observedAt`, found, unless a read that
   * began later is stored. Returns the payout as it stands.
   */
  async record(sellerId: string, state: BankPayoutState, observedAt: Date): Promise<BankPayout> {
    const standing = await writeObservedState(this.client, {
      tableName: this.tableName,
      key: bankPayoutKey(sellerId, state.createdAt, state.payoutId),
      attributes: { ...bankPayoutEntity.stamp, sellerId, ...state },
      observedAt,
      condition: `attribute_not_exists(PK) OR ${noLaterReadStored}`,
    });
    return toBankPayout(standing);
  }

  /** The seller's bank payouts, newest first. */
  async listBySeller(sellerId: string, limit: number, cursor?: string): Promise<Page<BankPayout>> {
    const { PK } = sellerBankPayoutsPartition(sellerId);
    const page = await queryPage(
      this.client,
      {
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': PK, ':prefix': bankPayoutPrefix },
        ScanIndexForward: false,
      },
      { kind: 'bankPayout', limit, cursor, sortKeyAttribute: 'SK', startKey: (SK) => ({ PK, SK }) },
    );
    return { ...page, items: page.items.map(toBankPayout) };
  }
}
