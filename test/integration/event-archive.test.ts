import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { DeleteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { allowEverything } from '#infra/local/aws/authorization.ts';
import { type S3Endpoint, startS3Endpoint } from '#infra/local/aws/s3-endpoint.ts';
import { archiveAppended, archiveFromTable } from '#shared/app/events/archive-appended.ts';
import { EventFeeds } from '#shared/app/events/event-feeds.ts';
import { S3EventArchive } from '#shared/events/archive.ts';
import type { EventDraft, EventType, MarketplaceEvent } from '#shared/events/catalog.ts';
import {
  type EventFeed,
  feedPartition,
  marketplaceFeed,
  userFeed,
} from '#shared/store/entities/marketplace-event.ts';
import { EventLogStore, type FeedPage } from '#shared/store/event-log-store.ts';
import { freshTable } from '../support/table.ts';

const day = 86_400;

let directory: string;
let s3: S3Endpoint;
let s3Client: S3Client;
let client: DynamoDBDocumentClient;
let tableName: string;
let store: EventLogStore;
let archive: S3EventArchive;
let feeds: EventFeeds;
let bucket: string;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'event-archive-'));
  s3 = await startS3Endpoint({ authorize: allowEverything, directory });
  s3Client = new S3Client({
    endpoint: s3.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
});

afterAll(async () => {
  s3Client.destroy();
  await s3.stop();
  await rm(directory, { recursive: true, force: true });
});

beforeEach(async () => {
  ({ client, tableName } = await freshTable());
  bucket = `events-${randomUUID()}`;
  await s3.createBucket(bucket);
  store = new EventLogStore(client, tableName);
  archive = new S3EventArchive(s3Client, bucket);
  feeds = new EventFeeds(store, archive);
});

/** Sellers whose events alternate: Sam has every event but the fourth of each six, Dan every third. */
const audienceAt = (index: number) => [
  ...(index % 6 === 3 ? [] : ['sam']),
  ...(index % 3 === 0 ? ['dan'] : []),
];
const typeAt = (index: number): EventType => (index % 5 === 0 ? 'order.cancelled' : 'order.completed');

const draft = (index: number): EventDraft =>
  ({
    type: typeAt(index),
    occurredAt: new Date().toISOString(),
    actor: { kind: 'system', name: 'workflow' },
    subject: { kind: 'order', id: `o-${index}` },
    data: typeAt(index) === 'order.cancelled' ? { reason: 'lapsed' } : {},
    audience: audienceAt(index),
  }) as EventDraft;

/**
 * Appends events `from`..`to` (their index is their position), one stream record each: with
 * `expired`, appended long enough ago that the table's retention is over.
 */
async function append(from: number, to: number, { expired = false } = {}) {
  const changes = Array.from({ length: to - from + 1 }, (_, offset) => ({
    sourceId: randomUUID(),
    events: [draft(from + offset)],
  }));
  await store.append(changes, expired ? 60 : day, new Date(Date.now() - (expired ? day : 0)));
}

/** What the archiver gets for positions `from`..`to` of the admins' feed: each event and its audience. */
const appendedBetween = async (from: number, to: number) => store.appendedAfter(from - 1, to - from + 1);

/** Deletes the items of the events at these positions from every feed, as the table's TTL would. */
async function expire(...positions: number[]) {
  for (const position of positions) {
    for (const feed of [marketplaceFeed, userFeed('sam'), userFeed('dan')]) {
      await client.send(
        new DeleteCommand({
          TableName: tableName,
          Key: { PK: feedPartition(feed), SK: String(position).padStart(12, '0') },
        }),
      );
    }
  }
}

/** Reads a feed from `after` to its end, `limit` events a page, as an integrator does. */
async function readAll(feed: EventFeed, limit: number, types?: EventType[], after = 0) {
  const events: MarketplaceEvent[] = [];
  const pages: FeedPage[] = [];
  let position = after;
  for (let page = 0; page < 200; page++) {
    const read = await feeds.read(feed, { after: position, limit, ...(types ? { types } : {}) });
    pages.push(read);
    events.push(...read.events);
    if (Number(read.position) === position) return { events, position, pages };
    position = Number(read.position);
  }
  throw new Error('The feed never reached its end');
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, index) => from + index);
const positionsOf = (events: readonly MarketplaceEvent[]) => events.map((event) => Number(event.position));
const samHas = (position: number) => audienceAt(position).includes('sam');

