export type StripeErrorType = 'invalid_request_error' | 'card_error' | 'idempotency_error' | 'api_error';

/** The `error` member of a Stripe error response. */
export interface StripeErrorBody {
  readonly type: StripeErrorType;
  readonly message: string;
  readonly code?: string;
  readonly param?: string;
  readonly decline_code?: string;
  readonly payment_intent?: object;
}

/** An error answered the way Stripe answers it: an HTTP status and `{ error: { type, code, message, param } }`. */
export class StripeApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: StripeErrorBody,
    /**
     * Stripe keeps an idempotent result only once the endpoint has started executing: a request
     * whose parameters fail validation can be retried with the same key.
     */
    readonly keptForIdempotency = true,
  ) {
    super(body.message);
    this.name = 'StripeApiError';
  }
}

interface Details {
  readonly code?: string;
  readonly param?: string;
}

/** A request the endpoint refused after looking at the state of the objects involved. */
export const invalidRequest = (message: string, details: Details = {}) =>
  new StripeApiError(400, { type: 'invalid_request_error', message, ...details });

/** A parameter that failed validation before the endpoint ran. */
export const invalidParameter = (message: string, param: string, code?: string) =>
  new StripeApiError(
    400,
    { type: 'invalid_request_error', message, param, ...(code ? { code } : {}) },
    false,
  );

export const resourceMissing = (objectName: string, id: string, param: string) =>
  new StripeApiError(404, {
    type: 'invalid_request_error',
    code: 'resource_missing',
    message: `No such ${objectName}: '${id}'`,
    param,
  });

export const unexpectedState = (message: string, code = 'payment_intent_unexpected_state') =>
  invalidRequest(message, { code });
