import type { Listing } from '../domain/listing.ts';
import { applyIndexChange, indexChangeFor } from './indexing.ts';
import type { SearchIndex } from './port.ts';

/** Enough to keep OpenSearch busy without tripping its request queue. */
const concurrentWrites = 16;

export interface ReindexProgress {
  /** Listings read from the table so far. */
  readonly scanned: number;
  /** Of those, the published ones now in the index. */
  readonly indexed: number;
}

/**
 * Brings the index in line with `listings`, every listing in the table page by page: published ones
 * are written, the others removed. Versions make it safe while the stream indexer runs: neither can
 * undo the other's newer write.
 */
export async function reindexListings(
  listings: AsyncIterable<readonly Listing[]>,
  index: SearchIndex,
  onProgress: (progress: ReindexProgress) => void = () => undefined,
): Promise<ReindexProgress> {
  await index.ensureIndex();
  let scanned = 0;
  let indexed = 0;
  for await (const page of listings) {
    const changes = page
      .map((listing) => indexChangeFor(undefined, listing))
      .filter((change) => change !== undefined);
    for (let start = 0; start < changes.length; start += concurrentWrites) {
      const batch = changes.slice(start, start + concurrentWrites);
      await Promise.all(batch.map((change) => applyIndexChange(index, change)));
    }
    scanned += page.length;
    indexed += changes.filter((change) => change.kind === 'upsert').length;
    onProgress({ scanned, indexed });
  }
  return { scanned, indexed };
}
