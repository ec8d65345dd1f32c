import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type PaymentSimulator,
  startPaymentSimulator,
  testPaymentMethods,
} from '#infra/local/payment-simulator/index.ts';
import { stripeClientOf, stripeFailure } from '../support/stripe.ts';

const day = 86_400;

let simulator: PaymentSimulator;
let stripe: Stripe;

beforeAll(async () => {
  simulator = await startPaymentSimulator();
  stripe = stripeClientOf(simulator);
});

afterAll(() => simulator.stop());

/** Types of the events about one object, oldest first. */
const eventTypesOf = (objectId: string, running = simulator) =>
  running
    .events()
    .filter((event) => (event.data.object as { id?: string }).id === objectId)
    .map((event) => event.type);

async function onboardedSeller() {
  const account = await stripe.accounts.create({
    type: 'express',
    country: 'FR',
    capabilities: { card_payments: { requested: true }, transfers: { requested: true } },
  });
  simulator.completeOnboarding(account.id);
  return account.id;
}

function authorise(amount: number, client = stripe, paymentMethod = 'pm_card_visa') {
  return client.paymentIntents.create({
    amount,
    currency: 'eur',
    capture_method: 'manual',
    payment_method: paymentMethod,
    confirm: true,
    transfer_group: 'checkout-1',
    metadata: { checkoutId: 'checkout-1' },
  });
}

async function captured(amount: number, capture = amount) {
  const payment = await authorise(amount);
  return stripe.paymentIntents.capture(payment.id, { amount_to_capture: capture });
}

describe('PaymentIntents with manual capture', () => {
  it('authorises, then captures part and releases the rest', async () => {
    const created = await stripe.paymentIntents.create({
      amount: 5000,
      currency: 'EUR',
      capture_method: 'manual',
      transfer_group: 'checkout-7',
      metadata: { checkoutId: 'checkout-7' },
    });
    expect(created).toMatchObject({
      status: 'requires_payment_method',
      currency: 'eur',
      metadata: { checkoutId: 'checkout-7' },
    });
    expect(created.client_secret).toMatch(new RegExp(`^${created.id}_secret_`));

    const authorised = await stripe.paymentIntents.confirm(created.id, { payment_method: 'pm_card_visa' });
    expect(authorised).toMatchObject({ status: 'requires_capture', amount_capturable: 5000 });
    expect(authorised.latest_charge).toMatch(/^ch_/);

    const tooMuch = await stripeFailure(
      stripe.paymentIntents.capture(created.id, { amount_to_capture: 5001 }),
    );
    expect(tooMuch).toMatchObject({ statusCode: 400, code: 'amount_too_large', param: 'amount_to_capture' });

    const balanceBefore = simulator.balance().eur ?? 0;
    const capture = await stripe.paymentIntents.capture(created.id, {
      amount_to_capture: 3200,
      expand: ['latest_charge'],
    });
    expect(capture).toMatchObject({ status: 'succeeded', amount_received: 3200, amount_capturable: 0 });
    expect(capture.latest_charge).toMatchObject({
      id: authorised.latest_charge,
      captured: true,
      amount_captured: 3200,
      transfer_group: 'checkout-7',
    });
    expect(simulator.balance().eur).toBe(balanceBefore + 3200);
    expect(eventTypesOf(created.id)).toEqual([
      'payment_intent.created',
      'payment_intent.amount_capturable_updated',
      'payment_intent.succeeded',
    ]);
    expect(eventTypesOf(String(authorised.latest_charge))).toEqual(['charge.succeeded', 'charge.captured']);

    const read = await stripe.paymentIntents.retrieve(created.id, { expand: ['latest_charge'] });
    expect(read.latest_charge).toMatchObject({ object: 'charge', amount: 5000, amount_captured: 3200 });

    const again = await stripeFailure(stripe.paymentIntents.capture(created.id));
    expect(again).toMatchObject({ statusCode: 400, code: 'payment_intent_unexpected_state' });
  });

  it('stops at requires_action while strong customer authentication is asked for, until the buyer completes it', async () => {
    simulator.requireAuthentication(true);
    const payment = await authorise(1800).finally(() => simulator.requireAuthentication(false));
    expect(payment).toMatchObject({ status: 'requires_action', next_action: { type: 'use_stripe_sdk' } });
    expect(eventTypesOf(payment.id)).toContain('payment_intent.requires_action');
    expect(await stripeFailure(stripe.paymentIntents.capture(payment.id))).toMatchObject({
      code: 'payment_intent_unexpected_state',
    });

    simulator.completeAuthentication(payment.id);
    const authorised = await stripe.paymentIntents.retrieve(payment.id);
    expect(authorised).toMatchObject({
      status: 'requires_capture',
      amount_capturable: 1800,
      next_action: null,
    });
  });

  it("asks for authentication with Stripe's test card that always requires it, and a failed challenge needs a new card", async () => {
    const payment = await authorise(700, stripe, testPaymentMethods.authenticationRequired);
    expect(payment.status).toBe('requires_action');
    simulator.completeAuthentication(payment.id, 'failed');
    const failed = await stripe.paymentIntents.retrieve(payment.id);
    expect(failed).toMatchObject({
      status: 'requires_payment_method',
      last_payment_error: { code: 'payment_intent_authentication_failure' },
    });
  });

  it('declines the test card that is always declined with a 402 card error', async () => {
    const declined = await stripeFailure(authorise(700, stripe, testPaymentMethods.declined));
    expect(declined).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(declined).toMatchObject({
      statusCode: 402,
      code: 'card_declined',
      decline_code: 'generic_decline',
    });
    const intent = declined.payment_intent;
    expect(intent?.status).toBe('requires_payment_method');
    expect(eventTypesOf(String(intent?.id))).toContain('payment_intent.payment_failed');
  });

  it('cancels an authorisation, once', async () => {
    const payment = await authorise(1200);
    const canceled = await stripe.paymentIntents.cancel(payment.id, { cancellation_reason: 'abandoned' });
    expect(canceled).toMatchObject({
      status: 'canceled',
      cancellation_reason: 'abandoned',
      amount_capturable: 0,
    });
    expect(eventTypesOf(payment.id).at(-1)).toBe('payment_intent.canceled');
    expect(await stripeFailure(stripe.paymentIntents.cancel(payment.id))).toMatchObject({
      code: 'payment_intent_unexpected_state',
    });
  });

  it('cancels authorisations left uncaptured for seven days, with reason automatic', async () => {
    const isolated = await startPaymentSimulator();
    const client = stripeClientOf(isolated);
    try {
      const payment = await authorise(3000, client);
      isolated.advanceClock(7 * day - 60);
      expect((await client.paymentIntents.retrieve(payment.id)).status).toBe('requires_capture');

      isolated.advanceClock(60);
      expect(await client.paymentIntents.retrieve(payment.id)).toMatchObject({
        status: 'canceled',
        cancellation_reason: 'automatic',
      });
      expect(eventTypesOf(String(payment.latest_charge), isolated).at(-1)).toBe('charge.expired');
      expect(eventTypesOf(payment.id, isolated).at(-1)).toBe('payment_intent.canceled');
      expect(await stripeFailure(client.paymentIntents.capture(payment.id))).toMatchObject({
        code: 'payment_intent_unexpected_state',
      });
    } finally {
      await isolated.stop();
    }
  });
});

