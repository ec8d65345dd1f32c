import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { OpenSearchIndex } from '#shared/search/opensearch/opensearch-index.ts';
import { openSearchTransport } from '#shared/search/opensearch/transport.ts';

// No OpenSearch can run here: a local HTTP server records what the real client sends and answers
// with responses written in the shape OpenSearch 2.x returns.

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly query: Record<string, string>;
  readonly body: unknown;
}

const fixture = (name: string) => readFileSync(new URL(`../fixtures/opensearch/${name}`, import.meta.url));

/**
 * Starts a fake OpenSearch for the calling test file and an `OpenSearchIndex` of `listings` on it.
 * Each test starts with no recorded request and no queued reply; a request without a queued reply
 * gets a 599.
 */
export function useFakeOpenSearch() {
  const requests: RecordedRequest[] = [];
  const replies: { status: number; fixture: string }[] = [];
  const server = createServer(async (request, response) => {
    let text = '';
    for await (const chunk of request) text += chunk;
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    requests.push({
      method: request.method ?? '',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      body: text ? JSON.parse(text) : undefined,
    });
    const reply = replies.shift();
    if (!reply) {
      response.writeHead(599).end();
      return;
    }
    response.writeHead(reply.status, { 'content-type': 'application/json' }).end(fixture(reply.fixture));
  });
  let index: OpenSearchIndex | undefined;

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    index = new OpenSearchIndex(
      openSearchTransport({ node: `http://127.0.0.1:${port}`, maxRetries: 0 }),
      'listings',
    );
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  beforeEach(() => {
    requests.length = 0;
    replies.length = 0;
  });

  return {
    requests,
    /** Queues the answer to the next request: `status` with the body of a fixture file. */
    reply(status: number, fixtureName: string): void {
      replies.push({ status, fixture: fixtureName });
    },
    onlyRequest(): RecordedRequest {
      expect(requests).toHaveLength(1);
      return requests[0] as RecordedRequest;
    },
    index(): OpenSearchIndex {
      if (!index) throw new Error('The fake OpenSearch starts in beforeAll');
      return index;
    },
  };
}
