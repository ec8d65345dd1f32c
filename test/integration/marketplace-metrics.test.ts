import { randomUUID } from 'node:crypto';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { handler as projectMetrics } from '#functions/metrics/project-table-changes.ts';
import { readMarketplaceMetrics } from '#shared/app/metrics/read-metrics.ts';
import { orderLedger } from '#shared/domain/ledger/order-ledger.ts';
import { captureOrder, loseDispute, openDispute, refundOrder } from '#shared/domain/ledger/order-postings.ts';
import type { MetricGranularity } from '#shared/domain/marketplace-metrics.ts';
import type { Order } from '#shared/domain/order.ts';
import type { Entity } from '#shared/store/entities/entity.ts';
import { ledgerTransactionEntity, ledgerTransactionKey } from '#shared/store/entities/ledger-transaction.ts';
import { orderEntity } from '#shared/store/entities/order.ts';
import { payoutLineEntity, payoutLineKey } from '#shared/store/entities/payout-line.ts';
import type { PostedTransaction } from '#shared/store/ledger-views.ts';
import { MarketplaceMetricsStore } from '#shared/store/marketplace-metrics-store.ts';
import type { PayoutLine } from '#shared/store/payout-runs/run-and-line-types.ts';
import { orderAt } from '../support/order-fixture.ts';
import { freshTable, functionsUseTable } from '../support/table.ts';

/**
 * The metrics projector fed stream records as Lambda receives them, on DynamoDB Local: a week of a
 * small marketplace across a month's end, then the periods read back.
 */

let store: MarketplaceMetricsStore;

beforeAll(async () => {
  const table = await freshTable();
  functionsUseTable(table.tableName);
  store = new MarketplaceMetricsStore(table.client, table.tableName);
});

let sequence = 0;

function record<T>(entity: Entity<T>, key: { PK: string; SK: string }, after: T, before?: T): DynamoDBRecord {
  sequence += 1;
  const image = (value: T) =>
    marshall(entity.item(key, value), { removeUndefinedValues: true }) as Record<string, AttributeValue>;
  return {
    eventID: randomUUID(),
    eventName: before ? 'MODIFY' : 'INSERT',
    dynamodb: {
      Keys: { PK: { S: key.PK }, SK: { S: key.SK } },
      NewImage: image(after) as never,
      ...(before ? { OldImage: image(before) as never } : {}),
      SequenceNumber: String(sequence).padStart(21, '0'),
    },
  };
}

const orderRecord = (after: Order, before?: Order) =>
  record(orderEntity, { PK: `ORDER#${after.id}`, SK: 'ORDER' }, after, before);

const postingRecord = (transaction: PostedTransaction) =>
  record(ledgerTransactionEntity, ledgerTransactionKey(transaction.scope, transaction.id), transaction);

const lineRecord = (after: PayoutLine, before: PayoutLine) =>
  record(payoutLineEntity, payoutLineKey(after.runId, after.sellerId), after, before);

const feed = async (records: DynamoDBRecord[]) => {
  const response = await projectMetrics({ Records: records } satisfies DynamoDBStreamEvent);
  expect(response.batchItemFailures).toEqual([]);
};

const at = (day: string, time = '12:00:00') => `${day}T${time}.000Z`;

/** An order placed by `buyerId` from `sellerId` at `placedAt`: 100.00 EUR, 10.00 commission. */
function placed(id: string, buyerId: string, sellerId: string, placedAt: string): Order {
  return orderAt(new Date(placedAt), {
    id,
    buyerId,
    sellerId,
    parties: { buyer: buyerId, seller: sellerId },
    payees: [{ party: 'seller', userId: sellerId, amount: 9000 }],
    status: 'awaiting-payment',
    paymentStatus: 'authorising',
    version: 1,
  });
}

const changed = (order: Order, when: string, change: Partial<Order>): Order => ({
  ...order,
  ...change,
  version: order.version + 1,
  updatedAt: when,
});

const posted = (transaction: Omit<PostedTransaction, 'postedAt'>, postedAt: string): PostedTransaction => ({
  ...transaction,
  postedAt,
});

const read = (granularity: MetricGranularity, from: string, to: string, currency = 'EUR') =>
  readMarketplaceMetrics(store, { currency, granularity, from, to });

