import type { SearchSort } from '../port.ts';
import type { ListingColumns } from './listing-table.ts';

/** Where a listing falls in a result list: ascending rank, ties broken by ascending id. */
export interface SortKey {
  readonly rank: number;
  readonly id: string;
}

// Ratings are 0 to 5, so -rating ≤ 0 and an unrated listing (rank 1) comes after every rated one.
const unratedRank = 1;

type Ranker = (columns: ListingColumns, ordinal: number, score: number) => number;

const rankers: Record<SearchSort, Ranker> = {
  relevance: (_, __, score) => -score,
  price_asc: ({ price }, ordinal) => price[ordinal] as number,
  price_desc: ({ price }, ordinal) => -(price[ordinal] as number),
  newest: ({ publishedAtMs }, ordinal) => -(publishedAtMs[ordinal] as number),
  rating: ({ rating }, ordinal) => {
    const value = rating[ordinal] as number;
    return Number.isNaN(value) ? unratedRank : -value;
  },
};

export const rankFor = (sort: SearchSort): Ranker => rankers[sort];
