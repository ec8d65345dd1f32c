import type { IncomingMessage, ServerResponse } from 'node:http';
import type { InvokeFunction } from '../event-sources.ts';
import { type Authorize, localAccount } from './authorization.ts';
import { AwsServiceError, accessKeyOf, type LocalEndpoint, serveLocally } from './json-protocol.ts';
import { lambdaFunctionArn } from './resource-kinds.ts';

/** Where the paths of Lambda's operations on functions start: Invoke's among them. */
export const functionsPath = '/2015-03-31/functions';

export interface LambdaEndpointOptions {
  readonly authorize: Authorize;
  /** 0 (the default) picks a free port. */
  readonly port?: number;
}

export interface LambdaEndpoint extends LocalEndpoint {
  /**
   * Runs invocations from now on: `functions` gives the logical id of each function by its ARN,
   * `invoke` runs one. Until then every invocation answers that no function runs yet.
   */
  serve(functions: ReadonlyMap<string, string>, invoke: InvokeFunction): void;
}

const invocationTypes = ['RequestResponse', 'Event', 'DryRun'] as const;
type InvocationType = (typeof invocationTypes)[number];

/** Lambda's quotas, in bytes: the payload of a synchronous and of an asynchronous invocation, the response. */
const syncPayloadLimit = 6_291_456;
const eventPayloadLimit = 1_048_576;
const responseLimit = 6_291_556;

/** Invoke's path, its function name captured: the one operation served here. */
const invokePath = new RegExp(`^${functionsPath}/([^/]+)/invocations/?$`);

/** Lambda's pattern of a function's name, ARN or partial ARN, each with an optional version or alias. */
const functionNamePattern =
  /^(?:arn:(aws[a-zA-Z-]*):lambda:)?(?:([a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d):)?(?:(\d{12}):)?(?:function:)?([\w.-]+)(?::(\$LATEST(?:\.PUBLISHED)?|[\w-]+))?$/;

interface InvocationTarget {
  /** The function's unqualified ARN. */
  readonly arn: string;
  /** What IAM authorises: the ARN as invoked, qualified when a version or alias is named. */
  readonly resource: string;
  readonly qualifier: string | undefined;
}

function targetOf(functionName: string, queryQualifier: string | null): InvocationTarget {
  const match = functionNamePattern.exec(functionName);
  if (!match) {
    throw new AwsServiceError(
      'ValidationException',
      `1 validation error detected: Value '${functionName}' at 'functionName' failed to satisfy constraint: ` +
        'Member must satisfy the regular expression pattern of a function name, ARN or partial ARN',
    );
  }
  const [, partition, region, accountId, name = '', nameQualifier] = match;
  if (nameQualifier && queryQualifier && nameQualifier !== queryQualifier) {
    throw new AwsServiceError(
      'InvalidParameterValueException',
      'The derived qualifier from the function name does not match the specified qualifier.',
    );
  }
  const arn = lambdaFunctionArn(name, {
    partition: partition ?? localAccount.partition,
    region: region ?? localAccount.region,
    accountId: accountId ?? localAccount.accountId,
  });
  const qualifier = nameQualifier ?? queryQualifier ?? undefined;
  return { arn, resource: qualifier ? `${arn}:${qualifier}` : arn, qualifier };
}

function invocationTypeOf(header: string | string[] | undefined): InvocationType {
  const type = header ?? 'RequestResponse';
  const known = invocationTypes.find((invocationType) => invocationType === type);
  if (known) return known;
  throw new AwsServiceError(
    'ValidationException',
    `1 validation error detected: Value '${String(type)}' at 'invocationType' failed to satisfy constraint: ` +
      `Member must satisfy enum value set: [${invocationTypes.join(', ')}]`,
  );
}

/** The payload, refused once it passes the invocation type's quota (the rest is read and dropped). */
async function readPayload(request: IncomingMessage, type: InvocationType): Promise<Buffer> {
  const limit = type === 'Event' ? eventPayloadLimit : syncPayloadLimit;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= limit) chunks.push(chunk);
  }
  if (size <= limit) return Buffer.concat(chunks);
  throw new AwsServiceError(
    'RequestEntityTooLargeException',
    type === 'Event'
      ? `${size} byte payload is too large for the Event invocation type (limit ${limit} bytes)`
      : `Request must be smaller than ${limit} bytes for the InvokeFunction operation`,
    413,
  );
}

function eventOf(payload: Buffer): unknown {
  if (payload.length === 0) return {};
  try {
    return JSON.parse(payload.toString('utf8'));
  } catch (error) {
    throw new AwsServiceError(
      'InvalidRequestContentException',
      `Could not parse request body into json: ${(error as Error).message}`,
    );
  }
}

