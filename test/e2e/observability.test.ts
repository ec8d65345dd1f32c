import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, type MockInstance, vi } from 'vitest';
import { TestApi } from '../support/api.ts';
import { eventually } from '../support/eventually.ts';
import { checkout, publishListing } from '../support/orders.ts';
import { onboardSeller } from '../support/sellers.ts';

/**
 * What an operator sees of the local stack: the functions run in this process and write their logs
 * and metrics to its standard output, one JSON object a line, as Lambda's runtime hands them to
 * CloudWatch Logs. Metrics are embedded metric format (EMF) lines.
 */

// The suite logs warnings only; these tests read the info lines too, as CloudWatch Logs keeps them.
// Set before any module makes the logger.
vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
});

let api: TestApi;
let seller: string;
let stdout: MockInstance<typeof process.stdout.write>;

beforeAll(async () => {
  api = await TestApi.start();
  seller = await api.token('observed-seller', 'seller');
  await onboardSeller(api, seller);
}, 120_000);
afterAll(() => api.stop());

const lines: Record<string, unknown>[] = [];
function captureStdout() {
  lines.length = 0;
  stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    for (const line of String(chunk).split('\n')) {
      if (!line.startsWith('{')) continue;
      try {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // Not a JSON line of a function.
      }
    }
    return true;
  });
}
afterEach(() => stdout?.mockRestore());

interface EmfLine {
  readonly _aws: {
    readonly CloudWatchMetrics: readonly {
      readonly Namespace: string;
      readonly Dimensions: readonly (readonly string[])[];
      readonly Metrics: readonly { readonly Name: string; readonly Unit: string }[];
    }[];
  };
  readonly [key: string]: unknown;
}

const emfLines = () => lines.filter((line): line is EmfLine & Record<string, unknown> => '_aws' in line);
const emfLinesWith = (metric: string) =>
  emfLines().filter((line) =>
    line._aws.CloudWatchMetrics.some((set) => set.Metrics.some((m) => m.Name === metric)),
  );

describe('a checkout on the local stack', () => {
  it('writes an EMF line counting it, once, in the stack namespace with the service its only dimension', async () => {
    const buyer = await api.token(`observed-buyer-${randomUUID()}`, 'buyer');
    const lamp = await publishListing(api, seller);
    const key = randomUUID();
    captureStdout();

    const placed = await checkout(api, buyer, [{ listingId: lamp.id, quantity: 1 }], key);
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    const replayed = await checkout(api, buyer, [{ listingId: lamp.id, quantity: 1 }], key);
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');

    const counted = emfLinesWith('CheckoutsPlaced');
    expect(counted).toHaveLength(1);
    expect(counted[0]).toMatchObject({
      _aws: {
        CloudWatchMetrics: [
          {
            Namespace: 'Marketplace',
            Dimensions: [['service']],
            Metrics: expect.arrayContaining([{ Name: 'CheckoutsPlaced', Unit: 'Count' }]),
          },
        ],
      },
      service: 'marketplace',
      CheckoutsPlaced: 1,
    });
    expect(JSON.stringify(counted[0])).not.toContain(placed.body.id);
  }, 60_000);

  it('is found in the logs by the correlation id the caller sent, through the stream to its workflow', async () => {
    const buyer = await api.token(`observed-buyer-${randomUUID()}`, 'buyer');
    const lamp = await publishListing(api, seller);
    const correlationId = `trail-${randomUUID()}`;
    captureStdout();

    const placed = await api.call('POST', '/checkouts', {
      token: buyer,
      body: { lines: [{ listingId: lamp.id, quantity: 1 }], paymentMethod: 'pm_card_visa' },
      headers: { 'idempotency-key': randomUUID(), 'x-correlation-id': correlationId },
    });
    expect(placed.status, JSON.stringify(placed.body)).toBe(201);
    expect(placed.headers.get('x-correlation-id')).toBe(correlationId);
    const [orderId] = placed.body.orders.map((order: { id: string }) => order.id);

    const trail = () => lines.filter((line) => line.correlation_id === correlationId);
    await eventually(async () => {
      expect(trail()).toContainEqual(
        expect.objectContaining({ message: 'request', status: 201, path: '/checkouts' }),
      );
      expect(trail()).toContainEqual(
        expect.objectContaining({ message: 'checkout placed', orderIds: [orderId] }),
      );
      // The order workflow driver read the id from the order's stream record when it started the workflow.
      expect(trail()).toContainEqual(
        expect.objectContaining({ message: 'order workflow signalled', orderId, signal: 'start' }),
      );
    }, 20_000);
  }, 60_000);

  it('answers a request without a correlation id with its request id, and refuses a malformed one', async () => {
    const plain = await api.call('GET', `/listings/${randomUUID()}`);
    expect(plain.status).toBe(404);
    expect(plain.headers.get('x-correlation-id')).toBe(plain.body.requestId);

    const buyer = await api.token(`observed-buyer-${randomUUID()}`, 'buyer');
    const lamp = await publishListing(api, seller);
    const malformed = await api.call('POST', '/checkouts', {
      token: buyer,
      body: { lines: [{ listingId: lamp.id, quantity: 1 }], paymentMethod: 'pm_card_visa' },
      headers: { 'idempotency-key': randomUUID(), 'x-correlation-id': 'two words' },
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({
      code: 'validation_failed',
      errors: [{ field: 'headers.x-correlation-id', message: expect.any(String) }],
    });
    expect((await api.call('GET', '/orders', { token: buyer })).body.items ?? []).toEqual([]);
  }, 60_000);
});
