import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { StateMachine } from 'aws-local-stepfunctions';
import { afterEach, describe, expect, it } from 'vitest';
import { prepareLocalDefinition } from '#infra/local/local-asl.ts';
import { WorkflowRunner } from '#infra/local/workflow-runner.ts';
import type { ItemLists } from '#shared/item-lists/port.ts';
import { TaskNoLongerWaiting } from '#shared/workflows/port.ts';
import { orderFulfillment } from '#workflows/order-fulfillment.ts';
import type { WorkflowDefinition, WorkflowTask } from '#workflows/workflow.ts';
import { awaitAnswer, distributedMap, retryAndWait } from '../fixtures/workflows/definitions.ts';
import { eventually } from '../support/eventually.ts';

/** 5 ms per workflow second: a day's wait lasts 7.2 minutes, so it stays pending through a test. */
const msPerSecond = 5;
const aDay = 86_400;

interface Delivery {
  readonly orderId: string;
  readonly taskToken: string;
  readonly deadline: string;
}

let runners: WorkflowRunner[] = [];
afterEach(async () => {
  await Promise.all(runners.map((runner) => runner.stop()));
  runners = [];
});

async function runnerOf(
  workflow: WorkflowDefinition,
  invoke: (task: WorkflowTask, payload: unknown) => Promise<unknown>,
) {
  const runner = await WorkflowRunner.create({ workflow, msPerSecond, invoke });
  runners.push(runner);
  return runner;
}

/** The await-answer machine; its handler records each delivery, then runs `onDelivery`. */
async function answering(onDelivery?: (delivery: Delivery, runner: WorkflowRunner) => Promise<void>) {
  const deliveries: Delivery[] = [];
  const runner: WorkflowRunner = await runnerOf(awaitAnswer, async (_task, payload) => {
    deliveries.push(payload as Delivery);
    await onDelivery?.(payload as Delivery, runner);
  });
  const delivered = () =>
    eventually(async () => deliveries[0] ?? Promise.reject(new Error('nothing delivered yet')), 2_000, 5);
  return { runner, deliveries, delivered };
}

const activeTimers = () =>
  process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length;

