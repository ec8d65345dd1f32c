import { STATUS_CODES } from 'node:http';
import * as z from 'zod';
import { NotConfigured } from '../config/not-configured.ts';
import { DomainError, type DomainErrorKind, type ErrorDetail } from '../domain/errors.ts';
import { component } from './component.ts';

/** Where the problem is (`body.price.amount`, `query.limit`, `headers.if-match`) and what it is. */
export interface FieldError {
  readonly field: string;
  readonly message: string;
}

/** A use case's command is the request body, so a rule's path into it is a path into the body. */
const bodyField = ({ path, message }: ErrorDetail): FieldError => ({
  field: ['body', ...path].join('.'),
  message,
});

/**
 * An RFC 9457 problem. Thrown anywhere below a handler and turned into an
 * application/problem+json response in one place (see handler.ts).
 */
export class Problem extends Error {
  constructor(
    readonly status: number,
    /** Stable machine-readable reason, e.g. `version_mismatch`. */
    readonly code: string,
    readonly detail: string,
    readonly errors?: readonly FieldError[],
    readonly headers?: Readonly<Record<string, string>>,
  ) {
    super(detail);
    this.name = 'Problem';
  }
}

const statusOfDomainError: Record<DomainErrorKind, number> = {
  'not-found': 404,
  forbidden: 403,
  conflict: 409,
  'stale-version': 412,
  unprocessable: 422,
};

/** Every error a handler can raise, as the problem it answers; anything unexpected is a 500. */
export function toProblem(error: unknown): Problem {
  if (error instanceof Problem) return error;
  if (error instanceof DomainError)
    return new Problem(
      statusOfDomainError[error.kind],
      error.code,
      error.message,
      error.details?.map(bodyField),
    );
  if (error instanceof NotConfigured) return new Problem(503, error.code, error.message);
  return new Problem(
    500,
    'internal_error',
    'The request could not be completed. Quote the requestId when reporting it.',
  );
}

export const problemContentType = 'application/problem+json';

/** The body of every error response: RFC 9457 members plus `code`, `requestId` and field `errors`. */
export const problemSchema = component('Problem', () =>
  z.object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    instance: z.string(),
    code: z.string(),
    requestId: z.string(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  }),
);

export function problemBody(
  problem: Problem,
  instance: string,
  requestId: string,
): z.infer<typeof problemSchema> {
  return {
    type: 'about:blank',
    title: STATUS_CODES[problem.status] ?? 'Error',
    status: problem.status,
    detail: problem.detail,
    instance,
    code: problem.code,
    requestId,
    ...(problem.errors ? { errors: [...problem.errors] } : {}),
  };
}

export const badRequest = (detail: string, errors?: readonly FieldError[]) =>
  new Problem(400, 'validation_failed', detail, errors);
export const unauthorized = (detail: string) => new Problem(401, 'unauthorized', detail);
export const forbidden = (detail: string) => new Problem(403, 'forbidden', detail);
export const preconditionRequired = (detail: string) => new Problem(428, 'precondition_required', detail);
