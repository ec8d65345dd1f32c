import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  GetFunctionCommand,
  InvalidRequestContentException,
  type InvocationType,
  InvokeCommand,
  LambdaClient,
  ResourceNotFoundException,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localAdministrator } from '#infra/local/aws/authorization.ts';
import { lambdaFunctionArn } from '#infra/local/aws/resource-kinds.ts';
import type { CloudFormationTemplate, TemplateResource } from '#infra/local/aws/template-references.ts';
import { type LocalAwsServices, startLocalAwsServices } from '#infra/local/aws-services.ts';
import { MailSink } from '#infra/local/mail-sink.ts';
import { LocalUserDirectory } from '#infra/local/user-directory.ts';
import { eventually } from '../support/eventually.ts';

const consumerName = 'marketplace-consumer';
const consumerArn = lambdaFunctionArn(consumerName);

const role: TemplateResource = { Type: 'AWS::IAM::Role', Properties: {} };
const lambdaFunction = (roleId: string, name?: string): TemplateResource => ({
  Type: 'AWS::Lambda::Function',
  Properties: {
    ...(name ? { FunctionName: name } : {}),
    Handler: 'index.handler',
    Role: { 'Fn::GetAtt': [roleId, 'Arn'] },
  },
});
const consumerRef = { 'Fn::GetAtt': ['ConsumerFunction', 'Arn'] };

/** A caller granted the consumer as CDK's grantInvoke grants it, a consumer, and a stranger granted nothing. */
const template: CloudFormationTemplate = {
  Resources: {
    CallerRole: role,
    CallerRolePolicy: {
      Type: 'AWS::IAM::Policy',
      Properties: {
        Roles: [{ Ref: 'CallerRole' }],
        PolicyDocument: {
          Statement: [
            {
              Effect: 'Allow',
              Action: 'lambda:InvokeFunction',
              Resource: [consumerRef, { 'Fn::Join': ['', [consumerRef, ':*']] }],
            },
          ],
        },
      },
    },
    CallerFunction: lambdaFunction('CallerRole'),
    ConsumerRole: role,
    ConsumerFunction: lambdaFunction('ConsumerRole', consumerName),
    StrangerRole: role,
    StrangerFunction: lambdaFunction('StrangerRole'),
  },
};

/** What the consumer does with an event: echo it, throw, or answer `respondBytes` characters. */
interface ConsumerEvent {
  readonly id?: string;
  readonly fail?: string;
  readonly respondBytes?: number;
}

const received: { functionId: string; event: ConsumerEvent }[] = [];

async function runFunction(functionId: string, event: unknown): Promise<unknown> {
  const consumerEvent = event as ConsumerEvent;
  received.push({ functionId, event: consumerEvent });
  if (consumerEvent.fail) throw new TypeError(consumerEvent.fail);
  if (consumerEvent.respondBytes) return 'x'.repeat(consumerEvent.respondBytes);
  return { handledBy: functionId, event };
}

const startServices = async () =>
  startLocalAwsServices({
    template,
    dynamoDbEndpoint: 'http://127.0.0.1:1',
    tableName: 'marketplace',
    s3Directory: await mkdtemp(join(tmpdir(), 'lambda-endpoint-s3-')),
    port: 0,
    users: new LocalUserDirectory(),
    mailSink: new MailSink(await mkdtemp(join(tmpdir(), 'lambda-endpoint-mail-'))),
  });

let aws: LocalAwsServices;
const clients: LambdaClient[] = [];
let caller: LambdaClient;

beforeAll(async () => {
  aws = await startServices();
  aws.serveFunctions(runFunction);
  caller = lambdaClient();
});

afterAll(async () => {
  for (const client of clients) client.destroy();
  await aws?.stop();
});

/** The real client, signing as `accessKeyId` (locally, a function's logical id). */
function lambdaClient(accessKeyId = 'CallerFunction', services = aws): LambdaClient {
  const client = new LambdaClient({
    endpoint: services.url,
    region: 'us-east-1',
    credentials: { accessKeyId, secretAccessKey: 'local' },
  });
  clients.push(client);
  return client;
}

const invoke = (
  FunctionName: string,
  payload: unknown,
  options: { client?: LambdaClient; type?: InvocationType; qualifier?: string } = {},
) =>
  (options.client ?? caller).send(
    new InvokeCommand({
      FunctionName,
      InvocationType: options.type ?? 'RequestResponse',
      Payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
      ...(options.qualifier ? { Qualifier: options.qualifier } : {}),
    }),
  );

const payloadOf = (output: { Payload?: Uint8Array }) =>
  JSON.parse(Buffer.from(output.Payload ?? []).toString());

