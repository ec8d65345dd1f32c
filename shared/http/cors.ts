import { correlationHeader } from '../observability/correlation.ts';
import { type HttpMethod, headerNames, type RouteSpec } from './route.ts';

/**
 * What browsers on other origins may do with the API. API Gateway applies it in the cloud, the
 * local gateway on one machine. Tokens travel in the Authorization header, never in cookies, so
 * credentials are not allowed and `*` is a safe default origin.
 */
export interface CorsPolicy {
  readonly allowOrigins: readonly string[];
  readonly allowMethods: readonly HttpMethod[];
  readonly allowHeaders: readonly string[];
  readonly exposeHeaders: readonly string[];
  readonly maxAgeSeconds: number;
}

/** Sent on every call that has a body or needs a token, or names its correlation id, whatever the route declares. */
const headersOfEveryCall = ['authorization', 'content-type', correlationHeader];

/** The policy for these routes: their methods, and every request header one of them reads. */
export function corsPolicy(
  allowOrigins: readonly string[],
  routes: readonly Pick<RouteSpec, 'method' | 'headers'>[],
): CorsPolicy {
  const routeHeaders = routes.flatMap(headerNames);
  return {
    allowOrigins,
    allowMethods: [...new Set(routes.map((route) => route.method))],
    allowHeaders: [...new Set([...headersOfEveryCall, ...routeHeaders])],
    exposeHeaders: [
      'etag',
      'location',
      'allow',
      'content-disposition',
      'idempotent-replayed',
      correlationHeader,
    ],
    maxAgeSeconds: 86_400,
  };
}

/** `https://a.example, https://b.example` or `*`. */
export function parseOrigins(list: string): string[] {
  return list
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
}

/** The Access-Control-Allow-Origin value for a request's Origin, or undefined when it is not allowed. */
export function allowedOrigin(policy: CorsPolicy, origin: string): string | undefined {
  if (policy.allowOrigins.includes('*')) return '*';
  return policy.allowOrigins.includes(origin) ? origin : undefined;
}
