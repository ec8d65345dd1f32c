import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type PaymentSimulator, startPaymentSimulator } from '#infra/local/payment-simulator/index.ts';
import { stripeClientOf } from '../support/stripe.ts';

const webhookSecret = 'whsec_payment_simulator_test';

/** A webhook endpoint that verifies each delivery as the platform's route will, and records it. */
async function startReceiver() {
  const received: Stripe.Event[] = [];
  const state = { rejected: 0, failuresToAnswer: 0 };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (state.failuresToAnswer > 0) {
        state.failuresToAnswer -= 1;
        response.writeHead(500).end();
        return;
      }
      try {
        const signature = String(request.headers['stripe-signature']);
        received.push(Stripe.webhooks.constructEvent(Buffer.concat(chunks), signature, webhookSecret, 300));
        response.writeHead(200).end();
      } catch {
        state.rejected += 1;
        response.writeHead(400).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks/stripe`,
    received,
    state,
    /** The next `count` deliveries get a 500. */
    failNext(count: number) {
      state.failuresToAnswer = count;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let receiver: Awaited<ReturnType<typeof startReceiver>>;
let simulator: PaymentSimulator;
let stripe: Stripe;

beforeAll(async () => {
  receiver = await startReceiver();
  simulator = await startPaymentSimulator({
    webhook: { url: receiver.url, secret: webhookSecret, firstRetryDelayMs: 20 },
  });
  stripe = stripeClientOf(simulator);
});

afterAll(async () => {
  await simulator.stop();
  await receiver.close();
});

beforeEach(async () => {
  await simulator.webhooks.settled();
  receiver.received.length = 0;
});

const receivedTypes = () => receiver.received.map((event) => event.type);

async function authorisedPayment(amount = 2500) {
  return stripe.paymentIntents.create({
    amount,
    currency: 'eur',
    capture_method: 'manual',
    payment_method: 'pm_card_visa',
    confirm: true,
  });
}

describe('Connect onboarding, seen through the webhook', () => {
  it('delivers a signed account.updated, as a Connect event, when the seller completes the Account Link', async () => {
    const account = await stripe.accounts.create({
      type: 'express',
      country: 'FR',
      email: 'seller@example.com',
      capabilities: { card_payments: { requested: true }, transfers: { requested: true } },
    });
    expect(account).toMatchObject({ charges_enabled: false, payouts_enabled: false, type: 'express' });
    expect(account.requirements?.currently_due).toContain('external_account');
    const link = await stripe.accountLinks.create({
      account: account.id,
      refresh_url: 'https://marketplace.example/onboarding/refresh',
      return_url: 'https://marketplace.example/onboarding/done',
      type: 'account_onboarding',
    });
    expect(link.expires_at).toBeGreaterThan(link.created);

    const visit = await fetch(link.url, { redirect: 'manual' });
    expect(visit.status).toBe(302);
    expect(visit.headers.get('location')).toBe('https://marketplace.example/onboarding/done');
    await simulator.webhooks.settled();

    expect(receiver.state.rejected).toBe(0);
    const [updated] = receiver.received;
    expect(updated).toMatchObject({
      type: 'account.updated',
      account: account.id,
      livemode: false,
      api_version: Stripe.API_VERSION,
      data: {
        object: {
          id: account.id,
          charges_enabled: true,
          payouts_enabled: true,
          capabilities: { card_payments: 'active', transfers: 'active' },
          requirements: { currently_due: [], disabled_reason: null },
        },
        previous_attributes: { charges_enabled: false, payouts_enabled: false },
      },
    });
    expect(updated?.id).toMatch(/^evt_/);

    const again = await fetch(link.url, { redirect: 'manual' });
    expect(again.headers.get('location')).toBe('https://marketplace.example/onboarding/refresh');
  });

  it('tells the platform why Stripe disabled an account', async () => {
    const account = await stripe.accounts.create({ type: 'express', country: 'DE' });
    simulator.rejectOnboarding(account.id, {
      disabledReason: 'requirements.past_due',
      currentlyDue: ['individual.verification.document'],
    });
    await simulator.webhooks.settled();
    expect(receiver.received[0]?.data.object).toMatchObject({
      charges_enabled: false,
      requirements: {
        currently_due: ['individual.verification.document'],
        disabled_reason: 'requirements.past_due',
      },
    });
  });
});

describe('Webhook delivery', () => {
  it('retries an event the endpoint refused, with backoff, until it answers 2xx', async () => {
    const account = await stripe.accounts.create({ type: 'express', country: 'FR' });
    receiver.failNext(2);
    const updated = simulator.completeOnboarding(account.id);
    await simulator.webhooks.settled();

    const event = simulator.events('account.updated').find((candidate) => candidate.account === updated.id);
    const attempts = simulator.webhooks.deliveries().filter((attempt) => attempt.eventId === event?.id);
    expect(attempts.map(({ attempt, status }) => [attempt, status])).toEqual([
      [1, 500],
      [2, 500],
      [3, 200],
    ]);
    expect(receiver.received.map((received) => received.id)).toEqual([event?.id]);
  });

  it('gives up after the last attempt', async () => {
    const account = await stripe.accounts.create({ type: 'express', country: 'FR' });
    receiver.failNext(5);
    simulator.completeOnboarding(account.id);
    await simulator.webhooks.settled();
    const [event] = simulator
      .events('account.updated')
      .filter((candidate) => candidate.account === account.id);
    const attempts = simulator.webhooks.deliveries().filter((attempt) => attempt.eventId === event?.id);
    expect(attempts).toHaveLength(5);
    expect(attempts.every((attempt) => !attempt.delivered)).toBe(true);
    expect(receiver.received).toEqual([]);
  });

  it('delivers the same event several times at once on demand', async () => {
    const payment = await authorisedPayment();
    await simulator.webhooks.settled();
    const [authorised] = simulator
      .events('payment_intent.amount_capturable_updated')
      .filter((event) => (event.data.object as { id: string }).id === payment.id);
    receiver.received.length = 0;

    simulator.webhooks.resend(String(authorised?.id), 5);
    await simulator.webhooks.settled();
    expect(receiver.received).toHaveLength(5);
    expect(new Set(receiver.received.map((event) => event.id))).toEqual(new Set([authorised?.id]));
  });

  it('holds events and releases them in reverse order', async () => {
    simulator.webhooks.hold();
    const payment = await authorisedPayment();
    await stripe.paymentIntents.capture(payment.id, { amount_to_capture: 2000 });
    await simulator.webhooks.settled();
    expect(receiver.received).toEqual([]);

    const released = simulator.webhooks.release('reversed');
    await simulator.webhooks.settled();
    expect(receivedTypes()).toEqual([
      'payment_intent.succeeded',
      'charge.captured',
      'payment_intent.amount_capturable_updated',
      'charge.succeeded',
      'payment_intent.created',
    ]);
    expect(receiver.received.map((event) => event.id)).toEqual(released.map((event) => event.id));
  });

  it('releases chosen held events in the given order and keeps holding the rest', async () => {
    simulator.webhooks.hold();
    const payment = await authorisedPayment();
    await stripe.paymentIntents.cancel(payment.id);
    const ofPayment = simulator
      .events()
      .filter((event) => (event.data.object as { id?: string }).id === payment.id)
      .map((event) => event.id);
    const [created, , canceled] = ofPayment;

    simulator.webhooks.release([String(canceled), String(created)]);
    await simulator.webhooks.settled();
    expect(receivedTypes()).toEqual(['payment_intent.canceled', 'payment_intent.created']);

    simulator.webhooks.release();
    await simulator.webhooks.settled();
    expect(receivedTypes()).toEqual([
      'payment_intent.canceled',
      'payment_intent.created',
      'charge.succeeded',
      'payment_intent.amount_capturable_updated',
    ]);
  });

  it('signs every delivery so that constructEvent accepts it, and records the request behind the event', async () => {
    const payment = await stripe.paymentIntents.create(
      { amount: 900, currency: 'usd', capture_method: 'manual' },
      { idempotencyKey: 'checkout-signed' },
    );
    await simulator.webhooks.settled();
    expect(receiver.state.rejected).toBe(0);
    expect(receiver.received[0]).toMatchObject({
      type: 'payment_intent.created',
      request: { idempotency_key: 'checkout-signed' },
      data: { object: { id: payment.id, status: 'requires_payment_method' } },
    });
    expect(receiver.received[0]?.request?.id).toBe(payment.lastResponse.requestId);
  });
});
