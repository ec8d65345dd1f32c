import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { handler } from '#functions/system/fallback.ts';
import { lambdaContext } from '#infra/local/lambda-event.ts';

/** A request API Gateway hands to the `$default` route, as payload format 2.0, under request id `request-7`. */
export const defaultRouteRequest = (method: string, path: string, headers: Record<string, string> = {}) =>
  ({
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: '',
    headers,
    isBase64Encoded: false,
    requestContext: { requestId: 'request-7', http: { method, path } },
  }) as unknown as APIGatewayProxyEventV2;

/** What the `$default` route's function answers to it. */
export const fallbackAnswer = async (event: APIGatewayProxyEventV2) =>
  (await handler(event, lambdaContext('system-fallback'))) as APIGatewayProxyStructuredResultV2;
