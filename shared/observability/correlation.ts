import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The request header a caller may send to name the work it starts, answered on every response. Without
 * it, the API request id is the correlation id.
 */
export const correlationHeader = 'x-correlation-id';

/** What a caller's correlation id may be: printable, no spaces, short enough to log on every line. */
export const correlationIdPattern = /^[A-Za-z0-9][A-Za-z0-9._:/+=-]{0,127}$/;

/**
 * The item attribute holding the correlation id of the request or record whose change wrote the
 * item, which the table's stream carries to its consumers (see `entity.item`).
 */
export const correlationAttribute = 'correlationId';

const current = new AsyncLocalStorage<string>();

/** The correlation id of the work running now: a request's, a stream record's or a task's. */
export const currentCorrelationId = (): string | undefined => current.getStore();

/**
 * Runs `work` as part of `correlationId`: every log line it writes carries it under `correlation_id`
 * (shared/logger.ts), and every item it writes, workflow it starts and Stripe money call it makes
 * carries it on. Without an id, `work` runs as it is.
 */
export function correlated<T>(correlationId: string | undefined, work: () => Promise<T>): Promise<T> {
  return correlationId ? current.run(correlationId, work) : work();
}

/** The correlation id an item was written under, from its stream image, if it has one. */
export function correlationIdOfImage(image: Record<string, { S?: string } | undefined> | undefined) {
  const value = image?.[correlationAttribute]?.S;
  return value && correlationIdPattern.test(value) ? value : undefined;
}

/**
 * The correlation id a workflow task or a scheduled function finds in its input, if any: its own, or
 * the execution's (every Task state of the ASL files passes the execution's input as
 * `executionInput`, a path that exists in every execution, so executions started before the id was
 * passed run on).
 */
export function correlationIdOfInput(input: unknown): string | undefined {
  if (typeof input !== 'object' || input === null) return undefined;
  const { [correlationAttribute]: value, executionInput } = input as Record<string, unknown>;
  if (typeof value === 'string') return correlationIdPattern.test(value) ? value : undefined;
  return executionInput === undefined ? undefined : correlationIdOfInput(executionInput);
}
