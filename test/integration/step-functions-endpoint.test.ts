import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  ExecutionNotRedrivable,
  InvalidArn,
  InvalidExecutionInput,
  InvalidName,
  InvalidToken,
  RedriveExecutionCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StateMachineDoesNotExist,
  StopExecutionCommand,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Authorize, accessDenied, localAccount } from '#infra/local/aws/authorization.ts';
import type { LocalEndpoint } from '#infra/local/aws/json-protocol.ts';
import { startStepFunctionsEndpoint } from '#infra/local/aws/step-functions-endpoint.ts';
import { WorkflowRunner } from '#infra/local/workflow-runner.ts';
import { TaskNoLongerWaiting } from '#shared/workflows/port.ts';
import { StepFunctionsWorkflow } from '#shared/workflows/step-functions.ts';
import { awaitAnswer, retryAndWait } from '../fixtures/workflows/definitions.ts';
import { eventually } from '../support/eventually.ts';

const { region, accountId } = localAccount;
const stateMachineArn = (name: string) => `arn:aws:states:${region}:${accountId}:stateMachine:${name}`;
const executionArn = (machine: string, name: string) =>
  `arn:aws:states:${region}:${accountId}:execution:${machine}:${name}`;
const answerArn = stateMachineArn('await-answer');
const declineArn = stateMachineArn('retry-and-wait');

/** 5 ms per workflow second: a day's callback wait outlasts every test. */
const msPerSecond = 5;
const aDay = 86_400;

const clientOf = (url: string) =>
  new SFNClient({
    endpoint: url,
    region,
    credentials: { accessKeyId: 'SomeFunction', secretAccessKey: 'x' },
  });

const tokensByOrder = new Map<string, string>();
const authorized: string[] = [];
const recordingAuthorize: Authorize = (accessKeyId, action, resource) => {
  authorized.push(`${accessKeyId} ${action} ${resource}`);
};

let answering: WorkflowRunner;
let declining: WorkflowRunner;
let endpoint: LocalEndpoint;
let client: SFNClient;
let workflow: StepFunctionsWorkflow;

beforeAll(async () => {
  answering = await WorkflowRunner.create({
    workflow: awaitAnswer,
    msPerSecond,
    invoke: async (_task, payload) => {
      const { orderId, taskToken } = payload as { orderId: string; taskToken: string };
      tokensByOrder.set(orderId, taskToken);
    },
  });
  declining = await WorkflowRunner.create({
    workflow: retryAndWait,
    msPerSecond,
    invoke: async () => {
      throw Object.assign(new Error('card declined'), { name: 'PaymentDeclined' });
    },
  });
  endpoint = await startStepFunctionsEndpoint({
    stateMachines: new Map([
      [answerArn, answering],
      [declineArn, declining],
    ]),
    authorize: recordingAuthorize,
  });
  client = clientOf(endpoint.url);
  workflow = new StepFunctionsWorkflow(client, answerArn);
});

afterAll(async () => {
  client?.destroy();
  await endpoint?.stop();
  await Promise.all([answering?.stop(), declining?.stop()]);
});

const tokenOf = (orderId: string) =>
  eventually(async () => tokensByOrder.get(orderId) ?? Promise.reject(new Error('no token yet')), 2_000, 5);

const describeExecution = (machine: string, name: string) =>
  client.send(new DescribeExecutionCommand({ executionArn: executionArn(machine, name) }));

const waitForAnswer = (orderId: string) => ({ orderId, timeoutSeconds: aDay });

