import { randomUUID } from 'node:crypto';
import { type DynamoDBDocumentClient, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '#shared/domain/errors.ts';
import { type OrderMoney, orderLedger } from '#shared/domain/ledger/order-ledger.ts';
import { captureOrder, refundOrder, releaseOrder } from '#shared/domain/ledger/order-postings.ts';
import { orderScope } from '#shared/domain/ledger/transaction.ts';
import { transferLedger, transferToUser } from '#shared/domain/ledger/transfer-postings.ts';
import { type LedgerWrite, ledgerCancellation } from '#shared/store/ledger-postings.ts';
import { LedgerStore } from '#shared/store/ledger-store.ts';
import { TransactionPlan } from '#shared/store/transaction.ts';
import { freshTable } from '../support/table.ts';

let client: DynamoDBDocumentClient;
let tableName: string;
let ledger: LedgerStore;

beforeAll(async () => {
  ({ client, tableName } = await freshTable());
  ledger = new LedgerStore(client, tableName);
});

const newId = (prefix: string) => `${prefix}-${randomUUID()}`;

/** An order of `total` (10% commission) whose proceeds go 80% to `sellerId`, 20% to a new maker. */
function newOrder(sellerId: string, { currency = 'EUR', total = 10_000 } = {}): OrderMoney {
  const commission = total / 10;
  const makerShare = (total - commission) / 5;
  return {
    id: newId('order'),
    currency,
    total,
    commission,
    lines: [{ amount: total, commission }],
    payees: [
      { userId: sellerId, amount: total - commission - makerShare },
      { userId: newId('maker'), amount: makerShare },
    ],
  };
}

const at = (minute: number) => new Date(Date.UTC(2030, 0, 1, 12, minute));

async function platformCash(currency: string): Promise<number> {
  return (await ledger.platformBalances()).find((balances) => balances.currency === currency)?.cash ?? 0;
}

/** Captures and releases a new order of `sellerId`, leaving its proceeds available. */
async function availableFromOrder(sellerId: string, options: { currency?: string; total?: number } = {}) {
  const order = newOrder(sellerId, options);
  await ledger.post(captureOrder(order));
  await ledger.post(releaseOrder(order, orderLedger(order, await ledger.transactions(orderScope(order.id)))));
  return order;
}

describe('LedgerStore', () => {
  it("keeps every entry in the transaction's item and gives only users' entries an item of their own", async () => {
    const order = newOrder(newId('seller'));
    const capture = captureOrder(order);
    await ledger.post(capture, at(0));

    const [posted] = await ledger.transactions(orderScope(order.id));
    expect(posted?.entries).toEqual(capture.entries);
    const { Items: platformEntries = [] } = await client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        FilterExpression: 'transactionId = :id',
        ExpressionAttributeValues: { ':pk': 'LEDGER#platform', ':prefix': 'ENTRY#', ':id': capture.id },
      }),
    );
    expect(platformEntries).toEqual([]);
    const payees = await Promise.all(
      order.payees.map(async ({ userId }) => (await ledger.statement(userId, { limit: 10 })).items),
    );
    expect(payees.map((items) => items.map((entry) => entry.transactionId))).toEqual([
      [capture.id],
      [capture.id],
    ]);
  });

  it('posts a transaction once: posting its id again changes nothing', async () => {
    const sellerId = newId('seller');
    const capture = captureOrder(newOrder(sellerId));
    const cashBefore = await platformCash('EUR');

    expect(await ledger.post(capture, at(0))).toBe('posted');
    expect(await ledger.post(capture, at(5))).toBe('already-posted');

    expect(await ledger.balances(sellerId)).toEqual([
      { currency: 'EUR', pending: 7_200, available: 0, frozen: 0, paidOut: 0 },
    ]);
    expect(await platformCash('EUR')).toBe(cashBefore + 10_000);
    const statement = await ledger.statement(sellerId, { limit: 10 });
    expect(statement.items).toEqual([
      {
        transactionId: capture.id,
        kind: 'capture',
        scope: capture.scope,
        account: 'pending',
        currency: 'EUR',
        amount: 7_200,
        postedAt: at(0).toISOString(),
      },
    ]);
  });

  it('returns an order’s transactions as posted, for the rules to decide the next one', async () => {
    const sellerId = newId('seller');
    const order = await availableFromOrder(sellerId);
    const posted = await ledger.transactions(orderScope(order.id));
    expect(posted.map((transaction) => transaction.kind).sort()).toEqual(['capture', 'release']);

    const refund = refundOrder(order, orderLedger(order, posted), {
      refundId: 'refund-1',
      lines: [{ line: 0, amount: 2_500 }],
    });
    await ledger.post(refund);

    const state = orderLedger(order, await ledger.transactions(orderScope(order.id)));
    expect(state.lines).toEqual([{ commission: 750, proceeds: 6_750 }]);
    expect((await ledger.balances(sellerId))[0]).toMatchObject({ pending: 0, available: 5_400 });
    expect(refundOrder(order, state, { refundId: 'refund-1', lines: [] })).toMatchObject(refund);
  });

  it('lands every one of many transactions posted at once', async () => {
    const sellerId = newId('seller');
    const cashBefore = await platformCash('USD');
    const captures = Array.from({ length: 25 }, () => captureOrder(newOrder(sellerId, { currency: 'USD' })));

    const outcomes = await Promise.all(captures.map((capture) => ledger.post(capture)));

    expect(outcomes.every((outcome) => outcome === 'posted')).toBe(true);
    expect((await ledger.balances(sellerId))[0]).toMatchObject({ currency: 'USD', pending: 25 * 7_200 });
    expect(await platformCash('USD')).toBe(cashBefore + 25 * 10_000);
  });

  it('never transfers more than is available, even to two transfers decided on the same balance', async () => {
    const sellerId = newId('seller');
    await availableFromOrder(sellerId);
    const [{ available } = { available: 0 }] = await ledger.balances(sellerId);
    const transfers = ['tr-a', 'tr-b'].map((transferId) =>
      transferToUser(
        { transferId, userId: sellerId, currency: 'EUR', amount: 6_000 },
        available,
        transferLedger(transferId, []),
      ),
    );

    const outcomes = await Promise.allSettled(transfers.map((transfer) => ledger.post(transfer)));

    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    const [refused] = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason] : []));
    expect(refused).toBeInstanceOf(DomainError);
    expect(refused).toMatchObject({
      code: 'insufficient_balance',
      message: `user:${sellerId}:available holds 1200 EUR, less than the 6000 EUR this takes out of it.`,
    });
    expect(await ledger.balances(sellerId)).toEqual([
      { currency: 'EUR', pending: 0, available: 1_200, frozen: 0, paidOut: 6_000 },
    ]);
  });

  it('reads a user’s balances in every currency they have', async () => {
    const sellerId = newId('seller');
    await availableFromOrder(sellerId, { currency: 'JPY', total: 1_000 });
    await ledger.post(captureOrder(newOrder(sellerId)));

    expect(await ledger.balances(sellerId)).toEqual([
      { currency: 'EUR', pending: 7_200, available: 0, frozen: 0, paidOut: 0 },
      { currency: 'JPY', pending: 0, available: 720, frozen: 0, paidOut: 0 },
    ]);
  });

  it('pages a statement newest first, in every currency or in one', async () => {
    const sellerId = newId('seller');
    const orders = [
      newOrder(sellerId),
      newOrder(sellerId, { currency: 'JPY', total: 1_000 }),
      newOrder(sellerId),
    ];
    for (const [minute, order] of orders.entries()) await ledger.post(captureOrder(order), at(minute));
    const lastOrder = orders[2] as OrderMoney;
    await ledger.post(releaseOrder(lastOrder, orderLedger(lastOrder, [captureOrder(lastOrder)])), at(10));

    const pages = [];
    let cursor: string | undefined;
    do {
      const page = await ledger.statement(sellerId, { limit: 2, ...(cursor ? { cursor } : {}) });
      pages.push(page.items);
      cursor = page.nextCursor;
    } while (cursor);

    expect(pages.map((page) => page.length)).toEqual([2, 2, 1]);
    expect(
      pages.flat().map(({ kind, account, currency, amount }) => [kind, account, currency, amount]),
    ).toEqual([
      ['release', 'pending', 'EUR', -7_200],
      ['release', 'available', 'EUR', 7_200],
      ['capture', 'pending', 'EUR', 7_200],
      ['capture', 'pending', 'JPY', 720],
      ['capture', 'pending', 'EUR', 7_200],
    ]);
    const yen = await ledger.statement(sellerId, { limit: 10, currency: 'JPY' });
    expect(yen.items.map(({ transactionId }) => transactionId)).toEqual([`capture:${orders[1]?.id}`]);
    expect(yen.nextCursor).toBeUndefined();
  });

  it('commits in the caller’s transaction, or not at all', async () => {
    const sellerId = newId('seller');
    const capture = captureOrder(newOrder(sellerId));
    const items = ledger.transactItems(capture);
    // The transaction, an entry item per payee's entry (not the platform's two), a balance update per entry.
    expect(capture.entries).toHaveLength(4);
    expect(items).toHaveLength(1 + 2 + capture.entries.length);
    const businessCheck = (exists: boolean) => ({
      ConditionCheck: {
        TableName: tableName,
        Key: { PK: `ORDER#${newId('order')}`, SK: 'ORDER' },
        ConditionExpression: exists ? 'attribute_not_exists(PK)' : 'attribute_exists(PK)',
      },
    });

    const plan = new TransactionPlan<'business' | LedgerWrite>().add('business', businessCheck(false));
    ledger.addPosting(plan, capture);
    const cancelled = await plan.write(client);
    expect(cancelled?.has('business')).toBe(true);
    expect(cancelled && ledgerCancellation(capture, cancelled)).toBeUndefined();
    expect(await ledger.balances(sellerId)).toEqual([]);

    await client.send(new TransactWriteCommand({ TransactItems: [businessCheck(true), ...items] }));
    expect((await ledger.balances(sellerId))[0]).toMatchObject({ pending: 7_200 });
  });
});
