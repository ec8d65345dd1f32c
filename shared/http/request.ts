import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type * as z from 'zod';
import { authorize } from './auth.ts';
import { badRequest, type FieldError, Problem } from './problem.ts';
import type { RouteSpec, ValidRequest } from './route.ts';

/** Far above any legitimate request of this API, far below API Gateway's 10 MB. */
export const maxBodyBytes = 64 * 1024;

const jsonContentType = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

export function fieldErrors(location: string, error: z.ZodError): FieldError[] {
  return error.issues.flatMap((issue) => {
    const base = [location, ...issue.path.map(String)].join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ field: `${base}.${key}`, message: 'is not a known field' }));
    }
    return [{ field: base, message: issue.message }];
  });
}

const requestParts = ['params', 'query', 'headers', 'body'] as const;

function readJsonBody(event: APIGatewayProxyEventV2): unknown {
  const raw = event.body ?? '';
  const bytes = event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  if (bytes.byteLength > maxBodyBytes) {
    throw new Problem(413, 'body_too_large', `The body must not exceed ${maxBodyBytes} bytes.`);
  }
  // No body at all is the body's schema to judge: optional bodies default, required ones are named.
  if (bytes.byteLength === 0) return undefined;
  const contentType = event.headers['content-type'] ?? '';
  if (!jsonContentType.test(contentType)) {
    throw new Problem(415, 'unsupported_media_type', 'Send the body as application/json.', undefined, {
      'accept-post': 'application/json',
    });
  }
  if (bytes.byteLength === 0)
    throw badRequest('A JSON body is required.', [{ field: 'body', message: 'is required' }]);
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new Problem(400, 'malformed_json', 'The body is not valid JSON.', [
      { field: 'body', message: 'is not valid JSON' },
    ]);
  }
}

/**
 * Authorizes and validates a request against its route. Throws a Problem: for the first failure of
 * authorization or body decoding, else one naming every invalid field of every part.
 */
export function parseRequest<R extends RouteSpec>(
  route: R,
  event: APIGatewayProxyEventV2,
  requestId: string,
): ValidRequest<R> {
  const caller = authorize(route, event);
  const inputs = {
    params: event.pathParameters ?? {},
    query: event.queryStringParameters ?? {},
    headers: event.headers,
    body: route.body ? readJsonBody(event) : undefined,
  };
  const valid: Record<string, unknown> = {};
  const errors: FieldError[] = [];
  for (const part of requestParts) {
    const schema = route[part];
    if (!schema) continue;
    const result = schema.safeParse(inputs[part]);
    if (result.success) valid[part] = result.data;
    else errors.push(...fieldErrors(part, result.error));
  }
  if (errors.length > 0) throw badRequest('The request is invalid; see errors.', errors);
  return { ...valid, caller, requestId } as ValidRequest<R>;
}