/** What Lambda's Node.js runtime reports of an error the handler threw. */
function functionError(error: unknown) {
  if (!(error instanceof Error)) return { errorType: typeof error, errorMessage: String(error), trace: [] };
  return { errorType: error.name, errorMessage: error.message, trace: (error.stack ?? '').split('\n') };
}

interface FunctionAnswer {
  readonly body: string;
  readonly unhandled: boolean;
}

/** Runs the function as Lambda does synchronously: its result, or the error it threw, as the payload. */
async function runSynchronously(invoke: () => Promise<unknown>): Promise<FunctionAnswer> {
  let body: string;
  try {
    body = JSON.stringify((await invoke()) ?? null);
  } catch (error) {
    return { body: JSON.stringify(functionError(error)), unhandled: true };
  }
  const size = Buffer.byteLength(body);
  if (size <= responseLimit) return { body, unhandled: false };
  const errorMessage = `Response payload size (${size} bytes) exceeded maximum allowed payload size (${responseLimit} bytes).`;
  return {
    body: JSON.stringify({ errorType: 'Function.ResponseSizeTooLarge', errorMessage }),
    unhandled: true,
  };
}

function answerError(response: ServerResponse, error: unknown): void {
  const failure =
    error instanceof AwsServiceError ? error : new AwsServiceError('ServiceException', String(error), 500);
  const status = failure.type === 'AccessDeniedException' ? 403 : failure.status;
  response.writeHead(status, { 'content-type': 'application/json', 'x-amzn-errortype': failure.type });
  response.end(JSON.stringify({ Type: status < 500 ? 'User' : 'Service', Message: failure.message }));
}

interface Served {
  readonly functions: ReadonlyMap<string, string>;
  readonly invoke: InvokeFunction;
}

async function invokeFunction(
  request: IncomingMessage,
  response: ServerResponse,
  functionName: string,
  { authorize }: LambdaEndpointOptions,
  served: Served | undefined,
): Promise<void> {
  const type = invocationTypeOf(request.headers['x-amz-invocation-type']);
  const payload = await readPayload(request, type);
  const query = new URL(request.url ?? '/', 'http://localhost').searchParams;
  const target = targetOf(functionName, query.get('Qualifier'));
  authorize(accessKeyOf(request), 'lambda:InvokeFunction', target.resource);
  if (!served) {
    throw new AwsServiceError(
      'ResourceConflictException',
      `The local stack runs no functions yet: ${target.resource} cannot be invoked until it has started them`,
      409,
    );
  }
  const functionId = served.functions.get(target.arn);
  if (!functionId || (target.qualifier && target.qualifier !== '$LATEST')) {
    const onlyLatest = target.qualifier && functionId ? ' (the local stack runs only $LATEST)' : '';
    throw new AwsServiceError(
      'ResourceNotFoundException',
      `Function not found: ${target.resource}${onlyLatest}`,
      404,
    );
  }
  const event = eventOf(payload);
  const invoke = async () => served.invoke(functionId, event);
  if (type === 'DryRun') {
    response.writeHead(204).end();
  } else if (type === 'Event') {
    response.writeHead(202).end();
    invoke().catch((error: unknown) =>
      console.error(`The Event invocation of ${target.arn} failed:`, functionError(error)),
    );
  } else {
    const { body, unhandled } = await runSynchronously(invoke);
    response.writeHead(200, {
      'content-type': 'application/json',
      'x-amz-executed-version': '$LATEST',
      ...(unhandled ? { 'x-amz-function-error': 'Unhandled' } : {}),
    });
    response.end(body);
  }
}

/**
 * AWS Lambda's Invoke on this machine, in its REST-JSON protocol: a function named by its name, ARN
 * or partial ARN (version `$LATEST` only) runs as `serve` was told, once the caller's role allows
 * `lambda:InvokeFunction` on it, synchronously (`RequestResponse`), in the background (`Event`) or
 * not at all (`DryRun`). Lambda's other operations are answered as not served here; no log tail.
 */
export async function startLambdaEndpoint(options: LambdaEndpointOptions): Promise<LambdaEndpoint> {
  let served: Served | undefined;
  const endpoint = await serveLocally((request, response) => {
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    const answer = async () => {
      const label = request.method === 'POST' ? invokePath.exec(path)?.[1] : undefined;
      if (!label) {
        throw new AwsServiceError(
          'UnsupportedOperationException',
          `The local Lambda endpoint serves only Invoke, not ${request.method} ${path}`,
          501,
        );
      }
      await invokeFunction(request, response, decodeURIComponent(label), options, served);
    };
    answer().catch((error: unknown) => {
      if (response.headersSent) response.destroy(error as Error);
      else answerError(response, error);
    });
  }, options.port);
  return {
    ...endpoint,
    serve(functions, invoke) {
      served = { functions, invoke };
    },
  };
}
