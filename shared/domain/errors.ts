export type DomainErrorKind = 'not-found' | 'forbidden' | 'conflict' | 'stale-version' | 'unprocessable';

/** Which part of the request a rule refused, e.g. `body.lines.1`. */
export interface ErrorDetail {
  readonly field: string;
  readonly message: string;
}

/** A business rule said no. The HTTP layer maps `kind` to a status in one place. */
export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    /** Stable machine-readable reason, e.g. `listing_not_found`. */
    readonly code: string,
    message: string,
    readonly details?: readonly ErrorDetail[],
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
