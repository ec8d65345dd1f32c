import type { ListingDocument } from '../port.ts';
import { searchTerms } from './text-analysis.ts';

const fields: readonly { readonly boost: number; readonly text: (listing: ListingDocument) => string }[] = [
  { boost: 3, text: (listing) => listing.title },
  { boost: 1, text: (listing) => listing.description },
  { boost: 1.5, text: (listing) => Object.values(listing.attributes).join(' ') },
];

/**
 * The weight of each term in a listing: per field, the square root of its frequency over the square root
 * of the field's length (Lucene's classic similarity), times the field's boost, summed over fields.
 * There is no inverse document frequency: a listing's score depends on the listing and the query alone,
 * so a relevance cursor keeps its place while other listings come and go, and weights are computed once.
 */
export function termWeights(listing: ListingDocument): Map<string, number> {
  const weights = new Map<string, number>();
  for (const { boost, text } of fields) {
    const terms = searchTerms(text(listing));
    const frequencies = new Map<string, number>();
    for (const term of terms) frequencies.set(term, (frequencies.get(term) ?? 0) + 1);
    for (const [term, frequency] of frequencies) {
      weights.set(term, (weights.get(term) ?? 0) + (boost * Math.sqrt(frequency)) / Math.sqrt(terms.length));
    }
  }
  return weights;
}

/** How much a term found for a query word counts, by how it was found. */
export const matchWeights = { exact: 1, prefix: 0.5, typo: 0.4 } as const;
