import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { WorkflowTask } from '#workflows/workflow.ts';
import { assertConfigured } from '../config/function-resources.ts';
import { logger } from '../logger.ts';

/** The ids a task's input may carry, which every log line of the task is keyed by. */
type TaskInput = { orderId: string } | { runId: string; sellerId?: string };

const idsOf = (input: TaskInput) =>
  Object.fromEntries(
    Object.entries(input).filter(
      ([key, value]) => ['orderId', 'runId', 'sellerId'].includes(key) && typeof value === 'string',
    ),
  );

/**
 * The entry point of a workflow task: its configuration checked at init, structured logs keyed by
 * the order or the payout run, and errors left to propagate so Step Functions retries or catches
 * them by name.
 */
export function taskHandler<Input extends TaskInput, Output>(
  task: WorkflowTask,
  run: (input: Input) => Promise<Output>,
) {
  assertConfigured(task.handler, task.uses);
  return middy<Input, Output>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler(async (input) => {
      logger.appendKeys(idsOf(input));
      return run(input);
    });
}
