import { afterEach, describe, expect, it } from 'vitest';
import { WorkflowRunner } from '#infra/local/workflow-runner.ts';
import type { ItemListLocation, ItemLists } from '#shared/item-lists/port.ts';
import { payoutRun } from '#workflows/payout-run.ts';
import type { WorkflowTask } from '#workflows/workflow.ts';
import { eventually } from '../support/eventually.ts';

/**
 * The real payout-run ASL with scripted task handlers: what the state machine does when a wait for
 * approval times out, which the end-to-end tests reach only through the clock.
 */

/** The approval wait (1 workflow second) lasts a millisecond. */
const msPerSecond = 1;

interface Call {
  readonly state: string;
  readonly input: Record<string, unknown>;
}

type Script = (state: string, input: Record<string, unknown>) => Promise<unknown>;

const sellersToPay: ItemListLocation = { bucket: 'item-lists', key: 'payout-runs/pr_1/list.json' };

/** The one item list the scripted SelectSellers names: the sellers still to pay. */
const itemLists: ItemLists = {
  write: async () => sellersToPay,
  read: async ({ key }) => (key === sellersToPay.key ? ['seller-1'] : []),
};

let runners: WorkflowRunner[] = [];
afterEach(async () => {
  await Promise.all(runners.map((runner) => runner.stop()));
  runners = [];
});

const stateOf = (task: WorkflowTask) =>
  Object.entries(payoutRun.tasks).find(([, candidate]) => candidate.handler === task.handler)?.[0] ?? '';

const awaitingApproval = {
  route: 'await-approval',
  outcome: 'completed',
  sellers: sellersToPay,
  concurrency: 1,
  approvalTimeoutSeconds: 1,
};

/** Runs the execution `name` of run pr_1, its tasks answering as `script` says, recording every call. */
async function run(name: string, script: Script) {
  const calls: Call[] = [];
  const runner = await WorkflowRunner.create({
    workflow: payoutRun,
    msPerSecond,
    itemLists,
    invoke: (task, payload) => {
      const state = stateOf(task);
      const input = payload as Record<string, unknown>;
      calls.push({ state, input });
      return script(state, input);
    },
  });
  runners.push(runner);
  await runner.start(name, { runId: 'pr_1' });
  return { runner, calls, states: () => calls.map((call) => call.state) };
}

/** SelectSellers routes to the approval, which nobody gives; the timeout is resolved as `resolved`. */
const unansweredWait = (resolved: string) => async (state: string) => {
  if (state === 'SelectSellers') return awaitingApproval;
  if (state === 'ResolveApprovalTimeout') return resolved;
  return null;
};

describe('the payout-run state machine, when the wait for approval times out', () => {
  it('tells the wait and its resolution which execution waited', async () => {
    const { runner, calls } = await run('pr_1-resumed-1', unansweredWait('expired'));

    expect(await runner.settled('pr_1-resumed-1')).toMatchObject({ status: 'succeeded' });
    const inputOf = (state: string) => calls.find((call) => call.state === state)?.input;
    expect(inputOf('AwaitApproval')).toMatchObject({ runId: 'pr_1', execution: 'pr_1-resumed-1' });
    expect(inputOf('ResolveApprovalTimeout')).toEqual({
      runId: 'pr_1',
      execution: 'pr_1-resumed-1',
      executionInput: { runId: 'pr_1' },
    });
  });

  it('finishes the run its resolution expired', async () => {
    const { runner, calls, states } = await run('pr_1', unansweredWait('expired'));

    expect(await runner.settled('pr_1')).toMatchObject({ status: 'succeeded' });
    expect(states()).toEqual(['SelectSellers', 'AwaitApproval', 'ResolveApprovalTimeout', 'FinishRun']);
    expect(calls.at(-1)?.input).toEqual({
      runId: 'pr_1',
      outcome: 'expired',
      executionInput: { runId: 'pr_1' },
    });
  });

  it('leaves the run alone when another execution waits for it now', async () => {
    const { runner, states } = await run('pr_1', unansweredWait('superseded'));

    expect(await runner.settled('pr_1')).toMatchObject({ status: 'succeeded' });
    expect(states()).toEqual(['SelectSellers', 'AwaitApproval', 'ResolveApprovalTimeout']);
  });

  it('pays the run approved as its wait timed out, then finishes it', async () => {
    const { runner, calls, states } = await run('pr_1', unansweredWait('completed'));

    expect(await runner.settled('pr_1')).toMatchObject({ status: 'succeeded' });
    expect(states()).toEqual([
      'SelectSellers',
      'AwaitApproval',
      'ResolveApprovalTimeout',
      'PaySeller',
      'FinishRun',
    ]);
    expect(calls.find((call) => call.state === 'PaySeller')?.input).toEqual({
      runId: 'pr_1',
      sellerId: 'seller-1',
    });
    expect(calls.at(-1)?.input).toEqual({
      runId: 'pr_1',
      outcome: 'completed',
      executionInput: { runId: 'pr_1' },
    });
  });

  it('retries a resolution that failed, and follows the one that answers', async () => {
    let attempts = 0;
    const { runner, states } = await run('pr_1', async (state) => {
      if (state === 'ResolveApprovalTimeout') attempts += 1;
      if (state === 'ResolveApprovalTimeout' && attempts === 1) {
        throw Object.assign(new Error('throttled (scripted)'), { name: 'ThrottlingException' });
      }
      return unansweredWait('expired')(state);
    });

    await eventually(async () => expect(states()).toContain('FinishRun'));
    expect(await runner.settled('pr_1')).toMatchObject({ status: 'succeeded' });
    expect(states()).toEqual([
      'SelectSellers',
      'AwaitApproval',
      'ResolveApprovalTimeout',
      'ResolveApprovalTimeout',
      'FinishRun',
    ]);
  });
});
