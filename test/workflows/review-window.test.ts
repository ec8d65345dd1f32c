import { afterEach, describe, expect, it } from 'vitest';
import { WorkflowRunner } from '#infra/local/workflow-runner.ts';
import { reviewWindow } from '#workflows/review-window.ts';

/**
 * The real review-window ASL with a scripted CloseReviewWindow: the window closes when its time
 * comes, not before, and a close that fails is retried.
 */

let runners: WorkflowRunner[] = [];
afterEach(async () => {
  await Promise.all(runners.map((runner) => runner.stop()));
  runners = [];
});

async function run(closesAt: Date, close: (attempt: number) => Promise<unknown>) {
  const closes: { at: number; input: unknown }[] = [];
  const runner = await WorkflowRunner.create({
    workflow: reviewWindow,
    // Retry intervals of seconds last milliseconds; the wait is until a time, on the real clock.
    msPerSecond: 1,
    invoke: (_task, payload) => {
      closes.push({ at: Date.now(), input: payload });
      return close(closes.length);
    },
  });
  runners.push(runner);
  await runner.start('order-1', { orderId: 'order-1', closesAt: closesAt.toISOString() });
  return { outcome: await runner.settled('order-1'), closes };
}

describe('the review-window state machine', () => {
  it('closes the window once its time has come, with the order it is of', async () => {
    const closesAt = new Date(Date.now() + 300);
    const { outcome, closes } = await run(closesAt, async () => ({}));
    expect(outcome.status).toBe('succeeded');
    expect(closes).toHaveLength(1);
    expect(closes[0]?.input).toEqual({
      orderId: 'order-1',
      executionInput: { orderId: 'order-1', closesAt: closesAt.toISOString() },
    });
    expect(closes[0]?.at).toBeGreaterThanOrEqual(closesAt.getTime());
  });

  it('closes at once a window whose time passed while nothing ran', async () => {
    const { outcome, closes } = await run(new Date(Date.now() - 60_000), async () => ({}));
    expect(outcome.status).toBe('succeeded');
    expect(closes).toHaveLength(1);
  });

  it('retries a close that fails, and fails the execution for the alarm when it keeps failing', async () => {
    const flaky = await run(new Date(), async (attempt) => {
      if (attempt < 3) throw new Error('DynamoDB unavailable');
      return {};
    });
    expect(flaky.outcome.status).toBe('succeeded');
    expect(flaky.closes).toHaveLength(3);

    const broken = await run(new Date(), async () => {
      throw new Error('DynamoDB unavailable');
    });
    expect(broken.outcome.status).toBe('failed');
    // The first attempt and the eight retries the ASL allows.
    expect(broken.closes).toHaveLength(9);
  });
});
