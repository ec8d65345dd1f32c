import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PaymentSimulator, startPaymentSimulator } from '#infra/local/payment-simulator/index.ts';
import { stripeClientOf, stripeFailure } from '../support/stripe.ts';

let simulator: PaymentSimulator;
let stripe: Stripe;

beforeAll(async () => {
  simulator = await startPaymentSimulator({ secretKey: 'sk_test_simulated' });
  stripe = stripeClientOf(simulator);
});

afterAll(() => simulator.stop());

const checkout = (amount: number) =>
  ({ amount, currency: 'eur', capture_method: 'manual', metadata: { checkoutId: 'c-1' } }) as const;

const paymentIntentsCreated = () => simulator.events('payment_intent.created').length;

describe('Idempotency keys', () => {
  it('replays the first response to a retry with the same key and parameters', async () => {
    const before = paymentIntentsCreated();
    const first = await stripe.paymentIntents.create(checkout(1000), { idempotencyKey: 'authorise:c-1' });
    const retry = await stripe.paymentIntents.create(checkout(1000), { idempotencyKey: 'authorise:c-1' });
    expect(retry.id).toBe(first.id);
    expect(retry.lastResponse.headers['idempotent-replayed']).toBe('true');
    expect(retry.lastResponse.headers['original-request']).toBe(first.lastResponse.requestId);
    expect(first.lastResponse.headers['idempotent-replayed']).toBeUndefined();
    expect(paymentIntentsCreated()).toBe(before + 1);
  });

  it('refuses the same key with other parameters or on another endpoint', async () => {
    await stripe.paymentIntents.create(checkout(1000), { idempotencyKey: 'authorise:c-2' });
    const otherAmount = await stripeFailure(
      stripe.paymentIntents.create(checkout(1001), { idempotencyKey: 'authorise:c-2' }),
    );
    expect(otherAmount).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    expect(otherAmount).toMatchObject({ statusCode: 400, rawType: 'idempotency_error' });
    expect(otherAmount.message).toMatch(/same parameters/);

    const otherEndpoint = await stripeFailure(
      stripe.accounts.create({ type: 'express' }, { idempotencyKey: 'authorise:c-2' }),
    );
    expect(otherEndpoint).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
  });

  it('replays an error from an endpoint that ran, but not a validation failure', async () => {
    const declined = { ...checkout(500), payment_method: 'pm_card_chargeDeclined', confirm: true };
    const first = await stripeFailure(
      stripe.paymentIntents.create(declined, { idempotencyKey: 'authorise:c-3' }),
    );
    const retry = await stripeFailure(
      stripe.paymentIntents.create(declined, { idempotencyKey: 'authorise:c-3' }),
    );
    expect(retry).toMatchObject({ statusCode: 402, code: 'card_declined' });
    expect(retry.headers?.['idempotent-replayed']).toBe('true');
    expect(retry.payment_intent?.id).toBe(first.payment_intent?.id);

    const invalid = await stripeFailure(
      stripe.paymentIntents.create({ amount: 0, currency: 'eur' }, { idempotencyKey: 'authorise:c-4' }),
    );
    expect(invalid).toMatchObject({ statusCode: 400, code: 'parameter_invalid_integer', param: 'amount' });
    const corrected = await stripe.paymentIntents.create(checkout(700), { idempotencyKey: 'authorise:c-4' });
    expect(corrected.amount).toBe(700);
  });

  it("lets the SDK's own retry of a lost response find the first result instead of paying twice", async () => {
    const before = paymentIntentsCreated();
    simulator.loseNextResponses(1);
    const payment = await stripe.paymentIntents.create(checkout(1500));
    expect(payment.lastResponse.headers['idempotent-replayed']).toBe('true');
    expect(payment.lastResponse.headers['idempotency-key']).toMatch(/^stripe-node-retry-/);
    expect(paymentIntentsCreated()).toBe(before + 1);
  });

  it('forgets keys after 24 hours', async () => {
    const isolated = await startPaymentSimulator();
    const client = stripeClientOf(isolated);
    try {
      const first = await client.paymentIntents.create(checkout(1000), { idempotencyKey: 'authorise:c-5' });
      isolated.advanceClock(86_400);
      const second = await client.paymentIntents.create(checkout(2000), { idempotencyKey: 'authorise:c-5' });
      expect(second.id).not.toBe(first.id);
    } finally {
      await isolated.stop();
    }
  });
});

