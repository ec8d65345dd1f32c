import type { Writable } from 'node:stream';
import {
  GetSecretValueCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import {
  incompleteSecretRecheckMs,
  isLiveModeKey,
  type StripeSecretField,
  secretFields,
  stripeConfigurationOf,
  stripeSecretFields,
} from '#shared/payments/stripe-settings.ts';
import { OperatorError, stackOutput } from '../stack-outputs.ts';
import type { Answers } from './answers.ts';

/** An AWS call failed: access denied, no such secret, no credentials or region. */
export class AwsCallFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AwsCallFailed';
  }
}

/** The fields the operator fills in, in the order they are asked (and piped: one line each). */
const asked: readonly { readonly field: StripeSecretField; readonly label: string }[] = [
  { field: 'secretKey', label: 'Stripe secret key (sk_live_…, sk_test_…, or a restricted key rk_…)' },
  {
    field: 'webhookSecret',
    label: "Signing secret of the webhook endpoint for your account's events (whsec_…)",
  },
  {
    field: 'connectWebhookSecret',
    label:
      "Signing secret of the endpoint for connected accounts' events (whsec_…, or none if one endpoint receives both)",
  },
];

/** The answer that clears an optional field. */
const noneAnswer = 'none';

export const stripeQuestionsHelp = asked.map(
  ({ field, label }, index) => `  ${index + 1}. ${field}: ${label}`,
);

export interface ConfigureStripeOptions {
  /** The secret's ARN or name; by default the stack output StripeSecretArn in `outputsFile`. */
  readonly secretId?: string;
  readonly outputsFile?: string;
}

/** The region of a secret given by its ARN, which the SDK needs when the environment names none. */
const regionOf = (secretId: string) => /^arn:[^:]+:secretsmanager:([^:]+):/.exec(secretId)?.[1];

async function aws<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const { name, message } = error as Error;
    throw new AwsCallFailed(`Could not ${what}: ${name}: ${message}`);
  }
}

/** Whether the secret's current value of `field` is of its shape, so an empty answer may keep it. */
const keepable = (field: StripeSecretField, current: unknown): current is string =>
  typeof current === 'string' && stripeSecretFields[field].accepts(current);

/** The new value of `field`: the answer, checked against the field's shape, or the current value kept. */
function newValue(field: StripeSecretField, label: string, answer: string, current: unknown): string {
  const { required, accepts, otherwise } = stripeSecretFields[field];
  if (answer === '') {
    if (keepable(field, current)) return current;
    if (required) throw new OperatorError(`${field} is required (${label}); nothing was changed.`);
    return '';
  }
  if (!required && answer === noneAnswer) return '';
  if (!accepts(answer)) throw new OperatorError(`The ${field} given ${otherwise}; nothing was changed.`);
  return answer;
}

/**
 * `npm run configure -- stripe`: asks for the Stripe keys (never echoing them), checks their shape,
 * and puts them into the deployed Stripe secret, keeping its other fields. Prints what it stored,
 * by name only. Credentials and region come from the usual AWS settings (AWS_PROFILE, …).
 */
export async function configureStripe(
  options: ConfigureStripeOptions,
  answers: Answers,
  report: Writable,
): Promise<void> {
  const secretId = options.secretId ?? (await stackOutput('StripeSecretArn', options.outputsFile));
  const region = regionOf(secretId);
  const client = new SecretsManagerClient(region ? { region } : {});
  try {
    const { SecretString } = await aws(`read the secret ${secretId}`, () =>
      client.send(new GetSecretValueCommand({ SecretId: secretId })),
    );
    const current = secretFields(SecretString);
    const wasComplete = stripeConfigurationOf(SecretString).complete;
    const values: Partial<Record<StripeSecretField, string>> = {};
    for (const { field, label } of asked) {
      const keeps = keepable(field, current[field]) ? ' [Enter keeps the current one]' : '';
      values[field] = newValue(field, label, await answers.ask(`${label}${keeps}: `), current[field]);
    }
    const { VersionId } = await aws(`write the secret ${secretId}`, () =>
      client.send(
        new PutSecretValueCommand({
          SecretId: secretId,
          SecretString: JSON.stringify({ ...current, ...values }),
        }),
      ),
    );
    const mode = isLiveModeKey(values.secretKey ?? '') ? 'live mode' : 'test mode';
    report.write(
      `Stored secretKey (${mode}), webhookSecret and connectWebhookSecret` +
        `${values.connectWebhookSecret ? '' : ' (none)'} in ${secretId} (version ${VersionId}).\n` +
        (wasComplete
          ? 'The secret was complete before: functions that read it keep the old values until Lambda ' +
            'replaces their containers (docs/deploy.md, "Rolling a Stripe key", says how to replace them now).\n'
          : `Functions take them up within ${incompleteSecretRecheckMs / 1000} s; check with ` +
            'npm run smoke -- --api <ApiUrl>.\n'),
    );
  } finally {
    client.destroy();
  }
}
