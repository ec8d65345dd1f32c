import type { API, Types } from '@opensearch-project/opensearch';
import { minTypoTolerantLength, type SearchQuery, type SearchSort } from '../port.ts';
import { leadingWords } from '../query-text.ts';
import type { SortValues } from './cursor.ts';
import { attributeKey } from './document.ts';
import { facetAggregations } from './facets.ts';
import { searchTextField } from './mapping.ts';

type Query = Types.Common_QueryDsl.QueryContainer;
type Sort = Types.Common.SortCombinations;

/** What selects and orders the hits of a search; a cursor is only valid for the same criteria. */
export interface SearchCriteria {
  readonly query: Query;
  readonly sort: readonly Sort[];
}

/** Every sort ends on the listing id, so equal keys still have one order and `search_after` skips nothing. */
const sortKeys: Record<SearchSort, readonly Sort[]> = {
  relevance: [{ _score: { order: 'desc' } }],
  price_asc: [{ price: 'asc' }],
  price_desc: [{ price: 'desc' }],
  newest: [{ publishedAt: 'desc' }],
  rating: [{ rating: { order: 'desc', missing: '_last' } }],
};

/** Removed listings stay in the index as tombstones (see document.ts): no hit, total or facet counts them. */
const tombstones: Query = { term: { deleted: true } };

export function searchCriteria(query: SearchQuery): SearchCriteria {
  const text = leadingWords(query.text ?? '');
  return {
    query: {
      bool: {
        filter: filtersOf(query),
        must_not: [tombstones],
        ...(text
          ? { must: [everyWordMatches(text)], should: [wordsInOrderFirst(text), titleFirst(text)] }
          : { must: [{ match_all: {} }] }),
      },
    },
    sort: [...sortKeys[query.sort], { id: 'asc' }],
  };
}

/** The field each sort key orders by: `_score` for relevance, `id` last. */
export const sortFieldsOf = (criteria: SearchCriteria): string[] =>
  criteria.sort.map((key) => (typeof key === 'string' ? key : (Object.keys(key)[0] ?? '')));

export function searchRequestBody(
  criteria: SearchCriteria,
  limit: number,
  searchAfter?: SortValues,
): API.Search_RequestBody {
  return {
    query: criteria.query,
    sort: [...criteria.sort],
    ...(searchAfter ? { search_after: [...searchAfter] } : {}),
    // One hit beyond the page tells whether another page follows, so the last page carries no cursor.
    size: limit + 1,
    track_total_hits: true,
    aggs: facetAggregations,
  };
}

/**
 * Filters do not score and are cached. Lists are sorted so that the same filters in another order make
 * the same request, and so the same cursor fingerprint.
 */
function filtersOf(query: SearchQuery): Query[] {
  const filters: Query[] = [];
  if (query.categories?.length) filters.push(withinCategories([...query.categories].sort()));
  if (query.currency !== undefined) filters.push({ term: { currency: query.currency } });
  if (query.priceMin !== undefined || query.priceMax !== undefined) {
    filters.push({ range: { price: { gte: query.priceMin, lte: query.priceMax } } });
  }
  const attributes = query.attributes ?? {};
  for (const name of Object.keys(attributes).sort()) {
    const values = attributes[name] ?? [];
    if (values.length) {
      filters.push({ terms: { attr_kv: values.map((value) => attributeKey(name, value)).sort() } });
    }
  }
  if (query.sellerId !== undefined) filters.push({ term: { sellerId: query.sellerId } });
  if (query.minRating !== undefined) filters.push({ range: { rating: { gte: query.minRating } } });
  if (query.inStock) filters.push({ range: { stock: { gt: 0 } } });
  return filters;
}

/**
 * A category path or one below it (`home` takes `home/lamps`, not `homeware`): the exact keyword, or the
 * keyword starting with the path and a slash. A prefix query on a keyword reads the field's terms
 * dictionary, which holds one term per category, and needs nothing more in the documents: an
 * ancestors field would only apply to listings written after it was added, and external versioning
 * refuses to rewrite the others at the version they already have.
 */
function withinCategories(categories: readonly string[]): Query {
  return {
    bool: {
      should: [
        { terms: { category: [...categories] } },
        ...categories.map((category) => ({ prefix: { category: `${category}/` } })),
      ],
      minimum_should_match: 1,
    },
  };
}

/**
 * The port's typo rule: `AUTO:low,high` allows no edit below `low` letters, one from `low` and two from
 * `high`. The standard tokenizer cuts words at 255 characters, so none reaches 1000 and two edits never
 * apply. Transpositions count as one edit (`fuzzy_transpositions` defaults to true) and the first
 * letter may be wrong too (`prefix_length` 0), as in the embedded engine.
 */
const fuzziness = `AUTO:${minTypoTolerantLength},1000`;

/**
 * The most index terms one typo-tolerant word expands to (OpenSearch's default is 50). Each expansion is
 * a clause, and a query may hold `indices.query.bool.max_clause_count` (1024 by default) in all: per
 * word 5 fuzzy clauses (2 that match, 3 that score by field) and up to 2 shingles, so
 * `maxQueryWords` (10) words take at most 10 × (5 × 15 + 2) = 770, leaving room for the filters.
 */
const maxExpansions = 15;

const typoTolerance = { fuzziness, max_expansions: maxExpansions };

/**
 * Every word must occur somewhere in the listing (title, description or an attribute value, gathered in
 * `search_text`), typos allowed as `fuzziness` says. `match_bool_prefix` also takes the last word as a
 * prefix, for text still being typed ("leather jack"), but applies no fuzziness to that prefix; the
 * `match` covers a typo in a complete last word ("leather jakcet").
 * Why one combined field: a `multi_match` over the separate fields with `operator: and` wants every word
 * in the same field, and `cross_fields`, which does not, takes no fuzziness.
 */
function everyWordMatches(text: string): Query {
  const typoTolerant = { query: text, operator: 'and' as const, ...typoTolerance };
  return {
    bool: {
      should: [
        { match_bool_prefix: { [searchTextField]: typoTolerant } },
        { match: { [searchTextField]: typoTolerant } },
      ],
      minimum_should_match: 1,
    },
  };
}

/**
 * Scoring only: listings holding the query's words side by side (the shingle subfields of `search_text`)
 * rank first. Exact and never deciding a match: a typo allowed on a pair of words spends its edits
 * anywhere in the pair, so "red leather" would find "bad leather" although "red" is nowhere.
 */
function wordsInOrderFirst(text: string): Query {
  return {
    multi_match: {
      query: text,
      type: 'bool_prefix',
      fields: [`${searchTextField}._2gram`, `${searchTextField}._3gram`],
    },
  };
}

/** Scoring only: a word found in the title weighs 3 times, in an attribute value 1.5 times, one in the description. */
function titleFirst(text: string): Query {
  return {
    multi_match: { query: text, fields: ['title^3', 'description', 'attr_values^1.5'], ...typoTolerance },
  };
}