describe('Requests Stripe refuses', () => {
  it('answers 401 without the secret key or with another one', async () => {
    const anonymous = await fetch(`${simulator.url}/v1/balance`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({
      error: { type: 'invalid_request_error', message: expect.stringMatching(/did not provide an API key/) },
    });

    const stranger = new Stripe('sk_test_someone_else', {
      host: simulator.host,
      port: simulator.port,
      protocol: 'http',
    });
    expect(await stripeFailure(stranger.balance.retrieve())).toBeInstanceOf(
      Stripe.errors.StripeAuthenticationError,
    );
  });

  it('accepts the key as the Basic user name, as curl -u sends it', async () => {
    const response = await fetch(`${simulator.url}/v1/balance`, {
      headers: { authorization: `Basic ${Buffer.from(`${simulator.secretKey}:`).toString('base64')}` },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ object: 'balance', livemode: false });
  });

  it('names unknown and missing parameters, unknown ids and unknown URLs', async () => {
    expect(
      await stripeFailure(
        stripe.paymentIntents.create({
          ...checkout(100),
          colour: 'blue',
        } as Stripe.PaymentIntentCreateParams),
      ),
    ).toMatchObject({ statusCode: 400, code: 'parameter_unknown', param: 'colour' });
    expect(
      await stripeFailure(stripe.transfers.create({ currency: 'eur', destination: 'acct_1' } as never)),
    ).toMatchObject({
      code: 'parameter_missing',
      param: 'amount',
    });
    expect(await stripeFailure(stripe.paymentIntents.retrieve('pi_missing'))).toMatchObject({
      statusCode: 404,
      code: 'resource_missing',
    });
    const unknown = await fetch(`${simulator.url}/v1/customers`, {
      headers: { authorization: `Bearer ${simulator.secretKey}` },
    });
    expect(unknown.status).toBe(404);
  });

  it('refuses expansions the object does not have, before doing anything', async () => {
    const before = paymentIntentsCreated();
    expect(
      await stripeFailure(stripe.paymentIntents.create({ ...checkout(100), expand: ['customer'] })),
    ).toMatchObject({
      statusCode: 400,
      param: 'expand',
    });
    expect(paymentIntentsCreated()).toBe(before);
  });

  it('refuses Stripe-Account where the platform acts for itself', async () => {
    const account = await stripe.accounts.create({ type: 'express' });
    const refused = await stripeFailure(
      stripe.paymentIntents.create(checkout(100), { stripeAccount: account.id }),
    );
    expect(refused).toMatchObject({ statusCode: 400, param: 'Stripe-Account' });
  });
});

describe('Controls over HTTP', () => {
  const control = (method: string, path: string, body?: unknown, key = simulator.secretKey) =>
    fetch(`${simulator.url}/_simulator/${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  it('completes onboarding, moves the clock and lists events, for the local stack and CLIs', async () => {
    const account = await stripe.accounts.create({
      type: 'express',
      capabilities: { transfers: { requested: true } },
    });
    expect(
      (await control('POST', `accounts/${account.id}/complete_onboarding`, undefined, 'sk_wrong')).status,
    ).toBe(401);
    const onboarded = await control('POST', `accounts/${account.id}/complete_onboarding`);
    expect(await onboarded.json()).toMatchObject({ id: account.id, charges_enabled: true });

    const before = simulator.now();
    const advanced = await control('POST', 'clock/advance', { seconds: 3600 });
    expect(((await advanced.json()) as { now: number }).now).toBeGreaterThanOrEqual(before + 3600);

    const events = (await (await control('GET', 'events?type=account.updated')).json()) as Stripe.Event[];
    expect(events.map((event) => event.account)).toContain(account.id);
  });

  it('opens and closes disputes and funds the platform', async () => {
    expect((await control('POST', 'balance/fund', { amount: 10_000, currency: 'usd' })).status).toBe(204);
    expect(((await (await control('GET', 'balance')).json()) as Record<string, number>).usd).toBe(10_000);

    const payment = await stripe.paymentIntents.create({
      amount: 900,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      confirm: true,
    });
    expect(payment.status).toBe('succeeded');
    const opened = (await (
      await control('POST', 'disputes', { payment: payment.id })
    ).json()) as Stripe.Dispute;
    const closed = await control('POST', `disputes/${opened.id}/close`, { outcome: 'lost' });
    expect(await closed.json()).toMatchObject({ id: opened.id, status: 'lost' });
  });

  it('explains a malformed control request', async () => {
    const response = await control('POST', 'clock/advance', { seconds: -5 });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { message: expect.stringMatching(/seconds/) } });
  });
});

describe('Latency', () => {
  it('waits the injected latency before every API response', async () => {
    simulator.setLatency(120);
    try {
      const started = performance.now();
      await stripe.balance.retrieve();
      expect(performance.now() - started).toBeGreaterThanOrEqual(115);
    } finally {
      simulator.setLatency(0);
    }
  });
});
