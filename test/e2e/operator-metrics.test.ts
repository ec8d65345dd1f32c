import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMetricsCli } from '#infra/ops/metrics/cli.ts';
import { expectProblem, TestApi } from '../support/api.ts';
import { capturedOutput } from '../support/captured-output.ts';
import { eventually } from '../support/eventually.ts';
import {
  act,
  checkout,
  eventsOf,
  orderMatching,
  orderWithStatus,
  publishListing,
} from '../support/orders.ts';
import { onboardedSeller, type PayoutSeller, settledRun, startRun } from '../support/payouts.ts';
import { paymentSimulatorOf } from '../support/sellers.ts';

/**
 * A scripted day of the marketplace over HTTP, each function in a worker under its own role: four
 * orders (one completed, one refunded in part, one charged back and lost, one declined) and a payout
 * run. The metrics API must then say, per day, what this file computes by hand from the same script,
 * to the cent. Each amount lands on the UTC day of its business time, read back from the API.
 */

let api: TestApi;
let admin: string;
let finance: string;
let nia: string;
let ola: string;
let seller: PayoutSeller;
let otherSeller: PayoutSeller;

beforeAll(async () => {
  api = await TestApi.start({ isolate: true });
  [admin, finance, nia, ola] = await Promise.all([
    api.token('om-admin', 'admin'),
    api.token('om-finance', 'finance'),
    api.token('om-nia', 'buyer'),
    api.token('om-ola', 'buyer'),
  ]);
  [seller, otherSeller] = await Promise.all([onboardedSeller(api), onboardedSeller(api)]);
}, 60_000);
afterAll(() => api?.stop());

const dayOf = (timestamp: string) => new Date(timestamp).toISOString().slice(0, 10);

/** What the script did on one day, added up by hand. */
interface DayTally {
  placed: number;
  captures: number;
  captured: number;
  commission: number;
  completed: number;
  cancelled: number;
  refunds: number;
  refunded: number;
  chargebacksOpened: number;
  chargebacksLost: number;
  chargedBack: number;
  commissionReturned: number;
  payouts: number;
  paidOut: number;
  buyers: Set<string>;
  sellers: Set<string>;
}

const tallies = new Map<string, DayTally>();
const tallyOf = (timestamp: string): DayTally => {
  const day = dayOf(timestamp);
  const tally = tallies.get(day) ?? {
    placed: 0,
    captures: 0,
    captured: 0,
    commission: 0,
    completed: 0,
    cancelled: 0,
    refunds: 0,
    refunded: 0,
    chargebacksOpened: 0,
    chargebacksLost: 0,
    chargedBack: 0,
    commissionReturned: 0,
    payouts: 0,
    paidOut: 0,
    buyers: new Set<string>(),
    sellers: new Set<string>(),
  };
  tallies.set(day, tally);
  return tally;
};

/** The default rule: 10 % of the line, rounded half up. */
const commissionOf = (price: number) => Math.round(price / 10);

interface Sale {
  readonly orderId: string;
  readonly paymentId: string;
  readonly price: number;
  readonly buyer: string;
  readonly seller: PayoutSeller;
}

/** A one-line order of `seller`'s listing at `price`, placed by `buyerToken`'s buyer. */
async function placedSale(buyer: string, buyerToken: string, saleSeller: PayoutSeller, price: number) {
  const listing = await publishListing(api, saleSeller.token, { price: { amount: price, currency: 'EUR' } });
  const placed = await checkout(api, buyerToken, [{ listingId: listing.id, quantity: 1 }]);
  expect(placed.status, JSON.stringify(placed.body)).toBe(201);
  const sale: Sale = {
    orderId: placed.body.orders[0].id,
    paymentId: placed.body.payment.id,
    price,
    buyer,
    seller: saleSeller,
  };
  const order = await api.call('GET', `/orders/${sale.orderId}`, { token: buyerToken });
  tallyOf(order.body.createdAt).placed += 1;
  return sale;
}

/** When the order's history says `type` happened. */
async function whenHappened(sale: Sale, type: string): Promise<string> {
  const events = (await eventsOf(api, sale.seller.token, sale.orderId)) as { type: string; at?: string }[];
  const event = events.find((each) => each.type === type);
  if (!event?.at) throw new Error(`order ${sale.orderId} has no ${type} event`);
  return event.at;
}

/** When the ledger posted the order's transaction of `kind`, from the seller's statement. */
async function postedAt(sale: Sale, kind: string): Promise<string> {
  return eventually(async () => {
    const statement = await api.call('GET', '/sellers/me/statement?limit=100', { token: sale.seller.token });
    expect(statement.status).toBe(200);
    const entry = statement.body.items.find(
      (item: { scope: string; kind: string }) => item.scope === `order:${sale.orderId}` && item.kind === kind,
    );
    expect(entry, `the ${kind} of order ${sale.orderId}`).toBeDefined();
    return entry.postedAt as string;
  });
}

