import opensearch from '@opensearch-project/opensearch';

export interface OpenSearchErrorResponse {
  readonly status: number;
  /** OpenSearch's error type, e.g. `version_conflict_engine_exception`; absent on bodies without `error`. */
  readonly type?: string;
}

/** What an error response from OpenSearch says, or undefined for any other error (network, timeout...). */
export function errorResponseOf(error: unknown): OpenSearchErrorResponse | undefined {
  if (!(error instanceof opensearch.errors.ResponseError)) return undefined;
  const type: unknown = error.body?.error?.type;
  return typeof type === 'string' ? { status: error.statusCode, type } : { status: error.statusCode };
}
