import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { handler } from '#functions/system/fallback.ts';
import { lambdaContext } from '#infra/local/lambda-event.ts';

/** A request API Gateway hands to the `$default` route, as payload format 2.0. */
const request = (method: string, path: string, headers: Record<string, string> = {}) =>
  ({
    version: '2.0',
    routeKey: '$default',
    rawPath: path,
    rawQueryString: '',
    headers,
    isBase64Encoded: false,
    requestContext: { requestId: 'r-1', http: { method, path } },
  }) as unknown as APIGatewayProxyEventV2;

const answer = async (event: APIGatewayProxyEventV2) =>
  (await handler(event, lambdaContext('system-fallback'))) as APIGatewayProxyStructuredResultV2;

describe('the $default route', () => {
  it('answers a CORS preflight with 204, which a browser accepts', async () => {
    const preflight = request('OPTIONS', '/checkouts', {
      origin: 'https://shop.example',
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization,content-type,idempotency-key',
    });
    expect(await answer(preflight)).toMatchObject({ statusCode: 204 });
  });

  it('answers any other OPTIONS, and other methods no route takes, with 405 or 404', async () => {
    expect(await answer(request('OPTIONS', '/checkouts'))).toMatchObject({ statusCode: 405 });
    expect(await answer(request('DELETE', '/health'))).toMatchObject({
      statusCode: 405,
      headers: expect.objectContaining({ allow: 'GET' }),
    });
    expect(await answer(request('GET', '/nowhere'))).toMatchObject({ statusCode: 404 });
  });
});
