export interface Route {
  readonly method: string;
  /** With `{name}` for a path parameter: `/v1/payment_intents/{intent}/capture`. */
  readonly path: string;
}

function decoded(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

function matchPath(template: string, path: string): Record<string, string> | undefined {
  const expected = template.split('/');
  const actual = path.split('/');
  if (expected.length !== actual.length) return undefined;
  const pathParams: Record<string, string> = {};
  for (const [index, segment] of expected.entries()) {
    const value = decoded(actual[index] ?? '');
    const name = /^\{(\w+)\}$/.exec(segment)?.[1];
    if (value === undefined) return undefined;
    if (name !== undefined && value !== '') pathParams[name] = value;
    else if (segment !== value) return undefined;
  }
  return pathParams;
}

export function matchRoute<R extends Route>(routes: readonly R[], method: string, path: string) {
  for (const route of routes) {
    if (route.method !== method) continue;
    const pathParams = matchPath(route.path, path);
    if (pathParams) return { route, pathParams };
  }
  return undefined;
}
