import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { SQSEvent } from 'aws-lambda';
import type Stripe from 'stripe';
import { beforeAll, describe, expect, it } from 'vitest';
import { lambdaContext } from '#infra/local/lambda-event.ts';
import { stripeEventMessage, stripeEventProcessor } from '#shared/payments/stripe-event-processor.ts';
import { stripeEventEntity, stripeEventKey } from '#shared/store/entities/stripe-event.ts';
import {
  eventOfPayload,
  StripeEventStore,
  stripeEventRetentionDays,
} from '#shared/store/stripe-event-store.ts';
import { unhandledStripeEvent } from '../support/stripe-events.ts';
import { freshTable } from '../support/table.ts';

let events: StripeEventStore;
let table: Awaited<ReturnType<typeof freshTable>>;

beforeAll(async () => {
  table = await freshTable();
  const { client, tableName } = table;
  events = new StripeEventStore(client, tableName);
});

const day = 86_400;

/** An SQS batch of messages with these bodies, the nth message's id `m<n>`. */
function batchOf(...bodies: string[]): SQSEvent {
  return {
    Records: bodies.map((body, index) => ({
      messageId: `m${index}`,
      receiptHandle: `m${index}`,
      body,
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: String(Date.now()),
        SenderId: 'test',
        ApproximateFirstReceiveTimestamp: String(Date.now()),
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:stripe-events',
      awsRegion: 'us-east-1',
    })),
  };
}

/** A processor whose applier records what it applied and fails for the event ids in `failing`. */
function processorRecording(failing: ReadonlySet<string> = new Set(), applyMs = 0) {
  const applied: string[] = [];
  const process = stripeEventProcessor({
    events,
    apply: async (event: Stripe.Event) => {
      await new Promise((resolve) => setTimeout(resolve, applyMs));
      if (failing.has(event.id)) throw new Error(`applying ${event.id} failed`);
      applied.push(event.id);
    },
  });
  return { applied, process: (batch: SQSEvent) => process(batch, lambdaContext('processor', 30_000)) };
}

async function storedEvent() {
  const event = unhandledStripeEvent();
  await events.record(event);
  return event;
}

describe('the Stripe event store', () => {
  it('stores an event once, keeps it at least 30 days and tells later deliveries whether it was processed', async () => {
    const event = unhandledStripeEvent();
    const receivedAt = new Date('2030-05-01T12:00:00Z');
    expect(await events.record(event, receivedAt)).toBe('new');
    expect(await events.record(event)).toBe('unprocessed-duplicate');
    await events.markProcessed(event.id);
    expect(await events.record(event)).toBe('processed-duplicate');

    const stored = await events.get(event.id);
    expect(stored).toMatchObject({ eventId: event.id, type: event.type, attempts: 0 });
    expect(stored && eventOfPayload(stored.payload)).toEqual(event);
    expect(stored?.expiresAt).toBe(receivedAt.getTime() / 1000 + stripeEventRetentionDays * day);
    expect(stripeEventRetentionDays).toBeGreaterThanOrEqual(30);
  });

  it('claims an event stored before payloads were compressed (schema version 1)', async () => {
    const event = unhandledStripeEvent();
    await table.client.send(
      new PutCommand({
        TableName: table.tableName,
        Item: {
          ...stripeEventKey(event.id),
          entity: stripeEventEntity.name,
          schemaVersion: 1,
          eventId: event.id,
          type: event.type,
          payload: JSON.stringify(event),
          receivedAt: new Date().toISOString(),
          expiresAt: Math.floor(Date.now() / 1000) + day,
          attempts: 0,
        },
      }),
    );
    expect(await events.claim(event.id, { holder: 'h', until: new Date(Date.now() + 1000) })).toEqual({
      outcome: 'claimed',
      event,
    });
  });

  it('lets one processor claim an event while its lease runs, and another once it has run out', async () => {
    const event = await storedEvent();
    const now = new Date();
    const lease = (holder: string, ms: number) => ({ holder, until: new Date(now.getTime() + ms) });

    expect(await events.claim(event.id, lease('first', 1000), now)).toEqual({ outcome: 'claimed', event });
    expect(await events.claim(event.id, lease('second', 1000), now)).toEqual({ outcome: 'leased' });
    const afterLease = new Date(now.getTime() + 1000);
    expect(await events.claim(event.id, lease('second', 2000), afterLease)).toMatchObject({
      outcome: 'claimed',
    });
    expect(await events.get(event.id)).toMatchObject({ attempts: 2, leaseHolder: 'second' });
    expect(await events.claim('evt_never_received', lease('third', 1000), now)).toEqual({
      outcome: 'missing',
    });
  });

  it('frees an event only for the holder of its lease', async () => {
    const event = await storedEvent();
    await events.claim(event.id, { holder: 'holder', until: new Date(Date.now() + 60_000) });
    await events.release(event.id, 'someone-else');
    expect(await events.get(event.id)).toMatchObject({ leaseHolder: 'holder' });
    await events.release(event.id, 'holder');
    expect(await events.get(event.id)).not.toHaveProperty('leaseHolder');
  });
});

describe('the Stripe event processor', () => {
  it('applies a stored event and marks it processed; a later copy applies nothing', async () => {
    const event = await storedEvent();
    const { applied, process } = processorRecording();

    expect(await process(batchOf(stripeEventMessage(event.id)))).toEqual({ batchItemFailures: [] });
    expect(await process(batchOf(stripeEventMessage(event.id)))).toEqual({ batchItemFailures: [] });

    expect(applied).toEqual([event.id]);
    const stored = await events.get(event.id);
    expect(stored?.processedAt).toEqual(expect.any(String));
    expect(stored).toMatchObject({ attempts: 1 });
    expect(stored).not.toHaveProperty('leaseHolder');
  });

  it('applies five copies arriving together once', async () => {
    const event = await storedEvent();
    const { applied, process } = processorRecording(new Set(), 50);
    const copies = Array.from({ length: 5 }, () => stripeEventMessage(event.id));

    const responses = await Promise.all([
      process(batchOf(...copies.slice(0, 3))),
      process(batchOf(...copies.slice(3))),
    ]);

    expect(responses).toEqual([{ batchItemFailures: [] }, { batchItemFailures: [] }]);
    expect(applied).toEqual([event.id]);
    expect(await events.get(event.id)).toMatchObject({ attempts: 1, processedAt: expect.any(String) });
  });

  it('reports each failed message alone, and frees a failed event for the next attempt at once', async () => {
    const [fine, failing] = [await storedEvent(), await storedEvent()];
    const { applied, process } = processorRecording(new Set([failing.id]));

    const response = await process(
      batchOf(
        stripeEventMessage(fine.id),
        stripeEventMessage(failing.id),
        stripeEventMessage('evt_never_received'),
        'not json',
        JSON.stringify({ id: fine.id }),
      ),
    );

    expect(response.batchItemFailures).toEqual(
      ['m1', 'm2', 'm3', 'm4'].map((itemIdentifier) => ({ itemIdentifier })),
    );
    expect(applied).toEqual([fine.id]);
    expect(await events.get(failing.id)).toMatchObject({ attempts: 1 });
    expect(await events.get(failing.id)).not.toHaveProperty('processedAt');

    const retry = processorRecording();
    expect(await retry.process(batchOf(stripeEventMessage(failing.id)))).toEqual({ batchItemFailures: [] });
    expect(retry.applied).toEqual([failing.id]);
    expect(await events.get(failing.id)).toMatchObject({ attempts: 2, processedAt: expect.any(String) });
  });
});
