import type { SortKey } from './listing-order.ts';

interface Entry {
  readonly rank: number;
  readonly ordinal: number;
}

/**
 * Keeps the first `limit` ordinals that sort strictly after the cursor's key, without sorting every
 * match: resuming after a sort key rather than an offset keeps pages stable when listings come and go.
 * Ids break ties in rank, and are looked up only then.
 */
export class PageCollector {
  private readonly best: Entry[] = [];
  private entriesAfterCursor = 0;

  constructor(
    private readonly limit: number,
    private readonly after: SortKey | undefined,
    private readonly idOf: (ordinal: number) => string,
  ) {}

  offer(rank: number, ordinal: number): void {
    if (this.after !== undefined && this.compare(rank, ordinal, this.after.rank, this.after.id) <= 0) return;
    this.entriesAfterCursor++;
    const last = this.best.at(-1);
    if (
      this.best.length >= this.limit &&
      (last === undefined || this.compareEntries(rank, ordinal, last) >= 0)
    ) {
      return;
    }
    this.best.splice(this.insertionPoint(rank, ordinal), 0, { rank, ordinal });
    if (this.best.length > this.limit) this.best.pop();
  }

  /** The page's sort keys in order, and whether more entries follow them. */
  page(): { keys: readonly (SortKey & { ordinal: number })[]; hasMore: boolean } {
    return {
      keys: this.best.map(({ rank, ordinal }) => ({ rank, ordinal, id: this.idOf(ordinal) })),
      hasMore: this.entriesAfterCursor > this.best.length,
    };
  }

  private compare(rank: number, ordinal: number, otherRank: number, otherId: string): number {
    if (rank !== otherRank) return rank - otherRank;
    const id = this.idOf(ordinal);
    if (id === otherId) return 0;
    return id < otherId ? -1 : 1;
  }

  private compareEntries(rank: number, ordinal: number, other: Entry): number {
    if (rank !== other.rank) return rank - other.rank;
    return this.compare(rank, ordinal, other.rank, this.idOf(other.ordinal));
  }

  private insertionPoint(rank: number, ordinal: number): number {
    let low = 0;
    let high = this.best.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.compareEntries(rank, ordinal, this.best[middle] as Entry) > 0) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}
