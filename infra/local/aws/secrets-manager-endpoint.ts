import { randomInt, randomUUID } from 'node:crypto';
import { type Authorize, localAccount } from './authorization.ts';
import {
  AwsServiceError,
  type JsonCall,
  type LocalEndpoint,
  startJsonProtocolServer,
} from './json-protocol.ts';

export interface SecretsManagerEndpointOptions {
  readonly authorize: Authorize;
  /** 0 (the default) picks a free port. */
  readonly port?: number;
}

export interface CreateSecretOptions {
  /**
   * The ARN the secret goes by, when it must be the one a template resolves it to; it must be
   * `arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 characters>`. By default the 6
   * characters are random, as Secrets Manager picks them.
   */
  readonly arn?: string;
}

export interface SecretsManagerEndpoint extends LocalEndpoint {
  /** Creates the secret `name` holding `secretString` as its AWSCURRENT version; returns its ARN. */
  createSecret(name: string, secretString: string, options?: CreateSecretOptions): string;
}

interface SecretValue {
  readonly SecretString?: string;
  /** Base64, as the JSON protocol carries blobs. */
  readonly SecretBinary?: string;
}

interface SecretVersion {
  readonly versionId: string;
  readonly createdDate: Date;
  readonly value: SecretValue;
}

interface Secret {
  readonly arn: string;
  readonly name: string;
  readonly createdDate: Date;
  /** Oldest first: the last is AWSCURRENT, the one before AWSPREVIOUS. */
  readonly versions: SecretVersion[];
}

const arnPrefix = `arn:${localAccount.partition}:secretsmanager:${localAccount.region}:${localAccount.accountId}:secret:`;
const secretNamePattern = /^[\w/+=.@-]{1,512}$/;
const suffixAlphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

const randomSuffix = () =>
  Array.from({ length: 6 }, () => suffixAlphabet[randomInt(suffixAlphabet.length)]).join('');

/** Timestamps travel as epoch seconds in the JSON protocol. */
const epochSeconds = (date: Date) => date.getTime() / 1000;

function stagesOf(secret: Secret, version: SecretVersion): string[] {
  if (version === secret.versions.at(-1)) return ['AWSCURRENT'];
  if (version === secret.versions.at(-2)) return ['AWSPREVIOUS'];
  return [];
}

const optionalString = (value: unknown) => (typeof value === 'string' ? value : undefined);

/** The version GetSecretValue asks for: by id, by staging label, or AWSCURRENT. */
function requestedVersion(secret: Secret, input: Record<string, unknown>): SecretVersion {
  const versionId = optionalString(input.VersionId);
  const stage = optionalString(input.VersionStage) ?? (versionId ? undefined : 'AWSCURRENT');
  const version = secret.versions.find(
    (candidate) =>
      (versionId === undefined || candidate.versionId === versionId) &&
      (stage === undefined || stagesOf(secret, candidate).includes(stage)),
  );
  if (!version) {
    throw new AwsServiceError(
      'ResourceNotFoundException',
      `Secrets Manager can't find the specified secret value for ${versionId ? `VersionId: ${versionId}` : `staging label: ${stage}`}`,
    );
  }
  return version;
}

/** The value PutSecretValue stores: a string or a binary, never both. */
function newValue(input: Record<string, unknown>): SecretValue {
  const secretString = optionalString(input.SecretString);
  const secretBinary = optionalString(input.SecretBinary);
  if ((secretString === undefined) === (secretBinary === undefined)) {
    throw new AwsServiceError(
      'InvalidParameterException',
      'You must provide either SecretString or SecretBinary.',
    );
  }
  const stages = input.VersionStages as unknown[] | undefined;
  if (stages && (stages.length !== 1 || stages[0] !== 'AWSCURRENT')) {
    throw new AwsServiceError(
      'InvalidParameterException',
      'The local secrets know no staging labels but AWSCURRENT.',
    );
  }
  return secretString === undefined ? { SecretBinary: secretBinary } : { SecretString: secretString };
}

const sameValue = (a: SecretValue, b: SecretValue) =>
  a.SecretString === b.SecretString && a.SecretBinary === b.SecretBinary;

/**
 * Adds a version and makes it AWSCURRENT. The SDK sends a ClientRequestToken with every call, which
 * becomes the version id: a retry of the same call changes nothing.
 */
