import { createHash } from 'node:crypto';

/** JSON with every object's keys sorted, so that one request always serialises one way. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item ?? null)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const members = Object.entries(value)
      .filter(([, member]) => member !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, member]) => `${JSON.stringify(name)}:${canonicalJson(member)}`);
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * What an Idempotency-Key is bound to: the route and the request as validated (path parameters,
 * query and body; the key itself and the caller are the record's own key). The same key with
 * anything else is another request.
 */
export function requestFingerprint(
  route: { readonly method: string; readonly path: string },
  request: { readonly params: unknown; readonly query: unknown; readonly body: unknown },
): string {
  const { params, query, body } = request;
  return createHash('sha256')
    .update(canonicalJson({ route: `${route.method} ${route.path}`, params, query, body }))
    .digest('base64url');
}