describe('the local workflow runner, on aws-local-stepfunctions', () => {
  it('hands a callback handler its Payload with a fresh token and deadline, and resumes on sendTaskSuccess', async () => {
    const { runner, delivered } = await answering();
    const startedAt = Date.now();
    await runner.start('o-1', { orderId: 'o-1', timeoutSeconds: 3_600 });

    const delivery = await delivered();
    expect(delivery).toEqual({
      orderId: 'o-1',
      taskToken: expect.stringMatching(/^local:/),
      deadline: expect.any(String),
    });
    const expectedDeadline = startedAt + 3_600 * msPerSecond;
    expect(Date.parse(delivery.deadline)).toBeGreaterThanOrEqual(expectedDeadline);
    expect(Date.parse(delivery.deadline)).toBeLessThan(expectedDeadline + 1_000);

    await runner.sendTaskSuccess(delivery.taskToken, { accepted: true });
    await expect(runner.settled('o-1')).resolves.toEqual({
      status: 'succeeded',
      output: { orderId: 'o-1', timeoutSeconds: 3_600, answer: { accepted: true }, outcome: 'answered' },
    });
  });

  it('fails the task on sendTaskFailure, and Catch matches the error name', async () => {
    const { runner, delivered } = await answering();
    await runner.start('o-2', { orderId: 'o-2', timeoutSeconds: aDay });

    await runner.sendTaskFailure((await delivered()).taskToken, 'Rejected', 'out of stock');
    await expect(runner.settled('o-2')).resolves.toMatchObject({
      status: 'succeeded',
      output: { outcome: 'rejected', error: { Error: 'Rejected', Cause: 'out of stock' } },
    });
  });

  it('times a callback out on the scaled clock, takes the States.Timeout catcher and spends the token', async () => {
    const { runner, delivered } = await answering();
    const startedAt = Date.now();
    await runner.start('o-3', { orderId: 'o-3', timeoutSeconds: 20 });

    await expect(runner.settled('o-3')).resolves.toMatchObject({
      output: { outcome: 'timed-out', error: { Error: 'States.Timeout' } },
    });
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(20 * msPerSecond - 1);
    await expect(runner.sendTaskSuccess((await delivered()).taskToken, {})).rejects.toBeInstanceOf(
      TaskNoLongerWaiting,
    );
  });

  it('ends the first wait at firstWaitEndsAt: an instant in the past times out at once', async () => {
    const { runner, delivered } = await answering();
    const passed = new Date(Date.now() - 60_000).toISOString();
    await runner.start('o-4', { orderId: 'o-4', timeoutSeconds: aDay }, { firstWaitEndsAt: passed });

    await expect(runner.settled('o-4')).resolves.toMatchObject({ output: { outcome: 'timed-out' } });
    expect((await delivered()).deadline).toBe(passed);
  });

  it('keeps a wait longer than setTimeout can time pending, instead of timing it out at once', async () => {
    const { runner, delivered } = await answering();
    const inThirtyDays = new Date(Date.now() + 30 * aDay * 1_000).toISOString();
    await runner.start(
      'o-long',
      { orderId: 'o-long', timeoutSeconds: aDay },
      { firstWaitEndsAt: inThirtyDays },
    );

    expect((await delivered()).deadline).toBe(inThirtyDays);
    const outcome = await Promise.race([runner.settled('o-long'), sleep(100).then(() => 'pending')]);
    expect(outcome).toBe('pending');
  });

  it('answers TaskNoLongerWaiting for a token resumed already, or never issued', async () => {
    const { runner, delivered } = await answering();
    await runner.start('o-5', { orderId: 'o-5', timeoutSeconds: aDay });
    const { taskToken } = await delivered();

    await runner.sendTaskSuccess(taskToken, { first: true });
    await expect(runner.sendTaskSuccess(taskToken, { second: true })).rejects.toBeInstanceOf(
      TaskNoLongerWaiting,
    );
    await expect(runner.sendTaskFailure('local:unknown', 'Rejected', '')).rejects.toBeInstanceOf(
      TaskNoLongerWaiting,
    );
    await expect(runner.settled('o-5')).resolves.toMatchObject({ output: { answer: { first: true } } });
  });

  it('starts an execution of a given name once', async () => {
    const { runner, deliveries, delivered } = await answering();
    await runner.start('o-6', { orderId: 'o-6', timeoutSeconds: aDay });
    await runner.start('o-6', { orderId: 'o-6-again', timeoutSeconds: aDay });

    await runner.sendTaskSuccess((await delivered()).taskToken, {});
    await runner.settled('o-6');
    expect(deliveries.map((delivery) => delivery.orderId)).toEqual(['o-6']);
  });

  it('lets a handler resume its own token before it returns', async () => {
    const { runner } = await answering((delivery, self) =>
      self.sendTaskSuccess(delivery.taskToken, { early: true }),
    );
    await runner.start('o-7', { orderId: 'o-7', timeoutSeconds: aDay });

    await expect(runner.settled('o-7')).resolves.toMatchObject({ output: { answer: { early: true } } });
  });

  it('fails the task with the error a callback handler throws, keeping its name', async () => {
    const { runner } = await answering(async () => {
      throw Object.assign(new Error('no such order'), { name: 'Rejected' });
    });
    await runner.start('o-8', { orderId: 'o-8', timeoutSeconds: aDay });

    await expect(runner.settled('o-8')).resolves.toMatchObject({
      output: { outcome: 'rejected', error: { Error: 'Rejected', Cause: 'no such order' } },
    });
  });

  it('stop() aborts a waiting execution and forgets its token and timers', async () => {
    const timersBefore = activeTimers();
    const { runner, delivered } = await answering();
    await runner.start('o-9', { orderId: 'o-9', timeoutSeconds: aDay });
    const { taskToken } = await delivered();

    await runner.stop();
    await expect(runner.settled('o-9')).resolves.toEqual({ status: 'aborted' });
    await expect(runner.sendTaskSuccess(taskToken, {})).rejects.toBeInstanceOf(TaskNoLongerWaiting);
    await expect(runner.start('o-10', { orderId: 'o-10', timeoutSeconds: aDay })).rejects.toThrow(/stopped/);
    expect(activeTimers()).toBeLessThanOrEqual(timersBefore);
  });

  it('stop() settles a function still running, so the engine drops its task timer', async () => {
    const timersBefore = activeTimers();
    let invoked = false;
    const runner = await runnerOf(retryAndWait, () => {
      invoked = true;
      return new Promise(() => undefined);
    });
    await runner.start('hangs', {});
    await eventually(async () => expect(invoked).toBe(true), 2_000, 5);

    await runner.stop();
    await expect(runner.settled('hangs')).resolves.toEqual({ status: 'aborted' });
    expect(activeTimers()).toBeLessThanOrEqual(timersBefore);
  });

  it('scales Retry intervals and Wait states, and returns lambda:invoke results as { Payload, StatusCode }', async () => {
    let attempts = 0;
    const runner = await runnerOf(retryAndWait, async (task, payload) => {
      if (task.handler === 'fixtures/report') return { reported: payload };
      attempts += 1;
      if (attempts < 3) throw Object.assign(new Error('try later'), { name: 'Unavailable' });
      return { stock: 3 };
    });
    const startedAt = Date.now();
    await runner.start('flaky', {});

    await expect(runner.settled('flaky')).resolves.toEqual({
      status: 'succeeded',
      output: { flaky: { stock: 3 }, report: { report: { reported: { flaky: { stock: 3 } } }, status: 200 } },
    });
    expect(attempts).toBe(3);
    const elapsed = Date.now() - startedAt;
    expect(elapsed).toBeGreaterThanOrEqual(3 * 10 * msPerSecond - 1);
    expect(elapsed).toBeLessThan(3_000);
  });

  it('reports a failed execution with the error and cause of the state that failed it', async () => {
    const runner = await runnerOf(retryAndWait, async () => {
      throw Object.assign(new Error('card declined'), { name: 'PaymentDeclined' });
    });
    await runner.start('declined', {});

    await expect(runner.settled('declined')).resolves.toEqual({
      status: 'failed',
      error: 'PaymentDeclined',
      cause: 'card declined',
    });
  });
});