describe('Refunds', () => {
  it('refunds in parts, never more than captured minus refunded', async () => {
    const payment = await captured(4000, 3000);
    const first = await stripe.refunds.create({
      payment_intent: payment.id,
      amount: 1000,
      reason: 'requested_by_customer',
    });
    expect(first).toMatchObject({
      object: 'refund',
      amount: 1000,
      status: 'succeeded',
      charge: payment.latest_charge,
    });
    expect(first.id).toMatch(/^re_/);

    const tooMuch = await stripeFailure(
      stripe.refunds.create({ charge: String(payment.latest_charge), amount: 2001 }),
    );
    expect(tooMuch).toMatchObject({ statusCode: 400, code: 'amount_too_large', param: 'amount' });

    const rest = await stripe.refunds.create({ payment_intent: payment.id });
    expect(rest.amount).toBe(2000);
    const charge = await stripe.charges.retrieve(String(payment.latest_charge));
    expect(charge).toMatchObject({ amount_captured: 3000, amount_refunded: 3000, refunded: true });

    const fully = await stripeFailure(stripe.refunds.create({ payment_intent: payment.id, amount: 1 }));
    expect(fully).toMatchObject({ statusCode: 400, code: 'charge_already_refunded' });
    expect(eventTypesOf(first.id)).toEqual(['refund.created']);
    expect(eventTypesOf(charge.id).filter((type) => type === 'charge.refunded')).toHaveLength(2);
  });

  it('refuses to refund an authorisation that was never captured', async () => {
    const payment = await authorise(1000);
    expect(await stripeFailure(stripe.refunds.create({ payment_intent: payment.id }))).toMatchObject({
      code: 'charge_not_refundable',
    });
  });
});

