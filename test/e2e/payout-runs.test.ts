import { randomUUID } from 'node:crypto';
import type Stripe from 'stripe';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PaymentSimulator } from '#infra/local/payment-simulator/index.ts';
import type { TestApi } from '../support/api.ts';
import { eventually } from '../support/eventually.ts';
import { lineOf, PayoutTestBed } from '../support/payout-bed.ts';
import { aDayPasses, capturedSale, eurBalanceOf, runOf, settledRun, startRun } from '../support/payouts.ts';

const bed = new PayoutTestBed();
const {
  earning,
  transfersTo,
  startedRun: started,
  awaitingApproval,
  decide,
  decidedWhenReady,
  reportOf,
  sellers,
} = bed;
let api: TestApi;
let simulator: PaymentSimulator;
let stripe: Stripe;
let ann: string;
let bob: string;
let buyer: string;
let admin: string;

beforeAll(async () => {
  ({ api, simulator, stripe, ann, bob, buyer, admin } = await bed.start());
});
afterAll(() => bed.stop());
// Each test starts with no run counted against the approval threshold, as if a day had passed.
beforeEach(() => aDayPasses('EUR'));
afterEach(() => bed.expectLedgerAgreesWithReports());

describe('Starting a payout run', () => {
  it('is for finance only, takes no future cutoff and names what is wrong', async () => {
    const seller = await api.token('payout-curious-seller', 'seller');
    expect((await startRun(api, seller, { currency: 'EUR' })).status).toBe(403);
    const future = await startRun(api, ann, { currency: 'EUR', cutoff: '2999-01-01T00:00:00.000Z' });
    expect(future.status).toBe(422);
    expect(future.body.code).toBe('cutoff_in_future');
    const bad = await startRun(api, ann, { currency: 'euro', dryRun: 'yes' });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toMatch(/problem\+json/);
    const runs = await api.call('GET', '/payout-runs', { token: ann });
    expect(runs.body.items).toEqual([]);
  });
});

describe('A dry run', () => {
  it('selects and reports who would be paid without moving money', async () => {
    const [seller] = await earning(3000);
    if (!seller) throw new Error('no seller');
    const runId = await started({ currency: 'EUR', dryRun: true });
    const run = await settledRun(api, ann, runId);
    expect(run).toMatchObject({
      status: 'completed',
      dryRun: true,
      selection: { eligibleCount: 1, eligibleAmount: seller.available },
      progress: { total: 1, done: 0 },
    });
    expect(lineOf(run, seller)).toMatchObject({ status: 'planned', plannedAmount: seller.available });
    expect(await transfersTo(seller)).toEqual([]);
    expect(await eurBalanceOf(api, seller.token)).toMatchObject({ available: seller.available, paidOut: 0 });
    const payouts = await api.call('GET', '/sellers/me/payouts', { token: seller.token });
    expect(payouts.body.items, 'a dry run is not a payout').toEqual([]);
  });
});

