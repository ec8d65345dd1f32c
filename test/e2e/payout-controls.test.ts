import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PayoutRunStore } from '#shared/store/payout-runs/payout-run-store.ts';
import type { TestApi } from '../support/api.ts';
import { eventually } from '../support/eventually.ts';
import { approvalThreshold, lineOf, PayoutTestBed } from '../support/payout-bed.ts';
import { aDayPasses, holdReleasesOf, runOf, settledRun } from '../support/payouts.ts';

/**
 * What one finance user cannot do alone (docs/design/payout-controls.md): pay past the threshold by
 * splitting a payout, decide a run that pays them, release a hold on themselves or without a
 * reason, or let a stale wait expire a run.
 */

const bed = new PayoutTestBed();
const { earning, transfersTo, startedRun: started, awaitingApproval, decide, decidedWhenReady } = bed;
let api: TestApi;
let runStore: PayoutRunStore;
let ann: string;
let bob: string;

beforeAll(async () => {
  ({ api, runStore, ann, bob } = await bed.start());
});
afterAll(() => bed.stop());
// Each test starts with no run counted against the approval threshold, as if a day had passed.
beforeEach(() => aDayPasses('EUR'));
afterEach(() => bed.expectLedgerAgreesWithReports());

describe('Approval by a payee', () => {
  it('is refused to a finance user the run would pay, who is told why', async () => {
    const [payee] = await earning(12_000);
    if (!payee) throw new Error('no seller');
    const payeeInFinance = await api.token(payee.sellerId, 'finance', 'seller');
    const runId = await started({ currency: 'EUR' });
    await awaitingApproval(runId);
    const refused = await eventually(async () => {
      const answer = await decide(runId, payeeInFinance, { decision: 'approve' });
      expect(answer.status, JSON.stringify(answer.body)).toBe(403);
      return answer;
    });
    expect(refused.headers.get('content-type')).toMatch(/problem\+json/);
    expect(refused.body).toMatchObject({ code: 'approval_by_payee' });
    expect(refused.body.detail).toMatch(/paid by this run/);
    const rejectedByPayee = await decide(runId, payeeInFinance, { decision: 'reject', reason: 'Mine' });
    expect(rejectedByPayee.body.code).toBe('approval_by_payee');
    expect(await runOf(api, ann, runId)).toMatchObject({ status: 'awaiting-approval' });

    await decidedWhenReady(runId, bob, { decision: 'approve' });
    const run = await settledRun(api, ann, runId);
    expect(lineOf(run, payee)).toMatchObject({ status: 'paid', amount: payee.available });
  });
});

describe('Releasing a payout hold', () => {
  it('takes a reason, is refused to the held seller, and records who released it, when and why', async () => {
    const [held] = await earning(2000);
    if (!held) throw new Error('no seller');
    const holdPath = `/sellers/${held.sellerId}/payout-hold`;
    const heldInFinance = await api.token(held.sellerId, 'finance', 'seller');
    const placed = await api.call('PUT', holdPath, { token: ann, body: { reason: 'KYC review' } });
    expect(placed.status).toBe(200);

    const invalid = await Promise.all([
      api.call('DELETE', holdPath, { token: bob }),
      api.call('DELETE', holdPath, { token: bob, body: { reason: 'x'.repeat(501) } }),
      api.call('DELETE', holdPath, { token: bob, body: { reason: 'ok', by: 'someone-else' } }),
    ]);
    expect(invalid.map((answer) => answer.status)).toEqual([400, 400, 400]);
    expect(
      invalid.map((answer) => answer.body.errors.map((error: { field: string }) => error.field)),
    ).toEqual([['body'], ['body.reason'], ['body.by']]);
    const own = await api.call('DELETE', holdPath, { token: heldInFinance, body: { reason: 'All good' } });
    expect(own.status).toBe(403);
    expect(own.headers.get('content-type')).toMatch(/problem\+json/);
    expect(own.body.code).toBe('hold_release_by_held_seller');
    const stillHeld = await settledRun(api, ann, await started({ currency: 'EUR', dryRun: true }));
    expect(lineOf(stillHeld, held)).toMatchObject({ status: 'skipped', skipReason: 'payout_hold' });

    const released = await api.call('DELETE', holdPath, {
      token: bob,
      body: { reason: 'Documents checked' },
    });
    expect(released.status, JSON.stringify(released.body)).toBe(200);
    expect(released.body).toEqual({
      sellerId: held.sellerId,
      reason: 'KYC review',
      by: 'fin-ann',
      since: placed.body.since,
      released: { by: 'fin-bob', at: expect.any(String), reason: 'Documents checked' },
    });
    expect(Date.parse(released.body.released.at)).toBeGreaterThanOrEqual(Date.parse(placed.body.since));
    expect(await holdReleasesOf(held.sellerId)).toEqual([released.body]);
    const again = await api.call('DELETE', holdPath, { token: bob, body: { reason: 'Twice' } });
    expect(again.status).toBe(404);
    expect(again.body.code).toBe('payout_hold_not_found');

    const paying = await settledRun(api, ann, await started({ currency: 'EUR' }));
    expect(lineOf(paying, held)).toMatchObject({ status: 'paid', amount: held.available });
  });
});

