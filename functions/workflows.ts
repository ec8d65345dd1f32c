import { onFirstUse } from '#shared/config/on-first-use.ts';
import { inProcessWorkflow } from '#shared/workflows/in-process.ts';
import type { WorkflowEngine } from '#shared/workflows/port.ts';
import { stepFunctionsWorkflow } from '#shared/workflows/step-functions.ts';
import { orderFulfillment } from '#workflows/order-fulfillment.ts';
import { payoutRun } from '#workflows/payout-run.ts';

/** The local stack's engine, looked up at each call: the stack registers it after loading functions. */
function inProcess(name: string): WorkflowEngine {
  return {
    start: (executionName, input) => inProcessWorkflow(name).start(executionName, input),
    sendTaskSuccess: (token, output) => inProcessWorkflow(name).sendTaskSuccess(token, output),
    sendTaskFailure: (token, error, cause) => inProcessWorkflow(name).sendTaskFailure(token, error, cause),
  };
}

/**
 * Composition root of the workflows: Step Functions in the cloud, `WORKFLOW_ENGINE=in-process`
 * locally. Each is made at its first use: a function holds the ARN only of the workflow it uses.
 */
const workflowEngine = (name: string): WorkflowEngine =>
  onFirstUse(() =>
    process.env.WORKFLOW_ENGINE === 'in-process' ? inProcess(name) : stepFunctionsWorkflow(name),
  );

export const orderWorkflow = workflowEngine(orderFulfillment.name);

export const payoutWorkflow = workflowEngine(payoutRun.name);
