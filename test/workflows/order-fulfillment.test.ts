import { afterEach, describe, expect, it } from 'vitest';
import { WorkflowRunner } from '#infra/local/workflow-runner.ts';
import type { Transition } from '#shared/domain/order.ts';
import { orderFulfillment } from '#workflows/order-fulfillment.ts';
import type { WorkflowTask } from '#workflows/workflow.ts';
import { eventually } from '../support/eventually.ts';

/**
 * The real order-fulfillment ASL with scripted task handlers: how the state machine itself retries,
 * catches and compensates when tasks fail, which the end-to-end tests cannot provoke.
 */

/** Retry intervals of seconds last milliseconds; the step waits below are never reached. */
const msPerSecond = 1;

interface Call {
  readonly state: string;
  readonly input: {
    readonly taskToken?: string;
    readonly transition?: Transition;
    readonly waitedFor?: Transition;
  };
}

type Script = (state: string, input: Call['input'], attempt: number) => Promise<unknown>;

let runners: WorkflowRunner[] = [];
afterEach(async () => {
  await Promise.all(runners.map((runner) => runner.stop()));
  runners = [];
});

const stateOf = (task: WorkflowTask) =>
  Object.entries(orderFulfillment.tasks).find(([, candidate]) => candidate.handler === task.handler)?.[0] ??
  '';

/** Runs one execution whose tasks answer as `script` says, recording every call and every state entered. */
async function run(script: Script, transition: Transition) {
  const calls: Call[] = [];
  const entered: string[] = [];
  const runner = await WorkflowRunner.create({
    workflow: orderFulfillment,
    msPerSecond,
    onTransition: ({ state, retry }) => entered.push(retry ? `${state} (retry)` : state),
    invoke: (task, payload) => {
      const state = stateOf(task);
      const input = payload as Call['input'];
      calls.push({ state, input });
      return script(state, input, calls.filter((call) => call.state === state).length);
    },
  });
  runners.push(runner);
  await runner.start('order-1', { orderId: 'order-1', transition });
  return { runner, calls, entered, states: () => calls.map((call) => call.state) };
}

const namedError = (name: string) => Object.assign(new Error(`${name} (scripted)`), { name });
const awaitAccept: Transition = { next: 'await-step', capture: false, stepIndex: 0, timeoutSeconds: 3600 };

describe('the order-fulfillment state machine', () => {
  it('waits for the capture until the capture deadline, then follows what the resolution decides', async () => {
    const waitForCapture: Transition = {
      ...awaitAccept,
      capture: true,
      stepIndex: 1,
      captureTimeoutSeconds: 5,
    };
    const { runner, calls, states } = await run(
      async (state) => (state === 'ResolveTimeout' ? { next: 'complete', capture: false } : null),
      waitForCapture,
    );

    expect(await runner.settled('order-1')).toMatchObject({ status: 'succeeded' });
    expect(states()).toEqual(['AwaitCapture', 'ResolveTimeout', 'CompleteOrder']);
    expect(calls[1]?.input.waitedFor).toEqual(waitForCapture);
  });

  it('takes two transitions per wait, its callback task and one choice, and ends with the completion', async () => {
    const { runner, calls, entered } = await run(async () => null, awaitAccept);
    const resume = async (call: number, transition: Transition) => {
      await eventually(async () => expect(calls).toHaveLength(call + 1));
      await runner.sendTaskSuccess(calls[call]?.input.taskToken ?? '', transition);
    };

    await resume(0, { ...awaitAccept, stepIndex: 1 });
    await resume(1, { next: 'complete', capture: false });

    expect(await runner.settled('order-1')).toMatchObject({ status: 'succeeded' });
    expect(entered).toEqual([
      'FollowTransition',
      'AwaitStep',
      'FollowTransition',
      'AwaitStep',
      'FollowTransition',
      'CompleteOrder',
    ]);
  });

  it('retries a wait whose function failed, with a new token, and goes on when resumed', async () => {
    const { runner, calls, states } = await run(async (state, _input, attempt) => {
      if (state === 'AwaitStep' && attempt === 1) throw namedError('ProvisionedThroughputExceededException');
      return null;
    }, awaitAccept);

    await eventually(async () => expect(states()).toEqual(['AwaitStep', 'AwaitStep']));
    const [first, second] = calls.map((call) => call.input.taskToken);
    expect(second).not.toBe(first);
    await expect(runner.sendTaskSuccess(first ?? '', {})).rejects.toThrow('no longer waiting');
    await runner.sendTaskSuccess(second ?? '', {
      next: 'complete',
      capture: true,
      captureTimeoutSeconds: 3600,
    });
    await eventually(async () => expect(states()).toHaveLength(3));
    await runner.sendTaskSuccess(calls[2]?.input.taskToken ?? '', { next: 'complete', capture: false });

    expect(await runner.settled('order-1')).toMatchObject({ status: 'succeeded' });
    expect(states()).toEqual(['AwaitStep', 'AwaitStep', 'AwaitCapture', 'CompleteOrder']);
  });

  it('resolves a timed-out wait and follows what the resolution decides', async () => {
    const resolved: Transition = { next: 'cancel', capture: false };
    const { runner, calls, states } = await run(
      async (state) => (state === 'ResolveTimeout' ? resolved : null),
      { ...awaitAccept, timeoutSeconds: 5 },
    );

    expect(await runner.settled('order-1')).toMatchObject({ status: 'succeeded' });
    expect(states()).toEqual(['AwaitStep', 'ResolveTimeout', 'CancelOrder']);
    expect(calls[1]?.input.waitedFor).toEqual({ ...awaitAccept, timeoutSeconds: 5 });
  });

  it('fails the execution, for the operators to finish by hand, when compensation keeps failing', async () => {
    const { runner, states } = await run(
      async (state) => {
        if (state === 'CancelOrder') throw namedError('ServiceUnavailable');
        return null;
      },
      { next: 'cancel', capture: false },
    );

    expect(await runner.settled('order-1')).toEqual({
      status: 'failed',
      error: 'CompensationFailed',
      cause: expect.any(String),
    });
    // The first attempt and its eight retries.
    expect(states()).toEqual(Array.from({ length: 9 }, () => 'CancelOrder'));
  });
});
