import { isCategoryWithin } from '../../domain/commission.ts';
import { facetAttributes, type SearchQuery } from '../port.ts';
import { facetFieldCount, type ListingTable } from './listing-table.ts';
import type { ValueDictionary } from './value-dictionary.ts';

export type OrdinalPredicate = (ordinal: number) => boolean;

/** 1 at the id of each accepted value; a value the table has never seen matches nothing. */
function acceptedIds(dictionary: ValueDictionary, values: readonly string[]): Uint8Array {
  const accepted = new Uint8Array(dictionary.size);
  for (const value of values) {
    const id = dictionary.find(value);
    if (id >= 0) accepted[id] = 1;
  }
  return accepted;
}

/** 1 at the id of each category the table holds that lies within one of `categories`. */
function categoryIdsWithin(dictionary: ValueDictionary, categories: readonly string[]): Uint8Array {
  const accepted = new Uint8Array(dictionary.size);
  dictionary.forEach((category, id) => {
    if (categories.some((within) => isCategoryWithin(category, within))) accepted[id] = 1;
  });
  return accepted;
}

/**
 * The query's filters as one predicate over the table's ordinals. An absent filter, or an empty list of
 * accepted values, lets everything through.
 */
export function listingFilter(query: SearchQuery, table: ListingTable): OrdinalPredicate {
  const columns = table.columns();
  const predicates: OrdinalPredicate[] = [];
  const dictionaryOf = (field: number) => table.facetValues[field] as ValueDictionary;
  const acceptFacetValueIds = (field: number, accepted: Uint8Array) => {
    predicates.push(
      (ordinal) => accepted[columns.facetValueIds[ordinal * facetFieldCount + field] as number] === 1,
    );
  };
  if (query.categories !== undefined && query.categories.length > 0) {
    acceptFacetValueIds(0, categoryIdsWithin(dictionaryOf(0), query.categories));
  }
  for (const [name, values] of Object.entries(query.attributes ?? {})) {
    if (values.length === 0) continue;
    const field = 1 + facetAttributes.indexOf(name as (typeof facetAttributes)[number]);
    if (field > 0) {
      acceptFacetValueIds(field, acceptedIds(dictionaryOf(field), values));
    } else {
      const accepted = new Set(values);
      predicates.push((ordinal) => {
        const value = table.listing(ordinal).attributes[name];
        return value !== undefined && accepted.has(value);
      });
    }
  }
  const { currency, priceMin, priceMax, sellerId, minRating } = query;
  if (currency !== undefined) {
    const id = table.currencies.find(currency);
    predicates.push((ordinal) => columns.currency[ordinal] === id);
  }
  if (sellerId !== undefined) {
    const id = table.sellers.find(sellerId);
    predicates.push((ordinal) => columns.seller[ordinal] === id);
  }
  if (priceMin !== undefined) predicates.push((ordinal) => (columns.price[ordinal] as number) >= priceMin);
  if (priceMax !== undefined) predicates.push((ordinal) => (columns.price[ordinal] as number) <= priceMax);
  // An unrated listing's rating is NaN, which is never at least anything.
  if (minRating !== undefined) predicates.push((ordinal) => (columns.rating[ordinal] as number) >= minRating);
  if (query.inStock === true) predicates.push((ordinal) => columns.inStock[ordinal] === 1);
  return (ordinal) => {
    for (const predicate of predicates) if (!predicate(ordinal)) return false;
    return true;
  };
}
