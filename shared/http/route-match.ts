import type { HttpMethod, RouteSpec } from './route.ts';

export type RouteMatch<R extends RouteSpec> =
  | { readonly kind: 'found'; readonly route: R; readonly params: Record<string, string> }
  | { readonly kind: 'method-not-allowed'; readonly allowed: readonly HttpMethod[] }
  | { readonly kind: 'not-found' };

function splitPath(path: string): string[] {
  return path.split('/').filter(Boolean);
}

const paramName = (segment: string) => /^\{(\w+)\}$/.exec(segment)?.[1];

function decode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** Path parameters when `path` fits the template, with the number of literal segments it matched. */
function matchTemplate(template: string, path: string) {
  const expected = splitPath(template);
  const actual = splitPath(path);
  if (expected.length !== actual.length) return undefined;
  const params: Record<string, string> = {};
  let literals = 0;
  for (const [index, segment] of expected.entries()) {
    const value = decode(actual[index] ?? '');
    if (value === undefined) return undefined;
    const name = paramName(segment);
    if (name) params[name] = value;
    else if (segment === value) literals += 1;
    else return undefined;
  }
  return { params, literals };
}

/**
 * Resolves a request the way API Gateway does: the most specific template wins (`/sellers/me`
 * before `/sellers/{sellerId}`); a path known under other methods is a 405, not a 404.
 */
export function matchRoute<R extends RouteSpec>(
  routes: readonly R[],
  method: string,
  path: string,
): RouteMatch<R> {
  const candidates = routes
    .map((route) => ({ route, match: matchTemplate(route.path, path) }))
    .filter((candidate) => candidate.match !== undefined);
  if (candidates.length === 0) return { kind: 'not-found' };
  const best = candidates
    .filter((candidate) => candidate.route.method === method)
    .sort((a, b) => (b.match?.literals ?? 0) - (a.match?.literals ?? 0))[0];
  if (best?.match) return { kind: 'found', route: best.route, params: best.match.params };
  return {
    kind: 'method-not-allowed',
    allowed: [...new Set(candidates.map((candidate) => candidate.route.method))],
  };
}
