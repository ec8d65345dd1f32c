import type Stripe from 'stripe';
import { expect } from 'vitest';
import type { PaymentSimulator } from '#infra/local/payment-simulator/index.ts';
import type { LedgerStore } from '#shared/store/ledger-store.ts';
import type { PayoutRunStore } from '#shared/store/payout-runs/payout-run-store.ts';
import { TestApi } from './api.ts';
import { eventually } from './eventually.ts';
import {
  buyerOfManySellers,
  type EarningSeller,
  eurBalanceOf,
  runOf,
  sellerWithEarnings,
  startRun,
} from './payouts.ts';
import { paymentSimulatorOf } from './sellers.ts';
import { stripeClientOf } from './stripe.ts';

/** Runs taking the day's payouts over this need a second finance user's approval. */
export const approvalThreshold = 10_000;
/** Workflow time runs 50 times faster than real time: the approval wait lasts 6 s. */
const msPerSecond = 20;

interface Started {
  readonly api: TestApi;
  readonly simulator: PaymentSimulator;
  readonly stripe: Stripe;
  readonly ledger: LedgerStore;
  readonly runStore: PayoutRunStore;
  /** Finance users. */
  readonly ann: string;
  readonly bob: string;
  readonly buyer: string;
  readonly admin: string;
}

export const lineOf = (run: { lines: { items: { sellerId: string }[] } }, seller: EarningSeller) =>
  run.lines.items.find((line) => line.sellerId === seller.sellerId);

/**
 * A local stack for payout-run tests, with its finance users, buyer and admin, and the sellers the
 * tests made, whose ledger, reports and Stripe transfers must agree after every test. Its helpers
 * are bound, so a test file may take them apart before the stack starts.
 */
export class PayoutTestBed {
  private stack: Started | undefined;
  /** Every seller the tests made, for the ledger's invariants. */
  readonly sellers: EarningSeller[] = [];

  get started(): Started {
    if (!this.stack) throw new Error('Start the payout test bed first');
    return this.stack;
  }

  start = async (): Promise<Started> => {
    const api = await TestApi.start({
      workflowMsPerSecond: msPerSecond,
      operatorSettings: {
        PAYOUT_MINIMUM_AMOUNT: '1000',
        PAYOUT_APPROVAL_THRESHOLD: String(approvalThreshold),
        PAYOUT_APPROVAL_TIMEOUT_SECONDS: '300',
        PAYOUT_CONCURRENCY: '3',
        ...buyerOfManySellers,
      },
    });
    const simulator = paymentSimulatorOf(api);
    const [{ ledgerStore }, { payoutRunStore }] = await Promise.all([
      import('#shared/app/composition/stores/ledger-store.ts'),
      import('#shared/app/composition/stores/payout-run-store.ts'),
    ]);
    this.stack = {
      api,
      simulator,
      stripe: stripeClientOf(simulator),
      ledger: ledgerStore,
      runStore: payoutRunStore,
      ann: await api.token('fin-ann', 'finance'),
      bob: await api.token('fin-bob', 'finance'),
      buyer: await api.token('payout-buyer', 'buyer'),
      admin: await api.token('payout-admin', 'admin'),
    };
    return this.stack;
  };

  stop = (): Promise<void> => this.started.api.stop();

  /** New sellers, each with one completed sale at each price. */
  earning = async (...prices: number[]): Promise<EarningSeller[]> => {
    const { api, buyer } = this.started;
    const made = await Promise.all(prices.map((price) => sellerWithEarnings(api, buyer, price)));
    this.sellers.push(...made);
    return made;
  };

  transfersTo = async (seller: EarningSeller) =>
    (await this.started.stripe.transfers.list({ destination: seller.stripeAccountId, limit: 100 })).data;

  /** Starts a run as `token`'s finance user (Ann's by default); answers its id. */
  startedRun = async (body: Record<string, unknown>, token = this.started.ann): Promise<string> => {
    const response = await startRun(this.started.api, token, body);
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    return response.body.runId;
  };

  awaitingApproval = (runId: string) =>
    eventually(async () => {
      const run = await runOf(this.started.api, this.started.ann, runId);
      expect(run.status).toBe('awaiting-approval');
      return run;
    });

  decide = (runId: string, token: string, body: Record<string, unknown>) =>
    this.started.api.call('POST', `/payout-runs/${runId}/approval`, { token, body });

  /** Decides as soon as the waiting task stored its token (the run is `awaiting-approval` a moment before). */
  decidedWhenReady = (runId: string, token: string, body: Record<string, unknown>) =>
    eventually(async () => {
      const decided = await this.decide(runId, token, body);
      expect(decided.status, JSON.stringify(decided.body)).toBe(200);
      return decided.body;
    });

  reportOf = async (runId: string): Promise<Record<string, string>[]> => {
    const report = await this.started.api.call('GET', `/payout-runs/${runId}/report.csv`, {
      token: this.started.ann,
    });
    expect(report.status).toBe(200);
    expect(report.headers.get('content-type')).toMatch(/^text\/csv/);
    const [header, ...rows] = (report.body as string).trimEnd().split('\r\n');
    const columns = header?.split(',') ?? [];
    return rows.map((row) =>
      Object.fromEntries(row.split(',').map((field, index) => [columns[index], field])),
    );
  };

  /**
   * After every test: the ledger balances (cash and disputes hold what is owed to sellers and what
   * the platform earned), the platform's transfers equal the sellers' paid-out balances, every run's
   * report says was paid what Stripe transferred, and that less what refunds took back is paid out.
   */
  expectLedgerAgreesWithReports = async (): Promise<void> => {
    if (this.sellers.length === 0) return;
    const { api, ledger, ann } = this.started;
    const [platform] = (await ledger.platformBalances()).filter((balances) => balances.currency === 'EUR');
    const owed = await Promise.all(this.sellers.map((seller) => eurBalanceOf(api, seller.token)));
    const held = owed.reduce((sum, balance) => sum + balance.pending + balance.available + balance.frozen, 0);
    const paidOut = owed.reduce((sum, balance) => sum + balance.paidOut, 0);
    expect(platform).toBeDefined();
    expect((platform?.cash ?? 0) + (platform?.disputes ?? 0)).toBe(
      (platform?.fees ?? 0) - (platform?.refunds ?? 0) + held,
    );
    expect(platform?.transfers).toBe(paidOut);
    const runs = await api.call('GET', '/payout-runs?limit=100', { token: ann });
    const reports = await Promise.all(
      runs.body.items.map((run: { runId: string }) => this.reportOf(run.runId)),
    );
    const reported = reports.flat().reduce((sum, row) => sum + Number(row.amount_paid), 0);
    const atStripe = (await Promise.all(this.sellers.map(this.transfersTo))).flat();
    const transferred = atStripe.reduce((sum, transfer) => sum + transfer.amount, 0);
    const reversed = atStripe.reduce((sum, transfer) => sum + transfer.amount_reversed, 0);
    expect(reported, 'paid in the reports, as transferred at Stripe').toBe(transferred);
    expect(reported - reversed, 'paid in the reports, less what refunds took back').toBe(paidOut);
  };
}
