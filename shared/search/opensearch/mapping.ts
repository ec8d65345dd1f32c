import type { API } from '@opensearch-project/opensearch';

/** The combined free-text field: title, description and attribute values, copied in by the mapping. */
export const searchTextField = 'search_text';

/**
 * Settings and mappings of the listings index: one definition, installed as the index template for the
 * index name and so applied to the index however it comes to exist (see `OpenSearchIndex.ensureIndex`).
 *
 * Text uses one analyzer, `folded` (standard tokenizer, lower case, ASCII folding): listings come in any
 * language, so no language-specific stemming; folding lets "cafe" find "café". Typos and word endings
 * are left to the queries' fuzziness.
 *
 * Attributes are indexed twice, beside the untouched `attributes` object kept for `_source`:
 * - `attr_kv`, a keyword array of "name=value". A filter is a `terms` query on it; a facet is a
 *   `terms` aggregation with `include: "name=.*"`. A listing has at most one value per attribute and a
 *   terms aggregation counts each document once per distinct term, so multi-attribute documents count
 *   correctly. A `nested` `attrs: [{name, value}]` field would do the same with a nested document per
 *   attribute (up to 50 per listing) and `nested`/`reverse_nested` wrappers in every aggregation, for
 *   no gain here.
 * - `attr_values`, text, so free text finds listings by attribute value.
 *
 * `search_text` is a `search_as_you_type` field (with its shingle and edge-n-gram subfields) that
 * collects title, description and attribute values through `copy_to`, so a query can require every
 * word somewhere in the listing and match the last word as a prefix (see query.ts).
 *
 * `index.auto_expand_replicas: 0-1`: a replica on a domain of two or more data nodes, none on a single
 * node. The default, one replica always, can never be placed on one node (a replica never shares a
 * node with its primary), which left the cluster yellow for good.
 *
 * `deleted` marks a removed listing's tombstone (see document.ts): a small document per listing ever
 * removed, which every search filters out.
 */
export const listingIndexDefinition = {
  settings: {
    index: { auto_expand_replicas: '0-1' },
    analysis: {
      analyzer: { folded: { type: 'custom', tokenizer: 'standard', filter: ['lowercase', 'asciifolding'] } },
    },
  },
  mappings: {
    dynamic: 'strict',
    properties: {
      id: { type: 'keyword' },
      sellerId: { type: 'keyword' },
      title: { type: 'text', analyzer: 'folded', copy_to: searchTextField },
      description: { type: 'text', analyzer: 'folded', copy_to: searchTextField },
      category: { type: 'keyword' },
      price: { type: 'long' },
      currency: { type: 'keyword' },
      stock: { type: 'integer' },
      attributes: { type: 'object', enabled: false },
      attr_values: { type: 'text', analyzer: 'folded', copy_to: searchTextField },
      attr_kv: { type: 'keyword' },
      rating: { type: 'float' },
      publishedAt: { type: 'date' },
      version: { type: 'long' },
      deleted: { type: 'boolean' },
      [searchTextField]: { type: 'search_as_you_type', analyzer: 'folded' },
    },
  },
} satisfies API.Indices_Create_RequestBody;