async function accepted(sale: Sale, buyerToken: string) {
  expect((await act(api, sale.seller.token, sale.orderId, 'accept')).status).toBe(200);
  await orderMatching(api, buyerToken, sale.orderId, { paymentStatus: 'captured' });
  const capture = tallyOf(await postedAt(sale, 'capture'));
  capture.captures += 1;
  capture.captured += sale.price;
  capture.commission += commissionOf(sale.price);
  const active = tallyOf(await whenHappened(sale, 'payment-captured'));
  active.buyers.add(sale.buyer);
  active.sellers.add(sale.seller.sellerId);
}

/** The script: what happens in the marketplace, tallied by hand as it goes. */
async function runScript() {
  // Nia buys a lamp of 49.99 from the seller, who ships it; she confirms receipt: completed.
  const completedSale = await placedSale('om-nia', nia, seller, 4999);
  await accepted(completedSale, nia);
  expect(
    (await act(api, seller.token, completedSale.orderId, 'ship', { trackingNumber: 'T-1' })).status,
  ).toBe(200);
  expect((await act(api, nia, completedSale.orderId, 'confirm-receipt')).status).toBe(200);
  await orderWithStatus(api, nia, completedSale.orderId, 'completed');
  tallyOf(await whenHappened(completedSale, 'completed')).completed += 1;

  // Ola buys one of 30.00 from the other seller, who refunds 10.00 of it before shipping: a tenth of
  // the line's 3.00 commission goes back with it.
  const refundedSale = await placedSale('om-ola', ola, otherSeller, 3000);
  await accepted(refundedSale, ola);
  const refund = await api.call('POST', `/orders/${refundedSale.orderId}/refunds`, {
    token: otherSeller.token,
    body: { lines: [{ line: 0, amount: 1000 }], reason: 'scratched' },
    headers: { 'idempotency-key': randomUUID() },
  });
  expect(refund.status, JSON.stringify(refund.body)).toBe(201);
  await orderMatching(api, ola, refundedSale.orderId, { refunds: [{ status: 'succeeded' }] });
  const refunded = tallyOf(await postedAt(refundedSale, 'refund'));
  refunded.refunds += 1;
  refunded.refunded += 1000;
  refunded.commissionReturned += (1000 * commissionOf(3000)) / 3000;

  // Nia buys one of 25.00 from the other seller; her bank disputes the payment and the marketplace loses.
  const disputedSale = await placedSale('om-nia', nia, otherSeller, 2500);
  await accepted(disputedSale, nia);
  const simulator = paymentSimulatorOf(api);
  const dispute = simulator.openDispute(disputedSale.paymentId);
  await orderMatching(api, nia, disputedSale.orderId, { chargeback: { status: 'open' } });
  simulator.closeDispute(dispute.id, 'lost');
  await orderMatching(api, nia, disputedSale.orderId, { chargeback: { status: 'lost' } });
  tallyOf(await postedAt(disputedSale, 'dispute-opened')).chargebacksOpened += 1;
  const lost = tallyOf(await postedAt(disputedSale, 'dispute-lost'));
  lost.chargebacksLost += 1;
  lost.chargedBack += 2500;
  lost.commissionReturned += commissionOf(2500);

  // Ola orders one of 15.00 from the seller, who declines: cancelled, never captured.
  const declinedSale = await placedSale('om-ola', ola, seller, 1500);
  expect((await act(api, seller.token, declinedSale.orderId, 'decline', { reason: 'gone' })).status).toBe(
    200,
  );
  await orderWithStatus(api, ola, declinedSale.orderId, 'cancelled');
  tallyOf(await whenHappened(declinedSale, 'cancelled')).cancelled += 1;

  // Finance pays sellers out: only the seller's completed sale is available, 49.99 less 5.00.
  const started = await startRun(api, finance, { currency: 'EUR' });
  expect(started.status, JSON.stringify(started.body)).toBe(201);
  const run = await settledRun(api, finance, started.body.runId, 60_000);
  const paidLines = run.lines.items.filter((line: { status: string }) => line.status === 'paid');
  expect(paidLines.map((line: { sellerId: string }) => line.sellerId)).toEqual([seller.sellerId]);
  for (const line of paidLines) {
    const paid = tallyOf(line.paidAt);
    paid.payouts += 1;
    paid.paidOut += line.amount;
  }
  expect(paidLines[0].amount).toBe(4999 - commissionOf(4999));
}

/** The ratio as the API gives it: 4 decimal places, null when dividing by nothing. */
const rate = (numerator: number, denominator: number) =>
  denominator > 0 ? Math.round((numerator / denominator) * 10_000) / 10_000 : null;

