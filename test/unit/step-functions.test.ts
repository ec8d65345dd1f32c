import {
  ExecutionAlreadyExists,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { TaskNoLongerWaiting } from '#shared/workflows/port.ts';
import { StepFunctionsWorkflow } from '#shared/workflows/step-functions.ts';

const sfn = mockClient(SFNClient);
const arn = 'arn:aws:states:eu-west-1:123456789012:stateMachine:Marketplace-order-fulfillment';
const workflow = () => new StepFunctionsWorkflow(new SFNClient({ region: 'eu-west-1' }), arn);

beforeEach(() => sfn.reset());

describe('StepFunctionsWorkflow', () => {
  it('starts an execution named by the caller with the input as JSON', async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: `${arn}:order-1` });
    await workflow().start('order-1', { orderId: 'order-1' });
    expect(sfn.commandCalls(StartExecutionCommand)[0]?.args[0].input).toEqual({
      stateMachineArn: arn,
      name: 'order-1',
      input: '{"orderId":"order-1"}',
    });
  });

  it('treats an execution of the same name as already started', async () => {
    sfn.on(StartExecutionCommand).rejects(new ExecutionAlreadyExists({ message: 'exists', $metadata: {} }));
    await expect(workflow().start('order-1', { orderId: 'order-1' })).resolves.toBeUndefined();
  });

  it('resumes a task with its output as JSON, or fails it with an ASL error name', async () => {
    sfn.on(SendTaskSuccessCommand).resolves({});
    sfn.on(SendTaskFailureCommand).resolves({});
    await workflow().sendTaskSuccess('token-1', { next: 'complete', capture: true });
    await workflow().sendTaskFailure('token-2', 'PaymentFailed', 'card_declined');
    expect(sfn.commandCalls(SendTaskSuccessCommand)[0]?.args[0].input).toEqual({
      taskToken: 'token-1',
      output: '{"next":"complete","capture":true}',
    });
    expect(sfn.commandCalls(SendTaskFailureCommand)[0]?.args[0].input).toEqual({
      taskToken: 'token-2',
      error: 'PaymentFailed',
      cause: 'card_declined',
    });
  });

  it('says the task no longer waits when its token has timed out or was spent', async () => {
    sfn.on(SendTaskSuccessCommand).rejects(new TaskTimedOut({ message: 'Task Timed Out', $metadata: {} }));
    await expect(workflow().sendTaskSuccess('token-1', {})).rejects.toBeInstanceOf(TaskNoLongerWaiting);
  });

  it('passes other failures on', async () => {
    sfn.on(SendTaskSuccessCommand).rejects(new Error('throttled'));
    await expect(workflow().sendTaskSuccess('token-1', {})).rejects.toThrow('throttled');
  });
});
