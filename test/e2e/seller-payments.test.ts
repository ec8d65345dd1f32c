import { randomUUID } from 'node:crypto';
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PaymentSimulator } from '#infra/local/payment-simulator/index.ts';
import type { PaymentsAccountStore } from '#shared/store/payments-account-store.ts';
import { TestApi } from '../support/api.ts';
import { aliceProfile, lampContent } from '../support/fixtures.ts';
import { onboardSeller, paymentSimulatorOf } from '../support/sellers.ts';
import { stripeClientOf } from '../support/stripe.ts';

let api: TestApi;
let simulator: PaymentSimulator;
let stripe: Stripe;
let applyStripeEvent: (event: Stripe.Event) => Promise<void>;
let paymentsAccounts: PaymentsAccountStore;

beforeAll(async () => {
  api = await TestApi.start();
  simulator = paymentSimulatorOf(api);
  stripe = stripeClientOf(simulator);
  // Function modules read Stripe's and the table's settings when first loaded: after the stack set them.
  ({ applyStripeEvent } = await import('#shared/app/payments/stripe-events.ts'));
  ({ paymentsAccountStore: paymentsAccounts } = await import(
    '#shared/app/composition/stores/payments-account-store.ts'
  ));
});
afterAll(() => api.stop());

async function newSeller(name: string) {
  const sellerId = `sp-${name}-${randomUUID()}`;
  return { sellerId, token: await api.token(sellerId, 'seller') };
}

async function withProfile(name: string) {
  const seller = await newSeller(name);
  expect((await api.call('PUT', '/sellers/me', { token: seller.token, body: aliceProfile })).status).toBe(
    201,
  );
  return seller;
}

async function draftOf(token: string): Promise<string> {
  const draft = await api.call('POST', '/listings', { token, body: lampContent });
  expect(draft.status).toBe(201);
  return draft.body.id;
}

const publish = (token: string, listingId: string) =>
  api.call('POST', `/listings/${listingId}/publish`, { token });

async function startOnboarding(token: string) {
  const started = await api.call('POST', '/sellers/me/payments-account', { token });
  expect(started.status, JSON.stringify(started.body)).toBe(201);
  return started.body;
}

/** The Connect events of one account so far, oldest first, as the webhook would deliver them. */
const eventsOf = (stripeAccountId: string, prefix: string) =>
  simulator
    .events()
    .filter((event) => event.account === stripeAccountId && event.type.startsWith(prefix)) as Stripe.Event[];

describe('seller onboarding with Stripe Connect', () => {
  it('refuses publishing until Stripe enables charges, saying what to do, then publishes', async () => {
    const { sellerId, token } = await newSeller('olga');
    const noProfile = await api.call('POST', '/sellers/me/payments-account', { token });
    expect(noProfile.status).toBe(409);
    expect(noProfile.body.code).toBe('seller_profile_required');
    await api.call('PUT', '/sellers/me', { token, body: aliceProfile });
    const lamp = await draftOf(token);

    const beforeOnboarding = await publish(token, lamp);
    expect(beforeOnboarding.status).toBe(409);
    expect(beforeOnboarding.headers.get('content-type')).toBe('application/problem+json');
    expect(beforeOnboarding.body.code).toBe('payments_not_enabled');
    expect(beforeOnboarding.body.detail).toContain('POST /sellers/me/payments-account');
    const noAccount = await api.call('GET', '/sellers/me/payments-account', { token });
    expect(noAccount.status).toBe(404);
    expect(noAccount.body).toMatchObject({ code: 'payments_account_not_found' });
    expect(noAccount.body.detail).toContain('POST /sellers/me/payments-account');

    const started = await startOnboarding(token);
    expect(started.onboardingLink.url.startsWith(`${simulator.url}/`)).toBe(true);
    expect(Date.parse(started.onboardingLink.expiresAt)).toBeGreaterThan(Date.now());
    expect(started.account).toMatchObject({
      chargesEnabled: false,
      payoutsEnabled: false,
      nextStep: 'finish-onboarding',
    });
    expect(started.account.missing).toContain('a bank account for your payouts');
    const { stripeAccountId } = started.account;
    const atStripe = await stripe.accounts.retrieve(stripeAccountId);
    expect(atStripe).toMatchObject({
      type: 'express',
      country: aliceProfile.country,
      metadata: { sellerId },
      capabilities: { transfers: 'inactive' },
    });

    const duringOnboarding = await publish(token, lamp);
    expect(duringOnboarding.status).toBe(409);
    expect(duringOnboarding.body.detail).toContain('a bank account for your payouts');
    const again = await startOnboarding(token);
    expect(again.account.stripeAccountId).toBe(stripeAccountId);
    expect(again.onboardingLink.url).not.toBe(started.onboardingLink.url);

    simulator.completeOnboarding(stripeAccountId);
    const enabled = await api.call('GET', '/sellers/me/payments-account', { token });
    expect(enabled.status).toBe(200);
    expect(enabled.body).toMatchObject({
      stripeAccountId,
      chargesEnabled: true,
      payoutsEnabled: true,
      requirementsDue: [],
      disabledReason: null,
      nextStep: 'none',
    });
    expect((await publish(token, lamp)).status).toBe(200);
  });

  it('creates one Stripe account for concurrent first calls, under a key derived from the seller', async () => {
    const { sellerId, token } = await withProfile('rush');
    const calls = await Promise.all([1, 2, 3].map(() => startOnboarding(token)));
    const accounts = new Set(calls.map((call) => call.account.stripeAccountId));
    expect(accounts.size).toBe(1);
    const stored = await api.call('GET', '/sellers/me/payments-account', { token });
    expect(accounts).toEqual(new Set([stored.body.stripeAccountId]));

    const replayed = await stripe.accounts.create(
      {
        type: 'express',
        country: aliceProfile.country,
        capabilities: { transfers: { requested: true } },
        metadata: { sellerId },
      },
      { idempotencyKey: `account:${sellerId}` },
    );
    expect(replayed.id).toBe(stored.body.stripeAccountId);
  });

  it('tells a rejected seller why and refuses new publications, leaving published listings alone', async () => {
    const { token } = await newSeller('rita');
    const stripeAccountId = await onboardSeller(api, token);
    const published = await draftOf(token);
    expect((await publish(token, published)).status).toBe(200);

    simulator.rejectOnboarding(stripeAccountId, { disabledReason: 'rejected.fraud' });
    const rejected = await api.call('GET', '/sellers/me/payments-account', { token });
    expect(rejected.body).toMatchObject({
      chargesEnabled: false,
      payoutsEnabled: false,
      disabledReason: 'rejected.fraud',
      nextStep: 'contact-support',
    });
    expect(rejected.body.explanation).toContain('suspected fraud');

    const refused = await publish(token, await draftOf(token));
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('payments_not_enabled');
    expect(refused.body.detail).toContain('suspected fraud');
    expect((await api.call('GET', `/listings/${published}`)).body.status).toBe('published');
  });
});