describe('the event archive', () => {
  it('keeps each feed of an archived batch in an object, and reads them back once the table let them go', async () => {
    await append(1, 12, { expired: true });
    const appended = await appendedBetween(1, 12);
    expect(await archiveAppended(archive, appended)).toBe(3);
    const { Contents = [] } = await s3Client.send(new ListObjectsV2Command({ Bucket: bucket }));
    expect(Contents.map(({ Key }) => Key?.replace(/-[0-9a-f]{16}\.json$/, ''))).toEqual([
      'log/000000000012-000000000001',
      'users/dan/000000000012-000000000003',
      'users/sam/000000000012-000000000001',
    ]);

    await expire(...range(1, 12));
    expect((await store.readTable(marketplaceFeed, { after: 0, limit: 50 })).retained).toBe(false);
    for (const limit of [1, 5, 50]) {
      expect(positionsOf((await readAll(marketplaceFeed, limit)).events)).toEqual(range(1, 12));
      expect(positionsOf((await readAll(userFeed('sam'), limit)).events)).toEqual(
        range(1, 12).filter(samHas),
      );
      expect(positionsOf((await readAll(userFeed('dan'), limit)).events)).toEqual([3, 6, 9, 12]);
    }
    const [first] = (await feeds.read(marketplaceFeed, { after: 0, limit: 1 })).events;
    expect(first).toEqual(appended[0]?.event);
  });

  it('reads across overlapping and repeated batches, expired items deleted out of order, into the table', async () => {
    await append(1, 20, { expired: true });
    await append(21, 26);
    // The stream retried and split batches: 1–8, then 5–12 and 5–12 again, 9–20 in two shards' orders.
    for (const [from, to] of [
      [1, 8],
      [5, 12],
      [5, 12],
      [13, 20],
      [9, 16],
      [21, 26],
    ] as const) {
      await archiveAppended(archive, await appendedBetween(from, to));
    }
    // TTL deletes expired items in no order and not all at once: 2, 7 and 15 to 20 are still there.
    await expire(1, ...range(3, 6), ...range(8, 14));

    const whole = await readAll(marketplaceFeed, 4);
    expect(positionsOf(whole.events)).toEqual(range(1, 26));
    expect(whole.position).toBe(26);
    // Every page was answered in order, and none repeated an event of another.
    expect(whole.pages.every((page) => page.events.length <= 4)).toBe(true);
    for (const after of [0, 3, 11, 19, 20]) {
      expect(positionsOf((await readAll(marketplaceFeed, 7, undefined, after)).events)).toEqual(
        range(after + 1, 26),
      );
    }
    expect(positionsOf((await readAll(userFeed('sam'), 3)).events)).toEqual(range(1, 26).filter(samHas));
    expect(positionsOf((await readAll(userFeed('dan'), 2)).events)).toEqual([3, 6, 9, 12, 15, 18, 21, 24]);

    const cancelled = await readAll(marketplaceFeed, 6, ['order.cancelled']);
    expect(positionsOf(cancelled.events)).toEqual([5, 10, 15, 20, 25]);
    expect(cancelled.events.every((event) => event.type === 'order.cancelled')).toBe(true);
    expect(cancelled.position).toBe(26);
    expect(positionsOf((await readAll(userFeed('sam'), 5, ['order.cancelled'])).events)).toEqual([
      5, 10, 20, 25,
    ]);
  });

  it('reads what the archive lacks from the table, and waits for what neither has', async () => {
    await append(1, 10, { expired: true });
    await archiveAppended(archive, await appendedBetween(1, 4));
    // 5 and 6 are in a batch the archiver failed on; 7–10 are archived.
    await archiveAppended(archive, await appendedBetween(7, 10));
    await expire(1, 2, 3, 4, 7, 8, 9);
    // Expired, 5 and 6 are still in the table until TTL deletes them: read from there.
    expect(positionsOf((await readAll(marketplaceFeed, 3)).events)).toEqual(range(1, 10));
    // The operator archives the batch again from the table before TTL deletes it.
    expect(await archiveFromTable(store, archive, { after: 4, through: 6 })).toBe(2);
    await expire(5, 6, 10);
    expect(positionsOf((await readAll(marketplaceFeed, 50)).events)).toEqual(range(1, 10));
    expect(positionsOf((await readAll(userFeed('sam'), 3)).events)).toEqual(range(1, 10).filter(samHas));

    // 11 and 12 were never archived and TTL deleted them; 13 is in the table and the archive.
    await append(11, 12, { expired: true });
    await append(13, 13);
    await archiveAppended(archive, await appendedBetween(13, 13));
    await expire(11, 12);
    const stalled = await readAll(marketplaceFeed, 50, undefined, 10);
    // The admins' feed has every position: it stops before 11 rather than skip it.
    expect(stalled).toMatchObject({ events: [], position: 10 });
  });
});