describe("A suspended seller's payouts", () => {
  it('are held while the suspension lasts, with the run line skipped, and paid once reinstated', async () => {
    const [suspended] = await earning(2000);
    if (!suspended) throw new Error('no seller');
    const admin = await api.token('pc-admin', 'admin');
    const path = `/admin/users/${suspended.sellerId}/suspension`;
    expect((await api.call('PUT', path, { token: admin, body: { reason: 'Fraud' } })).status).toBe(201);

    const held = await settledRun(api, ann, await started({ currency: 'EUR', dryRun: true }));
    expect(lineOf(held, suspended)).toMatchObject({ status: 'skipped', skipReason: 'payout_hold' });

    expect((await api.call('DELETE', path, { token: admin, body: { reason: 'Cleared' } })).status).toBe(200);
    const paying = await settledRun(api, ann, await started({ currency: 'EUR' }));
    expect(lineOf(paying, suspended)).toMatchObject({ status: 'paid', amount: suspended.available });
  });
});

describe('Resuming a run that waits for approval', () => {
  /** The run's wait is registered: its task token and deadline are stored. */
  const waitRegistered = (runId: string) =>
    eventually(async () => {
      const run = await runStore.require(runId);
      expect(run.approvalToken).toBeDefined();
      return run;
    });

  it('is refused while the wait runs, and changes nothing', async () => {
    const [seller] = await earning(12_000);
    if (!seller) throw new Error('no seller');
    const runId = await started({ currency: 'EUR' });
    const waiting = await waitRegistered(runId);
    const resumed = await api.call('POST', `/payout-runs/${runId}/resume`, { token: bob });
    expect(resumed.status, JSON.stringify(resumed.body)).toBe(409);
    expect(resumed.headers.get('content-type')).toMatch(/problem\+json/);
    expect(resumed.body.code).toBe('payout_run_awaiting_approval');
    expect(resumed.body.detail).toContain(String(waiting.approval?.deadline));
    expect((await runStore.require(runId)).approvalToken).toBe(waiting.approvalToken);

    await decidedWhenReady(runId, bob, { decision: 'approve' });
    const run = await settledRun(api, ann, runId);
    expect(lineOf(run, seller)).toMatchObject({ status: 'paid', amount: seller.available });
  });

  it('never lets a superseded wait expire the run another execution now waits for', async () => {
    const [seller] = await earning(12_000);
    if (!seller) throw new Error('no seller');
    const runId = await started({ currency: 'EUR' });
    const first = await waitRegistered(runId);
    // Started a while later, the second wait outlasts the first by as long.
    await new Promise((resolve) => setTimeout(resolve, 3500));
    const second = `${runId}-second`;
    await api.stack.payoutWorkflows.start(second, { runId });
    await eventually(async () =>
      expect((await runStore.require(runId)).approvalToken).not.toBe(first.approvalToken),
    );

    expect(await api.stack.payoutWorkflows.settled(runId)).toMatchObject({ status: 'succeeded' });
    expect(await runOf(api, ann, runId), 'after the first wait timed out').toMatchObject({
      status: 'awaiting-approval',
    });
    await decidedWhenReady(runId, bob, { decision: 'approve' });
    expect(await api.stack.payoutWorkflows.settled(second)).toMatchObject({ status: 'succeeded' });
    const run = await runOf(api, ann, runId);
    expect(run).toMatchObject({ status: 'completed', progress: { paid: 1 } });
    expect(lineOf(run, seller)).toMatchObject({ status: 'paid', amount: seller.available });
    expect(await transfersTo(seller)).toHaveLength(1);
  }, 40_000);
});

describe('The approval threshold', () => {
  it('counts what the runs of the currency started in the last 24 hours paid, whatever their size', async () => {
    const [first] = await earning(8000);
    if (!first) throw new Error('no seller');
    const firstRun = await settledRun(api, ann, await started({ currency: 'EUR' }));
    expect(firstRun).toMatchObject({ status: 'completed', approval: { required: false, recentTotal: 0 } });

    // Alone under the threshold, over it with what the first run paid.
    const [second] = await earning(4000);
    if (!second) throw new Error('no seller');
    expect(second.available).toBeLessThan(approvalThreshold);
    expect(first.available + second.available).toBeGreaterThan(approvalThreshold);
    const dry = await settledRun(api, ann, await started({ currency: 'EUR', dryRun: true }));
    expect(dry).toMatchObject({ status: 'completed', approval: { required: false } });
    const secondId = await started({ currency: 'EUR' });
    const waiting = await awaitingApproval(secondId);
    expect(waiting.approval).toMatchObject({ required: true, recentTotal: first.available });
    await decidedWhenReady(secondId, bob, { decision: 'reject', reason: 'Split payout' });
    await settledRun(api, ann, secondId);

    // A rejected run paid nothing and counts for nothing; a dry run never counts.
    const thirdId = await started({ currency: 'EUR' });
    const third = await awaitingApproval(thirdId);
    expect(third.approval).toMatchObject({ required: true, recentTotal: first.available });
    await decidedWhenReady(thirdId, bob, { decision: 'approve' });
    expect(lineOf(await settledRun(api, ann, thirdId), second)).toMatchObject({ status: 'paid' });

    await aDayPasses('EUR');
    const [later] = await earning(2000);
    if (!later) throw new Error('no seller');
    const laterRun = await settledRun(api, ann, await started({ currency: 'EUR' }));
    expect(laterRun).toMatchObject({ status: 'completed', approval: { required: false, recentTotal: 0 } });
  }, 60_000);
});
