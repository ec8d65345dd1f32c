import {
  ExecutionAlreadyExists,
  InvalidToken,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { requiredVariable, resourceVariables } from '#shared/config/function-resources.ts';
import { correlationAttribute, currentCorrelationId } from '../observability/correlation.ts';
import { traced } from '../observability/tracer.ts';
import { TaskNoLongerWaiting, type WorkflowEngine } from './port.ts';

/** The execution's input with the correlation id of the work starting it, which its tasks log. */
function withCorrelationId(input: Record<string, unknown>): Record<string, unknown> {
  const correlationId = currentCorrelationId();
  return correlationId && !(correlationAttribute in input)
    ? { ...input, [correlationAttribute]: correlationId }
    : input;
}

/** A Standard state machine of AWS Step Functions. */
export class StepFunctionsWorkflow implements WorkflowEngine {
  constructor(
    private readonly client: SFNClient,
    private readonly stateMachineArn: string,
  ) {}

  async start(name: string, input: Record<string, unknown>): Promise<void> {
    try {
      await this.client.send(
        new StartExecutionCommand({
          stateMachineArn: this.stateMachineArn,
          name,
          input: JSON.stringify(withCorrelationId(input)),
        }),
      );
    } catch (error) {
      // Same name and input while running is accepted by the API itself; a finished one is a no-op too.
      if (!(error instanceof ExecutionAlreadyExists)) throw error;
    }
  }

  async sendTaskSuccess(token: string, output: unknown): Promise<void> {
    await this.signal(() =>
      this.client.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify(output) })),
    );
  }

  async sendTaskFailure(token: string, error: string, cause: string): Promise<void> {
    await this.signal(() => this.client.send(new SendTaskFailureCommand({ taskToken: token, error, cause })));
  }

  private async signal(send: () => Promise<unknown>): Promise<void> {
    try {
      await send();
    } catch (error) {
      if (
        error instanceof TaskTimedOut ||
        error instanceof TaskDoesNotExist ||
        error instanceof InvalidToken
      ) {
        throw new TaskNoLongerWaiting(error.message);
      }
      throw error;
    }
  }
}

/** The state machine `name` (of workflows/), its ARN set by CDK on the functions that use it. */
export const stepFunctionsWorkflow = (name: string): StepFunctionsWorkflow =>
  new StepFunctionsWorkflow(traced(new SFNClient({})), requiredVariable(resourceVariables.workflowArn(name)));
