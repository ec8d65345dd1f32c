import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An error as an AWS JSON-protocol service answers it: `__type` names the error shape the SDK
 * turns into its exception class (`ExecutionAlreadyExists`, `AccessDeniedException`, ...).
 */
export class AwsServiceError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = type;
  }
}

/** Who signed a request: the access key id of its SigV4 `Credential=`, which locally names the function. */
export function accessKeyOf(request: IncomingMessage): string | undefined {
  const authorization = request.headers.authorization ?? '';
  return /Credential=([^/,\s]+)\//.exec(authorization)?.[1];
}

export interface JsonCall {
  /** The operation's name, from `X-Amz-Target: <prefix>.<operation>`. */
  readonly operation: string;
  readonly input: Record<string, unknown>;
  /** The signer's access key id, if the request was signed. */
  readonly accessKeyId: string | undefined;
}

export type JsonOperation = (call: JsonCall) => Promise<unknown> | unknown;

export interface JsonProtocolServerOptions {
  /** `AWSStepFunctions`, `AmazonSQS`, `secretsmanager`, ... */
  readonly targetPrefix: string;
  /** `application/x-amz-json-1.0` or `-1.1`, as the service's SDK client sends it. */
  readonly contentType: string;
  readonly operations: Readonly<Record<string, JsonOperation>>;
  /** 0 (the default) picks a free port. */
  readonly port?: number;
}

export interface LocalEndpoint {
  /** What `AWS_ENDPOINT_URL_<SERVICE>` is set to. */
  readonly url: string;
  stop(): Promise<void>;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function answer(response: ServerResponse, status: number, contentType: string, body: unknown): void {
  response.writeHead(status, { 'content-type': contentType });
  response.end(JSON.stringify(body));
}

function answerError(response: ServerResponse, contentType: string, error: unknown): void {
  if (error instanceof AwsServiceError) {
    answer(response, error.status, contentType, { __type: error.type, message: error.message });
    return;
  }
  const message = error instanceof Error ? error.message : String(error);
  answer(response, 500, contentType, { __type: 'InternalFailure', message });
}

async function handle(
  options: JsonProtocolServerOptions,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const target = request.headers['x-amz-target'];
  const [prefix, operation] = typeof target === 'string' ? target.split('.') : [];
  const run = prefix === options.targetPrefix && operation ? options.operations[operation] : undefined;
  if (!run || !operation) {
    throw new AwsServiceError('UnknownOperationException', `This local endpoint does not serve ${target}`);
  }
  const body = await readBody(request);
  let input: Record<string, unknown>;
  try {
    input = body ? (JSON.parse(body) as Record<string, unknown>) : {};
  } catch {
    throw new AwsServiceError('SerializationException', 'The request body is not JSON');
  }
  const output = await run({ operation, input, accessKeyId: accessKeyOf(request) });
  answer(response, 200, options.contentType, output ?? {});
}

/** Serves `listener` on this machine's loopback at `port` (0 picks a free one) until stopped. */
export async function serveLocally(listener: RequestListener, port = 0): Promise<LocalEndpoint> {
  const server = createServer(listener);
  await new Promise<void>((resolve, reject) =>
    server.once('error', reject).listen(port, '127.0.0.1', resolve),
  );
  const { port: boundPort } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${boundPort}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** An HTTP server speaking an AWS JSON protocol (1.0 or 1.1), reached by the real SDK client. */
export function startJsonProtocolServer(options: JsonProtocolServerOptions): Promise<LocalEndpoint> {
  return serveLocally((request, response) => {
    handle(options, request, response).catch((error: unknown) =>
      answerError(response, options.contentType, error),
    );
  }, options.port);
}