describe('A payout run', () => {
  it('pays every eligible seller once, and the report shows it', async () => {
    // The dry run's seller has 2700 available and is paid with these.
    const fresh = await earning(4999, 2500);
    const runId = await started({ currency: 'EUR' });
    const run = await settledRun(api, ann, runId);
    expect(run).toMatchObject({ status: 'completed', progress: { failed: 0, skipped: 0 } });
    expect(run.progress.paid).toBe(run.selection.eligibleCount);
    for (const seller of fresh) {
      expect(lineOf(run, seller)).toMatchObject({ status: 'paid', amount: seller.available });
      const transfers = await transfersTo(seller);
      expect(transfers.map((transfer) => transfer.amount)).toEqual([seller.available]);
      expect(transfers[0]?.transfer_group).toBe(`payout-run:${runId}`);
      expect(await eurBalanceOf(api, seller.token)).toMatchObject({
        available: 0,
        paidOut: seller.available,
      });
      const payouts = await api.call('GET', '/sellers/me/payouts', { token: seller.token });
      expect(payouts.body.items).toEqual([
        expect.objectContaining({
          runId,
          status: 'paid',
          amount: seller.available,
          transferId: transfers[0]?.id,
        }),
      ]);
    }
    const report = await reportOf(runId);
    expect(report.map((row) => row.status)).toEqual(run.lines.items.map(() => 'paid'));
    expect(report.reduce((sum, row) => sum + Number(row.amount_paid), 0)).toBe(run.progress.paidAmount);
  });

  it('holds back sellers on hold, under dispute or without payouts, and says why', async () => {
    const [held, disputed, disabled, paid] = await earning(3000, 3000, 3000, 3000);
    if (!held || !disputed || !disabled || !paid) throw new Error('sellers missing');
    const hold = await api.call('PUT', `/sellers/${held.sellerId}/payout-hold`, {
      token: ann,
      body: { reason: 'KYC review' },
    });
    expect(hold.status).toBe(200);
    expect(hold.body).toMatchObject({ reason: 'KYC review', by: 'fin-ann' });
    // A second sale, captured but not completed, goes under dispute: its money is frozen.
    const { paymentId } = await capturedSale(api, disputed, buyer, 1500);
    simulator.openDispute(paymentId);
    await eventually(async () => expect((await eurBalanceOf(api, disputed.token)).frozen).toBeGreaterThan(0));
    simulator.rejectOnboarding(disabled.stripeAccountId);
    await eventually(async () => {
      const account = await api.call('GET', '/sellers/me/payments-account', { token: disabled.token });
      expect(account.body.payoutsEnabled).toBe(false);
    });

    const run = await settledRun(api, ann, await started({ currency: 'EUR' }));
    expect(run.selection).toMatchObject({
      eligibleCount: 1,
      skipped: { payout_hold: 1, funds_frozen: 1, payouts_disabled: 1 },
    });
    expect(lineOf(run, held)).toMatchObject({ status: 'skipped', skipReason: 'payout_hold' });
    expect(lineOf(run, disabled)).toMatchObject({ status: 'skipped', skipReason: 'payouts_disabled' });
    expect(lineOf(run, paid)).toMatchObject({ status: 'paid' });
    expect(await transfersTo(held)).toEqual([]);

    const released = await api.call('DELETE', `/sellers/${held.sellerId}/payout-hold`, {
      token: ann,
      body: { reason: 'KYC review passed' },
    });
    expect(released.status).toBe(200);
    const next = await settledRun(api, ann, await started({ currency: 'EUR' }));
    expect(lineOf(next, held)).toMatchObject({ status: 'paid', amount: held.available });
    // Four sellers, a dispute and two runs: past the default 20 s on a loaded machine.
  }, 40_000);

  it('pays only what became available before its cutoff', async () => {
    const [before] = await earning(2000);
    const cutoff = new Date().toISOString();
    const [after] = await earning(2000);
    if (!before || !after) throw new Error('sellers missing');
    const run = await settledRun(api, ann, await started({ currency: 'EUR', cutoff, dryRun: true }));
    expect(lineOf(run, before)).toMatchObject({ status: 'planned' });
    expect(lineOf(run, after), 'earned after the cutoff').toBeUndefined();
    expect(run.selection.skipped.below_minimum).toBeGreaterThanOrEqual(1);
    // Paid by the next run without a cutoff.
    const paying = await settledRun(api, ann, await started({ currency: 'EUR' }));
    expect(paying.progress.paid).toBe(2);
  });
});

describe('Starting the same run twice', () => {
  it('answers the first response, and one run per currency moves money at a time', async () => {
    const [seller] = await earning(2000);
    if (!seller) throw new Error('no seller');
    const key = randomUUID();
    const attempts = await Promise.all([1, 2, 3].map(() => startRun(api, ann, { currency: 'EUR' }, key)));
    const runIds = new Set(attempts.map((attempt) => attempt.body.runId));
    expect(runIds.size).toBe(1);
    expect(attempts.map((attempt) => attempt.status)).toEqual([201, 201, 201]);
    const [runId] = runIds;
    const other = await startRun(api, bob, { currency: 'EUR' });
    expect(other.status).toBe(409);
    expect(other.body.code).toBe('payout_run_in_progress');
    const reused = await startRun(api, ann, { currency: 'EUR', dryRun: true }, key);
    expect(reused.status).toBe(422);
    const run = await settledRun(api, ann, String(runId));
    expect(lineOf(run, seller)).toMatchObject({ status: 'paid' });
    // Replayed as first answered, long after the run completed; the run itself is read with GET.
    const again = await startRun(api, ann, { currency: 'EUR' }, key);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(attempts.find((attempt) => !attempt.headers.get('idempotent-replayed'))?.body);
    expect((await api.call('GET', `/payout-runs/${runId}`, { token: ann })).body.status).toBe('completed');
    expect(await transfersTo(seller)).toHaveLength(1);
    const newest = await api.call('GET', '/payout-runs?limit=1', { token: ann });
    expect(newest.body.items.map((item: { runId: string }) => item.runId)).toEqual([runId]);
    const older = await api.call('GET', `/payout-runs?limit=1&cursor=${newest.body.nextCursor}`, {
      token: ann,
    });
    expect(older.status).toBe(200);
    expect(older.body.items).toHaveLength(1);
    expect(older.body.items[0].runId).not.toBe(runId);
  });
});

