import {
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { crc32 } from 'node:zlib';
import type { Authorize } from './authorization.ts';
import { AwsServiceError, accessKeyOf, type LocalEndpoint, serveLocally } from './json-protocol.ts';
import { dynamoDbStreamArn, dynamoDbTableArn } from './resource-kinds.ts';
import { itemsTouchedBy } from './transaction-capacity.ts';

export interface DynamoDbGatewayOptions {
  /** DynamoDB Local's endpoint, started with `-sharedDb` so every function's access key sees the same data. */
  readonly target: string;
  readonly authorize: Authorize;
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  /**
   * Told of every call DynamoDB Local answered, with the capacity it consumed: the gateway asks for
   * it (`ReturnConsumedCapacity`) and takes it out of the answer again if the caller did not.
   */
  readonly meter?: (call: MeteredCall) => void;
}

/** A call as DynamoDB Local answered it, for a benchmark to count. */
export interface MeteredCall {
  readonly operation: string;
  readonly input: Readonly<Input>;
  readonly status: number;
  /** The answer, with its `ConsumedCapacity`; undefined if it was not JSON. */
  readonly output: Readonly<Record<string, unknown>> | undefined;
  /** The caller's request headers: the SDK names each call with `amz-sdk-invocation-id`. */
  readonly headers: IncomingHttpHeaders;
}

/** An action IAM checks for a call, and the resource it checks it on. */
export interface RequiredPermission {
  readonly action: string;
  readonly resource: string;
}

type Input = Record<string, unknown>;

const targetPrefixes = new Set(['DynamoDB_20120810', 'DynamoDBStreams_20120810']);
const contentType = 'application/x-amz-json-1.0';
const errorNamespace = 'com.amazonaws.dynamodb.v20120810';

/** A table's name, from its name or from any ARN of it (DynamoDB Local's own, or a stream's or index's). */
function tableNameOf(value: unknown): string {
  if (typeof value !== 'string' || value === '') {
    throw new AwsServiceError(`${errorNamespace}#ValidationException`, 'The request names no table');
  }
  if (!value.startsWith('arn:')) return value;
  const name = /:table\/([^/]+)/.exec(value)?.[1];
  if (!name) throw new AwsServiceError(`${errorNamespace}#ValidationException`, `${value} names no table`);
  return name;
}

const onTable = (action: string, table: unknown): RequiredPermission => ({
  action: `dynamodb:${action}`,
  resource: dynamoDbTableArn(tableNameOf(table)),
});

/**
 * Streams are authorized on the stream ARN the template gives the table (`StreamArn`), whatever
 * label DynamoDB Local gave its stream: locally a table has exactly one stream, the one the
 * template declares, so this is the resource the role's grant names.
 */
const onStream = (action: string, streamArn: unknown): RequiredPermission => ({
  action: `dynamodb:${action}`,
  resource: dynamoDbStreamArn(tableNameOf(streamArn)),
});

const tablesOf = (requestItems: unknown) => Object.keys((requestItems ?? {}) as Input);

const transactionItems = (input: Input) => (input.TransactItems ?? []) as Record<string, Input>[];

/** TransactWriteItems needs, per item, the action the item stands for. */
const transactWriteActions: Readonly<Record<string, string>> = {
  Put: 'PutItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
  ConditionCheck: 'ConditionCheckItem',
};

function transactWritePermissions(input: Input): RequiredPermission[] {
  return transactionItems(input).flatMap((item) =>
    Object.entries(item).map(([kind, operation]) => {
      const action = transactWriteActions[kind];
      if (!action) throw new AwsServiceError(`${errorNamespace}#ValidationException`, `Unknown item ${kind}`);
      return onTable(action, operation.TableName);
    }),
  );
}

/** A shard iterator starts with the ARN of its stream, followed by `|`. */
const streamOfIterator = (iterator: unknown) => (typeof iterator === 'string' ? iterator.split('|')[0] : '');

/** Every (action, resource) IAM checks before it lets the operation run, as the DynamoDB docs list them. */
export function requiredPermissions(operation: string, input: Input): RequiredPermission[] {
  switch (operation) {
    case 'Query':
    case 'Scan': {
      const { resource } = onTable(operation, input.TableName);
      const index = input.IndexName;
      return [{ action: `dynamodb:${operation}`, resource: index ? `${resource}/index/${index}` : resource }];
    }
    case 'BatchGetItem':
    case 'BatchWriteItem':
      return tablesOf(input.RequestItems).map((table) => onTable(operation, table));
    case 'TransactWriteItems':
      return transactWritePermissions(input);
    case 'TransactGetItems':
      return transactionItems(input).map((item) => onTable('GetItem', item.Get?.TableName));
    case 'DescribeStream':
    case 'GetShardIterator':
      return [onStream(operation, input.StreamArn)];
    case 'GetRecords':
      return [onStream(operation, streamOfIterator(input.ShardIterator))];
    default:
      if (input.TableName !== undefined) return [onTable(operation, input.TableName)];
      if (input.ResourceArn !== undefined) return [onTable(operation, input.ResourceArn)];
      return [{ action: `dynamodb:${operation}`, resource: '*' }];
  }
}

function answerError(response: ServerResponse, error: unknown): void {
  const known = error instanceof AwsServiceError;
  const type = known ? error.type : 'InternalFailure';
  const body = JSON.stringify({
    __type: type.includes('#') ? type : `${errorNamespace}#${type}`,
    message: error instanceof Error ? error.message : String(error),
  });
  response.writeHead(known ? error.status : 500, { 'content-type': contentType });
  response.end(body);
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function operationOf(request: IncomingMessage): string {
  const target = request.headers['x-amz-target'];
  const [prefix, operation] = typeof target === 'string' ? target.split('.') : [];
  if (!prefix || !operation || !targetPrefixes.has(prefix)) {
    throw new AwsServiceError('UnknownOperationException', `This gateway does not serve ${String(target)}`);
  }
  return operation;
}

function parseInput(body: Buffer): Input {
  try {
    const input: unknown = body.length > 0 ? JSON.parse(body.toString('utf8')) : {};
    if (input !== null && typeof input === 'object' && !Array.isArray(input)) return input as Input;
  } catch {}
  throw new AwsServiceError('SerializationException', 'The request body is not a JSON object');
}

/** Hop-by-hop headers belong to one connection; `host` names the gateway, not DynamoDB Local. */
const unforwarded = new Set(['host', 'connection', 'keep-alive', 'transfer-encoding']);

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
}

/** Sends `body` to DynamoDB Local as `request` did, or as the call `operation` if named. */
function forward(target: URL, request: IncomingMessage, body: Buffer, operation?: string): Promise<Answer> {
  const headers = Object.fromEntries(
    Object.entries(request.headers).filter(([name]) => !unforwarded.has(name.toLowerCase())),
  );
  if (operation) headers['x-amz-target'] = `DynamoDB_20120810.${operation}`;
  return new Promise((resolve, reject) => {
    const upstream = httpRequest(
      target,
      {
        method: request.method,
        path: request.url,
        headers: { ...headers, 'content-length': String(body.length) },
      },
      (answer) => {
        const chunks: Buffer[] = [];
        answer
          .on('data', (chunk: Buffer) => chunks.push(chunk))
          .once('end', () =>
            resolve({
              status: answer.statusCode ?? 502,
              headers: Object.fromEntries(
                Object.entries(answer.headers).filter(([name]) => !unforwarded.has(name)),
              ),
              body: Buffer.concat(chunks),
            }),
          )
          .once('error', reject);
      },
    );
    upstream.once('error', reject);
    upstream.end(body);
  });
}

/** The operations that take `ReturnConsumedCapacity`. */
const capacityOperations = new Set([
  'GetItem',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'Query',
  'Scan',
  'BatchGetItem',
  'BatchWriteItem',
  'TransactGetItems',
  'TransactWriteItems',
]);

const parseOutput = (body: Buffer): Record<string, unknown> | undefined => {
  try {
    const output: unknown = JSON.parse(body.toString('utf8'));
    return output !== null && typeof output === 'object' ? (output as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
};

/** Asks for the capacity a call consumes, reports it, and answers as DynamoDB would have without asking. */
async function meteredExchange(
  meter: NonNullable<DynamoDbGatewayOptions['meter']>,
  target: URL,
  request: IncomingMessage,
  operation: string,
  input: Input,
): Promise<Answer> {
  const unchanged =
    !capacityOperations.has(operation) ||
    (input.ReturnConsumedCapacity !== undefined && input.ReturnConsumedCapacity !== 'NONE');
  const metered = unchanged ? input : { ...input, ReturnConsumedCapacity: 'TOTAL' };
  const send = (operationInput: Input, other?: string) =>
    forward(target, request, Buffer.from(JSON.stringify(operationInput)), other).then((answer) =>
      answer.status === 200 ? parseOutput(answer.body) : undefined,
    );
  const transaction = operation === 'TransactWriteItems' ? await itemsTouchedBy(input, send) : undefined;
  const answer = await forward(target, request, Buffer.from(JSON.stringify(metered)));
  const output = parseOutput(answer.body);
  const capacity = transaction && answer.status === 200 ? await transaction.capacity() : undefined;
  meter({
    operation,
    input,
    status: answer.status,
    output: capacity ? { ...output, ConsumedCapacity: capacity } : output,
    headers: request.headers,
  });
  if (unchanged || !output || !('ConsumedCapacity' in output)) return answer;
  const { ConsumedCapacity: _added, ...unasked } = output;
  const body = Buffer.from(JSON.stringify(unasked));
  const headers: Answer['headers'] = { ...answer.headers, 'content-length': String(body.length) };
  if (headers['x-amz-crc32'] !== undefined) headers['x-amz-crc32'] = String(crc32(body));
  return { ...answer, headers, body };
}

async function handle(
  options: DynamoDbGatewayOptions,
  target: URL,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const operation = operationOf(request);
  const body = await readBody(request);
  const accessKeyId = accessKeyOf(request);
  const input = parseInput(body);
  for (const { action, resource } of requiredPermissions(operation, input)) {
    options.authorize(accessKeyId, action, resource);
  }
  const answer = options.meter
    ? await meteredExchange(options.meter, target, request, operation, input)
    : await forward(target, request, body);
  response.writeHead(answer.status, answer.headers);
  response.end(answer.body);
}

/**
 * A proxy in front of DynamoDB Local, which ignores IAM: checks every permission a DynamoDB or
 * DynamoDB Streams call needs against the signer's policy, answers AccessDeniedException as
 * DynamoDB does, and forwards allowed requests unchanged (or, metering, asking for the capacity
 * consumed as well).
 */
export function startDynamoDbGateway(options: DynamoDbGatewayOptions): Promise<LocalEndpoint> {
  const target = new URL(options.target);
  return serveLocally((request, response) => {
    handle(options, target, request, response).catch((error: unknown) => {
      if (response.headersSent) response.destroy(error as Error);
      else answerError(response, error);
    });
  }, options.port);
}
