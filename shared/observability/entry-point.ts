import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { logger } from '../logger.ts';
import { correlated, correlationIdOfInput } from './correlation.ts';
import { flushMetricsMiddleware } from './metrics.ts';
import { tracer } from './tracer.ts';

/**
 * Wraps an entry point that is not an HTTP route (a stream or queue consumer, a workflow task, a
 * trigger, a schedule): logs with the Lambda context, a trace, the invocation's metrics written once as
 * it ends, and the correlation id its input carries (a workflow execution's), if any. A stream
 * consumer's records each carry their own (`handleInOrder`).
 */
export function eventEntryPoint<Event, Result>(
  handle: (event: Event, context: Context) => Promise<Result>,
): (event: Event, context?: Context) => Promise<Result> {
  const instrumented = middy<Event, Result>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(captureLambdaHandler(tracer, { captureResponse: false }))
    .use(flushMetricsMiddleware())
    .handler((event, context) => correlated(correlationIdOfInput(event), () => handle(event, context)));
  // Called by Lambda with its context; a test may call the handler with the event alone.
  return (event, context) => instrumented(event, context ?? ({} as Context));
}
