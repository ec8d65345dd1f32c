import { randomUUID } from 'node:crypto';
import {
  GetSecretValueCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localAccount, localAdministrator } from '#infra/local/aws/authorization.ts';
import { createDocumentClient, tableName } from '#shared/store/client.ts';
import { eventOfPayload, StripeEventStore } from '#shared/store/stripe-event-store.ts';
import { type ApiResponse, TestApi } from '../support/api.ts';
import { stripeClientOf } from '../support/stripe.ts';
import { harmlessStripeEvent, unhandledStripeEvent } from '../support/stripe-events.ts';

let api: TestApi;
let events: StripeEventStore;
let webhookSecret: string;

/** The signing secret of a second endpoint, as a deployment with one for connected accounts' events has. */
const connectWebhookSecret = `whsec_e2e_connect_${randomUUID().replaceAll('-', '')}`;

beforeAll(async () => {
  api = await TestApi.start();
  const { aws } = api.stack;
  const [stripeSecretId = ''] = aws.resourcesOfType('AWS::SecretsManager::Secret');
  const SecretId = aws.references.arnOf(stripeSecretId);
  const secrets = new SecretsManagerClient({
    endpoint: aws.secrets.url,
    region: localAccount.region,
    credentials: localAdministrator,
  });
  const settings = JSON.parse(
    (await secrets.send(new GetSecretValueCommand({ SecretId }))).SecretString ?? '',
  );
  // The local stack signs the payment simulator's deliveries with this secret, and the route checks it.
  webhookSecret = settings.webhookSecret;
  // As an operator adds it to the secret; the webhook function reads the secret when it loads, at its first delivery.
  await secrets.send(
    new PutSecretValueCommand({
      SecretId,
      SecretString: JSON.stringify({ ...settings, connectWebhookSecret }),
    }),
  );
  secrets.destroy();
  events = new StripeEventStore(createDocumentClient(), tableName());
});
afterAll(() => api.stop());

const day = 86_400;

/** Stripe's delivery format: the event pretty-printed, as the payment simulator and Stripe send it. */
const payloadOf = (event: Stripe.Event) => JSON.stringify(event, null, 2);

const sign = (payload: string, timestamp?: number, secret = webhookSecret) =>
  Stripe.webhooks.generateTestHeaderString({
    payload,
    secret,
    ...(timestamp === undefined ? {} : { timestamp }),
  });

function deliver(payload: string, signature: string | undefined, contentType = 'application/json') {
  return api.call('POST', '/webhooks/stripe', {
    body: payload,
    headers: {
      'content-type': contentType,
      ...(signature === undefined ? {} : { 'stripe-signature': signature }),
    },
  });
}

async function expectRejected(response: ApiResponse, event: Stripe.Event, code = 'invalid_signature') {
  expect(response).toMatchObject({ status: 400, body: { code } });
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  await api.stack.stripeEvents.settled();
  expect(await events.get(event.id)).toBeUndefined();
}

describe('POST /webhooks/stripe refuses what Stripe did not sign just now, and stores nothing', () => {
  it('refuses a body changed after signing', async () => {
    const event = unhandledStripeEvent();
    const payload = payloadOf(event);
    const tampered = payload.replace('Zoë', 'Zoe');
    expect(tampered).not.toBe(payload);
    await expectRejected(await deliver(tampered, sign(payload)), event);
  });

  it('refuses a signature more than 300 seconds old', async () => {
    const event = unhandledStripeEvent();
    const payload = payloadOf(event);
    const stale = Math.floor(Date.now() / 1000) - 301;
    const response = await deliver(payload, sign(payload, stale));
    await expectRejected(response, event);
    expect(response.body.errors).toEqual([
      { field: 'headers.stripe-signature', message: expect.any(String) },
    ]);
  });

  it('refuses a delivery without a signature, or with one that is not a signature', async () => {
    const event = unhandledStripeEvent();
    const payload = payloadOf(event);
    await expectRejected(await deliver(payload, undefined), event);
    await expectRejected(await deliver(payload, 'garbage'), event);
    await expectRejected(
      await deliver(payload, `t=${Math.floor(Date.now() / 1000)},v1=${'0'.repeat(64)}`),
      event,
    );
  });

  it("refuses a signature made with a secret of neither endpoint, even a connected account's event", async () => {
    for (const event of [unhandledStripeEvent(), { ...unhandledStripeEvent(), account: 'acct_someone' }]) {
      const payload = payloadOf(event);
      const forged = sign(payload, undefined, 'whsec_someone_else');
      await expectRejected(await deliver(payload, forged), event);
    }
  });

  it('refuses a signed body that is not an event', async () => {
    const event = unhandledStripeEvent();
    const { id: _id, ...withoutId } = event;
    const payload = JSON.stringify(withoutId);
    await expectRejected(await deliver(payload, sign(payload)), event, 'malformed_event');
  });
});

