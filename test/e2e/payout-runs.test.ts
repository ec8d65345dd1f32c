import { randomUUID } from 'node:crypto';
import type Stripe from 'stripe';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { PaymentSimulator } from '#infra/local/payment-simulator/index.ts';
import type { LedgerStore } from '#shared/store/ledger-store.ts';
import type { PayoutRunStore } from '#shared/store/payout-runs/payout-run-store.ts';
import { TestApi } from '../support/api.ts';
import { eventually } from '../support/eventually.ts';
import {
  aDayPasses,
  capturedSale,
  type EarningSeller,
  eurBalanceOf,
  holdReleasesOf,
  runOf,
  sellerWithEarnings,
  settledRun,
  startRun,
} from '../support/payouts.ts';
import { paymentSimulatorOf } from '../support/sellers.ts';
import { stripeClientOf } from '../support/stripe.ts';

/** Runs of more than this need a second finance user's approval. */
const approvalThreshold = 10_000;
/** Workflow time runs 50 times faster than real time: the approval wait lasts 6 s. */
const msPerSecond = 20;

let api: TestApi;
let simulator: PaymentSimulator;
let stripe: Stripe;
let ledger: LedgerStore;
let runStore: PayoutRunStore;
let ann: string;
let bob: string;
let buyer: string;
let admin: string;
/** Every seller these tests made, for the ledger's invariants. */
const sellers: EarningSeller[] = [];

beforeAll(async () => {
  api = await TestApi.start({
    workflowMsPerSecond: msPerSecond,
    payoutSettings: {
      PAYOUT_MINIMUM_AMOUNT: '1000',
      PAYOUT_APPROVAL_THRESHOLD: String(approvalThreshold),
      PAYOUT_APPROVAL_TIMEOUT_SECONDS: '300',
      PAYOUT_CONCURRENCY: '3',
    },
  });
  simulator = paymentSimulatorOf(api);
  stripe = stripeClientOf(simulator);
  ({ ledgerStore: ledger, payoutRunStore: runStore } = await import('#functions/stores.ts'));
  ann = await api.token('fin-ann', 'finance');
  bob = await api.token('fin-bob', 'finance');
  buyer = await api.token('payout-buyer', 'buyer');
  admin = await api.token('payout-admin', 'admin');
});
afterAll(() => api.stop());
// Each test starts with no run counted against the approval threshold, as if a day had passed.
beforeEach(() => aDayPasses('EUR'));

async function earning(...prices: number[]): Promise<EarningSeller[]> {
  const made = await Promise.all(prices.map((price) => sellerWithEarnings(api, buyer, price)));
  sellers.push(...made);
  return made;
}

const transfersTo = async (seller: EarningSeller) =>
  (await stripe.transfers.list({ destination: seller.stripeAccountId, limit: 100 })).data;

const lineOf = (run: { lines: { items: { sellerId: string }[] } }, seller: EarningSeller) =>
  run.lines.items.find((line) => line.sellerId === seller.sellerId);

async function started(body: Record<string, unknown>, token = ann): Promise<string> {
  const response = await startRun(api, token, body);
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body.runId;
}

const awaitingApproval = (runId: string) =>
  eventually(async () => {
    const run = await runOf(api, ann, runId);
    expect(run.status).toBe('awaiting-approval');
    return run;
  });

const decide = (runId: string, token: string, body: Record<string, unknown>) =>
  api.call('POST', `/payout-runs/${runId}/approval`, { token, body });

/** Decides as soon as the waiting task stored its token (the run is `awaiting-approval` a moment before). */
const decidedWhenReady = (runId: string, token: string, body: Record<string, unknown>) =>
  eventually(async () => {
    const decided = await decide(runId, token, body);
    expect(decided.status, JSON.stringify(decided.body)).toBe(200);
    return decided.body;
  });

async function reportOf(runId: string): Promise<Record<string, string>[]> {
  const report = await api.call('GET', `/payout-runs/${runId}/report.csv`, { token: ann });
  expect(report.status).toBe(200);
  expect(report.headers.get('content-type')).toMatch(/^text\/csv/);
  const [header, ...rows] = (report.body as string).trimEnd().split('\r\n');
  const columns = header?.split(',') ?? [];
  return rows.map((row) => Object.fromEntries(row.split(',').map((field, index) => [columns[index], field])));
}

/**
 * After every run: the ledger balances (cash and disputes hold what is owed to sellers and what the
 * platform earned), the platform's transfers equal the sellers' paid-out balances, every run's
 * report says was paid what Stripe transferred, and that less what refunds took back is paid out.
 */
async function expectLedgerAgreesWithReports(): Promise<void> {
  const [platform] = (await ledger.platformBalances()).filter((balances) => balances.currency === 'EUR');
  const owed = await Promise.all(sellers.map((seller) => eurBalanceOf(api, seller.token)));
  const held = owed.reduce((sum, balance) => sum + balance.pending + balance.available + balance.frozen, 0);
  const paidOut = owed.reduce((sum, balance) => sum + balance.paidOut, 0);
  expect(platform).toBeDefined();
  expect((platform?.cash ?? 0) + (platform?.disputes ?? 0)).toBe(
    (platform?.fees ?? 0) - (platform?.refunds ?? 0) + held,
  );
  expect(platform?.transfers).toBe(paidOut);
  const runs = await api.call('GET', '/payout-runs?limit=100', { token: ann });
  const reports = await Promise.all(runs.body.items.map((run: { runId: string }) => reportOf(run.runId)));
  const reported = reports.flat().reduce((sum, row) => sum + Number(row.amount_paid), 0);
  const atStripe = (await Promise.all(sellers.map(transfersTo))).flat();
  const transferred = atStripe.reduce((sum, transfer) => sum + transfer.amount, 0);
  const reversed = atStripe.reduce((sum, transfer) => sum + transfer.amount_reversed, 0);
  expect(reported, 'paid in the reports, as transferred at Stripe').toBe(transferred);
  expect(reported - reversed, 'paid in the reports, less what refunds took back').toBe(paidOut);
}

afterEach(async () => {
  if (sellers.length > 0) await expectLedgerAgreesWithReports();
});

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
  });

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
  it('answers the same run, and one run per currency moves money at a time', async () => {
    const [seller] = await earning(2000);
    if (!seller) throw new Error('no seller');
    const key = randomUUID();
    const attempts = await Promise.all([1, 2, 3].map(() => startRun(api, ann, { currency: 'EUR' }, key)));
    const runIds = new Set(attempts.map((attempt) => attempt.body.runId));
    expect(runIds.size).toBe(1);
    expect(attempts.map((attempt) => attempt.status).sort()).toEqual([200, 200, 201]);
    const [runId] = runIds;
    const other = await startRun(api, bob, { currency: 'EUR' });
    expect(other.status).toBe(409);
    expect(other.body.code).toBe('payout_run_in_progress');
    const reused = await startRun(api, ann, { currency: 'EUR', dryRun: true }, key);
    expect(reused.status).toBe(422);
    const run = await settledRun(api, ann, String(runId));
    expect(lineOf(run, seller)).toMatchObject({ status: 'paid' });
    const again = await startRun(api, ann, { currency: 'EUR' }, key);
    expect(again).toMatchObject({ status: 200, body: { runId, status: 'completed' } });
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
