import { resolve } from 'node:path';
import { parseOrigins } from '#shared/http/cors.ts';
import { operatorSettingPrefix } from './operator-settings.ts';

/** Stripe's test mode when both its key and `stripe listen`'s webhook secret are given; else the simulator. */
function stripeTestMode({
  STRIPE_SECRET_KEY: secretKey,
  STRIPE_WEBHOOK_SECRET: webhookSecret,
  STRIPE_CONNECT_WEBHOOK_SECRET: connectWebhookSecret,
}: NodeJS.ProcessEnv) {
  if (!secretKey && !webhookSecret) return undefined;
  if (!secretKey?.startsWith('sk_test_') || !webhookSecret?.startsWith('whsec_')) {
    throw new Error(
      'For Stripe test mode set both STRIPE_SECRET_KEY (sk_test_…) and STRIPE_WEBHOOK_SECRET (whsec_… from stripe listen)',
    );
  }
  return { secretKey, webhookSecret, ...(connectWebhookSecret ? { connectWebhookSecret } : {}) };
}

/** Settings of the local stack, from the environment; see the README's configuration table. */
export const localConfig = {
  port: Number(process.env.PORT ?? 3000),
  dynamoDbPort: Number(process.env.DYNAMODB_PORT ?? 8000),
  awsPort: Number(process.env.AWS_PORT ?? 4566),
  dataDir: resolve(process.env.MARKETPLACE_DATA_DIR ?? '.data'),
  tableName: process.env.TABLE_NAME ?? 'marketplace',
  corsAllowOrigins: parseOrigins(process.env.CORS_ALLOW_ORIGINS ?? '*'),
  sellerOnboardingUrl: process.env.SELLER_ONBOARDING_URL,
  stripeTestMode: stripeTestMode(process.env),
  /** Operator settings (`PAYOUT_*`, `CHECKOUT_*`, `REVIEW_*`) given to `npm start`, replacing those of the template. */
  operatorSettings: Object.fromEntries(
    Object.entries(process.env).filter(
      (entry): entry is [string, string] =>
        operatorSettingPrefix(entry[0]) !== undefined && entry[1] !== undefined,
    ),
  ),
};