describe('the local Step Functions endpoint, reached by the real SFN client', () => {
  it('starts an execution once: the same name and input while it runs answers that execution', async () => {
    const start = () =>
      client.send(
        new StartExecutionCommand({
          stateMachineArn: answerArn,
          name: 'o-1',
          input: JSON.stringify(waitForAnswer('o-1')),
        }),
      );
    const first = await start();
    const second = await start();
    await workflow.start('o-1', waitForAnswer('o-1'));

    expect(first.executionArn).toBe(executionArn('await-answer', 'o-1'));
    expect(second.executionArn).toBe(first.executionArn);
    expect(second.startDate).toEqual(first.startDate);
    expect(Math.abs((first.startDate?.getTime() ?? 0) - Date.now())).toBeLessThan(5_000);
    await expect(
      client.send(
        new StartExecutionCommand({ stateMachineArn: answerArn, name: 'o-1', input: '{"orderId":"other"}' }),
      ),
    ).rejects.toBeInstanceOf(ExecutionAlreadyExists);
    await expect(workflow.start('o-1', { orderId: 'other' })).resolves.toBeUndefined();
    await expect(describeExecution('await-answer', 'o-1')).resolves.toMatchObject({
      status: 'RUNNING',
      name: 'o-1',
      stateMachineArn: answerArn,
      input: JSON.stringify(waitForAnswer('o-1')),
    });
  });

  it('resumes a callback task on sendTaskSuccess, and describes the succeeded execution', async () => {
    await workflow.start('o-2', waitForAnswer('o-2'));
    await workflow.sendTaskSuccess(await tokenOf('o-2'), { accepted: true });
    await answering.settled('o-2');

    const described = await describeExecution('await-answer', 'o-2');
    expect(described).toMatchObject({
      status: 'SUCCEEDED',
      executionArn: executionArn('await-answer', 'o-2'),
    });
    expect(JSON.parse(described.output ?? '')).toEqual({
      ...waitForAnswer('o-2'),
      answer: { accepted: true },
      outcome: 'answered',
    });
    expect(described.stopDate?.getTime()).toBeGreaterThanOrEqual(described.startDate?.getTime() ?? Infinity);
    await expect(
      client.send(
        new StartExecutionCommand({
          stateMachineArn: answerArn,
          name: 'o-2',
          input: JSON.stringify(waitForAnswer('o-2')),
        }),
      ),
    ).rejects.toBeInstanceOf(ExecutionAlreadyExists);
  });

  it('fails a callback task on sendTaskFailure, with the error its Catch matches', async () => {
    await workflow.start('o-3', waitForAnswer('o-3'));
    await workflow.sendTaskFailure(await tokenOf('o-3'), 'Rejected', 'out of stock');

    await expect(answering.settled('o-3')).resolves.toMatchObject({
      output: { outcome: 'rejected', error: { Error: 'Rejected', Cause: 'out of stock' } },
    });
  });

  it('answers a spent token with TaskTimedOut and a foreign one with InvalidToken: both TaskNoLongerWaiting', async () => {
    await workflow.start('o-4', waitForAnswer('o-4'));
    const token = await tokenOf('o-4');
    await client.send(new SendTaskHeartbeatCommand({ taskToken: token }));
    await workflow.sendTaskSuccess(token, {});

    await expect(workflow.sendTaskSuccess(token, {})).rejects.toBeInstanceOf(TaskNoLongerWaiting);
    await expect(workflow.sendTaskFailure(token, 'Rejected', '')).rejects.toBeInstanceOf(TaskNoLongerWaiting);
    await expect(client.send(new SendTaskHeartbeatCommand({ taskToken: token }))).rejects.toBeInstanceOf(
      TaskTimedOut,
    );
    await expect(
      client.send(new SendTaskSuccessCommand({ taskToken: 'not-a-token', output: '{}' })),
    ).rejects.toBeInstanceOf(InvalidToken);
    await expect(workflow.sendTaskSuccess('not-a-token', {})).rejects.toBeInstanceOf(TaskNoLongerWaiting);
  });

  it('describes a failed execution with the error and cause of the state that failed it', async () => {
    const declined = new StepFunctionsWorkflow(client, declineArn);
    await declined.start('pay-1', {});
    await declining.settled('pay-1');

    await expect(describeExecution('retry-and-wait', 'pay-1')).resolves.toMatchObject({
      status: 'FAILED',
      error: 'PaymentDeclined',
      cause: 'card declined',
      stopDate: expect.any(Date),
    });
  });

  it('stops an execution: it is aborted with the error and cause given, its token spent', async () => {
    await workflow.start('o-5', waitForAnswer('o-5'));
    const token = await tokenOf('o-5');
    const arn = executionArn('await-answer', 'o-5');

    const { stopDate } = await client.send(
      new StopExecutionCommand({ executionArn: arn, error: 'Cancelled', cause: 'by an operator' }),
    );

    await expect(describeExecution('await-answer', 'o-5')).resolves.toMatchObject({
      status: 'ABORTED',
      error: 'Cancelled',
      cause: 'by an operator',
      stopDate,
    });
    await expect(answering.settled('o-5')).resolves.toMatchObject({ status: 'aborted' });
    await expect(workflow.sendTaskSuccess(token, {})).rejects.toBeInstanceOf(TaskNoLongerWaiting);
    await expect(client.send(new RedriveExecutionCommand({ executionArn: arn }))).rejects.toBeInstanceOf(
      ExecutionNotRedrivable,
    );
  });

  it('refuses what Step Functions refuses, with the exceptions the SDK models', async () => {
    const start = (stateMachine: string, name: string, input: string) =>
      client.send(new StartExecutionCommand({ stateMachineArn: stateMachine, name, input }));

    await expect(start(stateMachineArn('nowhere'), 'x', '{}')).rejects.toBeInstanceOf(
      StateMachineDoesNotExist,
    );
    await expect(start('not-an-arn', 'x', '{}')).rejects.toBeInstanceOf(InvalidArn);
    await expect(start(answerArn, 'o-6', '{not json')).rejects.toBeInstanceOf(InvalidExecutionInput);
    await expect(start(answerArn, 'has space', '{}')).rejects.toBeInstanceOf(InvalidName);
    await expect(describeExecution('await-answer', 'never-started')).rejects.toBeInstanceOf(
      ExecutionDoesNotExist,
    );
  });

  it('authorizes each call for the signing function: executions on their ARN, task callbacks on *', async () => {
    authorized.length = 0;
    await workflow.start('o-7', waitForAnswer('o-7'));
    await workflow.sendTaskSuccess(await tokenOf('o-7'), {});
    await describeExecution('await-answer', 'o-7');
    await client.send(new StopExecutionCommand({ executionArn: executionArn('await-answer', 'o-7') }));

    expect(authorized).toEqual([
      `SomeFunction states:StartExecution ${answerArn}`,
      'SomeFunction states:SendTaskSuccess *',
      `SomeFunction states:DescribeExecution ${executionArn('await-answer', 'o-7')}`,
      `SomeFunction states:StopExecution ${executionArn('await-answer', 'o-7')}`,
    ]);
  });

  it('answers AccessDeniedException when the function may not start the state machine', async () => {
    const denying = await startStepFunctionsEndpoint({
      stateMachines: new Map([[answerArn, answering]]),
      authorize: (accessKeyId, action, resource) => {
        if (action === 'states:StartExecution') throw accessDenied(accessKeyId, action, resource);
      },
    });
    const deniedClient = clientOf(denying.url);
    try {
      const error = await new StepFunctionsWorkflow(deniedClient, answerArn)
        .start('o-8', waitForAnswer('o-8'))
        .catch((thrown: unknown) => thrown);
      expect(error).toMatchObject({
        name: 'AccessDeniedException',
        message: expect.stringContaining(`SomeFunction is not authorized to perform: states:StartExecution`),
      });
      expect(answering.describe('o-8')).toBeUndefined();
    } finally {
      deniedClient.destroy();
      await denying.stop();
    }
  });
});
