import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { maxEndpointsPerOwner, nextAttemptDelay, type WebhookEndpoint } from '#shared/domain/webhooks.ts';
import { WebhookStore } from '#shared/store/webhook-store.ts';
import { freshTable } from '../support/table.ts';

let store: WebhookStore;

beforeEach(async () => {
  const table = await freshTable();
  store = new WebhookStore(table.client, table.tableName);
});

const endpoint = (owner: string): WebhookEndpoint => ({
  id: randomUUID(),
  owner,
  url: 'https://hooks.example.com/in',
  eventTypes: [],
  status: 'enabled',
  secrets: [{ secret: 'whsec_c2VjcmV0', since: new Date().toISOString() }],
  createdAt: new Date().toISOString(),
});

describe('the webhook store', () => {
  it(`keeps an owner to ${maxEndpointsPerOwner} endpoints, however many registrations race`, async () => {
    const outcomes = await Promise.allSettled(
      Array.from({ length: 14 }, () => store.register(endpoint('sam'))),
    );
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(maxEndpointsPerOwner);
    expect(outcomes.filter((outcome) => outcome.status === 'rejected')).toEqual(
      Array(4).fill(
        expect.objectContaining({ reason: expect.objectContaining({ code: 'too_many_webhook_endpoints' }) }),
      ),
    );
    const [first] = await store.list('sam');
    await store.remove('sam', first?.id ?? '');
    await store.register(endpoint('sam'));
    expect(await store.list('sam')).toHaveLength(maxEndpointsPerOwner);
    expect(await store.list('dan')).toEqual([]);
  });

  it('finds an endpoint only under its owner', async () => {
    const mine = endpoint('sam');
    await store.register(mine);
    expect(await store.get('sam', mine.id)).toEqual(mine);
    expect(await store.get('dan', mine.id)).toBeUndefined();
    await expect(store.remove('dan', mine.id)).rejects.toMatchObject({ code: 'webhook_endpoint_not_found' });
  });

  it('queues a delivery once, and records one attempt of two workers racing', async () => {
    const now = new Date();
    const delivery = {
      endpointId: 'e1',
      owner: 'sam',
      eventId: 'evt_000000000001',
      eventType: 'order.placed',
      position: '000000000001',
      createdAt: now.toISOString(),
    };
    expect(await store.createDelivery(delivery, now)).toBe(true);
    expect(await store.createDelivery(delivery, now)).toBe(false);
    const pending = await store.delivery('e1', '000000000001');
    expect(pending).toMatchObject({ status: 'pending', attempts: [] });
    if (!pending) throw new Error('no delivery');
    const attempt = { at: now.toISOString(), statusCode: 200, latencyMs: 12 };
    const recorded = await Promise.all([
      store.recordAttempt(pending, attempt, { status: 'succeeded' }),
      store.recordAttempt(
        pending,
        { ...attempt, statusCode: 500 },
        { status: 'pending', nextAttemptAt: now.toISOString() },
      ),
    ]);
    expect(recorded.filter(Boolean)).toHaveLength(1);
    expect((await store.delivery('e1', '000000000001'))?.attempts).toHaveLength(1);
  });
});

describe('the retry schedule', () => {
  const schedule = [0, 5, 300, 1800];
  it('waits as the schedule says after each failed attempt, jittered by a tenth, then gives up', () => {
    expect(nextAttemptDelay(1, schedule, undefined, () => 0.5)).toBe(5);
    expect(nextAttemptDelay(2, schedule, undefined, () => 0)).toBe(270);
    expect(nextAttemptDelay(3, schedule, undefined, () => 1)).toBe(1980);
    expect(nextAttemptDelay(4, schedule, undefined)).toBeUndefined();
  });

  it("never retries sooner than the receiver's Retry-After", () => {
    expect(nextAttemptDelay(1, schedule, 60, () => 0.5)).toBe(60);
    expect(nextAttemptDelay(2, schedule, 60, () => 0.5)).toBe(300);
  });
});
