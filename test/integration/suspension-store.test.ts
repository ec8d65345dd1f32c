import { beforeAll, describe, expect, it } from 'vitest';
import { defaultCommissionRules } from '#shared/domain/commission.ts';
import type { DomainError } from '#shared/domain/errors.ts';
import { AdminAuditStore } from '#shared/store/admin-audit-store.ts';
import { CommissionRulesStore } from '#shared/store/commission-store.ts';
import { LedgerStore } from '#shared/store/ledger-store.ts';
import { ListingStore } from '#shared/store/listing-store.ts';
import { PayoutRunStore } from '#shared/store/payout-runs/payout-run-store.ts';
import { SuspensionStore } from '#shared/store/suspension-store.ts';
import { lampContent } from '../support/fixtures.ts';
import { storeSellerReadyToPublish } from '../support/sellers.ts';
import { freshTable } from '../support/table.ts';

let suspensions: SuspensionStore;
let audit: AdminAuditStore;
let payouts: PayoutRunStore;
let listings: ListingStore;
let table: Awaited<ReturnType<typeof freshTable>>;

beforeAll(async () => {
  table = await freshTable();
  const { client, tableName } = table;
  suspensions = new SuspensionStore(client, tableName);
  audit = new AdminAuditStore(client, tableName);
  payouts = new PayoutRunStore(client, tableName, new LedgerStore(client, tableName));
  listings = new ListingStore(client, tableName);
});

const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => 'resolved',
    (error: DomainError) => ({ kind: error.kind, code: error.code }),
  );

const actionsOn = async (userId: string) =>
  (await audit.list(100, undefined, { kind: 'user', id: userId })).items.map(({ action, actor, reason }) => ({
    action,
    actor,
    reason,
  }));

describe('suspending a user', () => {
  it('holds their payouts with the suspension, audits both, and lifts its own hold at reinstatement', async () => {
    const at = new Date('2031-02-03T04:05:06.000Z');
    const { suspension, suspended } = await suspensions.suspend('sam', { reason: 'Fraud', by: 'ada' }, at);
    expect(suspended).toBe(true);
    expect(suspension).toEqual({
      userId: 'sam',
      reason: 'Fraud',
      by: 'ada',
      since: at.toISOString(),
      payoutHoldSince: at.toISOString(),
    });
    expect(await suspensions.get('sam')).toEqual(suspension);
    expect(await payouts.hold('sam')).toMatchObject({
      reason: 'Suspended: Fraud',
      by: 'ada',
      since: at.toISOString(),
    });

    const again = await suspensions.suspend('sam', { reason: 'Again', by: 'eve' });
    expect(again).toEqual({ suspension, suspended: false });

    const later = new Date('2031-02-04T00:00:00.000Z');
    const lifted = await suspensions.reinstate('sam', { reason: 'Appeal upheld', by: 'eve' }, later);
    expect(lifted).toMatchObject({ ...suspension, reinstated: { by: 'eve', reason: 'Appeal upheld' } });
    expect(await suspensions.get('sam')).toBeUndefined();
    expect(await payouts.hold('sam')).toBeUndefined();
    // Newest first; the entries of one transaction share their time, in no particular order.
    const [lastTwo, firstTwo] = [(await actionsOn('sam')).slice(0, 2), (await actionsOn('sam')).slice(2)];
    expect(lastTwo).toEqual(
      expect.arrayContaining([
        { action: 'payout-hold.released', actor: 'eve', reason: 'Reinstated: Appeal upheld' },
        { action: 'user.reinstated', actor: 'eve', reason: 'Appeal upheld' },
      ]),
    );
    expect(firstTwo).toEqual(
      expect.arrayContaining([
        { action: 'payout-hold.placed', actor: 'ada', reason: 'Suspended: Fraud' },
        { action: 'user.suspended', actor: 'ada', reason: 'Fraud' },
      ]),
    );
    expect(await rejection(suspensions.reinstate('sam', { reason: 'Twice', by: 'eve' }))).toEqual({
      kind: 'not-found',
      code: 'suspension_not_found',
    });
  });

  it('keeps a hold finance placed, before and after the suspension', async () => {
    await payouts.placeHold('kim', { reason: 'KYC review', by: 'fin' });
    const { suspension } = await suspensions.suspend('kim', { reason: 'Spam', by: 'ada' });
    expect(suspension).not.toHaveProperty('payoutHoldSince');
    await suspensions.reinstate('kim', { reason: 'Cleaned up', by: 'ada' });
    expect(await payouts.hold('kim')).toMatchObject({ reason: 'KYC review', by: 'fin' });
    expect((await actionsOn('kim')).map(({ action }) => action)).toEqual([
      'user.reinstated',
      'user.suspended',
      'payout-hold.placed',
    ]);
  });

  it('keeps a hold finance placed over the suspension’s own', async () => {
    await suspensions.suspend('lou', { reason: 'Spam', by: 'ada' });
    await payouts.placeHold('lou', { reason: 'Chargebacks', by: 'fin' });
    await suspensions.reinstate('lou', { reason: 'Cleaned up', by: 'ada' });
    expect(await payouts.hold('lou')).toMatchObject({ reason: 'Chargebacks', by: 'fin' });
  });
});

