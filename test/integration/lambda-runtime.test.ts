import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLambdaRuntime, type LambdaRuntime, type LocalFunction } from '#infra/local/lambda-runtime.ts';

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'lambda');
const endpoints = { AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:8000' };
const leakedVariable = 'LAMBDA_RUNTIME_TEST_PARENT_ONLY';

const localFunction = (
  logicalId: string,
  {
    environment = {},
    timeoutSeconds = 3,
  }: Partial<Pick<LocalFunction, 'environment' | 'timeoutSeconds'>> = {},
): LocalFunction => ({
  logicalId,
  handler: 'index.handler',
  assetPath: `asset.${logicalId}`,
  timeoutSeconds,
  memoryMb: 256,
  environment,
});

const reserved = [
  'AWS_ACCESS_KEY_ID',
  'AWS_DEFAULT_REGION',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
  'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_LOG_GROUP_NAME',
  'AWS_REGION',
  'AWS_SECRET_ACCESS_KEY',
];

interface Report {
  readonly environment: Record<string, string>;
  readonly context: {
    readonly functionName: string;
    readonly awsRequestId: string;
    readonly invokedFunctionArn: string;
    readonly memoryLimitInMB: string;
    readonly remainingTimeInMillis: number;
  };
}

interface WaitResult {
  readonly environmentId: string;
  readonly invocationsSinceInit: number;
}

describe('source mode', () => {
  const readyDir = join(tmpdir(), `lambda-runtime-${process.pid}`);
  const readyFile = join(readyDir, 'ready');
  const modules: Record<string, string> = {
    OrdersFunction: 'report-environment',
    PayoutsFunction: 'report-environment',
    FinishRunFunction: 'throw-named-error',
    WaitFunction: 'wait',
    SerialWaitFunction: 'wait',
    InitWhenReadyFunction: 'init-when-ready',
    ConfiguredFunction: 'declared-resources',
    UnconfiguredFunction: 'declared-resources',
  };
  let runtime: LambdaRuntime;
  let serialRuntime: LambdaRuntime;

  beforeAll(async () => {
    await rm(readyDir, { recursive: true, force: true });
    process.env[leakedVariable] = 'seen only by the test process';
    const functions = [
      localFunction('OrdersFunction', { environment: { TABLE_NAME: 'orders-table' } }),
      localFunction('PayoutsFunction', { environment: { TABLE_NAME: 'payouts-table', EXTRA: 'x' } }),
      localFunction('FinishRunFunction'),
      localFunction('WaitFunction', { timeoutSeconds: 1 }),
      localFunction('InitWhenReadyFunction', { environment: { READY_FILE: readyFile } }),
      localFunction('ConfiguredFunction', {
        environment: { TABLE_NAME: 't', STRIPE_EVENTS_QUEUE_URL: 'http://127.0.0.1:9/q' },
      }),
      localFunction('UnconfiguredFunction', { environment: { TABLE_NAME: 't' } }),
    ];
    const options = {
      code: {
        kind: 'source',
        moduleOf: (fn: LocalFunction) => join(fixtures, `${modules[fn.logicalId]}.ts`),
      },
      environment: endpoints,
      inheritedVariables: ['PATH'],
    } as const;
    runtime = createLambdaRuntime({ ...options, functions });
    serialRuntime = createLambdaRuntime({
      ...options,
      functions: [localFunction('SerialWaitFunction')],
      maxConcurrency: 1,
    });
  });

  afterAll(async () => {
    delete process.env[leakedVariable];
    await Promise.all([runtime?.stop(), serialRuntime?.stop()]);
    await rm(readyDir, { recursive: true, force: true });
  });

  it('gives each function exactly its own environment and credentials', async () => {
    const [orders, payouts] = (await Promise.all([
      runtime.invoke('OrdersFunction', {}),
      runtime.invoke('PayoutsFunction', {}),
    ])) as [Report, Report];
    expect(orders.environment).toMatchObject({
      TABLE_NAME: 'orders-table',
      AWS_ACCESS_KEY_ID: 'OrdersFunction',
      AWS_LAMBDA_FUNCTION_NAME: 'OrdersFunction',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL_DYNAMODB: endpoints.AWS_ENDPOINT_URL_DYNAMODB,
      PATH: process.env.PATH,
    });
    expect(payouts.environment).toMatchObject({
      TABLE_NAME: 'payouts-table',
      AWS_ACCESS_KEY_ID: 'PayoutsFunction',
    });
    expect(Object.keys(payouts.environment).sort()).toEqual(
      ['EXTRA', 'PATH', 'TABLE_NAME', 'AWS_ENDPOINT_URL_DYNAMODB', ...reserved].sort(),
    );
    expect(orders.environment[leakedVariable]).toBeUndefined();
  });

  it('hands the handler a Lambda Context', async () => {
    const { context } = (await runtime.invoke('OrdersFunction', {})) as Report;
    expect(context).toMatchObject({
      functionName: 'OrdersFunction',
      invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:OrdersFunction',
      memoryLimitInMB: '256',
    });
    expect(context.awsRequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(context.remainingTimeInMillis).toBeGreaterThan(1_000);
    expect(context.remainingTimeInMillis).toBeLessThanOrEqual(3_000);
  });

  it("rejects with the handler error's name and message, as Retry and Catch match them", async () => {
    await expect(runtime.invoke('FinishRunFunction', { left: 3 })).rejects.toMatchObject({
      name: 'PayoutRunUnfinished',
      message: '3 payouts are not finished',
    });
  });

  it('times an invocation out, ends its environment and starts a fresh one next time', async () => {
    const warm = (await runtime.invoke('WaitFunction', { waitMs: 0 })) as WaitResult;
    await expect(runtime.invoke('WaitFunction', { waitMs: 10_000 })).rejects.toMatchObject({
      name: 'Sandbox.Timedout',
      message: 'Task timed out after 1.00 seconds',
    });
    const fresh = (await runtime.invoke('WaitFunction', { waitMs: 0 })) as WaitResult;
    expect(fresh.invocationsSinceInit).toBe(1);
    expect(fresh.environmentId).not.toBe(warm.environmentId);
  });

  it('starts another environment for a concurrent invocation', async () => {
    const results = (await Promise.all([
      runtime.invoke('WaitFunction', { waitMs: 300 }),
      runtime.invoke('WaitFunction', { waitMs: 300 }),
    ])) as WaitResult[];
    expect(new Set(results.map((result) => result.environmentId)).size).toBe(2);
  });

  it('queues invocations beyond the concurrency limit', async () => {
    const results = (await Promise.all([
      serialRuntime.invoke('SerialWaitFunction', { waitMs: 200 }),
      serialRuntime.invoke('SerialWaitFunction', { waitMs: 200 }),
    ])) as WaitResult[];
    expect(new Set(results.map((result) => result.environmentId)).size).toBe(1);
    expect(results.map((result) => result.invocationsSinceInit).sort()).toEqual([1, 2]);
  });

  it('fails an invocation with the init error and retries init on the next', async () => {
    await expect(runtime.invoke('InitWhenReadyFunction', {})).rejects.toMatchObject({
      name: 'NotReadyYet',
      message: 'the ready file is missing',
    });
    await mkdir(readyDir, { recursive: true });
    await writeFile(readyFile, '');
    await expect(runtime.invoke('InitWhenReadyFunction', {})).resolves.toBe('initialised');
  });

  it('loads shared code through the package.json import aliases', async () => {
    await expect(runtime.invoke('ConfiguredFunction', {})).resolves.toEqual([
      'TABLE_NAME',
      'STRIPE_EVENTS_QUEUE_URL',
    ]);
    await expect(runtime.invoke('UnconfiguredFunction', {})).rejects.toMatchObject({
      name: 'ConfigurationError',
      message: expect.stringContaining(
        'UnconfiguredFunction (functions/fixtures/declared-resources) needs STRIPE_EVENTS_QUEUE_URL',
      ),
    });
  });

  it('rejects unknown functions', async () => {
    await expect(runtime.invoke('NoSuchFunction', {})).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
  });
});

describe('artifact mode', () => {
  let assemblyDir: string;
  let runtime: LambdaRuntime;

  beforeAll(async () => {
    assemblyDir = await mkdtemp(join(tmpdir(), 'lambda-assembly-'));
    const bundle = [
      'export const handler = async (event, context) => ({',
      "  greeting: process.env.GREETING + ', ' + event.name,",
      '  accessKeyId: process.env.AWS_ACCESS_KEY_ID,',
      '  functionName: context.functionName,',
      '  loadedFrom: import.meta.url,',
      '});',
    ].join('\n');
    for (const logicalId of ['EnglishFunction', 'FrenchFunction']) {
      await mkdir(join(assemblyDir, `asset.${logicalId}`));
      await writeFile(join(assemblyDir, `asset.${logicalId}`, 'index.mjs'), bundle);
    }
    runtime = createLambdaRuntime({
      functions: [
        localFunction('EnglishFunction', { environment: { GREETING: 'Hello' } }),
        localFunction('FrenchFunction', { environment: { GREETING: 'Bonjour' } }),
        { ...localFunction('MissingBundleFunction'), assetPath: 'asset.none' },
      ],
      code: { kind: 'artifact', assemblyDir },
      environment: endpoints,
    });
  });

  afterAll(async () => {
    await runtime?.stop();
    await rm(assemblyDir, { recursive: true, force: true });
  });

  it("runs each function's bundle from the assembly with its own environment", async () => {
    const [english, french] = await Promise.all([
      runtime.invoke('EnglishFunction', { name: 'Ada' }),
      runtime.invoke('FrenchFunction', { name: 'Ada' }),
    ]);
    expect(english).toMatchObject({
      greeting: 'Hello, Ada',
      accessKeyId: 'EnglishFunction',
      functionName: 'EnglishFunction',
      loadedFrom: expect.stringContaining('asset.EnglishFunction/index.mjs'),
    });
    expect(french).toMatchObject({ greeting: 'Bonjour, Ada', accessKeyId: 'FrenchFunction' });
  });

  it('fails a function without its bundle as Lambda does', async () => {
    await expect(runtime.invoke('MissingBundleFunction', {})).rejects.toMatchObject({
      name: 'Runtime.ImportModuleError',
    });
  });

  it('rejects invocations after it stopped', async () => {
    await runtime.stop();
    await expect(runtime.invoke('EnglishFunction', { name: 'Ada' })).rejects.toThrow(/has stopped/);
  });
});
