import { create, insertMultiple, type SearchParams, search, type TypedDocument } from '@orama/orama';
import {
  type FacetCount,
  facetAttributes,
  type ListingDocument,
  priceBucketBounds,
  type SearchQuery,
  type SearchResult,
} from '#shared/search/port.ts';
import type { SearchCandidate } from './search-candidate.ts';

const schema = {
  title: 'string',
  description: 'string',
  attributeText: 'string',
  category: 'enum',
  currency: 'enum',
  sellerId: 'enum',
  price: 'number',
  stock: 'number',
  rating: 'number',
  publishedAtMs: 'number',
  color: 'enum',
  size: 'enum',
  material: 'enum',
  brand: 'enum',
  condition: 'enum',
} as const;

type OramaListing = TypedDocument<ReturnType<typeof createListingDb>> & { id: string };

const createListingDb = () => create({ schema });

function toOrama(listing: ListingDocument): OramaListing {
  return {
    id: listing.id,
    title: listing.title,
    description: listing.description,
    attributeText: Object.values(listing.attributes).join(' '),
    category: listing.category,
    currency: listing.currency,
    sellerId: listing.sellerId,
    price: listing.price,
    stock: listing.stock,
    ...(listing.rating === undefined ? {} : { rating: listing.rating }),
    publishedAtMs: Date.parse(listing.publishedAt),
    ...listing.attributes,
  } as OramaListing;
}

const sortBy = {
  price_asc: { property: 'price', order: 'ASC' },
  price_desc: { property: 'price', order: 'DESC' },
  newest: { property: 'publishedAtMs', order: 'DESC' },
  rating: { property: 'rating', order: 'DESC' },
} as const;

// Orama's number facets count inclusive ranges; prices are integers, so [from, next - 1] is [from, next).
const priceRanges = priceBucketBounds.map((from, index) => ({
  from,
  to: (priceBucketBounds[index + 1] ?? Number.MAX_SAFE_INTEGER) - 1,
}));

function where(query: SearchQuery): Record<string, unknown> {
  const clauses: Record<string, unknown> = {};
  if (query.categories?.length) clauses.category = { in: query.categories };
  if (query.currency !== undefined) clauses.currency = { eq: query.currency };
  if (query.sellerId !== undefined) clauses.sellerId = { eq: query.sellerId };
  const { priceMin, priceMax } = query;
  if (priceMin !== undefined && priceMax !== undefined) clauses.price = { between: [priceMin, priceMax] };
  else if (priceMin !== undefined) clauses.price = { gte: priceMin };
  else if (priceMax !== undefined) clauses.price = { lte: priceMax };
  if (query.minRating !== undefined) clauses.rating = { gte: query.minRating };
  if (query.inStock === true) clauses.stock = { gt: 0 };
  for (const [name, values] of Object.entries(query.attributes ?? {})) clauses[name] = { in: values };
  return clauses;
}

function facetCounts(values: Record<string, number>): FacetCount[] {
  return Object.entries(values)
    .filter(([value, count]) => value !== '' && count > 0)
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1));
}

/** Orama doing filters, facets and sorting itself; first pages only (it pages by offset). */
export const oramaCandidate: SearchCandidate = {
  name: 'Orama',
  library: '@orama/orama',
  async build(listings) {
    const db = createListingDb();
    await insertMultiple(db, listings.map(toOrama), 1_000);
    return {
      async search(query): Promise<SearchResult> {
        const params = {
          term: query.text ?? '',
          properties: ['title', 'description', 'attributeText'],
          boost: { title: 3, attributeText: 1.5 },
          tolerance: 1,
          threshold: 0,
          where: where(query),
          facets: {
            category: { limit: 1_000 },
            price: { ranges: priceRanges },
            ...Object.fromEntries(facetAttributes.map((name) => [name, { limit: 1_000 }])),
          },
          ...(query.sort === 'relevance' ? {} : { sortBy: sortBy[query.sort] }),
          limit: query.limit,
        } as SearchParams<ReturnType<typeof createListingDb>, OramaListing>;
        const result = await search(db, params);
        const facets = result.facets ?? {};
        return {
          hits: result.hits.map((hit) => hit.document as unknown as ListingDocument),
          total: result.count,
          facets: {
            categories: facetCounts(facets.category?.values ?? {}),
            priceBuckets: priceBucketBounds.map((from, index) => {
              const to = priceBucketBounds[index + 1];
              const count = Object.values(facets.price?.values ?? {})[index] ?? 0;
              return to === undefined ? { from, count } : { from, to, count };
            }),
            attributes: Object.fromEntries(
              facetAttributes.map((name) => [name, facetCounts(facets[name]?.values ?? {})]),
            ),
          },
        };
      },
    };
  },
};
