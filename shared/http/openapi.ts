import { STATUS_CODES } from 'node:http';
import * as z from 'zod';
import { problemContentType } from './problem.ts';
import type { RouteSpec } from './route.ts';

type JsonSchema = Record<string, unknown>;

const componentUri = (id: string) => `#/components/schemas/${id}`;
const conversion = {
  target: 'draft-2020-12',
  io: 'input',
  unrepresentable: 'any',
  uri: componentUri,
} as const;

/** Schemas named with `.meta({ id })` become components and are referenced; others are inlined. */
function toSchema(schema: z.ZodType): JsonSchema {
  const id = z.globalRegistry.get(schema)?.id;
  if (id) return { $ref: componentUri(id) };
  const { $schema: _, ...inline } = z.toJSONSchema(schema, conversion) as JsonSchema;
  return inline;
}

function namedSchemas(): Record<string, JsonSchema> {
  const { schemas } = z.toJSONSchema(z.globalRegistry, conversion) as { schemas: Record<string, JsonSchema> };
  return Object.fromEntries(
    Object.entries(schemas).map(([id, { $schema: _, $id: _id, ...schema }]) => [id, schema]),
  );
}

function parameters(location: 'path' | 'query' | 'header', schema: z.ZodType | undefined) {
  if (!schema) return [];
  const objectSchema = toSchema(schema) as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(objectSchema.properties ?? {}).map(([name, property]) => ({
    name,
    in: location,
    required: location === 'path' || (objectSchema.required ?? []).includes(name),
    ...(typeof property.description === 'string' ? { description: property.description } : {}),
    schema: property,
  }));
}

const problemResponse = (status: number) => ({
  description: STATUS_CODES[status] ?? 'Error',
  content: { [problemContentType]: { schema: { $ref: '#/components/schemas/Problem' } } },
});

/** API Gateway's JWT authorizer answers 401 itself, with its own body. */
const unauthorizedResponse = {
  description: 'Missing, expired or invalid bearer token',
  content: {
    'application/json': {
      schema: { type: 'object', properties: { message: { type: 'string', const: 'Unauthorized' } } },
    },
  },
};

/** Error statuses every route of this kind can answer, besides the ones the route lists. */
function standardErrors(route: RouteSpec): number[] {
  const statuses = [400, 404, 405, 500];
  if (route.access !== 'public') statuses.push(403);
  if (route.body) statuses.push(413, 415);
  // Until the operator fills the Stripe secret in.
  if (route.uses.stripe) statuses.push(503);
  return statuses;
}

/** On a success of an idempotent route: whether it is the first response, replayed. */
const replayedHeader = {
  'Idempotent-Replayed': {
    description: '`true` when this is the first response to the Idempotency-Key, answered again',
    schema: { type: 'string', enum: ['true'] },
  },
};

function operation(route: RouteSpec) {
  const responses: Record<string, unknown> = {};
  for (const status of standardErrors(route)) responses[status] = problemResponse(status);
  if (route.access !== 'public') responses[401] = unauthorizedResponse;
  for (const [status, response] of Object.entries(route.responses)) {
    responses[status] =
      Number(status) >= 400 && !response.body
        ? { ...problemResponse(Number(status)), description: response.description }
        : {
            description: response.description,
            ...(route.idempotent && Number(status) < 300 ? { headers: replayedHeader } : {}),
            ...(response.body
              ? {
                  content: {
                    [response.contentType ?? 'application/json']: { schema: toSchema(response.body) },
                  },
                }
              : {}),
          };
  }
  return {
    operationId:
      route.operationId ??
      route.handler
        .split('/')
        .at(-1)
        ?.replace(/-(\w)/g, (_, letter: string) => letter.toUpperCase()),
    summary: route.summary,
    tags: route.tags,
    ...(route.access === 'public'
      ? { security: [] }
      : { security: [{ bearer: [] }], 'x-roles': route.access }),
    parameters: [
      ...parameters('path', route.params),
      ...parameters('query', route.query),
      ...parameters('header', route.headers),
    ],
    ...(route.body
      ? { requestBody: { required: true, content: { 'application/json': { schema: toSchema(route.body) } } } }
      : {}),
    responses,
  };
}

/** The OpenAPI 3.1 description of the API, generated from the route table. */
export function buildOpenApi(routes: readonly RouteSpec[], info: { title: string; version: string }) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    paths[route.path] ??= {};
    (paths[route.path] as Record<string, unknown>)[route.method.toLowerCase()] = operation(route);
  }
  return {
    openapi: '3.1.0',
    info,
    jsonSchemaDialect: 'https://spec.openapis.org/oas/3.1/dialect/base',
    paths,
    components: {
      schemas: namedSchemas(),
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'A Cognito ID token.' },
      },
    },
  };
}
