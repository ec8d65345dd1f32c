import { onFirstUse } from '#shared/config/on-first-use.ts';
import { createOpenSearchIndex } from '#shared/search/opensearch/client.ts';
import type { SearchIndex } from '#shared/search/port.ts';

let standIn: SearchIndex | undefined;

/**
 * Composition root of the search port: the OpenSearch domain the stack names in OPENSEARCH_ENDPOINT,
 * made at its first use, unless a host that runs no OpenSearch has put its own engine in first.
 */
export const searchIndex: SearchIndex = onFirstUse(() => standIn ?? createOpenSearchIndex());

/**
 * Puts the engine standing in for OpenSearch (the local stack's embedded one) in place, before the
 * first search. Only that host calls it, so the deployed bundles hold no other engine.
 */
export function standInForOpenSearch(index: SearchIndex): void {
  standIn = index;
}