describe('Connect events of connected accounts', () => {
  it('store the current state of the account, whatever their order and number', async () => {
    const { sellerId, token } = await withProfile('eve');
    const { stripeAccountId } = (await startOnboarding(token)).account;
    simulator.completeOnboarding(stripeAccountId);
    simulator.rejectOnboarding(stripeAccountId, { disabledReason: 'rejected.terms_of_service' });
    const [enabledEvent, rejectedEvent] = eventsOf(stripeAccountId, 'account.updated');
    if (!enabledEvent || !rejectedEvent) throw new Error('the simulator emitted no account.updated events');

    for (const event of [rejectedEvent, enabledEvent, enabledEvent]) await applyStripeEvent(event);
    expect(await paymentsAccounts.get(sellerId)).toMatchObject({
      chargesEnabled: false,
      disabledReason: 'rejected.terms_of_service',
    });

    simulator.completeOnboarding(stripeAccountId);
    // An old event arriving late still stores what Stripe says now.
    await applyStripeEvent(rejectedEvent);
    expect(await paymentsAccounts.get(sellerId)).toMatchObject({
      chargesEnabled: true,
      disabledReason: null,
    });
  });

  it('list payouts to the seller’s bank, paid and failed with the reason, newest first', async () => {
    const { token } = await newSeller('paula');
    const stripeAccountId = await onboardSeller(api, token);
    simulator.fundPlatform(3000, 'eur');
    await stripe.transfers.create({ amount: 3000, currency: 'eur', destination: stripeAccountId });
    const failed = simulator.payout(stripeAccountId, {
      currency: 'eur',
      amount: 1000,
      outcome: 'failed',
      failureCode: 'account_closed',
    });
    simulator.advanceClock(60);
    const paid = simulator.payout(stripeAccountId, { currency: 'eur', amount: 2000 });
    const events = eventsOf(stripeAccountId, 'payout.');
    expect(events.map((event) => event.type)).toEqual(['payout.failed', 'payout.paid']);

    for (const event of [...events].reverse().concat(events)) await applyStripeEvent(event);

    const first = await api.call('GET', '/sellers/me/bank-payouts?limit=1', { token });
    expect(first.status).toBe(200);
    expect(first.body.items).toEqual([
      expect.objectContaining({
        payoutId: paid.id,
        stripeAccountId,
        amount: { amount: 2000, currency: 'EUR' },
        status: 'paid',
        failureCode: null,
      }),
    ]);
    const second = await api.call('GET', `/sellers/me/bank-payouts?limit=1&cursor=${first.body.nextCursor}`, {
      token,
    });
    expect(second.body).toEqual({
      items: [
        expect.objectContaining({
          payoutId: failed.id,
          amount: { amount: 1000, currency: 'EUR' },
          status: 'failed',
          failureCode: 'account_closed',
          failureMessage: 'The bank account has been closed.',
        }),
      ],
    });
    const stranger = await newSeller('stranger');
    const none = await api.call('GET', '/sellers/me/bank-payouts', { token: stranger.token });
    expect(none.body).toEqual({ items: [] });
  });
});