describe('Transfers to connected accounts', () => {
  it('refuses a destination that has not finished onboarding', async () => {
    await captured(1000);
    const pending = await stripe.accounts.create({ type: 'express', country: 'FR' });
    const refused = await stripeFailure(
      stripe.transfers.create({ amount: 100, currency: 'eur', destination: pending.id }),
    );
    expect(refused).toMatchObject({
      statusCode: 400,
      code: 'insufficient_capabilities_for_transfer',
      param: 'destination',
    });
  });

  it('moves money from the platform balance to the seller, and back by reversal', async () => {
    const seller = await onboardedSeller();
    const payment = await captured(6000);
    const platformBefore = simulator.balance().eur ?? 0;

    const transfer = await stripe.transfers.create(
      { amount: 5000, currency: 'eur', destination: seller, transfer_group: 'checkout-1' },
      { idempotencyKey: `transfer:${payment.id}` },
    );
    expect(transfer).toMatchObject({
      amount: 5000,
      destination: seller,
      reversed: false,
      amount_reversed: 0,
    });
    expect(simulator.balance(seller)).toEqual({ eur: 5000 });
    expect(simulator.balance().eur).toBe(platformBefore - 5000);

    const reversal = await stripe.transfers.createReversal(transfer.id, { amount: 1500 });
    expect(reversal).toMatchObject({ object: 'transfer_reversal', amount: 1500, transfer: transfer.id });
    expect(reversal.id).toMatch(/^trr_/);
    expect(simulator.balance(seller)).toEqual({ eur: 3500 });

    const tooMuch = await stripeFailure(stripe.transfers.createReversal(transfer.id, { amount: 3501 }));
    expect(tooMuch).toMatchObject({ code: 'amount_too_large' });
    const after = await stripe.transfers.retrieve(transfer.id);
    expect(after).toMatchObject({ amount_reversed: 1500, reversed: false });
    expect(after.reversals.data.map((item) => item.id)).toEqual([reversal.id]);
    expect(eventTypesOf(transfer.id)).toEqual(['transfer.created', 'transfer.reversed']);
  });

  it('refuses a transfer larger than the platform balance, or than its source transaction', async () => {
    const seller = await onboardedSeller();
    const available = simulator.balance().eur ?? 0;
    const broke = await stripeFailure(
      stripe.transfers.create({ amount: available + 1, currency: 'eur', destination: seller }),
    );
    expect(broke).toMatchObject({ code: 'balance_insufficient' });

    const payment = await captured(800);
    const source = String(payment.latest_charge);
    await stripe.transfers.create({
      amount: 500,
      currency: 'eur',
      destination: seller,
      source_transaction: source,
    });
    const beyond = await stripeFailure(
      stripe.transfers.create({
        amount: 301,
        currency: 'eur',
        destination: seller,
        source_transaction: source,
      }),
    );
    expect(beyond).toMatchObject({ code: 'balance_insufficient', param: 'amount' });
  });
});

describe('Listing transfers', () => {
  /** Transfers of 100 to `destination`, created one after the other; their ids, oldest first. */
  async function transfersTo(destination: string, groups: readonly (string | undefined)[]) {
    simulator.fundPlatform(100 * groups.length, 'eur');
    const ids: string[] = [];
    for (const group of groups) {
      const transfer = await stripe.transfers.create({
        amount: 100,
        currency: 'eur',
        destination,
        ...(group ? { transfer_group: group } : {}),
      });
      ids.push(transfer.id);
    }
    return ids;
  }

  const idsOf = (list: Stripe.ApiList<Stripe.Transfer>) => list.data.map((transfer) => transfer.id);

  it('filters by destination, by transfer group or by both, newest first', async () => {
    const [first, second] = await Promise.all([onboardedSeller(), onboardedSeller()]);
    const [a1, a2] = await transfersTo(first, ['listing-a', 'listing-a']);
    simulator.advanceClock(1);
    const [b1] = await transfersTo(second, ['listing-a']);
    const [a3, none] = await transfersTo(first, ['listing-b', undefined]);

    const toFirst = await stripe.transfers.list({ destination: first });
    expect(toFirst).toMatchObject({ object: 'list', has_more: false, url: '/v1/transfers' });
    expect(idsOf(toFirst)).toEqual([none, a3, a2, a1]);
    expect(idsOf(await stripe.transfers.list({ transfer_group: 'listing-a' }))).toEqual([b1, a2, a1]);
    expect(idsOf(await stripe.transfers.list({ destination: first, transfer_group: 'listing-a' }))).toEqual([
      a2,
      a1,
    ]);
    expect(idsOf(await stripe.transfers.list({ destination: second, transfer_group: 'listing-b' }))).toEqual(
      [],
    );
  });

  it('returns 10 by default and at most limit, telling whether more are left', async () => {
    const seller = await onboardedSeller();
    const ids = await transfersTo(seller, Array<string>(12).fill('listing-many'));
    const newestFirst = ids.toReversed();

    const byDefault = await stripe.transfers.list({ destination: seller });
    expect(idsOf(byDefault)).toEqual(newestFirst.slice(0, 10));
    expect(byDefault.has_more).toBe(true);

    const five = await stripe.transfers.list({ transfer_group: 'listing-many', limit: 5 });
    expect(idsOf(five)).toEqual(newestFirst.slice(0, 5));
    expect(five.has_more).toBe(true);

    for (const limit of [12, 100]) {
      const all = await stripe.transfers.list({ destination: seller, limit });
      expect(idsOf(all)).toEqual(newestFirst);
      expect(all.has_more).toBe(false);
    }
    expect(await stripeFailure(stripe.transfers.list({ destination: seller, limit: 0 }))).toMatchObject({
      statusCode: 400,
      param: 'limit',
    });
  });

  it('refuses a parameter it does not take', async () => {
    const refused = await stripeFailure(
      stripe.transfers.list({ colour: 'blue' } as Stripe.TransferListParams),
    );
    expect(refused).toMatchObject({ statusCode: 400, code: 'parameter_unknown', param: 'colour' });
  });
});