describe('Approval', () => {
  it('a large run waits for a second finance user, who may approve it', async () => {
    const [first, second] = await earning(6000, 6000);
    if (!first || !second) throw new Error('sellers missing');
    const runId = await started({ currency: 'EUR' });
    const waiting = await awaitingApproval(runId);
    expect(waiting.approval).toMatchObject({ required: true });
    expect(await transfersTo(first)).toEqual([]);
    const own = await eventually(async () => {
      const refused = await decide(runId, ann, { decision: 'approve' });
      expect(refused.status).toBe(403);
      return refused.body;
    });
    expect(own.code).toBe('approval_by_starter');
    const approved = await decidedWhenReady(runId, bob, { decision: 'approve' });
    expect(approved.approval).toMatchObject({ decision: 'approved', decidedBy: 'fin-bob' });
    const run = await settledRun(api, ann, runId);
    expect(run.status).toBe('completed');
    expect(lineOf(run, first)).toMatchObject({ status: 'paid', amount: first.available });
    expect(lineOf(run, second)).toMatchObject({ status: 'paid', amount: second.available });
  });

  it('a rejected run pays nothing and frees its currency', async () => {
    const [seller] = await earning(12_000);
    if (!seller) throw new Error('no seller');
    const runId = await started({ currency: 'EUR' });
    await awaitingApproval(runId);
    const rejected = await decidedWhenReady(runId, bob, { decision: 'reject', reason: 'Totals look wrong' });
    expect(rejected).toMatchObject({ status: 'rejected', approval: { reason: 'Totals look wrong' } });
    const run = await settledRun(api, ann, runId);
    expect(run).toMatchObject({ status: 'rejected', progress: { paid: 0 } });
    expect(await transfersTo(seller)).toEqual([]);
    const payouts = await api.call('GET', '/sellers/me/payouts', { token: seller.token });
    expect(payouts.body.items, 'a run never paid is no payout of the seller').toEqual([]);
    expect((await decide(runId, bob, { decision: 'approve' })).status).toBe(409);
    const dry = await settledRun(api, ann, await started({ currency: 'EUR', dryRun: true }));
    expect(lineOf(dry, seller)).toMatchObject({ status: 'planned' });
  });

  it('a run nobody approves expires', async () => {
    const runId = await started({ currency: 'EUR' });
    await awaitingApproval(runId);
    // The wait is 300 workflow seconds: 6 s here.
    const run = await settledRun(api, ann, runId, 20_000);
    expect(run).toMatchObject({ status: 'expired', progress: { paid: 0 } });
    expect((await decide(runId, bob, { decision: 'approve' })).status).toBe(409);
  });

  it('pays at most what is available when the balance falls while it waits', async () => {
    const runId = await started({ currency: 'EUR' });
    const waiting = await awaitingApproval(runId);
    const [seller] = sellers.filter((candidate) => candidate.available >= 10_000);
    if (!seller) throw new Error('the rejected run’s seller is gone');
    expect(lineOf(waiting, seller)).toMatchObject({ plannedAmount: seller.available });
    const refund = await api.call('POST', `/orders/${seller.orderId}/refunds`, {
      token: admin,
      headers: { 'idempotency-key': randomUUID() },
      body: { lines: [{ line: 0, amount: 2000 }], keepCommission: true },
    });
    expect(refund.status, JSON.stringify(refund.body)).toBe(201);
    const { available } = await eurBalanceOf(api, seller.token);
    expect(available).toBe(seller.available - 2000);
    await decidedWhenReady(runId, bob, { decision: 'approve' });
    const run = await settledRun(api, ann, runId);
    expect(lineOf(run, seller)).toMatchObject({
      status: 'paid',
      plannedAmount: seller.available,
      amount: available,
    });
    expect((await transfersTo(seller)).map((transfer) => transfer.amount)).toEqual([available]);
  });
});

