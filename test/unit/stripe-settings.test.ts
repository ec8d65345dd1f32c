import { describe, expect, it, vi } from 'vitest';
import { allowEverything } from '#infra/local/aws/authorization.ts';
import { startSecretsManagerEndpoint } from '#infra/local/aws/secrets-manager-endpoint.ts';
import { NotConfigured } from '#shared/config/not-configured.ts';
import {
  isLiveModeKey,
  stripeConfigurationOf,
  stripeSecretReader,
  stripeSettingsSource,
} from '#shared/payments/stripe-settings.ts';

/** As CloudFormation creates the secret. */
const emptySecret = '{"secretKey":"","webhookSecret":"","connectWebhookSecret":""}';
const filledSecret = '{"secretKey":"sk_live_a","webhookSecret":"whsec_a","connectWebhookSecret":""}';

describe('Stripe settings', () => {
  it('accept the platform endpoint secret alone, or with a second one for connected accounts', () => {
    expect(stripeConfigurationOf('{"secretKey":"sk_live_a","webhookSecret":"whsec_a"}')).toEqual({
      complete: true,
      settings: { secretKey: 'sk_live_a', webhookSecrets: ['whsec_a'] },
    });
    expect(
      stripeConfigurationOf(
        '{"secretKey":"rk_test_a","webhookSecret":"whsec_a","connectWebhookSecret":"whsec_connect"}',
      ),
    ).toMatchObject({ complete: true, settings: { webhookSecrets: ['whsec_a', 'whsec_connect'] } });
  });

  it('take an empty connectWebhookSecret, as the secret is created, for none', () => {
    expect(stripeConfigurationOf(filledSecret)).toMatchObject({
      complete: true,
      settings: { webhookSecrets: ['whsec_a'] },
    });
  });

  it('name the required fields a secret lacks: empty, blank or absent, or not JSON at all', () => {
    const both = { complete: false, missing: ['secretKey', 'webhookSecret'], invalid: [] };
    for (const secret of [emptySecret, '{}', '', 'sk_live_pasted_as_plain_text', '["sk_live_a"]', 'null']) {
      expect(stripeConfigurationOf(secret), secret).toEqual(both);
    }
    expect(stripeConfigurationOf(undefined)).toEqual(both);
    expect(stripeConfigurationOf('{"secretKey":"sk_live_a","webhookSecret":"  "}')).toEqual({
      complete: false,
      missing: ['webhookSecret'],
      invalid: [],
    });
  });

  it('name the fields that are not of their shape', () => {
    expect(
      stripeConfigurationOf(
        '{"secretKey":"pk_live_a","webhookSecret":"sk_live_a","connectWebhookSecret":"x","apiUrl":"here"}',
      ),
    ).toEqual({
      complete: false,
      missing: [],
      invalid: ['secretKey', 'webhookSecret', 'connectWebhookSecret', 'apiUrl'],
    });
    expect(stripeConfigurationOf('{"secretKey":42,"webhookSecret":"whsec_a"}')).toMatchObject({
      invalid: ['secretKey'],
    });
  });

  it('tell live-mode keys, secret or restricted, from every other key', () => {
    for (const key of ['sk_live_a', 'rk_live_a']) expect(isLiveModeKey(key), key).toBe(true);
    for (const key of ['sk_test_a', 'rk_test_a', 'sk_test_payment_simulator', 'pk_live_a', 'live_sk_a']) {
      expect(isLiveModeKey(key), key).toBe(false);
    }
  });
});

