import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PaymentSimulator } from '#infra/local/payment-simulator/index.ts';
import { TestApi } from '../support/api.ts';
import {
  type EarningSeller,
  eurBalanceOf,
  runOf,
  sellerWithEarnings,
  settledRun,
  startRun,
} from '../support/payouts.ts';
import { paymentSimulatorOf } from '../support/sellers.ts';
import { stripeClientOf } from '../support/stripe.ts';

let api: TestApi;
let simulator: PaymentSimulator;
let stripe: Stripe;
let finance: string;
let secondFinance: string;
let buyer: string;

beforeAll(async () => {
  api = await TestApi.start({
    workflowMsPerSecond: 20,
    payoutSettings: {
      PAYOUT_MINIMUM_AMOUNT: '1000',
      PAYOUT_APPROVAL_THRESHOLD: '100000',
      PAYOUT_CONCURRENCY: '3',
    },
  });
  simulator = paymentSimulatorOf(api);
  stripe = stripeClientOf(simulator);
  finance = await api.token('fin-ann', 'finance');
  secondFinance = await api.token('fin-bob', 'finance');
  buyer = await api.token('payout-buyer', 'buyer');
});
afterAll(() => api.stop());

const transfersTo = async (seller: EarningSeller) =>
  (await stripe.transfers.list({ destination: seller.stripeAccountId, limit: 100 })).data;

describe('A payout run', () => {
  it('pays every eligible seller once and the ledger agrees', async () => {
    const sellers = await Promise.all([4999, 2500].map((price) => sellerWithEarnings(api, buyer, price)));
    const started = await startRun(api, finance, { currency: 'EUR' });
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    const run = await settledRun(api, finance, started.body.runId);
    expect(run).toMatchObject({ status: 'completed', progress: { failed: 0 } });
    for (const seller of sellers) {
      const line = run.lines.items.find((item: { sellerId: string }) => item.sellerId === seller.sellerId);
      expect(line).toMatchObject({ status: 'paid', amount: seller.available });
      expect((await transfersTo(seller)).map((transfer) => transfer.amount)).toEqual([seller.available]);
      expect(await eurBalanceOf(api, seller.token)).toMatchObject({
        available: 0,
        paidOut: seller.available,
      });
    }
  });
});