describe('the audit log', () => {
  it('lists every action newest first, a page at a time, and those on one target', async () => {
    const { tableName, client } = await freshTable();
    const log = new AdminAuditStore(client, tableName);
    const rules = new CommissionRulesStore(client, tableName);
    const runStore = new PayoutRunStore(client, tableName, new LedgerStore(client, tableName));
    await rules.save(defaultCommissionRules, 0, 'ada', new Date('2020-01-01T00:00:00.000Z'));
    await runStore.placeHold('zed', { reason: 'KYC', by: 'fin' });
    await runStore.releaseHold('zed', { reason: 'Verified', by: 'fin2' });
    await rules.save(defaultCommissionRules, 1, 'eve');

    const first = await log.list(3);
    expect(first.items.map(({ action, actor }) => [action, actor])).toEqual([
      ['commission-rules.saved', 'eve'],
      ['payout-hold.released', 'fin2'],
      ['payout-hold.placed', 'fin'],
    ]);
    const second = await log.list(3, first.nextCursor);
    expect(second.items.map(({ action, actor, target }) => [action, actor, target])).toEqual([
      ['commission-rules.saved', 'ada', { kind: 'commission-rules', id: 'rules' }],
    ]);
    expect(second.nextCursor).toBeUndefined();

    const onZed = await log.list(1, undefined, { kind: 'user', id: 'zed' });
    expect(onZed.items.map(({ action }) => action)).toEqual(['payout-hold.released']);
    const rest = await log.list(5, onZed.nextCursor, { kind: 'user', id: 'zed' });
    expect(rest.items.map(({ action }) => action)).toEqual(['payout-hold.placed']);
  });

  it('records nothing when the change it audits is refused', async () => {
    const { tableName, client } = await freshTable();
    const rules = new CommissionRulesStore(client, tableName);
    await rules.save(defaultCommissionRules, 0, 'ada');
    await expect(rules.save(defaultCommissionRules, 0, 'eve')).rejects.toMatchObject({
      code: 'version_mismatch',
    });
    const { items } = await new AdminAuditStore(client, tableName).list(10);
    expect(items.map(({ actor }) => actor)).toEqual(['ada']);
  });
});

describe("a suspended seller's listings", () => {
  it('are marked with the seller, in a new version, and unmarked at reinstatement; others are untouched', async () => {
    await storeSellerReadyToPublish(table.client, table.tableName, 'mo');
    const draft = await listings.create('mo', lampContent);
    const live = await listings.create('mo', lampContent);
    await listings.transition(live.id, 'mo', 'publish');
    const someoneElse = await listings.create('not-mo', lampContent);

    expect(await listings.markSellerSuspended('mo', true)).toBe(2);
    expect(await listings.get(live.id)).toMatchObject({
      status: 'published',
      sellerSuspended: true,
      version: 3,
    });
    expect(await listings.get(draft.id)).toMatchObject({ sellerSuspended: true, version: 2 });
    expect(await listings.markSellerSuspended('mo', true)).toBe(0);
    expect(await listings.get(someoneElse.id)).toEqual(someoneElse);

    await suspensions.suspend('mo', { reason: 'Fakes', by: 'ada' });
    const another = await listings.create('mo', lampContent);
    expect(await rejection(listings.transition(another.id, 'mo', 'publish'))).toEqual({
      kind: 'forbidden',
      code: 'user_suspended',
    });

    expect(await listings.markSellerSuspended('mo', false)).toBe(2);
    const back = await listings.get(live.id);
    expect(back).toMatchObject({ status: 'published', version: 4 });
    expect(back).not.toHaveProperty('sellerSuspended');
  });
});
