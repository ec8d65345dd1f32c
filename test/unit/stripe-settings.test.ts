import { describe, expect, it, vi } from 'vitest';
import { allowEverything } from '#infra/local/aws/authorization.ts';
import { startSecretsManagerEndpoint } from '#infra/local/aws/secrets-manager-endpoint.ts';
import { isLiveModeKey, loadStripeSettings, settingsFromSecret } from '#shared/payments/stripe-settings.ts';

describe('Stripe settings', () => {
  it('accept the platform endpoint secret alone, or with a second one for connected accounts', () => {
    expect(settingsFromSecret('{"secretKey":"sk_live_a","webhookSecret":"whsec_a"}')).toEqual({
      secretKey: 'sk_live_a',
      webhookSecrets: ['whsec_a'],
    });
    expect(
      settingsFromSecret(
        '{"secretKey":"sk_live_a","webhookSecret":"whsec_a","connectWebhookSecret":"whsec_connect"}',
      ).webhookSecrets,
    ).toEqual(['whsec_a', 'whsec_connect']);
  });

  it('take an empty connectWebhookSecret, as the secret is created, for none', () => {
    expect(
      settingsFromSecret('{"secretKey":"sk_live_a","webhookSecret":"whsec_a","connectWebhookSecret":""}')
        .webhookSecrets,
    ).toEqual(['whsec_a']);
  });

  it('refuse a secret without the key or the platform endpoint secret, saying what it needs', () => {
    for (const secret of ['{}', '{"secretKey":"sk_live_a"}', '{"secretKey":"","webhookSecret":"whsec_a"}']) {
      expect(() => settingsFromSecret(secret)).toThrow(/secretKey and webhookSecret/);
    }
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
      expect(await loadStripeSettings({ STRIPE_SECRET_ARN: arn })).toEqual({
        secretKey: 'sk_test_a',
        webhookSecrets: ['whsec_a'],
        apiUrl: 'http://127.0.0.1:12111',
      });
      await expect(loadStripeSettings({})).rejects.toThrow('needs STRIPE_SECRET_ARN');
    } finally {
      vi.unstubAllEnvs();
      await secrets.stop();
    }
  });

  it('tell live-mode keys, secret or restricted, from every other key', () => {
    for (const key of ['sk_live_a', 'rk_live_a']) expect(isLiveModeKey(key), key).toBe(true);
    for (const key of ['sk_test_a', 'rk_test_a', 'sk_test_payment_simulator', 'pk_live_a', 'live_sk_a']) {
      expect(isLiveModeKey(key), key).toBe(false);
    }
  });
});
