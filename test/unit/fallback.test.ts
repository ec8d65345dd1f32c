import { describe, expect, it } from 'vitest';
import { fallbackAnswer as answer, defaultRouteRequest as request } from '../support/fallback-requests.ts';

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
