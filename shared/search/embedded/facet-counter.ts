import {
  type FacetCount,
  facetAttributes,
  maxFacetValues,
  type PriceBucketCount,
  priceBucketBounds,
  type SearchFacets,
} from '../port.ts';
import { facetFieldCount, type ListingColumns, type ListingTable } from './listing-table.ts';
import type { ValueDictionary } from './value-dictionary.ts';

function increment(counts: Int32Array, index: number): void {
  counts[index] = (counts[index] as number) + 1;
}

/** Values with a count, most frequent first, then by value. */
function facetCounts(counts: Int32Array, values: ValueDictionary): FacetCount[] {
  const facets: FacetCount[] = [];
  counts.forEach((count, id) => {
    if (count > 0) facets.push({ value: values.value(id), count });
  });
  return facets
    .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0))
    .slice(0, maxFacetValues);
}

/** Counts categories, price buckets and facet attribute values over every ordinal added. */
export class FacetCounter {
  private readonly columns: ListingColumns;
  private readonly valueCounts: Int32Array[];
  private readonly priceBuckets = new Int32Array(priceBucketBounds.length);

  constructor(private readonly table: ListingTable) {
    this.columns = table.columns();
    this.valueCounts = table.facetValues.map((values) => new Int32Array(values.size));
  }

  add(ordinal: number): void {
    const { facetValueIds, priceBucket } = this.columns;
    for (let field = 0; field < facetFieldCount; field++) {
      const id = facetValueIds[ordinal * facetFieldCount + field] as number;
      if (id >= 0) increment(this.valueCounts[field] as Int32Array, id);
    }
    increment(this.priceBuckets, priceBucket[ordinal] as number);
  }

  facets(): SearchFacets {
    const counts = this.valueCounts.map((counts, field) =>
      facetCounts(counts, this.table.facetValues[field] as ValueDictionary),
    );
    return {
      categories: counts[0] ?? [],
      priceBuckets: priceBucketBounds.map((from, index): PriceBucketCount => {
        const to = priceBucketBounds[index + 1];
        const count = this.priceBuckets[index] ?? 0;
        return to === undefined ? { from, count } : { from, to, count };
      }),
      attributes: Object.fromEntries(facetAttributes.map((name, index) => [name, counts[index + 1] ?? []])),
    };
  }
}
