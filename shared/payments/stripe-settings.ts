import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import Stripe from 'stripe';
import { z } from 'zod';

/** What the platform needs to talk to Stripe and to trust its webhooks. */
export interface StripeSettings {
  readonly secretKey: string;
  /** The webhook endpoint's signing secret (`whsec_…`). */
  readonly webhookSecret: string;
  /** Another Stripe API address, e.g. the local payment simulator; omitted for Stripe itself. */
  readonly apiUrl?: string;
}

/** Names the Secrets Manager secret holding the settings, in the cloud. */
export const stripeSecretArnVariable = 'STRIPE_SECRET_ARN';

const secretSchema = z.object({ secretKey: z.string().min(1), webhookSecret: z.string().min(1) });

/**
 * The settings from Secrets Manager when `STRIPE_SECRET_ARN` names a secret (in the cloud: read
 * once per container), else from `STRIPE_SECRET_KEY`, `STRIPE_WEBHOOK_SECRET` and `STRIPE_API_URL`.
 */
export async function loadStripeSettings(env: NodeJS.ProcessEnv = process.env): Promise<StripeSettings> {
  const secretArn = env[stripeSecretArnVariable];
  if (secretArn) {
    const client = new SecretsManagerClient({});
    try {
      const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: secretArn }));
      const parsed = secretSchema.safeParse(JSON.parse(SecretString ?? '{}'));
      if (!parsed.success) {
        throw new Error('The Stripe secret must be JSON with secretKey and webhookSecret; see the README.');
      }
      return parsed.data;
    } finally {
      client.destroy();
    }
  }
  const { STRIPE_SECRET_KEY: secretKey, STRIPE_WEBHOOK_SECRET: webhookSecret, STRIPE_API_URL: apiUrl } = env;
  if (!secretKey || !webhookSecret) {
    throw new Error(
      'Set STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET (or STRIPE_SECRET_ARN) to take payments.',
    );
  }
  return { secretKey, webhookSecret, ...(apiUrl ? { apiUrl } : {}) };
}

/** The Stripe SDK for these settings; network failures are retried by the SDK with the same idempotency key. */
export function stripeClient({ secretKey, apiUrl }: StripeSettings): Stripe {
  const api = apiUrl ? new URL(apiUrl) : undefined;
  return new Stripe(secretKey, {
    maxNetworkRetries: 2,
    ...(api
      ? { host: api.hostname, port: api.port, protocol: api.protocol === 'http:' ? 'http' : 'https' }
      : {}),
  });
}
