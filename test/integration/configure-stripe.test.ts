import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Authorize, accessDenied } from '#infra/local/aws/authorization.ts';
import {
  type SecretsManagerEndpoint,
  startSecretsManagerEndpoint,
} from '#infra/local/aws/secrets-manager-endpoint.ts';
import { defaultOutputsFile } from '#infra/ops/stack-outputs.ts';
import { opsCommand, repoRoot, runOps } from '../support/ops.ts';

const scratch = mkdtempSync(join(tmpdir(), 'marketplace-configure-'));
const operator = 'OperatorTool';

/** The operator may do anything; a function's credentials may only read. */
const authorize: Authorize = (accessKeyId, action, resource) => {
  if (accessKeyId !== operator && action !== 'secretsmanager:GetSecretValue') {
    throw accessDenied(accessKeyId, action, resource);
  }
};

/** As CloudFormation creates the secret, and as the local stack adds the simulator's address. */
const createdSecret = {
  secretKey: '',
  webhookSecret: '',
  connectWebhookSecret: '',
  apiUrl: 'http://127.0.0.1:12111',
};

const keys = {
  secretKey: 'sk_live_51NeverShownAnywhere0000000000',
  webhookSecret: 'whsec_AccountEndpointNeverShown000',
  connectWebhookSecret: 'whsec_ConnectEndpointNeverShown000',
};

let endpoint: SecretsManagerEndpoint;
let secretCount = 0;

beforeAll(async () => {
  endpoint = await startSecretsManagerEndpoint({ authorize });
});
afterAll(async () => {
  await endpoint.stop();
  rmSync(scratch, { recursive: true, force: true });
});

/** A secret of its own for each test, holding `value`, and a way to read what it holds now. */
function newSecret(value: object = createdSecret) {
  secretCount += 1;
  const arn = endpoint.createSecret(`MarketplaceStripeSecret${secretCount}`, JSON.stringify(value));
  const current = async (): Promise<Record<string, string>> => {
    const client = new SecretsManagerClient({
      endpoint: endpoint.url,
      region: 'us-east-1',
      credentials: { accessKeyId: operator, secretAccessKey: 'local' },
    });
    try {
      return JSON.parse((await client.send(new GetSecretValueCommand({ SecretId: arn }))).SecretString ?? '');
    } finally {
      client.destroy();
    }
  };
  return { arn, value: current };
}

/** The operator's shell: the local endpoint as AWS, the operator's credentials, no region (the ARN has one). */
const operatorEnv = () => ({
  PATH: process.env.PATH ?? '',
  HOME: scratch,
  AWS_ENDPOINT_URL: endpoint.url,
  AWS_ACCESS_KEY_ID: operator,
  AWS_SECRET_ACCESS_KEY: 'local',
});

/** `npm run configure -- stripe …` with `stdinLines` piped in, in the operator's shell. */
const configure = (args: readonly string[], stdinLines: readonly string[], env = operatorEnv()) =>
  runOps('configure', ['stripe', ...args], { env, input: stdinLines.map((line) => `${line}\n`).join('') });

function expectNoKeyShown(output: string) {
  for (const value of Object.values(keys)) {
    expect(output).not.toContain(value);
    // Not even part of one: the last characters a masked display would show.
    expect(output).not.toContain(value.slice(-12));
  }
}

