import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { PaymentsAccountState, SellerPaymentsAccount } from '../domain/payments-account.ts';
import { batchGetAll } from './batch-get.ts';
import type { TransactItem } from './conditional.ts';
import { decodeIfPresent } from './entities/entity.ts';
import { paymentsAccountEntity, paymentsAccountKey } from './entities/payments-account.ts';
import { noLaterReadStored, writeObservedState } from './observed-state.ts';

const toPaymentsAccount = (item: Record<string, unknown>) => paymentsAccountEntity.decode(item);

/**
 * The check a publishing transaction makes: Stripe has enabled charges on the seller's account.
 * When it fails, the cancellation reason carries the account as stored (or none) to explain why.
 */
export function chargesEnabledCheck(tableName: string, sellerId: string): TransactItem {
  return {
    ConditionCheck: {
      TableName: tableName,
      Key: paymentsAccountKey(sellerId),
      ConditionExpression: 'chargesEnabled = :enabled',
      ExpressionAttributeValues: { ':enabled': true },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    },
  };
}

/**
 * Each seller's Stripe connected account and its status as last read from Stripe; one item per
 * seller, so a seller has one account however many requests race to create it. See README.md.
 */
export class PaymentsAccountStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(sellerId: string): Promise<SellerPaymentsAccount | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: paymentsAccountKey(sellerId) }),
    );
    return decodeIfPresent(paymentsAccountEntity, Item);
  }

  /** The accounts of these sellers that exist, by seller id. */
  async getMany(sellerIds: readonly string[]): Promise<Map<string, SellerPaymentsAccount>> {
    const items = await batchGetAll(
      this.client,
      this.tableName,
      sellerIds.map((sellerId) => paymentsAccountKey(sellerId)),
    );
    return new Map(items.map(toPaymentsAccount).map((account) => [account.sellerId, account]));
  }

  /**
   * Keeps the account Stripe just created unless the seller has one already: a creation is the
   * oldest state an account has, so it never replaces anything. Returns the seller's account.
   */
  recordCreated(
    sellerId: string,
    state: PaymentsAccountState,
    observedAt: Date,
  ): Promise<SellerPaymentsAccount> {
    return this.record(sellerId, state, observedAt, 'attribute_not_exists(PK)');
  }

  /**
   * Keeps what a read of the seller's account from Stripe, begun at `observedAt`, found, unless a
   * read that began later is stored or the seller's account is another one. Returns the seller's
   * account as it stands.
   */
  recordObserved(
    sellerId: string,
    state: PaymentsAccountState,
    observedAt: Date,
  ): Promise<SellerPaymentsAccount> {
    return this.record(
      sellerId,
      state,
      observedAt,
      `attribute_not_exists(PK) OR (stripeAccountId = :account AND ${noLaterReadStored})`,
      { ':account': state.stripeAccountId },
    );
  }

  private async record(
    sellerId: string,
    state: PaymentsAccountState,
    observedAt: Date,
    condition: string,
    conditionValues?: Record<string, unknown>,
  ): Promise<SellerPaymentsAccount> {
    const standing = await writeObservedState(this.client, {
      tableName: this.tableName,
      key: paymentsAccountKey(sellerId),
      attributes: { ...paymentsAccountEntity.stamp, sellerId, ...state },
      observedAt,
      condition,
      ...(conditionValues ? { conditionValues } : {}),
    });
    return toPaymentsAccount(standing);
  }
}