describe('Disputes', () => {
  it('withdraws the disputed funds, refuses refunds meanwhile, and returns them when the dispute is won', async () => {
    const payment = await captured(2500);
    const before = simulator.balance().eur ?? 0;
    const dispute = simulator.openDispute(payment.id);
    expect(dispute).toMatchObject({
      object: 'dispute',
      amount: 2500,
      status: 'needs_response',
      charge: payment.latest_charge,
    });
    expect(dispute.id).toMatch(/^dp_/);
    expect(simulator.balance().eur).toBe(before - 2500);
    expect(await stripeFailure(stripe.refunds.create({ payment_intent: payment.id }))).toMatchObject({
      code: 'charge_disputed',
    });

    const won = simulator.closeDispute(dispute.id, 'won');
    expect(won.status).toBe('won');
    expect(simulator.balance().eur).toBe(before);
    expect(eventTypesOf(dispute.id)).toEqual([
      'charge.dispute.created',
      'charge.dispute.funds_withdrawn',
      'charge.dispute.closed',
      'charge.dispute.funds_reinstated',
    ]);
    const closed = simulator
      .events('charge.dispute.closed')
      .find((event) => (event.data.object as { id: string }).id === dispute.id);
    expect(closed?.data.object).toMatchObject({ status: 'won' });
  });

  it('keeps the funds withdrawn when the dispute is lost', async () => {
    const payment = await captured(1500);
    const before = simulator.balance().eur ?? 0;
    const dispute = simulator.openDispute(String(payment.latest_charge), { amount: 1000 });
    simulator.closeDispute(dispute.id, 'lost');
    expect(simulator.balance().eur).toBe(before - 1000);
    expect((await stripe.disputes.retrieve(dispute.id)).status).toBe('lost');
    expect(() => simulator.closeDispute(dispute.id, 'won')).toThrow(/already closed/);
  });
});

describe('Payouts of connected accounts', () => {
  it('reports paid and failed payouts as Connect events of the account', async () => {
    const seller = await onboardedSeller();
    await captured(3000);
    await stripe.transfers.create({ amount: 3000, currency: 'eur', destination: seller });

    const failed = simulator.payout(seller, {
      currency: 'eur',
      outcome: 'failed',
      failureCode: 'account_closed',
    });
    expect(failed).toMatchObject({ status: 'failed', failure_code: 'account_closed', amount: 3000 });
    expect(failed.failure_message).toMatch(/closed/);
    expect(simulator.balance(seller)).toEqual({ eur: 3000 });

    const paid = simulator.payout(seller, { currency: 'eur', amount: 2000 });
    expect(simulator.balance(seller)).toEqual({ eur: 1000 });
    const events = simulator.events().filter((event) => event.type.startsWith('payout.'));
    expect(events.slice(-2).map(({ type, account }) => ({ type, account }))).toEqual([
      { type: 'payout.failed', account: seller },
      { type: 'payout.paid', account: seller },
    ]);
    const read = await stripe.payouts.retrieve(paid.id, {}, { stripeAccount: seller });
    expect(read).toMatchObject({ status: 'paid', amount: 2000 });
    const balance = await stripe.balance.retrieve({}, { stripeAccount: seller });
    expect(balance.available).toEqual([{ amount: 1000, currency: 'eur', source_types: { card: 1000 } }]);
  });
});
