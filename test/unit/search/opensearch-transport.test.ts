import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createOpenSearchRequests } from '#shared/search/opensearch/client.ts';
import { errorResponseOf } from '#shared/search/opensearch/errors.ts';

const received: { method: string; url: string; headers: IncomingHttpHeaders; body: string }[] = [];
const server = createServer(async (request, response) => {
  let body = '';
  for await (const chunk of request) body += chunk;
  received.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body });
  if (request.url?.startsWith('/missing')) {
    response.writeHead(404, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        error: { type: 'index_not_found_exception', reason: 'no such index [missing]' },
        status: 404,
      }),
    );
    return;
  }
  response.writeHead(200, { 'content-type': 'application/json' }).end('{"hits":{"hits":[]}}');
});
let endpoint = '';

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

// The default credential chain reads the process's environment, as in Lambda.
beforeAll(() => {
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDEXAMPLE');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY');
  vi.stubEnv('AWS_SESSION_TOKEN', 'session-token');
});
afterAll(() => vi.unstubAllEnvs());

const requests = () => createOpenSearchRequests({ OPENSEARCH_ENDPOINT: endpoint, AWS_REGION: 'eu-west-1' });

describe('the requests the search functions send to OpenSearch', () => {
  it('are signed with SigV4 for the es service with the credentials of the default chain', async () => {
    received.length = 0;
    const { body } = await requests().request({
      method: 'POST',
      path: '/listings/_search',
      body: { size: 1 },
    });

    expect(body).toEqual({ hits: { hits: [] } });
    const [request] = received;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('/listings/_search');
    expect(JSON.parse(request?.body ?? '')).toEqual({ size: 1 });
    expect(request?.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/es\/aws4_request, SignedHeaders=\S*host\S*, Signature=[0-9a-f]{64}$/,
    );
    expect(request?.headers['x-amz-security-token']).toBe('session-token');
    expect(request?.headers['x-amz-content-sha256']).toMatch(/^[0-9a-f]{64}$/);
  });

  it('fail with the error OpenSearch answered, readable as its type and status', async () => {
    const failure = await requests()
      .request({ method: 'POST', path: '/missing/_search', body: {} })
      .then(
        () => undefined,
        (error: unknown) => error,
      );

    expect(errorResponseOf(failure)).toMatchObject({ type: 'index_not_found_exception', status: 404 });
  });
});