describe('Failures', () => {
  it('retries a transfer whose response was lost, and pays once', async () => {
    const [seller] = await earning(2000);
    if (!seller) throw new Error('no seller');
    simulator.loseNextResponses(2, 'POST /v1/transfers');
    const run = await settledRun(api, ann, await started({ currency: 'EUR' }));
    expect(lineOf(run, seller)).toMatchObject({ status: 'paid' });
    expect(await transfersTo(seller)).toHaveLength(1);
  });

  it('records a transfer Stripe refuses, gives the money back to the seller, and pays the others', async () => {
    const [refused, paid] = await earning(2000, 2000);
    if (!refused || !paid) throw new Error('sellers missing');
    // Stripe disables the account, and the marketplace does not know yet.
    simulator.webhooks.hold();
    simulator.rejectOnboarding(refused.stripeAccountId);
    try {
      const run = await settledRun(api, ann, await started({ currency: 'EUR' }));
      expect(run).toMatchObject({ status: 'completed', progress: { paid: 1, failed: 1 } });
      expect(lineOf(run, refused)).toMatchObject({
        status: 'failed',
        failure: { code: 'insufficient_capabilities_for_transfer' },
      });
      expect(run.failures).toEqual([
        expect.objectContaining({
          sellerId: refused.sellerId,
          code: 'insufficient_capabilities_for_transfer',
        }),
      ]);
      expect(lineOf(run, paid)).toMatchObject({ status: 'paid' });
      expect(await eurBalanceOf(api, refused.token)).toMatchObject({
        available: refused.available,
        paidOut: 0,
      });
    } finally {
      simulator.webhooks.release();
    }
  });
});

describe('An unresolved payment', () => {
  it('fails the run for the alarm, keeps its currency, and a resumed run pays the seller once', async () => {
    const [seller] = await earning(2000);
    if (!seller) throw new Error('no seller');
    // Stripe makes the transfer, then answers nothing more until every retry is spent.
    simulator.loseNextResponses(1000);
    const runId = await started({ currency: 'EUR' });
    let outcome: Awaited<ReturnType<typeof api.stack.payoutWorkflows.settled>>;
    try {
      outcome = await api.stack.payoutWorkflows.settled(runId);
    } finally {
      simulator.loseNextResponses(0);
    }
    expect(outcome).toMatchObject({ status: 'failed', error: 'PayoutRunUnfinished' });
    const stuck = await runOf(api, ann, runId);
    expect(stuck).toMatchObject({ status: 'paying', progress: { done: 0 } });
    expect(lineOf(stuck, seller)).toMatchObject({ status: 'transferring' });
    expect((await startRun(api, bob, { currency: 'EUR' })).status).toBe(409);

    const resumed = await api.call('POST', `/payout-runs/${runId}/resume`, { token: bob });
    expect(resumed.status, JSON.stringify(resumed.body)).toBe(202);
    const run = await eventually(async () => {
      const current = await runOf(api, ann, runId);
      expect(current.status).toBe('completed');
      return current;
    }, 20_000);
    expect(lineOf(run, seller)).toMatchObject({ status: 'paid', amount: seller.available });
    expect(await transfersTo(seller)).toHaveLength(1);
    expect((await api.call('POST', `/payout-runs/${runId}/resume`, { token: bob })).status).toBe(409);
  });
});

describe('A refund after payout', () => {
  it("takes the seller's part back from their transfer", async () => {
    const [seller] = await earning(3000);
    if (!seller) throw new Error('no seller');
    await settledRun(api, ann, await started({ currency: 'EUR' }));
    const [transfer] = await transfersTo(seller);
    const refund = await api.call('POST', `/orders/${seller.orderId}/refunds`, {
      token: admin,
      headers: { 'idempotency-key': randomUUID() },
      body: { lines: [{ line: 0, amount: 1000 }] },
    });
    expect(refund.status, JSON.stringify(refund.body)).toBe(201);
    const reversed = await stripe.transfers.retrieve(String(transfer?.id));
    // The commission gives back its tenth: the seller's part of 1000 is 900.
    expect(reversed.reversals.data.map((reversal) => reversal.amount)).toEqual([900]);
    expect(await eurBalanceOf(api, seller.token)).toMatchObject({
      available: 0,
      paidOut: seller.available - 900,
    });
  });
});

describe("A seller's bank payout", () => {
  it('shows on the payouts it carried, failed with its reason, then paid', async () => {
    const [seller] = await earning(2000);
    if (!seller) throw new Error('no seller');
    await settledRun(api, ann, await started({ currency: 'EUR' }));
    simulator.payout(seller.stripeAccountId, {
      currency: 'eur',
      outcome: 'failed',
      failureCode: 'account_closed',
    });
    const failed = await eventually(async () => {
      const payouts = await api.call('GET', '/sellers/me/payouts', { token: seller.token });
      expect(payouts.body.items[0]?.bankPayout).toMatchObject({
        status: 'failed',
        failureCode: 'account_closed',
      });
      return payouts.body.items[0];
    });
    expect(failed.bankPayout.failureMessage).toBe('The bank account has been closed.');
    simulator.payout(seller.stripeAccountId, { currency: 'eur' });
    await eventually(async () => {
      const payouts = await api.call('GET', '/sellers/me/payouts', { token: seller.token });
      expect(payouts.body.items[0]?.bankPayout).toMatchObject({ status: 'paid', failureCode: null });
    });
  });
});
