export type DomainErrorKind = 'not-found' | 'forbidden' | 'conflict' | 'stale-version' | 'unprocessable';

/**
 * Which part of the command a rule refused, as a path into it (`['lines', 1, 'quantity']`), and why.
 * The HTTP layer names the request field it came from.
 */
export interface ErrorDetail {
  readonly path: readonly (string | number)[];
  readonly message: string;
}

/** The details as one sentence: `lines.1.quantity: at most 2 per checkout; lines.3: …`. */
export const describeDetails = (details: readonly ErrorDetail[]): string =>
  details.map((detail) => `${detail.path.join('.')}: ${detail.message}`).join('; ');

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