describe('npm run configure -- stripe, piped', () => {
  it('fills in the secret CloudFormation created, keeping its other fields, and shows no key', async () => {
    const secret = newSecret();
    const { code, output } = await configure(
      ['--secret-id', secret.arn],
      [keys.secretKey, keys.webhookSecret, keys.connectWebhookSecret],
    );
    expect(code, output).toBe(0);
    expect(await secret.value()).toEqual({ ...keys, apiUrl: createdSecret.apiUrl });
    expect(output).toContain('Stored secretKey (live mode), webhookSecret and connectWebhookSecret in');
    expectNoKeyShown(output);
  }, 30_000);

  it('looks for the stack outputs where cdk deploy writes them, as cdk.json tells it', () => {
    const cdkJson = JSON.parse(readFileSync(join(repoRoot, 'cdk.json'), 'utf8')) as { outputsFile?: string };
    expect(cdkJson.outputsFile).toBe(defaultOutputsFile);
  });

  it('finds the secret in the outputs cdk deploy wrote, keeps values answered with an empty line, and clears with none', async () => {
    const secret = newSecret({ ...keys, apiUrl: createdSecret.apiUrl });
    const outputs = join(scratch, 'cdk-outputs.json');
    writeFileSync(
      outputs,
      JSON.stringify({ Marketplace: { ApiUrl: 'https://x.example/', StripeSecretArn: secret.arn } }),
    );
    const rolled = 'whsec_RolledAccountEndpoint00000';
    const { code, output } = await configure(['--outputs', outputs], ['', rolled, 'none']);
    expect(code, output).toBe(0);
    expect(await secret.value()).toEqual({
      ...keys,
      webhookSecret: rolled,
      connectWebhookSecret: '',
      apiUrl: createdSecret.apiUrl,
    });
    expect(output).toContain('(none)');
    expect(output).toContain('The secret was complete before');
    expectNoKeyShown(output);
    expect(output).not.toContain(rolled);
  }, 30_000);

  it('refuses a key of the wrong shape or a missing one, changing nothing and showing nothing', async () => {
    const secret = newSecret();
    const publishable = 'pk_live_51ShownToBrowsersOnly0000';
    const wrongKey = await configure(['--secret-id', secret.arn], [publishable, keys.webhookSecret]);
    expect(wrongKey.code).toBe(2);
    expect(wrongKey.output).toContain(
      'The secretKey given is not a Stripe secret key (sk_live_…, sk_test_…) or restricted key (rk_live_…, rk_test_…); nothing was changed.',
    );
    expect(wrongKey.output).not.toContain(publishable);
    const swapped = await configure(['--secret-id', secret.arn], [keys.secretKey, keys.secretKey]);
    expect(swapped.code).toBe(2);
    expect(swapped.output).toContain(
      'The webhookSecret given is not a webhook endpoint signing secret (whsec_…)',
    );
    const missing = await configure(['--secret-id', secret.arn], ['', keys.webhookSecret]);
    expect(missing.code).toBe(2);
    expect(missing.output).toContain('secretKey is required');
    expect(await secret.value()).toEqual(createdSecret);
    for (const { output } of [wrongKey, swapped, missing]) expectNoKeyShown(output);
  }, 60_000);

  it('says why it could not reach the secret, and takes no key from the command line', async () => {
    const unknown = await configure(
      ['--secret-id', 'arn:aws:secretsmanager:us-east-1:000000000000:secret:nowhere-abcdef'],
      [keys.secretKey, keys.webhookSecret],
    );
    expect(unknown.code).toBe(3);
    expect(unknown.output).toContain('Could not read the secret');
    expect(unknown.output).toContain('ResourceNotFoundException');
    const noOutputs = await configure(['--outputs', join(scratch, 'absent.json')], []);
    expect(noOutputs.code).toBe(2);
    expect(noOutputs.output).toContain('does not exist: cdk deploy writes it');
    const secret = newSecret();
    const readOnly = await configure(['--secret-id', secret.arn], [keys.secretKey, keys.webhookSecret], {
      ...operatorEnv(),
      AWS_ACCESS_KEY_ID: 'StripeFunction',
    });
    expect(readOnly.code).toBe(3);
    expect(readOnly.output).toContain('Could not write the secret');
    const onArgv = await configure(['--secret-key', keys.secretKey], []);
    expect(onArgv.code).toBe(2);
    expect(await secret.value()).toEqual(createdSecret);
  }, 60_000);
});

describe('npm run configure -- stripe, at a terminal', () => {
  it('asks for each value without echoing what is typed', async () => {
    const secret = newSecret();
    // util-linux `script` runs the command on a pseudo-terminal whose echo is on, as a terminal's is.
    const command = [...opsCommand('configure'), 'stripe', '--secret-id', secret.arn]
      .map((arg) => `'${arg}'`)
      .join(' ');
    const child = spawn('script', ['--quiet', '--return', '--command', command, '/dev/null'], {
      cwd: repoRoot,
      env: { ...operatorEnv(), TERM: 'dumb' },
    });
    let output = '';
    const prompts: { prompt: string; answer: string }[] = [
      { prompt: 'Stripe secret key', answer: keys.secretKey },
      { prompt: "for your account's events", answer: keys.webhookSecret },
      { prompt: "for connected accounts' events", answer: keys.connectWebhookSecret },
    ];
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      // Each answer is typed once its question shows, as a person would: never ahead of the prompt.
      const next = prompts[0];
      if (next && output.includes(next.prompt)) {
        prompts.shift();
        child.stdin.write(`${next.answer}\r`);
      }
    });
    const [code] = (await once(child, 'exit')) as [number];
    expect(code, output).toBe(0);
    expect(output).toContain('Stripe secret key (sk_live_…, sk_test_…, or a restricted key rk_…): ');
    expect(output).toContain('Stored secretKey (live mode)');
    expectNoKeyShown(output);
    expect(await secret.value()).toEqual({ ...keys, apiUrl: createdSecret.apiUrl });
  }, 30_000);
});
