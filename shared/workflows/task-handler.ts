import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { logger } from '../logger.ts';

/**
 * The entry point of a workflow task: structured logs keyed by the order, and errors left to
 * propagate so Step Functions retries or catches them by name.
 */
export function taskHandler<Input extends { orderId: string }, Output>(
  run: (input: Input) => Promise<Output>,
) {
  return middy<Input, Output>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler(async (input) => {
      logger.appendKeys({ orderId: input.orderId });
      return run(input);
    });
}
