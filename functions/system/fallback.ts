import { httpEntryPoint } from '#shared/http/handler.ts';
import { Problem } from '#shared/http/problem.ts';
import { matchRoute } from '#shared/http/route-match.ts';
import { routeList } from '../routes.ts';

/**
 * Every request no route takes: 405 with Allow when the path exists under other methods, else 404.
 * A CORS preflight reaches this `$default` route too, and a browser refuses any preflight answered
 * otherwise than 2xx: it gets 204, to which API Gateway adds the API's CORS headers.
 */
export const handler = httpEntryPoint(async (event) => {
  const { method } = event.requestContext.http;
  if (method === 'OPTIONS' && event.headers['access-control-request-method']) return { status: 204 };
  const match = matchRoute(routeList, method, event.rawPath);
  if (match.kind === 'method-not-allowed') {
    throw new Problem(405, 'method_not_allowed', `${method} is not allowed here.`, undefined, {
      allow: match.allowed.join(', '),
    });
  }
  throw new Problem(404, 'route_not_found', `No route for ${method} ${event.rawPath}.`);
});
