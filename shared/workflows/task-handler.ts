import type { WorkflowTask } from '#workflows/workflow.ts';
import { assertConfigured } from '../config/function-resources.ts';
import { logger } from '../logger.ts';
import { eventEntryPoint } from '../observability/entry-point.ts';

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
 * the order or the payout run (and the execution's correlation id when its input has it), a trace,
 * metrics, and errors left to propagate so Step Functions retries or catches
 * them by name.
 */
export function taskHandler<Input extends TaskInput, Output>(
  task: WorkflowTask,
  run: (input: Input) => Promise<Output>,
) {
  assertConfigured(task.handler, task.uses);
  return eventEntryPoint<Input, Output>(async (input) => {
    logger.appendKeys(idsOf(input));
    return run(input);
  });
}
