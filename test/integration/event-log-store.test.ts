import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import type { EventDraft } from '#shared/events/catalog.ts';
import { marketplaceFeed, userFeed } from '#shared/store/entities/marketplace-event.ts';
import { EventLogStore, type FeedRead, type RecordedChange } from '#shared/store/event-log-store.ts';
import { freshTable } from '../support/table.ts';

let store: EventLogStore;

/** A day: nothing these tests append expires while they run. */
const retentionSeconds = 86_400;

const log = {
  append: (changes: readonly RecordedChange[]) => store.append(changes, retentionSeconds),
  read: (request: FeedRead) => store.readTable(marketplaceFeed, request),
  readFor: (userId: string, request: FeedRead) => store.readTable(userFeed(userId), request),
};

beforeEach(async () => {
  const table = await freshTable();
  store = new EventLogStore(table.client, table.tableName);
});

const completed = (orderId: string, audience: readonly string[] = ['sam']): EventDraft => ({
  type: 'order.completed',
  occurredAt: new Date().toISOString(),
  actor: { kind: 'system', name: 'workflow' },
  subject: { kind: 'order', id: orderId },
  data: {},
  audience,
});

const change = (...events: EventDraft[]): RecordedChange => ({ sourceId: randomUUID(), events });

const positionsOf = (events: readonly { position: string }[]) =>
  events.map((event) => Number(event.position));

describe('the event log store', () => {
  it("gives each event the next position, in the changes' order, and copies it to its audience", async () => {
    await log.append([change(completed('a'), completed('b', ['sam', 'dan'])), change(completed('c', []))]);
    const feed = await log.read({ after: 0, limit: 100 });
    expect(feed.events.map((event) => event.subject.id)).toEqual(['a', 'b', 'c']);
    expect(positionsOf(feed.events)).toEqual([1, 2, 3]);
    expect(feed.events[0]).toMatchObject({ id: 'evt_000000000001', position: '000000000001' });
    expect(feed.position).toBe('000000000003');
    expect((await log.readFor('sam', { after: 0, limit: 100 })).events.map((event) => event.id)).toEqual([
      'evt_000000000001',
      'evt_000000000002',
    ]);
    expect(positionsOf((await log.readFor('dan', { after: 0, limit: 100 })).events)).toEqual([2]);
  });

  it('adds nothing for a stream record appended already, even within a batch that also holds new ones', async () => {
    const first = change(completed('a'));
    await log.append([first]);
    await log.append([first, change(completed('b')), first]);
    await log.append([first]);
    const feed = await log.read({ after: 0, limit: 100 });
    expect(feed.events.map((event) => event.subject.id)).toEqual(['a', 'b']);
    expect(positionsOf(feed.events)).toEqual([1, 2]);
  });

  it('keeps positions gapless and unique while recorders append at once', async () => {
    const batches = Array.from({ length: 6 }, (_, batch) =>
      Array.from({ length: 5 }, (_, index) => change(completed(`${batch}-${index}`))),
    );
    await Promise.all(batches.map((batch) => log.append(batch)));
    const feed = await log.read({ after: 0, limit: 100 });
    expect(positionsOf(feed.events)).toEqual(Array.from({ length: 30 }, (_, index) => index + 1));
    expect(new Set(feed.events.map((event) => event.subject.id)).size).toBe(30);
    // Each batch's events stay in their order.
    for (const batch of batches) {
      const ids = batch.map((recorded) => recorded.events[0]?.subject.id);
      const seen = feed.events.map((event) => event.subject.id).filter((id) => ids.includes(id));
      expect(seen).toEqual(ids);
    }
  });

  it('splits a batch larger than one transaction, and skips records that gave no event', async () => {
    const many = Array.from({ length: 40 }, (_, index) => change(completed(`o${index}`, ['sam'])));
    await log.append([...many, { sourceId: randomUUID(), events: [] }]);
    const feed = await log.read({ after: 0, limit: 100 });
    expect(positionsOf(feed.events)).toEqual(Array.from({ length: 40 }, (_, index) => index + 1));
  });

  it('reads on from a position, a page at a time, and moves a filtered read past what it left out', async () => {
    const placed: EventDraft = {
      ...completed('p'),
      type: 'order.cancelled',
      data: { reason: 'out of stock' },
    };
    await log.append([
      change(completed('a')),
      change(placed),
      change(completed('b')),
      change(completed('c')),
    ]);
    const page = await log.read({ after: 1, limit: 2 });
    expect(positionsOf(page.events)).toEqual([2, 3]);
    expect(page.position).toBe('000000000003');
    const cancelled = await log.read({ after: 0, limit: 100, types: ['order.cancelled'] });
    expect(cancelled.events.map((event) => event.type)).toEqual(['order.cancelled']);
    expect(cancelled.position).toBe('000000000004');
    const nothingNew = await log.read({ after: 4, limit: 100 });
    expect(nothingNew).toEqual({ events: [], position: '000000000004', retained: true });
  });
});
