import type * as z from 'zod';
import type { FunctionResources } from '../config/function-resources.ts';
import type { Caller, Role } from '../domain/caller.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A request part's schema: an object schema built at the first request that parses it. */
type ObjectSchema = z.ZodLazy<z.ZodObject<z.ZodRawShape>>;

export interface ResponseSpec {
  readonly description: string;
  /** The body; an error status without one answers application/problem+json. */
  readonly body?: z.ZodType;
  /** `application/json` unless given; any other type's body is a string, sent as it is. */
  readonly contentType?: string;
}

/**
 * One HTTP route: the single definition read by the CDK API, the local gateway, the handler's
 * request validation and the OpenAPI generator. Its schemas are built at their first use (`deferred`,
 * `component`): a handler builds those of its own request, the OpenAPI generator all of them.
 */
export interface RouteSpec {
  readonly method: HttpMethod;
  /** API Gateway path syntax: `/listings/{listingId}`. */
  readonly path: string;
  /** Module under functions/ exporting `handler`, without extension: `catalog/create-listing`. */
  readonly handler: string;
  /**
   * The OpenAPI operation id; absent, the handler module's name (`createListing`). Routes sharing a
   * handler module name theirs.
   */
  readonly operationId?: string;
  readonly summary: string;
  readonly tags: readonly string[];
  /** `public` routes have no authorizer; otherwise the caller must hold one of these roles. */
  readonly access: 'public' | readonly Role[];
  readonly uses: FunctionResources;
  readonly params?: ObjectSchema;
  readonly query?: ObjectSchema;
  /** Header names in lower case. */
  readonly headers?: ObjectSchema;
  readonly body?: z.ZodType;
  readonly responses: Readonly<Record<number, ResponseSpec>>;
  /**
   * The request takes effect once per Idempotency-Key (a header the route must declare): a retry
   * answers the first response. Served by `idempotentHandler` only.
   */
  readonly idempotent?: true;
}

/** The request headers a route reads, in lower case. */
export function headerNames(route: Pick<RouteSpec, 'headers'>): string[] {
  return Object.keys(route.headers?.unwrap().shape ?? {});
}

export function defineRoute<const R extends RouteSpec>(route: R): R {
  return route;
}

type Infer<S> = S extends z.ZodType ? z.infer<S> : undefined;

/** What a handler receives once the request has passed authorization and validation. */
export interface ValidRequest<R extends RouteSpec> {
  readonly params: Infer<R['params']>;
  readonly query: Infer<R['query']>;
  readonly headers: Infer<R['headers']>;
  readonly body: Infer<R['body']>;
  readonly caller: R['access'] extends 'public' ? undefined : Caller;
  readonly requestId: string;
}

export interface HttpResult {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}
