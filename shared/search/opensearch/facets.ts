import type { Types } from '@opensearch-project/opensearch';
import {
  type FacetCount,
  facetAttributes,
  maxFacetValues,
  priceBucketBounds,
  type SearchFacets,
} from '../port.ts';
import { attributeKey } from './document.ts';

type AggregationContainer = Types.Common_Aggregations.AggregationContainer;

/** The port's buckets: each bound up to the next, the last one open-ended. */
const priceRanges = priceBucketBounds.map((from, index) => {
  const to = priceBucketBounds[index + 1];
  return to === undefined ? { from } : { from, to };
});

const attributeAggregation = (name: string) => `attribute_${name}`;
const attributePrefix = (name: string) => attributeKey(name, '');

/** The most frequent values of a keyword field, highest count first, ties by value. */
function termsAggregation(field: string, include?: string): AggregationContainer {
  const order: Types.Common_Aggregations.AggregateOrder = [{ _count: 'desc' }, { _key: 'asc' }];
  // The client's generated type for `terms` (3.x) lacks `field`.
  return {
    terms: { field, size: maxFacetValues, order, ...(include ? { include } : {}) },
  } as AggregationContainer;
}

/** One aggregation per facet, all computed over every hit of the query. */
export const facetAggregations: Record<string, AggregationContainer> = {
  categories: termsAggregation('category'),
  prices: { range: { field: 'price', ranges: priceRanges } },
  ...Object.fromEntries(
    facetAttributes.map((name) => [
      attributeAggregation(name),
      termsAggregation('attr_kv', `${attributePrefix(name)}.*`),
    ]),
  ),
};

interface BucketAggregate {
  readonly buckets: readonly { readonly key: string; readonly doc_count: number }[];
}

/** The `aggregations` of a response to `facetAggregations`. */
export type FacetAggregates = Readonly<Record<string, BucketAggregate>>;

/**
 * Range buckets come back in bound order, zero counts included, and terms buckets already ordered by
 * count then value. An aggregation absent from `aggregates` counts nothing.
 */
export function facetsOf(aggregates: FacetAggregates): SearchFacets {
  return {
    categories: countsOf(aggregates.categories),
    priceBuckets: priceRanges.map((range, index) => ({
      ...range,
      count: aggregates.prices?.buckets[index]?.doc_count ?? 0,
    })),
    attributes: Object.fromEntries(
      facetAttributes.map((name) => [
        name,
        countsOf(aggregates[attributeAggregation(name)], attributePrefix(name).length),
      ]),
    ),
  };
}

function countsOf(aggregate: BucketAggregate | undefined, keyPrefixLength = 0): FacetCount[] {
  return (aggregate?.buckets ?? []).map((bucket) => ({
    value: bucket.key.slice(keyPrefixLength),
    count: bucket.doc_count,
  }));
}