describe('the metrics projector', () => {
  // Two orders of 100.00 (10.00 commission each) on the last two days of November, one cancelled
  // unpaid on 1 December; a refund of 10.00 (1.00 commission) and a chargeback lost on 1 December;
  // a payout of 81.00 on 2 December. One buyer orders twice, so is active once per period.
  const first = placed('o-1', 'bea', 'sol', at('2026-11-29', '23:59:59'));
  const second = placed('o-2', 'bea', 'tim', at('2026-11-30'));
  const third = placed('o-3', 'cai', 'sol', at('2026-11-30'));
  const firstCaptured = changed(first, at('2026-11-30', '00:00:01'), { paymentStatus: 'captured' });
  const secondCaptured = changed(second, at('2026-11-30', '13:00:00'), { paymentStatus: 'captured' });
  const thirdCancelled = changed(third, at('2026-12-01', '00:10:00'), {
    status: 'cancelled',
    paymentStatus: 'cancelled',
  });
  const firstCompleted = changed(firstCaptured, at('2026-12-01', '09:00:00'), { status: 'completed' });
  const captureOfFirst = posted(captureOrder(first), firstCaptured.updatedAt);
  const captureOfSecond = posted(captureOrder(second), secondCaptured.updatedAt);
  const refund = posted(
    refundOrder(first, orderLedger(first, [captureOfFirst]), {
      refundId: 'r-1',
      lines: [{ line: 0, amount: 1000 }],
    }),
    at('2026-12-01', '10:00:00'),
  );
  const opened = posted(
    openDispute(second, orderLedger(second, [captureOfSecond]), 'dp-1'),
    at('2026-12-01'),
  );
  const lost = posted(
    loseDispute(second, orderLedger(second, [captureOfSecond, opened]), 'dp-1'),
    at('2026-12-01', '23:00:00'),
  );
  const transferring: PayoutLine = {
    runId: 'run-1',
    sellerId: 'sol',
    currency: 'EUR',
    status: 'transferring',
    plannedAmount: 8100,
    amount: 8100,
    runCreatedAt: at('2026-12-02', '08:00:00'),
    updatedAt: at('2026-12-02', '08:00:00'),
  };
  const paid: PayoutLine = {
    ...transferring,
    status: 'paid',
    transferId: 'tr_1',
    paidAt: at('2026-12-02', '08:00:05'),
    updatedAt: at('2026-12-02', '08:00:05'),
  };

  const firstBatch = [
    orderRecord(first),
    orderRecord(second, undefined),
    orderRecord(third),
    orderRecord(firstCaptured, first),
    postingRecord(captureOfFirst),
    orderRecord(secondCaptured, second),
    postingRecord(captureOfSecond),
  ];
  const secondBatch = [
    orderRecord(thirdCancelled, third),
    orderRecord(firstCompleted, firstCaptured),
    postingRecord(refund),
    postingRecord(opened),
    postingRecord(lost),
    // A step change counts nothing.
    orderRecord(changed(firstCaptured, at('2026-12-01'), { stepIndex: 1 }), firstCaptured),
    lineRecord(paid, transferring),
  ];

  beforeAll(async () => {
    await feed(firstBatch);
    await feed(secondBatch);
  });

  it('counts each day what its records did, on the UTC day of their business time', async () => {
    const { periods } = await read('day', '2026-11-29', '2026-12-02');
    expect(periods.map((period) => period.start)).toEqual([
      '2026-11-29',
      '2026-11-30',
      '2026-12-01',
      '2026-12-02',
    ]);
    const [sunday, monday, tuesday, wednesday] = periods;
    expect(sunday).toMatchObject({ ordersPlaced: 1, ordersCaptured: 0, captured: 0, activeBuyers: 0 });
    expect(monday).toMatchObject({
      ordersPlaced: 2,
      ordersCaptured: 2,
      captured: 20_000,
      commission: 2000,
      netCaptured: 20_000,
      commissionRevenue: 2000,
      takeRate: 0.1,
      averageOrderValue: 10_000,
      activeBuyers: 1,
      activeSellers: 2,
      refundRate: 0,
      chargebackRate: 0,
      cancellationRate: null,
    });
    expect(tuesday).toMatchObject({
      ordersPlaced: 0,
      ordersCompleted: 1,
      ordersCancelled: 1,
      cancellationRate: 0.5,
      refunds: 1,
      refunded: 1000,
      chargebacksOpened: 1,
      chargebacksLost: 1,
      chargedBack: 10_000,
      // The refund gave back 100 of the line's 700 commission, the lost chargeback all 1000 of its order's.
      commissionReturned: 1100,
      netCaptured: -11_000,
      commissionRevenue: -1100,
      takeRate: null,
      averageOrderValue: null,
      refundRate: null,
      activeBuyers: 0,
    });
    expect(wednesday).toMatchObject({ payouts: 1, paidOut: 8100, captured: 0 });
  });

  it('counts weeks and months from Monday and the 1st, with each buyer and seller once per period', async () => {
    const weeks = await read('week', '2026-11-29', '2026-12-02');
    expect(weeks.periods.map(({ start, end }) => [start, end])).toEqual([
      ['2026-11-23', '2026-11-29'],
      ['2026-11-30', '2026-12-06'],
    ]);
    expect(weeks.periods[1]).toMatchObject({
      ordersPlaced: 2,
      ordersCaptured: 2,
      netCaptured: 20_000 - 1000 - 10_000,
      commissionRevenue: 2000 - 1100,
      takeRate: 0.1,
      activeBuyers: 1,
      activeSellers: 2,
      payouts: 1,
      paidOut: 8100,
    });
    const months = await read('month', '2026-11-15', '2026-12-31');
    expect(months.periods.map(({ start, end }) => [start, end])).toEqual([
      ['2026-11-01', '2026-11-30'],
      ['2026-12-01', '2026-12-31'],
    ]);
    expect(months.periods[0]).toMatchObject({ ordersPlaced: 3, captured: 20_000, activeBuyers: 1 });
    expect(months.periods[1]).toMatchObject({ ordersCancelled: 1, refunded: 1000, activeBuyers: 0 });
  });

  it('changes nothing when a batch comes again, whole or from a record on', async () => {
    const before = await Promise.all([
      read('day', '2026-11-29', '2026-12-02'),
      read('week', '2026-11-29', '2026-12-02'),
      read('month', '2026-11-01', '2026-12-31'),
    ]);
    await feed(firstBatch);
    await feed(secondBatch.slice(3));
    await feed([...secondBatch, ...firstBatch]);
    expect(
      await Promise.all([
        read('day', '2026-11-29', '2026-12-02'),
        read('week', '2026-11-29', '2026-12-02'),
        read('month', '2026-11-01', '2026-12-31'),
      ]),
    ).toEqual(before);
  });

  it('keeps currencies apart: a buyer active in EUR counts again in USD', async () => {
    const usd = { ...placed('o-4', 'bea', 'sol', at('2026-12-03')), currency: 'USD' };
    await feed([orderRecord(changed(usd, at('2026-12-03'), { paymentStatus: 'captured' }), usd)]);
    const [usdDay] = (await read('day', '2026-12-03', '2026-12-03', 'USD')).periods;
    expect(usdDay).toMatchObject({ activeBuyers: 1, activeSellers: 1, ordersPlaced: 0 });
    const eurWeek = (await read('week', '2026-12-03', '2026-12-03')).periods[0];
    expect(eurWeek).toMatchObject({ activeBuyers: 1, activeSellers: 2 });
    expect((await read('week', '2026-12-03', '2026-12-03', 'USD')).periods[0]).toMatchObject({
      activeBuyers: 1,
    });
  });

  it('reports every period of a range nothing happened in as zeros', async () => {
    const { periods } = await read('day', '2025-01-01', '2025-01-03', 'GBP');
    expect(periods).toHaveLength(3);
    expect(periods[0]).toMatchObject({ captured: 0, ordersPlaced: 0, takeRate: null, activeBuyers: 0 });
  });
});

