import { randomUUID } from 'node:crypto';
import { QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { expect } from 'vitest';
import { tableName } from '#shared/store/client.ts';
import { approvalWindowKey, approvalWindowPartition } from '#shared/store/entities/approval-window.ts';
import {
  type HoldRelease,
  type PayoutHold,
  payoutHoldReleaseEntity,
  payoutHoldReleaseKey,
  payoutHoldReleasePrefix,
} from '#shared/store/entities/payout-hold.ts';
import type { TestApi } from './api.ts';
import { act, checkout, orderMatching, orderWithStatus, publishListing } from './orders.ts';
import { onboardSeller } from './sellers.ts';

export interface EarningSeller extends PayoutSeller {
  readonly orderId: string;
  /** What the completed sale made available to the seller (its price less commission). */
  readonly available: number;
}

/**
 * Payout tests make many sellers' earnings at once with one buyer, whose checkouts are each unpaid
 * for a moment: more at a time than the default limit on a buyer's unpaid checkouts.
 */
export const buyerOfManySellers = { CHECKOUT_MAX_UNPAID: '100' } as const;

/** What `token`'s seller holds in EUR, as the API shows it. */
export async function eurBalanceOf(api: TestApi, token: string) {
  const balances = await api.call('GET', '/sellers/me/balances', { token });
  expect(balances.status).toBe(200);
  return (
    balances.body.items.find((item: { currency: string }) => item.currency === 'EUR') ?? {
      pending: 0,
      available: 0,
      frozen: 0,
      paidOut: 0,
    }
  );
}

export interface PayoutSeller {
  readonly sellerId: string;
  readonly token: string;
  readonly stripeAccountId: string;
}

/** A new seller who onboarded with Stripe. */
export async function onboardedSeller(api: TestApi): Promise<PayoutSeller> {
  const sellerId = `payee-${randomUUID()}`;
  const token = await api.token(sellerId, 'seller');
  return { sellerId, token, stripeAccountId: await onboardSeller(api, token) };
}

/** `buyerToken`'s buyer bought a listing of the seller's at `price` EUR; the seller accepted: captured. */
export async function capturedSale(api: TestApi, seller: PayoutSeller, buyerToken: string, price: number) {
  const listing = await publishListing(api, seller.token, { price: { amount: price, currency: 'EUR' } });
  const placed = await checkout(api, buyerToken, [{ listingId: listing.id, quantity: 1 }]);
  expect(placed.status, JSON.stringify(placed.body)).toBe(201);
  const orderId: string = placed.body.orders[0].id;
  expect((await act(api, seller.token, orderId, 'accept')).status).toBe(200);
  await orderMatching(api, buyerToken, orderId, { paymentStatus: 'captured' });
  return { orderId, paymentId: placed.body.payment.id as string };
}

/** As capturedSale, then shipped and received: the order completed, its money available to the seller. */
export async function completedSale(api: TestApi, seller: PayoutSeller, buyerToken: string, price: number) {
  const { orderId } = await capturedSale(api, seller, buyerToken, price);
  expect((await act(api, seller.token, orderId, 'ship', { trackingNumber: 'TRACK-1' })).status).toBe(200);
  expect((await act(api, buyerToken, orderId, 'confirm-receipt')).status).toBe(200);
  await orderWithStatus(api, buyerToken, orderId, 'completed');
  return orderId;
}

/** A new seller with one completed sale at `price` EUR: its money is available to be paid out. */
export async function sellerWithEarnings(
  api: TestApi,
  buyerToken: string,
  price: number,
): Promise<EarningSeller> {
  const seller = await onboardedSeller(api);
  const orderId = await completedSale(api, seller, buyerToken, price);
  const { available } = await eurBalanceOf(api, seller.token);
  return { ...seller, orderId, available };
}

/** POST /payout-runs as `token`'s finance user. */
export const startRun = (
  api: TestApi,
  token: string,
  body: Record<string, unknown>,
  key: string = randomUUID(),
) => api.call('POST', '/payout-runs', { token, body, headers: { 'idempotency-key': key } });

/** Waits for the run's execution to end, then returns the run with its lines. */
export async function settledRun(api: TestApi, token: string, runId: string, timeoutMs = 20_000) {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`payout run ${runId} did not end within ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  const outcome = await Promise.race([api.stack.payoutWorkflows.settled(runId), expired]).finally(() =>
    clearTimeout(timer),
  );
  expect(outcome, 'the execution of the run').toMatchObject({ status: 'succeeded' });
  return runOf(api, token, runId);
}

export async function runOf(api: TestApi, token: string, runId: string, query = 'limit=100') {
  const run = await api.call('GET', `/payout-runs/${runId}?${query}`, { token });
  expect(run.status, JSON.stringify(run.body)).toBe(200);
  return run.body;
}

/** The functions' own table client: the e2e tests run the functions in their process. */
async function functionsTable() {
  const { documentClient } = await import('#shared/app/composition/stores/document-client.ts');
  return { client: documentClient, table: tableName() };
}

const dayMs = 86_400_000;

/**
 * As if a day had passed for the approval threshold: every run of `currency` it counts moves back
 * by a day (and a second), out of the 24 hours it looks at. The runs themselves are left as they are.
 */
export async function aDayPasses(currency: string): Promise<void> {
  const { client, table } = await functionsTable();
  const { Items = [] } = await client.send(
    new QueryCommand({
      TableName: table,
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': approvalWindowPartition(currency).PK },
    }),
  );
  for (const item of Items) {
    const runCreatedAt = new Date(Date.parse(String(item.runCreatedAt)) - dayMs - 1000).toISOString();
    const moved = approvalWindowKey(currency, runCreatedAt, String(item.runId));
    await client.send(
      new TransactWriteCommand({
        TransactItems: [
          { Delete: { TableName: table, Key: { PK: item.PK, SK: item.SK } } },
          { Put: { TableName: table, Item: { ...item, ...moved, runCreatedAt } } },
        ],
      }),
    );
  }
}

/** The released payout holds of a seller kept for the record, oldest first. */
export async function holdReleasesOf(
  sellerId: string,
): Promise<(PayoutHold & { sellerId: string; released: HoldRelease })[]> {
  const { client, table } = await functionsTable();
  const { PK } = payoutHoldReleaseKey(sellerId, '');
  const { Items = [] } = await client.send(
    new QueryCommand({
      TableName: table,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :released)',
      ExpressionAttributeValues: { ':pk': PK, ':released': payoutHoldReleasePrefix },
    }),
  );
  return Items.map((item) => payoutHoldReleaseEntity.decode(item));
}