describe('the order-fulfillment ASL, prepared for the local engine', () => {
  it('passes the engine’s default validation, with Lambda ARNs and timeouts the engine can keep', async () => {
    const asl: unknown = JSON.parse(await readFile(orderFulfillment.definitionFile, 'utf8'));
    const { definition, tasks } = prepareLocalDefinition(asl, orderFulfillment, 1_000);
    expect(() => new StateMachine(definition)).not.toThrow();
    expect(JSON.stringify(definition)).not.toContain('${');
    expect(definition.States.AwaitStep).toMatchObject({
      TimeoutSeconds: 2_147_483,
      Parameters: { '__timeoutSeconds.$': '$.transition.timeoutSeconds' },
    });
    expect(definition.States.AwaitStep).not.toHaveProperty('TimeoutSecondsPath');
    expect(definition.States.CompleteOrder).toMatchObject({
      Resource: 'arn:aws:lambda:us-east-1:000000000000:function:CompleteOrder',
      TimeoutSeconds: 60,
    });
    expect(
      Object.fromEntries(Object.entries(tasks).map(([state, task]) => [state, task.invocation])),
    ).toEqual({
      AwaitPayment: 'callback',
      AwaitStep: 'callback',
      AwaitCapture: 'callback',
      ResolveTimeout: 'direct',
      CompleteOrder: 'direct',
      CancelOrder: 'direct',
    });
    // As CDK sets the functions' timeouts: the state's for a function the state waits for, else 10 s.
    expect(tasks.CompleteOrder?.functionTimeoutSeconds).toBe(60);
    expect(tasks.AwaitStep?.functionTimeoutSeconds).toBe(10);
  });
});