describe('a function’s Stripe settings', () => {
  /** A secret whose value the test sets, counting its reads, on a clock the test moves. */
  function secretAndClock(value: string) {
    const secret = { value, reads: 0 };
    const clock = { now: 0 };
    const source = stripeSettingsSource(
      async () => {
        secret.reads += 1;
        return secret.value;
      },
      { recheckMs: 5000, now: () => clock.now },
    );
    return { secret, clock, source };
  }

  it('are read once when the secret is complete', async () => {
    const { secret, clock, source } = secretAndClock(filledSecret);
    const [first, second] = await Promise.all([source.settings(), source.settings()]);
    clock.now += 3_600_000;
    expect(await source.settings()).toBe(first);
    expect(second).toBe(first);
    expect(secret.reads).toBe(1);
  });

  it('fail with NotConfigured naming what the secret lacks, never its values', async () => {
    const { source } = secretAndClock('{"secretKey":"sk_live_kept_secret","connectWebhookSecret":"whsec_c"}');
    const failure = await source.settings().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(NotConfigured);
    expect(failure).toMatchObject({
      code: 'payments_not_configured',
      message:
        'Payments are not configured: the Stripe secret lacks webhookSecret. The operator fills it in ' +
        'with npm run configure -- stripe.',
    });
    const invalid = secretAndClock('{"secretKey":"pk_live_kept_secret"}').source;
    const message = String(await invalid.settings().catch((error: Error) => error.message));
    expect(message).toBe(
      "Payments are not configured: the Stripe secret lacks webhookSecret; the Stripe secret's secretKey " +
        'is not a Stripe secret key (sk_live_…, sk_test_…) or restricted key (rk_live_…, rk_test_…). ' +
        'The operator fills it in with npm run configure -- stripe.',
    );
    expect(message).not.toContain('kept_secret');
  });

  it('are read again while incomplete, at most once per interval, and kept once filled in', async () => {
    const { secret, clock, source } = secretAndClock(emptySecret);
    expect(await source.configuration()).toMatchObject({ complete: false });
    secret.value = filledSecret;
    clock.now += 4999;
    expect(await source.configuration()).toMatchObject({ complete: false });
    expect(secret.reads).toBe(1);
    clock.now += 1;
    expect(await source.settings()).toEqual({ secretKey: 'sk_live_a', webhookSecrets: ['whsec_a'] });
    secret.value = emptySecret;
    clock.now += 60_000;
    expect(await source.configuration()).toMatchObject({ complete: true });
    expect(secret.reads).toBe(2);
  });

  it('do not keep a failed read: the next call reads again', async () => {
    let reads = 0;
    const source = stripeSettingsSource(async () => {
      reads += 1;
      if (reads === 1) throw new Error('Rate exceeded');
      return filledSecret;
    });
    await expect(source.settings()).rejects.toThrow('Rate exceeded');
    expect(await source.settings()).toMatchObject({ secretKey: 'sk_live_a' });
  });

  it('are read from the secret CDK names, through Secrets Manager, with the simulator address if any', async () => {
    const secrets = await startSecretsManagerEndpoint({ authorize: allowEverything });
    try {
      vi.stubEnv('AWS_ENDPOINT_URL_SECRETS_MANAGER', secrets.url);
      vi.stubEnv('AWS_REGION', 'us-east-1');
      vi.stubEnv('AWS_ACCESS_KEY_ID', 'StripeFunction');
      vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'local');
      const arn = secrets.createSecret(
        'stripe',
        '{"secretKey":"sk_test_a","webhookSecret":"whsec_a","apiUrl":"http://127.0.0.1:12111"}',
      );
      expect(await stripeSettingsSource(stripeSecretReader({ STRIPE_SECRET_ARN: arn })).settings()).toEqual({
        secretKey: 'sk_test_a',
        webhookSecrets: ['whsec_a'],
        apiUrl: 'http://127.0.0.1:12111',
      });
      const empty = secrets.createSecret('empty-stripe', emptySecret);
      await expect(
        stripeSettingsSource(stripeSecretReader({ STRIPE_SECRET_ARN: empty })).configuration(),
      ).resolves.toEqual({ complete: false, missing: ['secretKey', 'webhookSecret'], invalid: [] });
      await expect(stripeSettingsSource(stripeSecretReader({})).settings()).rejects.toThrow(
        'needs STRIPE_SECRET_ARN',
      );
    } finally {
      vi.unstubAllEnvs();
      await secrets.stop();
    }
  });
});
