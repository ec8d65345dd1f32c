import {
  GetSecretValueCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localAccount, localAdministrator } from '#infra/local/aws/authorization.ts';
import { createDocumentClient, tableName } from '#shared/store/client.ts';
import { StripeEventStore } from '#shared/store/stripe-event-store.ts';
import { type ApiResponse, TestApi } from '../support/api.ts';
import { eventually } from '../support/eventually.ts';
import { aliceProfile } from '../support/fixtures.ts';
import { runOps } from '../support/ops.ts';
import { unhandledStripeEvent } from '../support/stripe-events.ts';

let api: TestApi;
let secrets: SecretsManagerClient;
let secretId: string;
/** What the local stack put in the secret: the payment simulator's key, signing secret and address. */
let filled: { secretKey: string; webhookSecret: string; apiUrl: string };

/** Replaces the secret's value, as an operator (or CloudFormation creating it) does. */
const putSecret = (value: Record<string, string>) =>
  secrets.send(new PutSecretValueCommand({ SecretId: secretId, SecretString: JSON.stringify(value) }));

beforeAll(async () => {
  api = await TestApi.start();
  const { aws } = api.stack;
  const [stripeSecretId = ''] = aws.resourcesOfType('AWS::SecretsManager::Secret');
  secretId = aws.references.arnOf(stripeSecretId);
  secrets = new SecretsManagerClient({
    endpoint: aws.secrets.url,
    region: localAccount.region,
    credentials: localAdministrator,
  });
  filled = JSON.parse(
    (await secrets.send(new GetSecretValueCommand({ SecretId: secretId }))).SecretString ?? '',
  );
  // As CloudFormation creates it (the local stack also needs the simulator's address), before any
  // function has read it.
  await putSecret({ secretKey: '', webhookSecret: '', connectWebhookSecret: '', apiUrl: filled.apiUrl });
});
afterAll(async () => {
  secrets?.destroy();
  await api?.stop();
});

const signedDelivery = (payload: string) => ({
  body: payload,
  headers: {
    'stripe-signature': Stripe.webhooks.generateTestHeaderString({ payload, secret: filled.webhookSecret }),
  },
});

function expectPaymentsNotConfigured(response: ApiResponse, lacking: RegExp) {
  expect(response.status, JSON.stringify(response.body)).toBe(503);
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  expect(response.body).toMatchObject({ status: 503, code: 'payments_not_configured' });
  expect(response.body.detail).toMatch(lacking);
}

describe('a deployment whose Stripe secret is not filled in yet', () => {
  it('answers what needs Stripe with 503 naming what the secret lacks, and health says so', async () => {
    const health = await api.call('GET', '/health');
    expect(health.status).toBe(503);
    expect(health.body).toEqual({
      status: 'degraded',
      missing: ['stripe.secretKey', 'stripe.webhookSecret'],
      invalid: [],
    });

    const seller = await api.token('unconfigured-seller', 'seller');
    expect((await api.call('PUT', '/sellers/me', { token: seller, body: aliceProfile })).status).toBe(201);
    const onboarding = await api.call('POST', '/sellers/me/payments-account', { token: seller });
    expectPaymentsNotConfigured(onboarding, /lacks secretKey and webhookSecret/);
  });

  it('refuses Stripe’s deliveries with 503, so Stripe delivers them again later, and stores nothing', async () => {
    const event = unhandledStripeEvent();
    const delivery = await api.call('POST', '/webhooks/stripe', signedDelivery(JSON.stringify(event)));
    expectPaymentsNotConfigured(delivery, /lacks secretKey and webhookSecret/);
    expect(await new StripeEventStore(createDocumentClient(), tableName()).get(event.id)).toBeUndefined();
  });

  it('fails the smoke check, which says what to fill in', async () => {
    const { code, lines } = await runOps('smoke', [
      '--api',
      api.stack.url,
      '--origin',
      'https://shop.example',
    ]);
    expect(code).toBe(1);
    expect(lines.filter((line) => line.startsWith('FAIL'))).toEqual([
      'FAIL  GET /health: up but degraded: missing stripe.secretKey, stripe.webhookSecret ' +
        '(fill the Stripe secret in: npm run configure -- stripe)',
      'FAIL  POST /webhooks/stripe: expected 400 invalid_signature for a forged delivery, got 503 ' +
        'payments_not_configured: Payments are not configured: the Stripe secret lacks secretKey and ' +
        'webhookSecret. The operator fills it in with npm run configure -- stripe.',
    ]);
  }, 30_000);

  it('names a key that is not a secret key, never showing the secret’s values', async () => {
    const publishableKey = 'pk_test_shown_to_browsers_only';
    await putSecret({
      secretKey: publishableKey,
      webhookSecret: filled.webhookSecret,
      apiUrl: filled.apiUrl,
    });
    const health = await eventually(async () => {
      const response = await api.call('GET', '/health');
      expect(response.body.invalid).toEqual(['stripe.secretKey']);
      return response;
    }, 15_000);
    expect(health.body).toEqual({ status: 'degraded', missing: [], invalid: ['stripe.secretKey'] });
    const seller = await api.token('unconfigured-seller', 'seller');
    const onboarding = await api.call('POST', '/sellers/me/payments-account', { token: seller });
    expectPaymentsNotConfigured(onboarding, /secretKey is not a Stripe secret key/);
    for (const response of [health, onboarding]) {
      const text = JSON.stringify(response.body);
      expect(text).not.toContain(publishableKey);
      expect(text).not.toContain(filled.webhookSecret);
    }
  });

  it('serves them once the operator fills the secret in with npm run configure, without a restart', async () => {
    // The operator's shell: the local AWS endpoint, and the local stack's administrator credentials.
    const configured = await runOps('configure', ['stripe', '--secret-id', secretId], {
      env: {
        ...process.env,
        AWS_ENDPOINT_URL: api.stack.aws.url,
        AWS_ACCESS_KEY_ID: localAdministrator.accessKeyId,
        AWS_SECRET_ACCESS_KEY: localAdministrator.secretAccessKey,
      },
      input: `${filled.secretKey}\n${filled.webhookSecret}\nnone\n`,
    });
    expect(configured.code, configured.output).toBe(0);
    expect(configured.output).not.toContain(filled.webhookSecret);
    const health = await eventually(async () => {
      const response = await api.call('GET', '/health');
      expect(response.status).toBe(200);
      return response;
    }, 15_000);
    expect(health.body).toEqual({ status: 'ok' });
    const seller = await api.token('unconfigured-seller', 'seller');
    const onboarding = await api.call('POST', '/sellers/me/payments-account', { token: seller });
    expect(onboarding.status, JSON.stringify(onboarding.body)).toBe(201);
    const event = unhandledStripeEvent();
    const delivery = await api.call('POST', '/webhooks/stripe', signedDelivery(JSON.stringify(event)));
    expect(delivery.status, JSON.stringify(delivery.body)).toBe(200);
    const smoke = await runOps('smoke', ['--api', api.stack.url, '--origin', 'https://shop.example']);
    expect(smoke.code, smoke.output).toBe(0);
  }, 60_000);
});
