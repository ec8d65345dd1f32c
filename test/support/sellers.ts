import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { expect } from 'vitest';
import type { PaymentsAccountState } from '#shared/domain/payments-account.ts';
import { PaymentsAccountStore } from '#shared/store/payments-account-store.ts';
import { SellerStore } from '#shared/store/seller-store.ts';
import type { TestApi } from './api.ts';
import { aliceProfile } from './fixtures.ts';

/** The local stack's stand-in for Stripe, which these tests drive. */
export function paymentSimulatorOf(api: TestApi) {
  const simulator = api.stack.paymentSimulator;
  if (!simulator) throw new Error('This test drives the payment simulator; the stack runs Stripe test mode');
  return simulator;
}

/**
 * Makes `token`'s seller ready to publish over HTTP, as a seller would: a profile if they have none,
 * a payments account, Stripe's onboarding completed. Returns the seller's Stripe account id.
 */
export async function onboardSeller(api: TestApi, token: string): Promise<string> {
  // 201, or 409 for a seller who has a profile already.
  await api.call('PUT', '/sellers/me', { token, body: aliceProfile });
  const started = await api.call('POST', '/sellers/me/payments-account', { token });
  expect(started.status, JSON.stringify(started.body)).toBe(201);
  const { stripeAccountId } = started.body.account;
  paymentSimulatorOf(api).completeOnboarding(stripeAccountId);
  const account = await api.call('GET', '/sellers/me/payments-account', { token });
  expect(account.body, 'the account as Stripe reports it after onboarding').toMatchObject({
    chargesEnabled: true,
  });
  return stripeAccountId;
}

/** An account Stripe lets sell and be paid, with nothing due. */
export const enabledPaymentsAccount = (stripeAccountId: string): PaymentsAccountState => ({
  stripeAccountId,
  chargesEnabled: true,
  payoutsEnabled: true,
  detailsSubmitted: true,
  requirementsDue: [],
  disabledReason: null,
});

/** For store tests: a seller who may publish, written to the table (a profile, an enabled payments account). */
export async function storeSellerReadyToPublish(
  client: DynamoDBDocumentClient,
  tableName: string,
  sellerId: string,
): Promise<void> {
  const sellers = new SellerStore(client, tableName);
  if (!(await sellers.get(sellerId))) await sellers.create(sellerId, aliceProfile);
  await new PaymentsAccountStore(client, tableName).recordObserved(
    sellerId,
    enabledPaymentsAccount(`acct_${sellerId}`),
    new Date(),
  );
}