describe('the metrics store', () => {
  it('counts a member once when concurrent batches make them active in the same periods', async () => {
    const day = '2027-03-10';
    await Promise.all(
      Array.from({ length: 6 }, (_, index) =>
        store.add([
          {
            sourceId: `concurrent-${index}`,
            currency: 'CHF',
            day,
            counts: { ordersCaptured: 1, captured: 500 },
            members: [
              { role: 'buyer', userId: 'zoe' },
              { role: 'seller', userId: `seller-${index % 2}` },
            ],
          },
        ]),
      ),
    );
    for (const granularity of ['day', 'week', 'month'] as const) {
      const [period] = (await read(granularity, day, day, 'CHF')).periods;
      expect(period).toMatchObject({ ordersCaptured: 6, captured: 3000, activeBuyers: 1, activeSellers: 2 });
    }
  });

  it('splits a batch larger than a transaction, and adds each record once', async () => {
    const contributions = Array.from({ length: 40 }, (_, index) => ({
      sourceId: `large-${index}`,
      currency: 'SEK',
      day: `2027-04-${String(1 + (index % 20)).padStart(2, '0')}`,
      counts: { ordersPlaced: 1 },
      members: [{ role: 'buyer' as const, userId: `buyer-${index}` }],
    }));
    await store.add(contributions);
    await store.add(contributions.slice(10, 30));
    const [month] = (await read('month', '2027-04-01', '2027-04-30', 'SEK')).periods;
    expect(month).toMatchObject({ ordersPlaced: 40, activeBuyers: 40 });
  });
});