/** Item lists kept in memory: what matters here is how the runner reads them, not where they are. */
function itemListsInMemory(): ItemLists {
  const lists = new Map<string, unknown[]>();
  return {
    async write(key, items) {
      lists.set(key, [...items]);
      return { bucket: 'item-lists', key };
    },
    async read({ key }) {
      const items = lists.get(key);
      if (!items) throw new Error(`No item list ${key}`);
      return items;
    },
  };
}

describe('a Distributed Map, run locally', () => {
  it('reads its items from the item list and runs them inline, at most MaxConcurrencyPath at once', async () => {
    const itemLists = itemListsInMemory();
    const list = await itemLists.write('runs/r-1.json', ['a', 'b', 'c', 'd', 'e']);
    const seen: unknown[] = [];
    let running = 0;
    let mostAtOnce = 0;
    const runner = await WorkflowRunner.create({
      workflow: distributedMap,
      itemLists,
      invoke: async (_task, payload) => {
        running += 1;
        mostAtOnce = Math.max(mostAtOnce, running);
        await sleep(10);
        seen.push(payload);
        running -= 1;
      },
    });
    runners.push(runner);
    await runner.start('r-1', { skip: false, list, batch: 'b-7', concurrency: 2 });
    expect(await runner.settled('r-1')).toMatchObject({ status: 'succeeded' });
    expect(seen).toHaveLength(5);
    expect(seen).toEqual(
      expect.arrayContaining(['a', 'b', 'c', 'd', 'e'].map((item) => ({ batch: 'b-7', item }))),
    );
    expect(mostAtOnce).toBe(2);
  });

  it('goes on past failed items when the Map tolerates every failure, and fails on the first otherwise', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'item-lists-'));
    try {
      const itemLists = itemListsInMemory();
      const list = await itemLists.write('runs/r-2.json', ['a', 'bad', 'c']);
      const asl = JSON.parse(await readFile(distributedMap.definitionFile, 'utf8'));
      asl.States.Visit.ToleratedFailurePercentage = 100;
      const tolerantFile = join(directory, 'tolerant.asl.json');
      await writeFile(tolerantFile, JSON.stringify(asl));
      const seen: string[] = [];
      const invoke = async (_task: WorkflowTask, payload: unknown) => {
        const { item } = payload as { item: string };
        if (item === 'bad') throw new Error('this item fails');
        seen.push(item);
      };
      const tolerant = await WorkflowRunner.create({
        workflow: { ...distributedMap, definitionFile: tolerantFile },
        itemLists,
        invoke,
      });
      const strict = await WorkflowRunner.create({ workflow: distributedMap, itemLists, invoke });
      runners.push(tolerant, strict);
      await tolerant.start('r-2', { skip: false, list, batch: 'b-8', concurrency: 1 });
      expect(await tolerant.settled('r-2')).toMatchObject({ status: 'succeeded' });
      expect(seen).toEqual(['a', 'c']);
      await strict.start('r-3', { skip: false, list, batch: 'b-9', concurrency: 1 });
      expect(await strict.settled('r-3')).toMatchObject({ status: 'failed', cause: 'this item fails' });
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('keeps the file the ASL deploys as it is, and refuses to run without item lists', async () => {
    const asl = JSON.parse(await readFile(distributedMap.definitionFile, 'utf8'));
    const local = prepareLocalDefinition(structuredClone(asl), distributedMap, 1000);
    expect(local.itemReaders).toEqual(['VisitItemReader']);
    const states = (local.definition as unknown as { States: Record<string, Record<string, unknown>> })
      .States;
    expect(states.Prepare?.Next).toBe('VisitItemReader');
    expect(states.Visit).not.toHaveProperty('ItemReader');
    expect(states.Visit).not.toHaveProperty('ToleratedFailurePercentage');
    expect(asl.States.Visit.ItemReader).toBeDefined();
    await expect(
      WorkflowRunner.create({ workflow: distributedMap, invoke: async () => undefined }),
    ).rejects.toThrow(/item lists/);
  });
});
