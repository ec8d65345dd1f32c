import { createHash } from 'node:crypto';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import * as z from 'zod';
import { deferred } from '../deferred-schema.ts';
import type { EventFeed } from '../store/entities/marketplace-event.ts';
import { positionKey } from '../store/entities/marketplace-event.ts';
import { type MarketplaceEvent, marketplaceEventSchema } from './catalog.ts';

/** Where each kind of feed is kept in the archive: the grants of the routes reading them name these. */
export const archivePrefixes = { marketplace: 'log/', users: 'users/' } as const;

const prefixOf = (feed: EventFeed) =>
  feed.kind === 'marketplace' ? archivePrefixes.marketplace : `${archivePrefixes.users}${feed.userId}/`;

/**
 * `<last position>-<first position>-<digest of the positions>.json`: listed in the order of their
 * last position, so the objects holding events after P are listed after `<P>~`; two batches with
 * the same ends but other events get other names, and the same batch written again the same one.
 */
const objectName = /^(\d{12})-(\d{12})-[0-9a-f]{16}\.json$/;

interface ArchiveObject {
  readonly key: string;
  readonly first: number;
  readonly last: number;
}

/** The events of a feed after a position, as far as the archive tells them all. */
export interface ArchivedEvents {
  /** In position order, each once. */
  readonly events: readonly MarketplaceEvent[];
  /** Every archived event of the feed up to this position is in `events`; Infinity when all are. */
  readonly completeThrough: number;
}

/**
 * Events the table no longer keeps, in S3: each batch the archiver gets is one object per feed it
 * touches. Batches overlap when the stream delivers records again, so a read removes duplicates.
 */
export interface EventArchive {
  /** Puts the events (of one feed, in position order) in one object. */
  put(feed: EventFeed, events: readonly MarketplaceEvent[]): Promise<void>;
  /** At least `wanted` events after `after`, or all there are, reading few objects. */
  readAfter(feed: EventFeed, after: number, wanted: number): Promise<ArchivedEvents>;
}

/** A read stops after this many objects, once it is sure of something, and answers that. */
const maxObjectsPerRead = 10;

const archivedEventsSchema = deferred(() => z.array(marketplaceEventSchema));

export class S3EventArchive implements EventArchive {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  async put(feed: EventFeed, events: readonly MarketplaceEvent[]): Promise<void> {
    const positions = events.map((event) => Number(event.position));
    const digest = createHash('sha256').update(positions.join(',')).digest('hex').slice(0, 16);
    const name = `${positionKey(Math.max(...positions))}-${positionKey(Math.min(...positions))}-${digest}`;
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: `${prefixOf(feed)}${name}.json`,
        Body: JSON.stringify(events),
        ContentType: 'application/json',
      }),
    );
  }

  /**
   * One ListObjectsV2 of the objects whose last event is after `after`, then their objects from the
   * lowest first position on. After reading some, every event before the lowest first position of
   * those left is known: objects come from batches of one stream shard, so an object listed beyond
   * the first thousand (a second page) spans a thousand others' positions only in theory.
   */
  async readAfter(feed: EventFeed, after: number, wanted: number): Promise<ArchivedEvents> {
    const prefix = prefixOf(feed);
    const listed = await this.client.send(
      new ListObjectsV2Command({
        Bucket: this.bucket,
        Prefix: prefix,
        StartAfter: `${prefix}${positionKey(after)}~`,
      }),
    );
    const objects = (listed.Contents ?? [])
      .flatMap(({ Key = '' }): ArchiveObject[] => {
        const match = objectName.exec(Key.slice(prefix.length));
        return match ? [{ key: Key, last: Number(match[1]), first: Number(match[2]) }] : [];
      })
      .sort((a, b) => a.first - b.first || a.last - b.last);
    const lastListed = Math.max(after, ...objects.map((object) => object.last));
    const found = new Map<number, MarketplaceEvent>();
    const completeThrough = (read: number) => {
      const next = objects[read];
      if (next) return next.first - 1;
      return listed.IsTruncated ? lastListed : Number.POSITIVE_INFINITY;
    };
    const known = (read: number) =>
      [...found.keys()].filter((position) => position <= completeThrough(read)).length;
    let read = 0;
    for (const object of objects) {
      const enough = known(read) >= wanted || read >= maxObjectsPerRead;
      if (enough && completeThrough(read) > after) break;
      for (const event of await this.events(object.key)) {
        if (Number(event.position) > after) found.set(Number(event.position), event);
      }
      read += 1;
    }
    const through = completeThrough(read);
    return {
      events: [...found.entries()]
        .filter(([position]) => position <= through)
        .sort(([a], [b]) => a - b)
        .map(([, event]) => event),
      completeThrough: through,
    };
  }

  private async events(key: string): Promise<MarketplaceEvent[]> {
    const { Body } = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    return archivedEventsSchema.parse(JSON.parse((await Body?.transformToString()) ?? '[]'));
  }
}
