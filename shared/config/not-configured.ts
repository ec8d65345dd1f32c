/**
 * A setting the operator gives after deploying (a field of a secret) is missing or malformed, so
 * what needs it cannot run until they fix it. The message names settings, never their values. An
 * HTTP request needing it is answered 503: the deployment is not ready to serve it yet.
 */
export class NotConfigured extends Error {
  constructor(
    /** Stable machine-readable reason, e.g. `payments_not_configured`. */
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'NotConfigured';
  }
}