/** What the metrics API must answer for a day, from the tally alone. */
function expectedDay(day: string, tally: DayTally) {
  const netCaptured = tally.captured - tally.refunded - tally.chargedBack;
  const commissionRevenue = tally.commission - tally.commissionReturned;
  return {
    start: day,
    end: day,
    captured: tally.captured,
    refunded: tally.refunded,
    chargedBack: tally.chargedBack,
    netCaptured,
    commission: tally.commission,
    commissionReturned: tally.commissionReturned,
    commissionRevenue,
    takeRate: rate(commissionRevenue, netCaptured),
    ordersPlaced: tally.placed,
    ordersCaptured: tally.captures,
    ordersCompleted: tally.completed,
    ordersCancelled: tally.cancelled,
    cancellationRate: rate(tally.cancelled, tally.completed + tally.cancelled),
    averageOrderValue: tally.captures > 0 ? Math.round(tally.captured / tally.captures) : null,
    refunds: tally.refunds,
    refundRate: rate(tally.refunded, tally.captured),
    chargebacksOpened: tally.chargebacksOpened,
    chargebacksLost: tally.chargebacksLost,
    chargebackRate: rate(tally.chargebacksOpened, tally.captures),
    activeBuyers: tally.buyers.size,
    activeSellers: tally.sellers.size,
    payouts: tally.payouts,
    paidOut: tally.paidOut,
  };
}

const metrics = (query: string, token = admin) => api.call('GET', `/admin/metrics?${query}`, { token });

describe('GET /admin/metrics', () => {
  it('equals, per day and to the cent, what the script did', { timeout: 240_000 }, async () => {
    await runScript();
    const days = [...tallies.keys()].sort();
    const [from = '', to = ''] = [days[0], days.at(-1)];
    const expected = days.map((day) => expectedDay(day, tallies.get(day) as DayTally));
    // The projector follows the stream: wait until it caught up with the script's last change.
    const answered = await eventually(async () => {
      const response = await metrics(`from=${from}&to=${to}&granularity=day&currency=EUR`);
      expect(response.status, JSON.stringify(response.body)).toBe(200);
      expect(
        response.body.periods.filter((period: { start: string }) => days.includes(period.start)),
      ).toEqual(expected);
      return response.body;
    }, 30_000);
    expect(answered).toMatchObject({ currency: 'EUR', granularity: 'day', from, to });
    // Nothing was counted in another currency.
    const usd = await metrics(`from=${from}&to=${to}&currency=USD`);
    expect(usd.body.periods.every((period: { ordersPlaced: number }) => period.ordersPlaced === 0)).toBe(
      true,
    );
  });

  it('counts each buyer and seller once a month, however many orders they have', {
    timeout: 30_000,
  }, async () => {
    const days = [...tallies.keys()].sort();
    const response = await metrics(`from=${days[0]}&to=${days.at(-1)}&granularity=month&currency=EUR`);
    expect(response.status).toBe(200);
    const total = (field: 'captured' | 'paidOut') =>
      [...tallies.values()].reduce((sum, tally) => sum + tally[field], 0);
    const months = response.body.periods as { captured: number; paidOut: number; activeBuyers: number }[];
    expect(months.reduce((sum, month) => sum + month.captured, 0)).toBe(total('captured'));
    expect(months.reduce((sum, month) => sum + month.paidOut, 0)).toBe(total('paidOut'));
    if (months.length === 1) expect(months[0]?.activeBuyers).toBe(2);
  });

  it('prints the same days as a table with npm run metrics', { timeout: 30_000 }, async () => {
    const days = [...tallies.keys()].sort();
    const output = capturedOutput();
    const code = await runMetricsCli([`--from=${days[0]}`, `--to=${days.at(-1)}`, '--currency=EUR'], {
      stdout: output.stream,
      env: { MARKETPLACE_API_URL: api.stack.url, MARKETPLACE_TOKEN: admin },
    });
    expect(code).toBe(0);
    const rows = output.text().trimEnd().split('\n');
    expect(rows).toHaveLength(days.length + 1);
    const captured = [...tallies.values()].reduce((sum, tally) => sum + tally.captured, 0);
    if (days.length === 1) expect(rows[1]).toContain(`EUR ${(captured / 100).toFixed(2)}`);
  });

  it('is for admins only: sellers, buyers and finance are refused', { timeout: 30_000 }, async () => {
    for (const token of [seller.token, nia, finance]) {
      const refused = await metrics('from=2026-01-01&to=2026-01-31&currency=EUR', token);
      expectProblem(refused, 403);
    }
    expect((await metrics('from=2026-01-01&to=2026-01-31&currency=EUR', '')).status).toBe(401);
  });

  it('refuses a range it cannot answer, naming what is wrong', { timeout: 30_000 }, async () => {
    for (const [query, field] of [
      ['from=2026-01-01&to=2027-01-02&currency=EUR', 'to'],
      ['from=2026-01-02&to=2026-01-01&currency=EUR', 'to'],
      ['from=2026-02-30&to=2026-03-01&currency=EUR', 'from'],
      ['from=2026-01-01&to=2026-01-31&currency=eur', 'currency'],
      ['from=2026-01-01&to=2026-01-31', 'currency'],
      ['from=2026-01-01&to=2026-01-31&currency=EUR&granularity=year', 'granularity'],
      ['from=2026-01-01&to=2026-01-31&currency=EUR&seller=x', ''],
    ] as const) {
      const refused = await metrics(query);
      expectProblem(refused, 400);
      if (field) expect(JSON.stringify(refused.body), query).toContain(field);
    }
    expect((await metrics('from=2024-01-01&to=2026-12-31&granularity=month&currency=EUR')).status).toBe(200);
  });
});
