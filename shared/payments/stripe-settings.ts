import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import Stripe from 'stripe';
import { z } from 'zod';
import { requiredVariable, resourceVariables } from '#shared/config/function-resources.ts';

/** What the platform needs to talk to Stripe and to trust its webhooks. */
export interface StripeSettings {
  /** The platform's secret (`sk_…`) or restricted (`rk_…`) key; its prefix tells live mode from test mode. */
  readonly secretKey: string;
  /**
   * The signing secrets (`whsec_…`) of the webhook endpoints pointing at POST /webhooks/stripe: the
   * endpoint of the platform account's events, then the one of connected accounts' events if it has
   * its own. A delivery is trusted when one of them verifies it.
   */
  readonly webhookSecrets: readonly string[];
  /** Another Stripe API address, e.g. the local payment simulator; omitted for Stripe itself. */
  readonly apiUrl?: string;
}

/**
 * Whether the key acts in live mode (`sk_live_…`, `rk_live_…`); any other key is a test-mode key.
 * Events carry the same distinction in `livemode`.
 */
export const isLiveModeKey = (secretKey: string): boolean => /^(sk|rk)_live_/.test(secretKey);

const secretSchema = z.object({
  secretKey: z.string().min(1),
  webhookSecret: z.string().min(1),
  // Left empty (as the placeholder has it) when one endpoint receives both kinds of events.
  connectWebhookSecret: z.string().optional(),
  // Another Stripe API address, e.g. the local stack's payment simulator.
  apiUrl: z.url().optional(),
});

/** The platform endpoint's signing secret, then the connected accounts' endpoint's if it has another. */
const signingSecrets = (webhookSecret: string, connectWebhookSecret: string | undefined) =>
  connectWebhookSecret && connectWebhookSecret !== webhookSecret
    ? [webhookSecret, connectWebhookSecret]
    : [webhookSecret];

/** The settings in the Secrets Manager secret CDK names in `STRIPE_SECRET_ARN`: read once per container. */
export async function loadStripeSettings(env: NodeJS.ProcessEnv = process.env): Promise<StripeSettings> {
  const client = new SecretsManagerClient({});
  try {
    const { SecretString } = await client.send(
      new GetSecretValueCommand({ SecretId: requiredVariable(resourceVariables.stripeSecretArn, env) }),
    );
    return settingsFromSecret(SecretString ?? '{}');
  } finally {
    client.destroy();
  }
}

/** The settings in the Secrets Manager secret's JSON. */
export function settingsFromSecret(secretString: string): StripeSettings {
  const parsed = secretSchema.safeParse(JSON.parse(secretString));
  if (!parsed.success) {
    throw new Error(
      'The Stripe secret must be JSON with secretKey and webhookSecret (and optionally ' +
        'connectWebhookSecret); see the README.',
    );
  }
  const { secretKey, webhookSecret, connectWebhookSecret, apiUrl } = parsed.data;
  return {
    secretKey,
    webhookSecrets: signingSecrets(webhookSecret, connectWebhookSecret),
    ...(apiUrl ? { apiUrl } : {}),
  };
}

/** How the SDK calls Stripe: each attempt cut after `timeoutMs`, a failed one tried again up to `retries` times. */
export const stripeCallPolicy = { timeoutMs: 8000, retries: 2 } as const;

/**
 * The longest one Stripe call may take, every attempt timing out, with the SDK's backoff between
 * them (at most 2 s each): what a function calling Stripe must allow itself beyond its other work.
 */
export const stripeCallMaxSeconds =
  ((stripeCallPolicy.retries + 1) * stripeCallPolicy.timeoutMs) / 1000 + stripeCallPolicy.retries * 2;

/** The Stripe SDK for these settings; network failures are retried by the SDK with the same idempotency key. */
export function stripeClient({ secretKey, apiUrl }: StripeSettings): Stripe {
  const api = apiUrl ? new URL(apiUrl) : undefined;
  return new Stripe(secretKey, {
    maxNetworkRetries: stripeCallPolicy.retries,
    timeout: stripeCallPolicy.timeoutMs,
    ...(api
      ? { host: api.hostname, port: api.port, protocol: api.protocol === 'http:' ? 'http' : 'https' }
      : {}),
  });
}
