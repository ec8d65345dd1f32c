import { DeleteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { approvalWindowStart } from '#shared/domain/payout-run.ts';
import { currencyLockKey } from '#shared/store/entities/currency-lock.ts';
import { LedgerStore } from '#shared/store/ledger-store.ts';
import { PayoutRunStore } from '#shared/store/payout-runs/payout-run-store.ts';
import type { PayoutRun } from '#shared/store/payout-runs/run-and-line-types.ts';
import { freshTable } from '../support/table.ts';

let client: DynamoDBDocumentClient;
let tableName: string;
let store: PayoutRunStore;

beforeAll(async () => {
  ({ client, tableName } = await freshTable());
  store = new PayoutRunStore(client, tableName, new LedgerStore(client, tableName));
});

let runs = 0;

/** A new run of `currency` started at `createdAt`, holding its currency's slot unless dry. */
async function newRun(currency: string, createdAt: string, dryRun = false): Promise<PayoutRun> {
  runs += 1;
  const runId = `pr_store_${runs}`;
  await store.create({
    runId,
    currency,
    dryRun,
    startedBy: 'ann',
    policy: { minimumPayout: 1000, approvalThreshold: 10_000 },
    concurrency: 1,
    approvalTimeoutSeconds: 3600,
    fingerprint: runId,
    createdAt,
  });
  return store.require(runId);
}

const selection = (eligibleAmount: number) => ({ eligibleCount: 1, eligibleAmount, skipped: {} });

/** The run waits for approval in a task of `execution`. */
async function waitingRun(currency: string, createdAt: string, execution: string): Promise<PayoutRun> {
  const run = await newRun(currency, createdAt);
  await store.recordSelection(run, selection(20_000), 'awaiting-approval', { required: true });
  await store.awaitApproval(await store.require(run.runId), {
    token: `token-of-${execution}`,
    execution,
    deadline: '2099-01-01T00:00:00.000Z',
  });
  return store.require(run.runId);
}

const finishedNow = async (run: PayoutRun, paidAmount: number) => {
  const paying = await store.require(run.runId);
  await store.finish({ ...paying, progress: { ...paying.progress, paidAmount } }, 'completed', []);
};

describe('the approval window of a currency', () => {
  it('counts what its runs of the last 24 hours selected, then what they paid', async () => {
    const run = await newRun('EUR', '2030-01-01T10:00:00.000Z');
    await store.recordSelection(run, selection(6000), 'paying', { required: false, recentTotal: 0 });
    const since = approvalWindowStart('2030-01-02T09:00:00.000Z');
    expect(await store.recentTotal('EUR', since)).toBe(6000);
    await finishedNow(run, 5500);
    expect(await store.recentTotal('EUR', since)).toBe(5500);

    const rejected = await waitingRun('EUR', '2030-01-01T11:00:00.000Z', 'exec-rejected');
    expect(await store.recentTotal('EUR', since)).toBe(25_500);
    await store.decide(rejected, {
      required: true,
      decision: 'rejected',
      decidedBy: 'bob',
      decidedAt: '2030-01-01T11:05:00.000Z',
    });
    expect(await store.recentTotal('EUR', since), 'a rejected run pays nothing').toBe(5500);

    const dry = await newRun('EUR', '2030-01-01T12:00:00.000Z', true);
    await store.recordSelection(dry, selection(9000), 'completed', { required: false });
    const other = await newRun('USD', '2030-01-01T12:00:00.000Z');
    await store.recordSelection(other, selection(7000), 'paying', { required: false, recentTotal: 0 });
    expect(await store.recentTotal('EUR', since), 'neither a dry run nor another currency').toBe(5500);
    expect(await store.recentTotal('EUR', approvalWindowStart('2030-01-02T10:00:01.000Z'))).toBe(0);
  });

  it('is counted in only by the run holding the currency: a run that lost it writes nothing', async () => {
    const lost = await newRun('GBP', '2030-02-01T10:00:00.000Z');
    await client.send(new DeleteCommand({ TableName: tableName, Key: currencyLockKey('GBP') }));
    const holder = await newRun('GBP', '2030-02-01T10:00:01.000Z');

    await expect(
      store.recordSelection(lost, selection(9000), 'paying', { required: false, recentTotal: 0 }),
    ).rejects.toMatchObject({ code: 'payout_run_not_active' });
    expect((await store.require(lost.runId)).status).toBe('selecting');
    expect(await store.recentTotal('GBP', '2030-02-01T00:00:00.000Z')).toBe(0);

    await store.recordSelection(holder, selection(9000), 'paying', { required: false, recentTotal: 0 });
    expect(await store.recentTotal('GBP', '2030-02-01T00:00:00.000Z')).toBe(9000);
  });
});

describe('a run waiting for approval', () => {
  it('is expired by the timeout of the execution waiting for it, and by no other', async () => {
    const run = await waitingRun('CHF', '2030-03-01T10:00:00.000Z', 'exec-2');

    const untouched = await store.expireApproval(run.runId, 'exec-1');
    expect(untouched).toMatchObject({ status: 'awaiting-approval', approvalExecution: 'exec-2' });
    expect(await store.expireApproval(run.runId, 'exec-2')).toMatchObject({ status: 'expired' });
    expect((await store.require(run.runId)).status).toBe('expired');
  });

  it('is not expired once decided, even by the execution that waited', async () => {
    const run = await waitingRun('SEK', '2030-03-01T10:00:00.000Z', 'exec-1');
    await store.decide(run, {
      required: true,
      decision: 'approved',
      decidedBy: 'bob',
      decidedAt: '2030-03-01T10:05:00.000Z',
    });

    expect(await store.expireApproval(run.runId, 'exec-1')).toMatchObject({ status: 'paying' });
    expect((await store.require(run.runId)).status).toBe('paying');
  });

  it('is decided by no one it pays; a seller it skips may decide it', async () => {
    const run = await waitingRun('NOK', '2030-03-01T10:00:00.000Z', 'exec-1');
    await store.addLine(run, { sellerId: 'cat', status: 'planned', plannedAmount: 20_000 });
    await store.addLine(run, {
      sellerId: 'dan',
      status: 'skipped',
      plannedAmount: 5000,
      skipReason: 'payout_hold',
    });
    const approval = { required: true, decision: 'approved' as const, decidedAt: '2030-03-01T10:05:00.000Z' };

    await expect(store.decide(run, { ...approval, decidedBy: 'cat' })).rejects.toMatchObject({
      kind: 'forbidden',
      code: 'approval_by_payee',
    });
    expect((await store.require(run.runId)).status).toBe('awaiting-approval');
    await store.decide(run, { ...approval, decidedBy: 'dan' });
    expect(await store.require(run.runId)).toMatchObject({
      status: 'paying',
      approval: { decision: 'approved', decidedBy: 'dan' },
    });
  });
});
