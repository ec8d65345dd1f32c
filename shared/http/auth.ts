import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { type Caller, isRole } from '../domain/caller.ts';
import { forbidden, unauthorized } from './problem.ts';
import type { RouteSpec } from './route.ts';

type JwtClaims = Record<string, string | number | boolean | string[]>;

/** The claims the API Gateway JWT authorizer verified, when the route has an authorizer. */
function verifiedClaims(event: APIGatewayProxyEventV2): JwtClaims | undefined {
  const authorizer = (event.requestContext as { authorizer?: { jwt?: { claims?: JwtClaims } } }).authorizer;
  return authorizer?.jwt?.claims;
}

/**
 * API Gateway hands array claims to the function as a bracketed, space-separated string:
 * `cognito:groups` arrives as `"[seller admin]"`.
 */
export function parseGroupsClaim(value: JwtClaims[string] | undefined): string[] {
  if (Array.isArray(value)) return value;
  if (typeof value !== 'string') return [];
  const inner = value.startsWith('[') && value.endsWith(']') ? value.slice(1, -1) : value;
  return inner.split(/[\s,]+/).filter(Boolean);
}

export function callerFromEvent(event: APIGatewayProxyEventV2): Caller | undefined {
  const claims = verifiedClaims(event);
  const userId = claims?.sub;
  if (typeof userId !== 'string' || userId === '') return undefined;
  return { userId, roles: parseGroupsClaim(claims?.['cognito:groups']).filter(isRole) };
}

/** Enforces the route's roles; the gateway has already rejected missing or invalid tokens. */
export function authorize(route: RouteSpec, event: APIGatewayProxyEventV2): Caller | undefined {
  if (route.access === 'public') return undefined;
  const caller = callerFromEvent(event);
  if (!caller) throw unauthorized('A valid bearer token is required.');
  const allowed = route.access;
  if (!caller.roles.some((role) => allowed.includes(role))) {
    throw forbidden(`This operation requires one of the roles: ${allowed.join(', ')}.`);
  }
  return caller;
}