function putValue(secret: Secret, input: Record<string, unknown>): SecretVersion {
  const value = newValue(input);
  const versionId = optionalString(input.ClientRequestToken) ?? randomUUID();
  const existing = secret.versions.find((version) => version.versionId === versionId);
  if (existing) {
    if (sameValue(existing.value, value)) return existing;
    throw new AwsServiceError(
      'ResourceExistsException',
      `A version with VersionId: ${versionId} already exists with other contents; a version cannot be changed.`,
    );
  }
  const version = { versionId, createdDate: new Date(), value };
  secret.versions.push(version);
  return version;
}

/**
 * AWS Secrets Manager for the functions' SecretsManagerClient, over JSON 1.1: GetSecretValue,
 * PutSecretValue and DescribeSecret on secrets the stack creates, each call checked against the
 * signing function's grants on the secret's ARN. Secrets live in memory, for as long as the endpoint.
 */
export async function startSecretsManagerEndpoint({
  authorize,
  port,
}: SecretsManagerEndpointOptions): Promise<SecretsManagerEndpoint> {
  const secrets = new Map<string, Secret>();

  /** Checks `action` before looking the secret up, so a function without the grant learns nothing of it. */
  const authorizedSecret = ({ input, accessKeyId }: JsonCall, action: string): Secret => {
    const secretId = optionalString(input.SecretId);
    if (!secretId) throw new AwsServiceError('ValidationException', 'SecretId must not be null');
    const secret = [...secrets.values()].find(
      ({ arn, name }) => secretId === arn || secretId === name || secretId === `${arnPrefix}${name}`,
    );
    authorize(
      accessKeyId,
      action,
      secret?.arn ?? (secretId.startsWith('arn:') ? secretId : `${arnPrefix}${secretId}`),
    );
    if (!secret)
      throw new AwsServiceError(
        'ResourceNotFoundException',
        "Secrets Manager can't find the specified secret.",
      );
    return secret;
  };

  const endpoint = await startJsonProtocolServer({
    targetPrefix: 'secretsmanager',
    contentType: 'application/x-amz-json-1.1',
    port,
    operations: {
      GetSecretValue: (call) => {
        const secret = authorizedSecret(call, 'secretsmanager:GetSecretValue');
        const version = requestedVersion(secret, call.input);
        return {
          ARN: secret.arn,
          Name: secret.name,
          VersionId: version.versionId,
          ...version.value,
          VersionStages: stagesOf(secret, version),
          CreatedDate: epochSeconds(version.createdDate),
        };
      },
      PutSecretValue: (call) => {
        const secret = authorizedSecret(call, 'secretsmanager:PutSecretValue');
        const version = putValue(secret, call.input);
        return {
          ARN: secret.arn,
          Name: secret.name,
          VersionId: version.versionId,
          VersionStages: stagesOf(secret, version),
        };
      },
      DescribeSecret: (call) => {
        const secret = authorizedSecret(call, 'secretsmanager:DescribeSecret');
        const staged = secret.versions.filter((version) => stagesOf(secret, version).length > 0);
        return {
          ARN: secret.arn,
          Name: secret.name,
          CreatedDate: epochSeconds(secret.createdDate),
          LastChangedDate: epochSeconds(secret.versions.at(-1)?.createdDate ?? secret.createdDate),
          VersionIdsToStages: Object.fromEntries(
            staged.map((version) => [version.versionId, stagesOf(secret, version)]),
          ),
        };
      },
    },
  });

  return {
    ...endpoint,
    createSecret(name, secretString, { arn = `${arnPrefix}${name}-${randomSuffix()}` } = {}) {
      if (!secretNamePattern.test(name)) throw new Error(`${name} is no valid secret name`);
      if (secrets.has(name))
        throw new Error(`The local Secrets Manager already holds a secret named ${name}`);
      const arnStart = `${arnPrefix}${name}-`;
      if (!arn.startsWith(arnStart) || !/^[A-Za-z0-9]{6}$/.test(arn.slice(arnStart.length))) {
        throw new Error(`${arn} is not the ARN of a secret named ${name} in the local account`);
      }
      const createdDate = new Date();
      secrets.set(name, {
        arn,
        name,
        createdDate,
        versions: [{ versionId: randomUUID(), createdDate, value: { SecretString: secretString } }],
      });
      return arn;
    },
  };
}
