import type { ListingDocument } from '../port.ts';

/**
 * What the index stores of a listing: the listing itself plus two fields derived from its attributes,
 * `attr_values` for free text and `attr_kv` ("name=value") for attribute filters and facets.
 */
export interface IndexedListing extends ListingDocument {
  readonly attr_values: readonly string[];
  readonly attr_kv: readonly string[];
}

/**
 * What a removed listing leaves in the index, under the version that removed it: a document, not a
 * delete, because a delete's memory of the version (`index.gc_deletes`) lives in the node's memory only
 * and is lost on a restart or a blue/green update, after which a replayed older write would bring the
 * listing back. Searches leave tombstones out (see query.ts).
 */
export interface ListingTombstone {
  readonly id: string;
  readonly version: number;
  readonly deleted: true;
}

export const tombstoneOf = (id: string, version: number): ListingTombstone => ({
  id,
  version,
  deleted: true,
});

/**
 * Attribute names are lower-case identifiers (see the catalog's schemas), so the first `=` always
 * ends the name and a name never holds a regular-expression metacharacter.
 */
export const attributeKey = (name: string, value: string) => `${name}=${value}`;

export function toIndexedListing(document: ListingDocument): IndexedListing {
  const attributes = Object.entries(document.attributes);
  return {
    ...listingFieldsOf(document),
    attr_values: attributes.map(([, value]) => value),
    attr_kv: attributes.map(([name, value]) => attributeKey(name, value)),
  };
}

/**
 * Copies exactly the port's fields, both ways: the strict mapping rejects any other field on the way in,
 * and the derived fields stay out of search results on the way out.
 */
export function listingFieldsOf(source: ListingDocument): ListingDocument {
  return {
    id: source.id,
    sellerId: source.sellerId,
    title: source.title,
    description: source.description,
    category: source.category,
    price: source.price,
    currency: source.currency,
    stock: source.stock,
    attributes: source.attributes,
    ...(source.rating === undefined ? {} : { rating: source.rating }),
    publishedAt: source.publishedAt,
    version: source.version,
  };
}
