import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createDocumentClient, tableName } from '#shared/store/client.ts';
import { StripeEventStore } from '#shared/store/stripe-event-store.ts';
import type { TestApi } from '../support/api.ts';
import { eventually } from '../support/eventually.ts';
import { newStackPlace, type StackPlace, startApiAt } from '../support/orders.ts';
import { unhandledStripeEvent } from '../support/stripe-events.ts';

const scratch = mkdtempSync(join(tmpdir(), 'marketplace-stripe-events-'));
let place: StackPlace;
let api: TestApi;

beforeAll(async () => {
  place = await newStackPlace(join(scratch, 'data'));
  api = await startApiAt(place);
});
afterAll(async () => {
  await api?.stop();
  await place?.paymentSimulator.stop();
  rmSync(scratch, { recursive: true, force: true });
});

it('processes at start-up a stored event whose queue message was lost when the stack stopped', async () => {
  // Stored as the webhook route stores it, but never queued: as if the stack stopped in between.
  const client = createDocumentClient();
  const events = new StripeEventStore(client, tableName());
  const event = unhandledStripeEvent();
  expect(await events.record(event)).toBe('new');
  await api.stop();

  api = await startApiAt(place);
  const processed = await eventually(async () => {
    const stored = await events.get(event.id);
    expect(stored?.processedAt).toBeDefined();
    return stored;
  });
  expect(processed?.attempts).toBe(1);
  client.destroy();
}, 60_000);
