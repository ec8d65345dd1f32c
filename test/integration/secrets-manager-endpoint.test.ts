import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Authorize, accessDenied } from '#infra/local/aws/authorization.ts';
import {
  type SecretsManagerEndpoint,
  startSecretsManagerEndpoint,
} from '#infra/local/aws/secrets-manager-endpoint.ts';

const reader = 'StripeWebhookFunction';
const operator = 'OperatorTool';

const checks: [string | undefined, string, string][] = [];
/** The reader may read secrets, the operator may do anything, everyone else nothing. */
const authorize: Authorize = (accessKeyId, action, resource) => {
  checks.push([accessKeyId, action, resource]);
  const allowed =
    accessKeyId === operator || (accessKeyId === reader && action === 'secretsmanager:GetSecretValue');
  if (!allowed) throw accessDenied(accessKeyId, action, resource);
};

const clientFor = (accessKeyId: string, endpoint: string) =>
  new SecretsManagerClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId, secretAccessKey: 'local' },
  });

const placeholder = JSON.stringify({ secretKey: 'sk_test_placeholder', webhookSecret: 'whsec_placeholder' });
const filledIn = JSON.stringify({ secretKey: 'sk_test_real', webhookSecret: 'whsec_real' });

let endpoint: SecretsManagerEndpoint;
let stripeSecretArn: string;

beforeAll(async () => {
  endpoint = await startSecretsManagerEndpoint({ authorize });
  stripeSecretArn = endpoint.createSecret('marketplace/stripe', placeholder);
});

afterAll(() => endpoint.stop());

beforeEach(() => {
  checks.length = 0;
});

describe('the local Secrets Manager endpoint, reached by the real SecretsManagerClient', () => {
  it('gives a created secret an ARN as Secrets Manager would, with a 6-character suffix', () => {
    expect(stripeSecretArn).toMatch(
      /^arn:aws:secretsmanager:us-east-1:000000000000:secret:marketplace\/stripe-[A-Za-z0-9]{6}$/,
    );
  });

  it('takes the ARN a template resolves the secret to, and only one of that name', () => {
    const arn = 'arn:aws:secretsmanager:us-east-1:000000000000:secret:payouts-1a2b3c';
    expect(endpoint.createSecret('payouts', '{}', { arn })).toBe(arn);
    expect(() => endpoint.createSecret('payouts', '{}')).toThrow(/already holds a secret named payouts/);
    expect(() =>
      endpoint.createSecret('other', '{}', {
        arn: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:payouts-1a2b3c',
      }),
    ).toThrow(/is not the ARN of a secret named other/);
  });

  it('reads the current value by ARN or by name, checking the grant on the secret ARN', async () => {
    const client = clientFor(reader, endpoint.url);
    const byArn = await client.send(new GetSecretValueCommand({ SecretId: stripeSecretArn }));
    const byName = await client.send(new GetSecretValueCommand({ SecretId: 'marketplace/stripe' }));

    expect(byArn).toMatchObject({
      ARN: stripeSecretArn,
      Name: 'marketplace/stripe',
      SecretString: placeholder,
      VersionStages: ['AWSCURRENT'],
      VersionId: expect.any(String),
      CreatedDate: expect.any(Date),
    });
    expect(byName.VersionId).toBe(byArn.VersionId);
    expect(checks).toEqual([
      [reader, 'secretsmanager:GetSecretValue', stripeSecretArn],
      [reader, 'secretsmanager:GetSecretValue', stripeSecretArn],
    ]);
  });

  it('stores a new current version when an operator fills the secret in; the old one stays as AWSPREVIOUS', async () => {
    const admin = clientFor(operator, endpoint.url);
    const secretId = 'marketplace/stripe';
    const before = await admin.send(new GetSecretValueCommand({ SecretId: secretId }));
    const put = await admin.send(new PutSecretValueCommand({ SecretId: secretId, SecretString: filledIn }));
    const current = await clientFor(reader, endpoint.url).send(
      new GetSecretValueCommand({ SecretId: secretId }),
    );
    const previous = await admin.send(
      new GetSecretValueCommand({ SecretId: secretId, VersionStage: 'AWSPREVIOUS' }),
    );
    const described = await admin.send(new DescribeSecretCommand({ SecretId: stripeSecretArn }));

    expect(put).toMatchObject({ ARN: stripeSecretArn, VersionStages: ['AWSCURRENT'] });
    expect(put.VersionId).not.toBe(before.VersionId);
    expect(current).toMatchObject({ SecretString: filledIn, VersionId: put.VersionId });
    expect(previous).toMatchObject({ SecretString: before.SecretString, VersionId: before.VersionId });
    expect(described.VersionIdsToStages).toEqual({
      [String(before.VersionId)]: ['AWSPREVIOUS'],
      [String(put.VersionId)]: ['AWSCURRENT'],
    });
  });

  it('treats a retried PutSecretValue (same ClientRequestToken) as the same version', async () => {
    const admin = clientFor(operator, endpoint.url);
    const request = {
      SecretId: stripeSecretArn,
      SecretString: filledIn,
      ClientRequestToken: 'b9c3a7e4-5d1f-4b8e-9a2c-7f6e5d4c3b2a',
    };
    const first = await admin.send(new PutSecretValueCommand(request));
    const retried = await admin.send(new PutSecretValueCommand(request));
    const changed = admin.send(new PutSecretValueCommand({ ...request, SecretString: '{"other":true}' }));

    expect(retried.VersionId).toBe(first.VersionId);
    await expect(changed).rejects.toMatchObject({ name: 'ResourceExistsException' });
  });

  it('answers ResourceNotFoundException for a secret it does not hold', async () => {
    const read = clientFor(operator, endpoint.url).send(
      new GetSecretValueCommand({ SecretId: 'no/such/secret' }),
    );
    await expect(read).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('refuses a function without the grant with AccessDeniedException, whether the secret exists or not', async () => {
    const client = clientFor(reader, endpoint.url);
    const put = client.send(new PutSecretValueCommand({ SecretId: stripeSecretArn, SecretString: 'stolen' }));
    const unknown = clientFor('ReindexFunction', endpoint.url).send(
      new GetSecretValueCommand({ SecretId: 'no/such/secret' }),
    );

    await expect(put).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: expect.stringContaining(
        `${reader} is not authorized to perform: secretsmanager:PutSecretValue`,
      ),
    });
    await expect(unknown).rejects.toMatchObject({ name: 'AccessDeniedException' });
    const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: stripeSecretArn }));
    expect(SecretString).not.toBe('stolen');
  });
});
