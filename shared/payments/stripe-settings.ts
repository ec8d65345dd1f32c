import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { requiredVariable, resourceVariables } from '#shared/config/function-resources.ts';
import { NotConfigured } from '#shared/config/not-configured.ts';
import { traced } from '#shared/observability/tracer.ts';

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

const signingSecretShape = /^whsec_\S+$/;

/**
 * The fields of the Stripe secret's JSON, what each must look like, and what it is when it does not.
 * The operator fills them in after the first deploy (`npm run configure -- stripe`).
 */
export const stripeSecretFields = {
  secretKey: {
    required: true,
    accepts: (value: string) => /^(sk|rk)_(live|test)_\S+$/.test(value),
    otherwise: 'is not a Stripe secret key (sk_live_…, sk_test_…) or restricted key (rk_live_…, rk_test_…)',
  },
  webhookSecret: {
    required: true,
    accepts: (value: string) => signingSecretShape.test(value),
    otherwise: 'is not a webhook endpoint signing secret (whsec_…)',
  },
  // Left empty (as the secret is created) when one endpoint receives both kinds of events.
  connectWebhookSecret: {
    required: false,
    accepts: (value: string) => signingSecretShape.test(value),
    otherwise: 'is not a webhook endpoint signing secret (whsec_…)',
  },
  // Another Stripe API address, e.g. the local stack's payment simulator.
  apiUrl: {
    required: false,
    accepts: (value: string) => URL.canParse(value),
    otherwise: 'is not an absolute URL',
  },
} as const;

export type StripeSecretField = keyof typeof stripeSecretFields;

const fieldNames = Object.keys(stripeSecretFields) as StripeSecretField[];

/** The secret's settings when every required field is there and every field has its shape; else what is wrong. */
export type StripeConfiguration =
  | { readonly complete: true; readonly settings: StripeSettings }
  | {
      readonly complete: false;
      /** Required fields absent or empty. */
      readonly missing: readonly StripeSecretField[];
      /** Fields present but not of their shape. */
      readonly invalid: readonly StripeSecretField[];
    };

/** The platform endpoint's signing secret, then the connected accounts' endpoint's if it has another. */
const signingSecrets = (webhookSecret: string, connectWebhookSecret: string | undefined) =>
  connectWebhookSecret && connectWebhookSecret !== webhookSecret
    ? [webhookSecret, connectWebhookSecret]
    : [webhookSecret];

/** The secret's JSON object; anything else (plain text, an array) holds none of the fields. */
export function secretFields(secretString: string | undefined): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(secretString ?? '{}');
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

/** What the Secrets Manager secret's value configures. */
export function stripeConfigurationOf(secretString: string | undefined): StripeConfiguration {
  const fields = secretFields(secretString);
  const values: Partial<Record<StripeSecretField, string>> = {};
  const missing: StripeSecretField[] = [];
  const invalid: StripeSecretField[] = [];
  for (const name of fieldNames) {
    const value = fields[name];
    const text = typeof value === 'string' ? value.trim() : value;
    if (text === undefined || text === null || text === '') {
      if (stripeSecretFields[name].required) missing.push(name);
    } else if (typeof text !== 'string' || !stripeSecretFields[name].accepts(text)) {
      invalid.push(name);
    } else {
      values[name] = text;
    }
  }
  const { secretKey, webhookSecret, connectWebhookSecret, apiUrl } = values;
  if (!secretKey || !webhookSecret || missing.length > 0 || invalid.length > 0) {
    return { complete: false, missing, invalid };
  }
  return {
    complete: true,
    settings: {
      secretKey,
      webhookSecrets: signingSecrets(webhookSecret, connectWebhookSecret),
      ...(apiUrl ? { apiUrl } : {}),
    },
  };
}

const listed = (names: readonly string[]) =>
  names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;

/** Why payments cannot run, naming the secret's fields and never their values. */
export function paymentsNotConfigured({
  missing,
  invalid,
}: Extract<StripeConfiguration, { complete: false }>): NotConfigured {
  const problems = [
    ...(missing.length > 0 ? [`the Stripe secret lacks ${listed(missing)}`] : []),
    ...invalid.map((name) => `the Stripe secret's ${name} ${stripeSecretFields[name].otherwise}`),
  ];
  return new NotConfigured(
    'payments_not_configured',
    `Payments are not configured: ${problems.join('; ')}. The operator fills it in with npm run configure -- stripe.`,
  );
}

export interface StripeSettingsSource {
  /** What the secret configures now. */
  configuration(): Promise<StripeConfiguration>;
  /** The settings, or NotConfigured saying what the secret lacks. */
  settings(): Promise<StripeSettings>;
}

/** How often a function reads an incomplete secret again, so the operator's fix applies without a restart. */
export const incompleteSecretRecheckMs = 5000;

/**
 * The Stripe configuration `read` gives (the secret's value): read at the first call and kept once
 * complete, so a container reads a filled secret once. While incomplete it is read again at the
 * first call `recheckMs` after the last read, not at every call: an unconfigured deployment's
 * public routes must not turn each request into a Secrets Manager call. A failed read is not kept.
 */
export function stripeSettingsSource(
  read: () => Promise<string | undefined>,
  { recheckMs = incompleteSecretRecheckMs, now = Date.now }: { recheckMs?: number; now?: () => number } = {},
): StripeSettingsSource {
  let last: { configuration: StripeConfiguration; readAt: number } | undefined;
  let reading: Promise<StripeConfiguration> | undefined;
  const configuration = (): Promise<StripeConfiguration> => {
    if (last && (last.configuration.complete || now() - last.readAt < recheckMs)) {
      return Promise.resolve(last.configuration);
    }
    reading ??= read()
      .then((secretString) => {
        last = { configuration: stripeConfigurationOf(secretString), readAt: now() };
        return last.configuration;
      })
      .finally(() => {
        reading = undefined;
      });
    return reading;
  };
  return {
    configuration,
    async settings() {
      const current = await configuration();
      if (!current.complete) throw paymentsNotConfigured(current);
      return current.settings;
    },
  };
}

/** The value of the Secrets Manager secret CDK names in `STRIPE_SECRET_ARN`, with one client kept for every read. */
export function stripeSecretReader(env: NodeJS.ProcessEnv = process.env): () => Promise<string | undefined> {
  let client: SecretsManagerClient | undefined;
  return async () => {
    const secretId = requiredVariable(resourceVariables.stripeSecretArn, env);
    client ??= traced(new SecretsManagerClient({}));
    const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
    return SecretString;
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
