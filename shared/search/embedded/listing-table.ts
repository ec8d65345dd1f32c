import { facetAttributes, type ListingDocument, priceBucketBounds } from '../port.ts';
import { ValueDictionary } from './value-dictionary.ts';

/** The fields counted by value in facets: the category, then each facet attribute. */
export const facetFieldCount = 1 + facetAttributes.length;

const facetFieldValue = (listing: ListingDocument, field: number) =>
  field === 0 ? listing.category : listing.attributes[facetAttributes[field - 1] as string];

/** What filters, sorts and facets read, per ordinal, in typed arrays: scanning them touches no listing object. */
export interface ListingColumns {
  readonly live: Uint8Array;
  readonly price: Float64Array;
  /** Index into `priceBucketBounds`. */
  readonly priceBucket: Uint8Array;
  readonly publishedAtMs: Float64Array;
  /** NaN for a listing without rating. */
  readonly rating: Float64Array;
  readonly inStock: Uint8Array;
  readonly currency: Int32Array;
  readonly seller: Int32Array;
  /** `facetFieldCount` entries per ordinal: the value id of each facet field, or -1 where it has none. */
  readonly facetValueIds: Int32Array;
}

type Column = Uint8Array | Int32Array | Float64Array;

function resized<C extends Column>(column: C, length: number): C {
  const bigger = new (column.constructor as new (length: number) => C)(length);
  bigger.set(column);
  return bigger;
}

function priceBucketOf(price: number): number {
  let bucket = 0;
  while (bucket + 1 < priceBucketBounds.length && price >= (priceBucketBounds[bucket + 1] as number))
    bucket++;
  return bucket;
}

/**
 * The listings held, one row per write: a write gets the next ordinal and the row it replaces dies, so
 * ordinals only grow (which keeps the text index's posting lists sorted by appending). A dead row costs
 * about a hundred bytes until the process ends, which the local stack does long before that matters.
 */
export class ListingTable {
  /** Per facet field, its values numbered. */
  readonly facetValues = Array.from({ length: facetFieldCount }, () => new ValueDictionary());
  readonly currencies = new ValueDictionary();
  readonly sellers = new ValueDictionary();
  private readonly listings: (ListingDocument | undefined)[] = [];
  private readonly ordinalById = new Map<string, number>();
  private data: ListingColumns = ListingTable.emptyColumns();

  private static emptyColumns(): ListingColumns {
    return {
      live: new Uint8Array(0),
      price: new Float64Array(0),
      priceBucket: new Uint8Array(0),
      publishedAtMs: new Float64Array(0),
      rating: new Float64Array(0),
      inStock: new Uint8Array(0),
      currency: new Int32Array(0),
      seller: new Int32Array(0),
      facetValueIds: new Int32Array(0),
    };
  }

  /** Ordinals in use, live or dead: every ordinal is below this. */
  get ordinalLimit(): number {
    return this.listings.length;
  }

  /** The current columns; valid until the next insert. */
  columns(): ListingColumns {
    return this.data;
  }

  ordinalOf(listingId: string): number | undefined {
    return this.ordinalById.get(listingId);
  }

  listing(ordinal: number): ListingDocument {
    const listing = this.listings[ordinal];
    if (listing === undefined) throw new RangeError(`No live listing has ordinal ${ordinal}.`);
    return listing;
  }

  insert(listing: ListingDocument): number {
    const ordinal = this.listings.length;
    if (ordinal >= this.data.live.length) this.grow();
    const columns = this.data;
    columns.live[ordinal] = 1;
    columns.price[ordinal] = listing.price;
    columns.priceBucket[ordinal] = priceBucketOf(listing.price);
    columns.publishedAtMs[ordinal] = Date.parse(listing.publishedAt);
    columns.rating[ordinal] = listing.rating ?? Number.NaN;
    columns.inStock[ordinal] = listing.stock > 0 ? 1 : 0;
    columns.currency[ordinal] = this.currencies.idOf(listing.currency);
    columns.seller[ordinal] = this.sellers.idOf(listing.sellerId);
    this.facetValues.forEach((values, field) => {
      const value = facetFieldValue(listing, field);
      columns.facetValueIds[ordinal * facetFieldCount + field] =
        value === undefined ? -1 : values.idOf(value);
    });
    this.listings.push(listing);
    this.ordinalById.set(listing.id, ordinal);
    return ordinal;
  }

  delete(ordinal: number): void {
    const listing = this.listing(ordinal);
    this.data.live[ordinal] = 0;
    this.listings[ordinal] = undefined;
    this.ordinalById.delete(listing.id);
  }

  private grow(): void {
    const capacity = Math.max(1_024, this.data.live.length * 2);
    const columns = this.data;
    this.data = {
      live: resized(columns.live, capacity),
      price: resized(columns.price, capacity),
      priceBucket: resized(columns.priceBucket, capacity),
      publishedAtMs: resized(columns.publishedAtMs, capacity),
      rating: resized(columns.rating, capacity),
      inStock: resized(columns.inStock, capacity),
      currency: resized(columns.currency, capacity),
      seller: resized(columns.seller, capacity),
      facetValueIds: resized(columns.facetValueIds, capacity * facetFieldCount),
    };
  }
}
