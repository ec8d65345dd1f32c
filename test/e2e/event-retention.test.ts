import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { DeleteCommand, DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localAccount, localAdministrator } from '#infra/local/aws/authorization.ts';
import { TestApi } from '../support/api.ts';
import { eventually } from '../support/eventually.ts';
import { publishListing } from '../support/orders.ts';
import { type EarningSeller, sellerWithEarnings } from '../support/payouts.ts';

interface FeedEvent {
  id: string;
  position: string;
  type: string;
  subject: { kind: string; id: string };
}

/** Seconds the table keeps events here: long enough to record a sale, short enough to wait out. */
const retentionSeconds = 60;

let api: TestApi;
let admin: string;
let seller: EarningSeller;
let table: DynamoDBDocumentClient;
let s3: S3Client;
let archiveBucket: string;
/** The feeds as read while the table still had every event. */
let whole: FeedEvent[];
let sellers: FeedEvent[];

/** Reads a feed from `after` to its end, `limit` events a page, as an integrator resumes it. */
async function readAll(path: string, token: string, limit: number, after = '0') {
  const events: FeedEvent[] = [];
  let position = after;
  for (;;) {
    const separator = path.includes('?') ? '&' : '?';
    const page = await api.call('GET', `${path}${separator}after=${Number(position)}&limit=${limit}`, {
      token,
    });
    expect(page.status, JSON.stringify(page.body)).toBe(200);
    events.push(...page.body.events);
    if (page.body.position === position) return { events, position };
    position = page.body.position;
  }
}

/** The highest position the archive's objects of the admins' feed reach. */
async function archivedThrough(): Promise<number> {
  const { Contents = [] } = await s3.send(
    new ListObjectsV2Command({ Bucket: archiveBucket, Prefix: 'log/' }),
  );
  return Math.max(0, ...Contents.map(({ Key = '' }) => Number(Key.slice('log/'.length, 'log/'.length + 12))));
}

const itemsOf = async (PK: string) =>
  (
    await table.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': PK },
      }),
    )
  ).Items ?? [];

/** Deletes every expired item of these feeds, as the table's TTL does in its own time. */
async function deleteExpired(...partitions: string[]): Promise<void> {
  for (const PK of partitions) {
    for (const { SK, expiresAt } of await itemsOf(PK)) {
      if (expiresAt <= Date.now() / 1000)
        await table.send(new DeleteCommand({ TableName: tableName, Key: { PK, SK } }));
    }
  }
}

const tableName = `marketplace-retention-${Date.now()}`;

beforeAll(async () => {
  api = await TestApi.start({
    // Each function in a worker with its role from the template: the archiver and the feeds' routes
    // reach the local S3 with their own grants.
    isolate: true,
    tableName,
    operatorSettings: { EVENT_LOG_RETENTION_SECONDS: String(retentionSeconds) },
  });
  const { aws } = api.stack;
  const clientOptions = { endpoint: aws.url, region: localAccount.region, credentials: localAdministrator };
  table = DynamoDBDocumentClient.from(new DynamoDBClient(clientOptions));
  s3 = new S3Client(clientOptions);
  const [bucketId = ''] = aws
    .resourcesOfType('AWS::S3::Bucket')
    .filter((id) => id.startsWith('EventsArchive'));
  archiveBucket = aws.references.physicalName(bucketId);
  admin = await api.token('ret-ada', 'admin');
  seller = await sellerWithEarnings(api, await api.token('ret-ben', 'buyer'), 4499);
  await publishListing(api, seller.token, { title: 'Second lamp' });
  ({ events: whole } = await eventually(async () => {
    const all = await readAll('/events', admin, 100);
    expect(all.events.map((event) => event.type)).toContain('order.completed');
    expect(all.events.filter((event) => event.type === 'listing.published')).toHaveLength(2);
    return all;
  }, 30_000));
  ({ events: sellers } = await readAll('/sellers/me/events', seller.token, 100));
  // Read before the first event expired: from the table alone.
  const firstExpiry = Math.min(...(await itemsOf('EVENTLOG')).map((item) => Number(item.expiresAt)));
  expect(Date.now()).toBeLessThan(firstExpiry * 1000);
}, 300_000);
afterAll(async () => {
  table?.destroy();
  s3?.destroy();
  await api.stop();
});

describe('events beyond the table’s retention', () => {
  it('are archived as they are appended, and read from the archive in order once the table let them go', async () => {
    const last = Number(whole.at(-1)?.position);
    await eventually(async () => expect(await archivedThrough()).toBeGreaterThanOrEqual(last), 30_000);
    // Wait out the retention, then delete what expired, as TTL would (DynamoDB Local's own TTL may
    // have deleted some already, in its own order).
    await new Promise((resolve) => setTimeout(resolve, (retentionSeconds + 1) * 1000));
    await deleteExpired('EVENTLOG', `EVENTLOG#USER#${seller.sellerId}`);
    expect((await itemsOf('EVENTLOG')).filter((item) => Number(item.SK) <= last)).toEqual([]);

    for (const limit of [1, 4, 100]) {
      expect((await readAll('/events', admin, limit)).events).toEqual(whole);
      expect((await readAll('/sellers/me/events', seller.token, limit)).events).toEqual(sellers);
    }
    for (const after of [1, 7, last - 1]) {
      expect((await readAll('/events', admin, 3, String(after))).events).toEqual(whole.slice(after));
    }
    const completed = await readAll('/events?types=order.completed,listing.published', admin, 5);
    expect(completed.events).toEqual(
      whole.filter((event) => ['order.completed', 'listing.published'].includes(event.type)),
    );
    expect(Number(completed.position)).toBe(last);
    expect(api.stack.aws.denials()).toEqual([]);
  }, 120_000);

  it('go on from the archive into the events the table still keeps, without a gap or a repeat', async () => {
    const lamp = await publishListing(api, seller.token, { title: 'Lamp after the retention' });
    const after = await eventually(async () => {
      const all = await readAll('/events', admin, 3);
      expect(all.events.map((event) => event.subject.id)).toContain(lamp.id);
      return all.events;
    }, 30_000);
    expect(after.slice(0, whole.length)).toEqual(whole);
    expect(after.map((event) => Number(event.position))).toEqual(after.map((_, index) => index + 1));
    const mine = (await readAll('/sellers/me/events', seller.token, 2)).events;
    expect(mine.slice(0, sellers.length)).toEqual(sellers);
    expect(mine.slice(sellers.length).map((event) => event.subject.id)).toEqual([lamp.id]);
    expect(api.stack.aws.denials()).toEqual([]);
  }, 60_000);
});