describe('the local Lambda Invoke, reached by the real client through the service router', () => {
  it("runs a function the caller's role may invoke and answers its result", async () => {
    const output = await invoke(consumerName, { id: 'sync' });
    expect(output).toMatchObject({ StatusCode: 200, ExecutedVersion: '$LATEST' });
    expect(output.FunctionError).toBeUndefined();
    expect(payloadOf(output)).toEqual({ handledBy: 'ConsumerFunction', event: { id: 'sync' } });
  });

  it('reaches the same function by its name, ARN, partial ARN and $LATEST', async () => {
    const names = [
      consumerName,
      consumerArn,
      `000000000000:function:${consumerName}`,
      `${consumerArn}:$LATEST`,
    ];
    for (const [index, name] of names.entries()) {
      expect(payloadOf(await invoke(name, { id: `form-${index}` }))).toMatchObject({
        handledBy: 'ConsumerFunction',
      });
    }
    const qualified = await invoke(consumerName, { id: 'qualified' }, { qualifier: '$LATEST' });
    expect(payloadOf(qualified)).toMatchObject({ handledBy: 'ConsumerFunction' });
  });

  it('answers 202 to an Event invocation and runs the function after', async () => {
    const output = await invoke(consumerName, { id: 'event' }, { type: 'Event' });
    expect(output.StatusCode).toBe(202);
    await eventually(async () => expect(received.map(({ event }) => event.id)).toContain('event'), 2_000, 10);
  });

  it('answers 204 to a DryRun without running the function', async () => {
    const output = await invoke(consumerName, { id: 'dry' }, { type: 'DryRun' });
    expect(output.StatusCode).toBe(204);
    expect(received.map(({ event }) => event.id)).not.toContain('dry');
  });

  it('answers the error a handler throws as an Unhandled function error, as the Node.js runtime reports it', async () => {
    const output = await invoke(consumerName, { fail: 'no such listing' });
    expect(output).toMatchObject({ StatusCode: 200, FunctionError: 'Unhandled' });
    const error = payloadOf(output);
    expect(error).toMatchObject({ errorType: 'TypeError', errorMessage: 'no such listing' });
    expect(error.trace[0]).toBe('TypeError: no such listing');
  });

  it('answers a result over 6 MB as the function error Lambda reports', async () => {
    const output = await invoke(consumerName, { respondBytes: 6_291_556 });
    expect(output.FunctionError).toBe('Unhandled');
    expect(payloadOf(output)).toMatchObject({
      errorType: 'Function.ResponseSizeTooLarge',
      errorMessage: expect.stringContaining('exceeded maximum allowed payload size (6291556 bytes)'),
    });
  });

  it('refuses a caller whose role lacks lambda:InvokeFunction on the function, and records it', async () => {
    const stranger = lambdaClient('StrangerFunction');
    await expect(invoke(consumerName, { id: 'denied' }, { client: stranger })).rejects.toMatchObject({
      name: 'AccessDeniedException',
      $metadata: { httpStatusCode: 403 },
      message: expect.stringContaining(
        `StrangerFunction is not authorized to perform: lambda:InvokeFunction`,
      ),
    });
    expect(aws.denials()).toContainEqual({
      accessKeyId: 'StrangerFunction',
      action: 'lambda:InvokeFunction',
      resource: consumerArn,
    });
    expect(received.map(({ event }) => event.id)).not.toContain('denied');
  });

  it('answers ResourceNotFoundException for a function the template lacks, or a version it does not run', async () => {
    const administrator = lambdaClient(localAdministrator.accessKeyId);
    const unknown = invoke('no-such-function', {}, { client: administrator });
    await expect(unknown).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(unknown).rejects.toMatchObject({
      $metadata: { httpStatusCode: 404 },
      Type: 'User',
      message: `Function not found: ${lambdaFunctionArn('no-such-function')}`,
    });
    await expect(invoke(consumerName, {}, { qualifier: '1' })).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
  });

  it('refuses a payload over 6 MB, or over 1 MB for an Event invocation, as too large', async () => {
    const padded = (bytes: number) => JSON.stringify({ padding: 'x'.repeat(bytes) });
    await expect(invoke(consumerName, padded(6_291_456))).rejects.toMatchObject({
      name: 'RequestEntityTooLargeException',
      $metadata: { httpStatusCode: 413 },
      message: 'Request must be smaller than 6291456 bytes for the InvokeFunction operation',
    });
    await expect(invoke(consumerName, padded(1_048_576), { type: 'Event' })).rejects.toMatchObject({
      name: 'RequestEntityTooLargeException',
      message: expect.stringContaining('too large for the Event invocation type (limit 1048576 bytes)'),
    });
  });

  it('refuses a payload that is not JSON', async () => {
    await expect(invoke(consumerName, '{"id":')).rejects.toBeInstanceOf(InvalidRequestContentException);
  });

  it("answers Lambda's other operations as not served locally, naming the request", async () => {
    await expect(caller.send(new GetFunctionCommand({ FunctionName: consumerName }))).rejects.toMatchObject({
      $metadata: { httpStatusCode: 501, attempts: 1 },
      message: expect.stringMatching(
        /^The local Lambda endpoint serves only Invoke, not GET \/2015-03-31\/functions\//,
      ),
    });
  });
});

describe('the local Lambda Invoke before the stack runs its functions', () => {
  it('refuses every invocation, saying so', async () => {
    const starting = await startServices();
    try {
      await expect(
        invoke(consumerName, {}, { client: lambdaClient('CallerFunction', starting) }),
      ).rejects.toMatchObject({
        name: 'ResourceConflictException',
        message: expect.stringContaining('The local stack runs no functions yet'),
      });
    } finally {
      await starting.stop();
    }
  });
});
