import { randomUUID } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  maxEndpointsPerOwner,
  nextAttemptDelay,
  rotatedSecrets,
  type WebhookEndpoint,
} from '#shared/domain/webhooks.ts';
import { webhookDeliveryKey } from '#shared/store/entities/webhook-delivery.ts';
import { WebhookDeliveryStore } from '#shared/store/webhook-delivery-store.ts';
import { WebhookStore } from '#shared/store/webhook-store.ts';
import { freshTable } from '../support/table.ts';

let store: WebhookStore;
let deliveries: WebhookDeliveryStore;
let table: Awaited<ReturnType<typeof freshTable>>;

beforeEach(async () => {
  table = await freshTable();
  store = new WebhookStore(table.client, table.tableName);
  deliveries = new WebhookDeliveryStore(table.client, table.tableName);
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

const newDelivery = (now: Date) => ({
  endpointId: 'e1',
  owner: 'sam',
  id: '000000000001',
  eventId: 'evt_000000000001',
  eventType: 'order.placed',
  position: '000000000001',
  createdAt: now.toISOString(),
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

  it('takes one of two rotations made from the same secrets, refusing the other', async () => {
    const mine = endpoint('sam');
    await store.register(mine);
    const now = new Date();
    const outcomes = await Promise.allSettled(
      ['whsec_Zmlyc3Q=', 'whsec_c2Vjb25k'].map((secret) =>
        store.replaceSecrets(mine, rotatedSecrets(mine.secrets, secret, 3600, now)),
      ),
    );
    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(outcomes.find((outcome) => outcome.status === 'rejected')).toMatchObject({
      reason: { code: 'webhook_secret_rotation_conflict' },
    });
    const rotated = await store.get('sam', mine.id);
    expect(rotated?.secrets).toHaveLength(2);
    expect(rotated?.secrets[1]).toMatchObject({
      secret: 'whsec_c2VjcmV0',
      expiresAt: new Date(now.getTime() + 3_600_000).toISOString(),
    });
  });

  it('notes when failures began once, disables once, and forgets the failures when enabled', async () => {
    const mine = endpoint('sam');
    await store.register(mine);
    const [first, later] = [new Date('2030-01-01T00:00:00Z'), new Date('2030-01-02T00:00:00Z')];
    expect(await store.markFailing('sam', mine.id, first)).toBe(true);
    expect(await store.markFailing('sam', mine.id, later)).toBe(false);
    expect((await store.get('sam', mine.id))?.failingSince).toBe(first.toISOString());
    // Failing since another time (it succeeded in between): not disabled.
    expect(await store.disable('sam', mine.id, 'failing', later, later.toISOString())).toBe(false);
    const disabled = await Promise.all([
      store.disable('sam', mine.id, 'failing', later, first.toISOString()),
      store.disable('sam', mine.id, 'gone', later),
    ]);
    expect(disabled.filter(Boolean)).toHaveLength(1);
    expect(await store.get('sam', mine.id)).toMatchObject({
      status: 'disabled',
      disabledAt: later.toISOString(),
    });
    expect(await store.enable('sam', mine.id)).toBe(true);
    expect(await store.enable('sam', mine.id)).toBe(false);
    const enabled = await store.get('sam', mine.id);
    expect(enabled).toMatchObject({ status: 'enabled' });
    expect(enabled).not.toHaveProperty('failingSince');
    expect(enabled).not.toHaveProperty('disabledReason');
    expect(await store.markSucceeding('sam', mine.id)).toBe(false);
    expect(await store.disable('dan', mine.id, 'not theirs', later)).toBe(false);
  });
});

describe('the webhook delivery store', () => {
  it('queues a delivery once, and records one attempt of two workers racing', async () => {
    const now = new Date();
    expect(await deliveries.create(newDelivery(now), now)).toBe(true);
    expect(await deliveries.create(newDelivery(now), now)).toBe(false);
    const pending = await deliveries.get('e1', '000000000001');
    expect(pending).toMatchObject({ status: 'pending', attempts: [], redeliveries: [] });
    if (!pending) throw new Error('no delivery');
    const attempt = { at: now.toISOString(), statusCode: 200, latencyMs: 12 };
    const recorded = await Promise.all([
      deliveries.recordAttempt(pending, attempt, { status: 'succeeded' }),
      deliveries.recordAttempt(
        pending,
        { ...attempt, statusCode: 500 },
        { status: 'pending', nextAttemptAt: now.toISOString() },
      ),
    ]);
    expect(recorded.filter(Boolean)).toHaveLength(1);
    expect((await deliveries.get('e1', '000000000001'))?.attempts).toHaveLength(1);
  });

  it('starts one redelivery of two asked at once, and none of a delivery still pending', async () => {
    const now = new Date();
    await deliveries.create(newDelivery(now), now);
    const pending = await deliveries.get('e1', '000000000001');
    if (!pending) throw new Error('no delivery');
    const redelivery = { at: now.toISOString(), by: 'sam', firstAttempt: 0 };
    expect(await deliveries.redeliver(pending, redelivery)).toBe(false);
    await deliveries.recordAttempt(
      pending,
      { at: now.toISOString(), statusCode: 500, latencyMs: 3 },
      {
        status: 'failed',
      },
    );
    const failed = await deliveries.get('e1', '000000000001');
    if (!failed) throw new Error('no delivery');
    const started = await Promise.all(
      ['sam', 'ada'].map((by) =>
        deliveries.redeliver(failed, { at: now.toISOString(), by, firstAttempt: 1 }),
      ),
    );
    expect(started.filter(Boolean)).toHaveLength(1);
    const redelivered = await deliveries.get('e1', '000000000001');
    expect(redelivered).toMatchObject({ status: 'pending', redeliveries: [{ firstAttempt: 1 }] });
    // Read before the redelivery: stale.
    expect(await deliveries.redeliver(failed, { at: now.toISOString(), by: 'sam', firstAttempt: 1 })).toBe(
      false,
    );
  });

  it('reads and redelivers a delivery stored before deliveries had ids and redeliveries', async () => {
    const now = new Date();
    const { id: _id, ...version1 } = newDelivery(now);
    await table.client.send(
      new PutCommand({
        TableName: table.tableName,
        Item: {
          ...webhookDeliveryKey('e1', '000000000001'),
          entity: 'WebhookDelivery',
          schemaVersion: 1,
          ...version1,
          status: 'failed',
          attempts: [{ at: now.toISOString(), statusCode: 500, latencyMs: 4 }],
          expiresAt: 0,
        },
      }),
    );
    const stored = await deliveries.get('e1', '000000000001');
    expect(stored).toMatchObject({ id: '000000000001', redeliveries: [] });
    if (!stored) throw new Error('no delivery');
    expect(await deliveries.redeliver(stored, { at: now.toISOString(), by: 'sam', firstAttempt: 1 })).toBe(
      true,
    );
    expect((await deliveries.list('e1', 10)).items).toEqual([
      expect.objectContaining({ status: 'pending', redeliveries: [expect.objectContaining({ by: 'sam' })] }),
    ]);
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
