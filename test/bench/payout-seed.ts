import type Stripe from 'stripe';
import type { PaymentSimulator } from '#infra/local/payment-simulator/index.ts';
import { platformAccount, userAccount } from '#shared/domain/ledger/accounts.ts';
import { ledgerTransaction, orderScope, transactionId } from '#shared/domain/ledger/transaction.ts';
import { paymentsAccountStateOf, sellerIdMetadataKey } from '#shared/payments/stripe-connect.ts';
import type { LedgerStore } from '#shared/store/ledger-store.ts';
import type { PaymentsAccountStore } from '#shared/store/payments-account-store.ts';
import type { Random } from './random.ts';

export interface SeededSeller {
  readonly sellerId: string;
  readonly stripeAccountId: string;
  /** What this round made available to the seller, in EUR cents. */
  readonly amount: number;
}

export interface SeedOptions {
  readonly simulator: PaymentSimulator;
  /** The Stripe SDK pointed at the simulator. */
  readonly stripe: Stripe;
  readonly ledger: LedgerStore;
  readonly accounts: PaymentsAccountStore;
  readonly random: Random;
  readonly sellers: number;
  /** Each round gives every seller a new available balance; the first also onboards them. */
  readonly round: number;
  /** Sellers seeded at once. */
  readonly concurrency: number;
  /** Sellers onboarded in an earlier round, by index. */
  readonly onboarded?: readonly SeededSeller[];
}

export const benchCurrency = 'EUR';
const minimumAmount = 1000;
const maximumAmount = 50_000;

export const benchSellerId = (index: number) => `bench-seller-${String(index).padStart(6, '0')}`;

/** Runs `work` on every item, at most `limit` at a time, in order of the items. */
export async function inPool<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * A seller as onboarding leaves them: an Express account created at the payment simulator with the
 * seller's id in its metadata and transfers requested, onboarding completed there, and the account
 * as Stripe reports it stored for the seller.
 */
async function onboard(options: SeedOptions, sellerId: string): Promise<string> {
  const { stripe, simulator, accounts } = options;
  const created = await stripe.accounts.create(
    {
      type: 'express',
      country: 'DE',
      capabilities: { transfers: { requested: true } },
      metadata: { [sellerIdMetadataKey]: sellerId },
    },
    { idempotencyKey: `account:${sellerId}` },
  );
  simulator.completeOnboarding(created.id);
  const observedAt = new Date();
  const account = await stripe.accounts.retrieve(created.id);
  const stored = await accounts.recordObserved(sellerId, paymentsAccountStateOf(account), observedAt);
  if (!stored.payoutsEnabled) throw new Error(`Seeding: ${sellerId}'s account has payouts disabled`);
  return account.id;
}

/**
 * Makes `sellers` sellers eligible for a payout run without going through checkouts: each onboarded
 * (first round) and given an available balance of 10.00 to 500.00 EUR by one balanced ledger
 * transaction (platform cash in, the seller's available balance owed), posted as the ledger posts
 * any transaction; then the platform's balance at the simulator is funded with the total. The
 * simulator's webhooks should be held meanwhile, so its account.updated events do not reach the stack.
 */
export async function seedEligibleSellers(options: SeedOptions): Promise<SeededSeller[]> {
  const { ledger, random, round, simulator } = options;
  const amounts = Array.from({ length: options.sellers }, () => random.int(minimumAmount, maximumAmount));
  const seeded = await inPool(amounts, options.concurrency, async (amount, index) => {
    const sellerId = benchSellerId(index);
    const stripeAccountId = options.onboarded?.[index]?.stripeAccountId ?? (await onboard(options, sellerId));
    const seed = `seed-${round}-${sellerId}`;
    const outcome = await ledger.post(
      ledgerTransaction(
        {
          id: transactionId('release', seed),
          kind: 'release',
          scope: orderScope(seed),
          currency: benchCurrency,
        },
        [
          { account: platformAccount('cash'), amount },
          { account: userAccount(sellerId, 'available'), amount: -amount },
        ],
      ),
    );
    if (outcome !== 'posted') throw new Error(`Seeding: ${seed} was posted before`);
    return { sellerId, stripeAccountId, amount };
  });
  simulator.fundPlatform(
    seeded.reduce((sum, seller) => sum + seller.amount, 0),
    benchCurrency,
  );
  return seeded;
}
