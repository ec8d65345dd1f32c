import { defineRoute, type RouteSpec } from '#shared/http/route.ts';
import { degradedView, healthyView } from './schemas/system.ts';

/** The platform itself: liveness and the API description. */
export const systemRoutes = {
  health: defineRoute({
    method: 'GET',
    path: '/health',
    handler: 'system/health',
    summary: 'Whether the API is up and has every setting it needs (named, never shown)',
    tags: ['system'],
    // Reads the Stripe secret to tell whether the operator has filled it in.
    uses: { stripe: true },
    access: 'public',
    responses: {
      200: { description: 'Up and configured', body: healthyView },
      503: {
        description:
          'Up, but settings are missing or malformed: requests needing them fail until they are given',
        body: degradedView,
      },
    },
  }),
  openApi: defineRoute({
    method: 'GET',
    path: '/openapi.json',
    handler: 'system/openapi',
    summary: 'This API described in OpenAPI 3.1',
    tags: ['system'],
    uses: {},
    access: 'public',
    responses: { 200: { description: 'The OpenAPI document' } },
  }),
} satisfies Record<string, RouteSpec>;
