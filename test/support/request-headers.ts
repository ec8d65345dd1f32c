import { routeList } from '#functions/routes.ts';
import { headerNames } from '#shared/http/route.ts';

/**
 * Every request header the API reads: the bearer token, the body's type, and each header a route
 * declares (Idempotency-Key, If-Match, …). A browser on an allowed origin must be allowed all of them.
 */
export const requestHeadersTheApiReads = [
  ...new Set(['authorization', 'content-type', ...routeList.flatMap(headerNames)]),
].sort();
