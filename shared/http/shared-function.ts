import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import type { RouteSpec } from './route.ts';

type RouteEntryPoint = (event: APIGatewayProxyEventV2, context: Context) => Promise<unknown>;

/**
 * The entry point of a function serving several routes (they name the same handler module and
 * declare the same `uses`): each request goes to its route's entry point, by API Gateway's route key.
 */
export function routesEntryPoint(entries: readonly (readonly [RouteSpec, RouteEntryPoint])[]) {
  const byRouteKey = new Map(
    entries.map(([route, entryPoint]) => [`${route.method} ${route.path}`, entryPoint]),
  );
  return (event: APIGatewayProxyEventV2, context: Context) => {
    const entryPoint = byRouteKey.get(event.routeKey);
    if (!entryPoint) throw new Error(`This function serves no route ${event.routeKey}`);
    return entryPoint(event, context);
  };
}
