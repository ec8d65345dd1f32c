import { httpEntryPoint } from '#shared/http/handler.ts';
import { Problem } from '#shared/http/problem.ts';
import { matchRoute } from '#shared/http/route-match.ts';
import { routeList } from '../routes.ts';

/** Every request no route takes: 405 with Allow when the path exists under other methods, else 404. */
export const handler = httpEntryPoint(async (event) => {
  const match = matchRoute(routeList, event.requestContext.http.method, event.rawPath);
  if (match.kind === 'method-not-allowed') {
    throw new Problem(
      405,
      'method_not_allowed',
      `${event.requestContext.http.method} is not allowed here.`,
      undefined,
      {
        allow: match.allowed.join(', '),
      },
    );
  }
  throw new Problem(
    404,
    'route_not_found',
    `No route for ${event.requestContext.http.method} ${event.rawPath}.`,
  );
});
