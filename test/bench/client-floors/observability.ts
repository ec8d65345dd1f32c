import { eventEntryPoint } from '#shared/observability/entry-point.ts';
import { handler as baseline } from '../bundle-baseline.ts';

/**
 * The baseline wrapped as every function's entry point wraps it: the logger, Powertools Metrics and
 * Tracer with their middleware (issue 16 asks for the Tracer on every function).
 */
export const handler = eventEntryPoint(async () => baseline());