describe('POST /webhooks/stripe with a verified event', () => {
  it('answers 200, stores the event for at least 30 days and processes it', async () => {
    const event = await harmlessStripeEvent(api.stack.paymentSimulator);
    const payload = payloadOf(event);
    const before = Math.floor(Date.now() / 1000);

    const response = await deliver(payload, sign(payload), 'application/json; charset=utf-8');

    expect(response).toMatchObject({ status: 200, body: { received: true } });
    await api.stack.stripeEvents.settled();
    const stored = await events.get(event.id);
    expect(stored && eventOfPayload(stored.payload)).toEqual(event);
    expect(stored?.expiresAt).toBeGreaterThanOrEqual(before + 30 * day);
    expect(stored).toMatchObject({ attempts: 1, processedAt: expect.any(String) });
  });

  it("accepts an event signed with the connected accounts' endpoint secret", async () => {
    const event = {
      ...(await harmlessStripeEvent(api.stack.paymentSimulator)),
      account: `acct_${randomUUID().slice(0, 8)}`,
    };
    const payload = payloadOf(event);

    const response = await deliver(payload, sign(payload, undefined, connectWebhookSecret));

    expect(response).toMatchObject({ status: 200, body: { received: true } });
    await api.stack.stripeEvents.settled();
    expect(await events.get(event.id)).toMatchObject({ attempts: 1, processedAt: expect.any(String) });
  });

  it('acknowledges a live-mode event while the key is a test key, and stores nothing', async () => {
    // A live-mode Connect endpoint receives connected accounts' test events too; here the other way round.
    const event = { ...(await harmlessStripeEvent(api.stack.paymentSimulator)), livemode: true };
    const payload = payloadOf(event);

    const response = await deliver(payload, sign(payload));

    expect(response).toMatchObject({ status: 200, body: { received: true } });
    await api.stack.stripeEvents.settled();
    expect(await events.get(event.id)).toBeUndefined();
  });

  it('acknowledges an event of a type it does not act on, and stores nothing', async () => {
    const event = unhandledStripeEvent();
    const payload = payloadOf(event);

    expect(await deliver(payload, sign(payload))).toMatchObject({ status: 200, body: { received: true } });
    await api.stack.stripeEvents.settled();
    expect(await events.get(event.id)).toBeUndefined();
  });

  it('verifies the exact bytes also when the gateway hands the body over base64-encoded', async () => {
    const event = await harmlessStripeEvent(api.stack.paymentSimulator);
    const payload = payloadOf(event);
    const response = await deliver(payload, sign(payload), 'application/octet-stream');
    expect(response.status).toBe(200);
    await api.stack.stripeEvents.settled();
    expect(await events.get(event.id)).toMatchObject({ eventId: event.id, processedAt: expect.any(String) });
  });

  it('stores and processes an event delivered 5 times at once once', async () => {
    const event = await harmlessStripeEvent(api.stack.paymentSimulator);
    const payload = payloadOf(event);

    const responses = await Promise.all(Array.from({ length: 5 }, () => deliver(payload, sign(payload))));

    expect(responses.map((response) => response.status)).toEqual([200, 200, 200, 200, 200]);
    await api.stack.stripeEvents.settled();
    expect(await events.get(event.id)).toMatchObject({ attempts: 1, processedAt: expect.any(String) });
    expect(api.stack.stripeEvents.deadLetters()).toEqual([]);
  });

  it('acknowledges a copy of a processed event without processing it again', async () => {
    const event = await harmlessStripeEvent(api.stack.paymentSimulator);
    const payload = payloadOf(event);
    await deliver(payload, sign(payload));
    await api.stack.stripeEvents.settled();
    const processed = await events.get(event.id);

    expect(await deliver(payload, sign(payload))).toMatchObject({ status: 200, body: { received: true } });
    await api.stack.stripeEvents.settled();
    expect(await events.get(event.id)).toEqual(processed);
  });

  it("accepts the payment simulator's signed deliveries, and processes an event delivered 6 times once", async () => {
    const simulator = api.stack.paymentSimulator;
    if (!simulator) throw new Error('The local stack runs the payment simulator');
    const stripe = stripeClientOf(simulator);
    const intent = await stripe.paymentIntents.create({
      amount: 1500,
      currency: 'eur',
      capture_method: 'manual',
    });
    await stripe.paymentIntents.cancel(intent.id);
    const created = simulator
      .events('payment_intent.canceled')
      .find((event) => (event.data.object as { id?: string }).id === intent.id);
    if (!created) throw new Error('The simulator emitted no payment_intent.canceled');

    simulator.webhooks.resend(created.id, 5);
    await simulator.webhooks.settled();
    await api.stack.stripeEvents.settled();

    const deliveries = simulator.webhooks.deliveries().filter((attempt) => attempt.eventId === created.id);
    expect(deliveries.map((attempt) => attempt.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(await events.get(created.id)).toMatchObject({ attempts: 1, processedAt: expect.any(String) });
  });
});
