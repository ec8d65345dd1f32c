import type { SimList } from './objects.ts';
import type { Params } from './params.ts';

/**
 * A Stripe list object of `items` (in the order they were created), newest first, as many as the
 * request's `limit` asks (10 by default, at most 100).
 */
export function listOf<T extends { created: number }>(
  items: readonly T[],
  params: Params,
  url: string,
): SimList<T> {
  const limit = Math.min(params.integer('limit', 1) ?? 10, 100);
  // Reversed before the stable sort, so that items created in the same second still come newest first.
  const newestFirst = [...items].reverse().sort((a, b) => b.created - a.created);
  return {
    object: 'list',
    data: newestFirst.slice(0, limit),
    has_more: newestFirst.length > limit,
    total_count: newestFirst.length,
    url,
  };
}
