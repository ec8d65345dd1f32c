import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { fallbackHandler, routeList } from '#functions/routes.ts';
import { allowedOrigin, type CorsPolicy } from '#shared/http/cors.ts';
import { matchRoute } from '#shared/http/route-match.ts';
import type { LocalIdentity } from './identity.ts';
import { toHttpApiEvent } from './lambda-event.ts';

type HttpApiResult = APIGatewayProxyStructuredResultV2;

/** API Gateway's own payload limit for HTTP APIs. */
const gatewayMaxBodyBytes = 10 * 1024 * 1024;

function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size <= gatewayMaxBodyBytes) chunks.push(chunk);
    });
    request.on('end', () => resolve(size > gatewayMaxBodyBytes ? undefined : Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

type HeaderMap = Record<string, string>;

function sendGatewayError(response: ServerResponse, status: number, message: string, cors: HeaderMap): void {
  response
    .writeHead(status, { 'content-type': 'application/json', ...cors })
    .end(JSON.stringify({ message }));
}

function sendResult(
  response: ServerResponse,
  result: APIGatewayProxyStructuredResultV2,
  cors: HeaderMap,
): void {
  const headers: Record<string, string | string[]> = { ...cors };
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name] = String(value);
  if (result.cookies?.length) headers['set-cookie'] = result.cookies;
  const body =
    result.body === undefined
      ? undefined
      : Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8');
  response.writeHead(result.statusCode ?? 200, headers).end(body);
}

/** The CORS headers API Gateway adds to a response for this Origin, if the policy allows it. */
function corsHeaders(policy: CorsPolicy, origin: string | undefined): HeaderMap {
  const allowed = origin === undefined ? undefined : allowedOrigin(policy, origin);
  if (!allowed) return {};
  return {
    'access-control-allow-origin': allowed,
    'access-control-expose-headers': policy.exposeHeaders.join(','),
    ...(allowed === '*' ? {} : { vary: 'origin' }),
  };
}

function preflightHeaders(policy: CorsPolicy): HeaderMap {
  return {
    'access-control-allow-methods': policy.allowMethods.join(','),
    'access-control-allow-headers': policy.allowHeaders.join(','),
    'access-control-max-age': String(policy.maxAgeSeconds),
  };
}

/**
 * The local stand-in for API Gateway: answers CORS preflights, routes with the route table, rejects
 * bad tokens on protected routes as the JWT authorizer does, and invokes the route's function.
 */
export function createGateway(
  identity: LocalIdentity,
  corsPolicy: CorsPolicy,
  invoke: (handlerModule: string, event: APIGatewayProxyEventV2) => Promise<unknown>,
): Server {
  return createServer(async (request, response) => {
    const cors = corsHeaders(corsPolicy, request.headers.origin);
    try {
      const body = await readBody(request);
      if (body === undefined) return sendGatewayError(response, 413, 'Request Entity Too Large', cors);
      const method = request.method ?? 'GET';
      if (method === 'OPTIONS' && request.headers['access-control-request-method']) {
        const headers = Object.keys(cors).length > 0 ? { ...cors, ...preflightHeaders(corsPolicy) } : {};
        return response.writeHead(204, headers).end();
      }
      const path = new URL(request.url ?? '/', 'http://localhost').pathname;
      const match = matchRoute(routeList, method, path);
      let claims: Record<string, string> | undefined;
      if (match.kind === 'found' && match.route.access !== 'public') {
        claims = await identity.verify(request.headers.authorization);
        if (!claims) return sendGatewayError(response, 401, 'Unauthorized', cors);
      }
      const [handlerName, routeKey, pathParameters] =
        match.kind === 'found'
          ? [match.route.handler, `${match.route.method} ${match.route.path}`, match.params]
          : [fallbackHandler, '$default', undefined];
      const event = toHttpApiEvent({ request, body, routeKey, pathParameters, claims });
      sendResult(response, (await invoke(handlerName, event)) as HttpApiResult, cors);
    } catch (error) {
      // API Gateway's answer when the integration itself fails.
      console.error(error);
      if (!response.headersSent) sendGatewayError(response, 500, 'Internal Server Error', cors);
    }
  });
}
