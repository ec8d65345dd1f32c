export type DomainErrorKind = 'not-found' | 'forbidden' | 'conflict' | 'stale-version';

/** A business rule said no. The HTTP layer maps `kind` to a status in one place. */
export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    /** Stable machine-readable reason, e.g. `listing_not_found`. */
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
