import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { assertConfigured } from '../config/function-resources.ts';
import { logger } from '../logger.ts';
import { correlated, correlationHeader, correlationIdPattern } from '../observability/correlation.ts';
import { countDomainError, flushMetricsMiddleware } from '../observability/metrics.ts';
import { tracer } from '../observability/tracer.ts';
import { badRequest, problemBody, problemContentType, toProblem } from './problem.ts';
import { parseRequest } from './request.ts';
import type { HttpResult, RouteSpec, ValidRequest } from './route.ts';

type HttpEvent = APIGatewayProxyEventV2;
type HttpResponse = APIGatewayProxyStructuredResultV2;

/** The result's body as JSON, unless it is text the handler typed itself (a CSV report). */
function httpResponse(result: HttpResult): HttpResponse {
  if (result.body === undefined) return { statusCode: result.status, headers: { ...result.headers } };
  if (typeof result.body === 'string' && result.headers?.['content-type']) {
    return { statusCode: result.status, headers: { ...result.headers }, body: result.body };
  }
  return {
    statusCode: result.status,
    headers: { 'content-type': 'application/json', ...result.headers },
    body: JSON.stringify(result.body),
  };
}

function problemResponse(error: unknown, event: HttpEvent): HttpResponse {
  const requestId = event.requestContext.requestId;
  const problem = toProblem(error);
  if (problem.status >= 500) logger.error('request failed', { error });
  countDomainError(problem.code);
  return {
    statusCode: problem.status,
    headers: { 'content-type': problemContentType, ...problem.headers },
    body: JSON.stringify(problemBody(problem, event.rawPath, requestId)),
  };
}

const invalidCorrelationId = () =>
  badRequest('The X-Correlation-Id header is not a correlation id; nothing was done.', [
    {
      field: `headers.${correlationHeader}`,
      message: 'must be 1 to 128 letters, digits or ._:/+=- and start with a letter or digit',
    },
  ]);

/** The correlation id the caller sent, if any, and whether it is one. */
function correlationIdSent(event: HttpEvent): { readonly valid: boolean; readonly id?: string } {
  const id = event.headers?.[correlationHeader];
  if (id === undefined) return { valid: true };
  return correlationIdPattern.test(id) ? { valid: true, id } : { valid: false };
}

/**
 * Wraps a Lambda entry point for HTTP API events: structured logging with the request id and the
 * correlation id (answered as `X-Correlation-Id`), one access log line per request, a trace, the
 * request's metrics written once as it ends, and every error answered as application/problem+json.
 */
export function httpEntryPoint(respond: (event: HttpEvent) => Promise<HttpResult>) {
  return middy<HttpEvent, HttpResponse>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(captureLambdaHandler(tracer, { captureResponse: false }))
    .use(flushMetricsMiddleware())
    .handler(async (event) => {
      const started = performance.now();
      const { requestId } = event.requestContext;
      logger.appendKeys({ requestId });
      const sent = correlationIdSent(event);
      const correlationId = sent.valid ? (sent.id ?? requestId) : requestId;
      return correlated(correlationId, async () => {
        const answer = sent.valid ? respond(event) : Promise.reject(invalidCorrelationId());
        const response = await answer.then(httpResponse, (error) => problemResponse(error, event));
        response.headers = { ...response.headers, [correlationHeader]: correlationId };
        logger.info('request', {
          method: event.requestContext.http.method,
          path: event.rawPath,
          status: response.statusCode,
          durationMs: Math.round(performance.now() - started),
        });
        return response;
      });
    });
}

/**
 * The entry point of one route: its configuration checked at init, and each request authorized and
 * validated before `handle` runs.
 */
export function httpHandler<R extends RouteSpec>(
  route: R,
  handle: (request: ValidRequest<R>) => Promise<HttpResult>,
) {
  if (route.idempotent)
    throw new Error(`${route.handler}: an idempotent route is served by idempotentHandler`);
  return routeEntryPoint(route, handle);
}

/** `httpHandler` without its guard, for the wrappers that serve routes it refuses. */
export function routeEntryPoint<R extends RouteSpec>(
  route: R,
  handle: (request: ValidRequest<R>) => Promise<HttpResult>,
) {
  assertConfigured(route.handler, route.uses);
  return httpEntryPoint(async (event) => handle(parseRequest(route, event, event.requestContext.requestId)));
}
