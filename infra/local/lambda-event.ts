import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { localAccount } from './aws/authorization.ts';

const textContentType = /^(?:text\/|application\/(?:[\w.+-]+\+)?(?:json|xml|x-www-form-urlencoded))/i;

function singleValueHeaders(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined && name !== 'cookie')
      headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  return headers;
}

function queryParameters(search: URLSearchParams): Record<string, string> | undefined {
  const entries = [...new Set(search.keys())].map((name) => [name, search.getAll(name)] as const);
  return entries.length === 0
    ? undefined
    : Object.fromEntries(entries.map(([name, values]) => [name, values.join(',')]));
}

export interface GatewayRequest {
  readonly request: IncomingMessage;
  readonly body: Buffer;
  readonly routeKey: string;
  readonly pathParameters?: Record<string, string>;
  readonly claims?: Record<string, string>;
}

/** The API Gateway HTTP API payload format 2.0 event for one request, as the Lambda receives it. */
export function toHttpApiEvent({
  request,
  body,
  routeKey,
  pathParameters,
  claims,
}: GatewayRequest): APIGatewayProxyEventV2 {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const headers = singleValueHeaders(request);
  const isText = body.byteLength === 0 || textContentType.test(headers['content-type'] ?? '');
  const now = new Date();
  const cookies = request.headers.cookie?.split(/;\s*/).filter(Boolean);
  const queryStringParameters = queryParameters(url.searchParams);
  return {
    version: '2.0',
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    ...(cookies ? { cookies } : {}),
    ...(queryStringParameters ? { queryStringParameters } : {}),
    ...(pathParameters && Object.keys(pathParameters).length > 0 ? { pathParameters } : {}),
    requestContext: {
      accountId: localAccount.accountId,
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'local',
      http: {
        method: request.method ?? 'GET',
        path: url.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
      ...(claims ? { authorizer: { jwt: { claims, scopes: null } } } : {}),
    } as APIGatewayProxyEventV2['requestContext'],
    ...(body.byteLength > 0
      ? { body: isText ? body.toString('utf8') : body.toString('base64'), isBase64Encoded: !isText }
      : { isBase64Encoded: false }),
  };
}

/** A Lambda context for one local invocation. */
export function lambdaContext(functionName: string, timeoutMs = 29_000): Context {
  const deadline = Date.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:${localAccount.partition}:lambda:${localAccount.region}:${localAccount.accountId}:function:${functionName}`,
    memoryLimitInMB: '256',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
