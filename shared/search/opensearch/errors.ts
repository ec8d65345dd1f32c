import { ResponseError } from '@opensearch-project/opensearch/lib/errors.js';

export interface OpenSearchErrorResponse {
  readonly status: number;
  /** OpenSearch's error type, e.g. `version_conflict_engine_exception`; absent on bodies without `error`. */
  readonly type?: string;
  /** Why it failed, from the root causes OpenSearch lists. */
  readonly reasons: readonly string[];
}

/** What an error response from OpenSearch says, or undefined for any other error (network, timeout...). */
export function errorResponseOf(error: unknown): OpenSearchErrorResponse | undefined {
  if (!(error instanceof ResponseError)) return undefined;
  const { type, root_cause: rootCauses } = error.body?.error ?? {};
  const reasons = Array.isArray(rootCauses)
    ? rootCauses.map((cause) => cause?.reason).filter((reason) => typeof reason === 'string')
    : [];
  return typeof type === 'string'
    ? { status: error.statusCode, type, reasons }
    : { status: error.statusCode, reasons };
}
