import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TestApi } from '../support/api.ts';
import { eventually } from '../support/eventually.ts';
import { newStackPlace, type StackPlace } from '../support/orders.ts';
import { eurBalanceOf, runOf, sellerWithEarnings, startRun } from '../support/payouts.ts';
import { stripeClientOf } from '../support/stripe.ts';

const scratch = mkdtempSync(join(tmpdir(), 'marketplace-payout-restart-'));
let place: StackPlace;
let api: TestApi;

const startApi = () =>
  TestApi.start({ ...place, operatorSettings: { PAYOUT_MINIMUM_AMOUNT: '1000', PAYOUT_CONCURRENCY: '2' } });

beforeAll(async () => {
  place = await newStackPlace(join(scratch, 'data'));
  api = await startApi();
});
afterAll(async () => {
  await api?.stop();
  await place?.paymentSimulator.stop();
  rmSync(scratch, { recursive: true, force: true });
});

it('resumes a run stopped in the middle of its Map after a restart, paying each seller once', async () => {
  const buyer = await api.token('restart-buyer', 'buyer');
  const finance = await api.token('restart-finance', 'finance');
  const sellers = await Promise.all(
    [2000, 2100, 2200, 2300, 2400, 2500].map((price) => sellerWithEarnings(api, buyer, price)),
  );
  const simulator = place.paymentSimulator;
  // Slow Stripe calls keep the Map running long enough to stop the stack in its middle.
  simulator.setLatency(400);
  // A transfer Stripe makes but whose answer is lost: its line is left transferring while PaySeller waits to retry.
  simulator.loseNextResponses(1, 'POST /v1/transfers');
  const started = await startRun(api, finance, { currency: 'EUR' });
  expect(started.status).toBe(201);
  const { runId } = started.body;
  const midway = await eventually(async () => {
    const run = await runOf(api, finance, runId);
    expect(run.progress.paid).toBeGreaterThanOrEqual(2);
    return run;
  }, 30_000);
  // Stripe calls now outlast the stop: the transfers in flight are made, their answers come too late.
  simulator.setLatency(5000);
  await api.stop();
  const unfinished = midway.lines.items.filter(
    (line: { status: string }) => !['paid', 'failed'].includes(line.status),
  );
  expect(unfinished.length, 'lines left unpaid when the stack stopped').toBeGreaterThan(0);

  simulator.setLatency(0);
  api = await startApi();
  const run = await eventually(async () => {
    const current = await runOf(api, finance, runId);
    expect(current.status).toBe('completed');
    return current;
  }, 60_000);
  expect(run).toMatchObject({ progress: { paid: sellers.length, failed: 0 } });
  const stripe = stripeClientOf(simulator);
  for (const seller of sellers) {
    const transfers = await stripe.transfers.list({ destination: seller.stripeAccountId });
    expect(
      transfers.data.map((transfer) => transfer.amount),
      seller.sellerId,
    ).toEqual([seller.available]);
    expect(await eurBalanceOf(api, seller.token)).toMatchObject({ available: 0, paidOut: seller.available });
  }
}, 180_000);
