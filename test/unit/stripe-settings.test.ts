import { describe, expect, it } from 'vitest';
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

  it('read the same from the environment, the connect secret optional', async () => {
    const env = { STRIPE_SECRET_KEY: 'sk_test_a', STRIPE_WEBHOOK_SECRET: 'whsec_a' };
    expect(await loadStripeSettings(env)).toEqual({ secretKey: 'sk_test_a', webhookSecrets: ['whsec_a'] });
    expect(
      await loadStripeSettings({
        ...env,
        STRIPE_CONNECT_WEBHOOK_SECRET: 'whsec_connect',
        STRIPE_API_URL: 'http://127.0.0.1:12111',
      }),
    ).toEqual({
      secretKey: 'sk_test_a',
      webhookSecrets: ['whsec_a', 'whsec_connect'],
      apiUrl: 'http://127.0.0.1:12111',
    });
    await expect(loadStripeSettings({ STRIPE_CONNECT_WEBHOOK_SECRET: 'whsec_connect' })).rejects.toThrow(
      /STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET/,
    );
  });

  it('tell live-mode keys, secret or restricted, from every other key', () => {
    for (const key of ['sk_live_a', 'rk_live_a']) expect(isLiveModeKey(key), key).toBe(true);
    for (const key of ['sk_test_a', 'rk_test_a', 'sk_test_payment_simulator', 'pk_live_a', 'live_sk_a']) {
      expect(isLiveModeKey(key), key).toBe(false);
    }
  });
});
