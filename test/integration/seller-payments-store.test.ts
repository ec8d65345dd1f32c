import { beforeAll, describe, expect, it } from 'vitest';
import type { BankPayoutState } from '#shared/domain/bank-payout.ts';
import { BankPayoutStore } from '#shared/store/bank-payout-store.ts';
import { PaymentsAccountStore } from '#shared/store/payments-account-store.ts';
import { enabledPaymentsAccount } from '../support/sellers.ts';
import { freshTable } from '../support/table.ts';

let accounts: PaymentsAccountStore;
let payouts: BankPayoutStore;

beforeAll(async () => {
  const { client, tableName } = await freshTable();
  accounts = new PaymentsAccountStore(client, tableName);
  payouts = new BankPayoutStore(client, tableName);
});

const at = (second: number) => new Date(Date.UTC(2026, 2, 1, 12, 0, second));

/** A new Express account, as Stripe creates it: nothing enabled, onboarding ahead. */
const newAccount = (stripeAccountId: string) => ({
  ...enabledPaymentsAccount(stripeAccountId),
  chargesEnabled: false,
  payoutsEnabled: false,
  detailsSubmitted: false,
  requirementsDue: ['external_account', 'tos_acceptance.date'],
  disabledReason: 'requirements.past_due',
});

describe('PaymentsAccountStore', () => {
  it('keeps one account per seller when two creations race', async () => {
    const [first, second] = await Promise.all([
      accounts.recordCreated('racer', newAccount('acct_first'), at(0)),
      accounts.recordCreated('racer', newAccount('acct_second'), at(0)),
    ]);
    expect(first.stripeAccountId).toBe(second.stripeAccountId);
    expect((await accounts.get('racer'))?.stripeAccountId).toBe(first.stripeAccountId);
  });

  it('never lets a creation replace a state read from Stripe', async () => {
    await accounts.recordObserved('onboarded', enabledPaymentsAccount('acct_onboarded'), at(5));
    const kept = await accounts.recordCreated('onboarded', newAccount('acct_onboarded'), at(9));
    expect(kept).toMatchObject({ chargesEnabled: true, observedAt: at(5).toISOString() });
    expect(await accounts.get('onboarded')).toEqual(kept);
  });

  it('keeps the state of the read that began last, whatever order the writes land in', async () => {
    const enabled = enabledPaymentsAccount('acct_ordered');
    const rejected = { ...enabled, chargesEnabled: false, disabledReason: 'rejected.fraud' };
    await accounts.recordCreated('ordered', newAccount('acct_ordered'), at(0));

    expect(await accounts.recordObserved('ordered', enabled, at(20))).toMatchObject({ chargesEnabled: true });
    const stale = await accounts.recordObserved('ordered', rejected, at(10));
    expect(stale).toMatchObject({ chargesEnabled: true, observedAt: at(20).toISOString() });
    // The same read stored twice (a retried write) changes nothing.
    expect(await accounts.recordObserved('ordered', enabled, at(20))).toMatchObject({ chargesEnabled: true });

    const later = await accounts.recordObserved('ordered', rejected, at(30));
    expect(later).toMatchObject({
      sellerId: 'ordered',
      stripeAccountId: 'acct_ordered',
      chargesEnabled: false,
      disabledReason: 'rejected.fraud',
      observedAt: at(30).toISOString(),
    });
    expect(await accounts.get('ordered')).toEqual(later);
  });

  it('ignores reads of another account than the seller has', async () => {
    await accounts.recordCreated('loyal', newAccount('acct_kept'), at(0));
    const standing = await accounts.recordObserved('loyal', enabledPaymentsAccount('acct_orphan'), at(40));
    expect(standing).toMatchObject({ stripeAccountId: 'acct_kept', chargesEnabled: false });
  });
});

const payoutOf = (payoutId: string, createdSecond: number, changes: Partial<BankPayoutState> = {}) => ({
  payoutId,
  stripeAccountId: 'acct_paid',
  amount: { amount: 2000, currency: 'EUR' },
  status: 'paid' as const,
  arrivalDate: '2026-03-03',
  createdAt: at(createdSecond).toISOString(),
  failureCode: null,
  failureMessage: null,
  ...changes,
});

describe('BankPayoutStore', () => {
  it("lists a seller's payouts newest first, a page at a time, and nobody else's", async () => {
    for (const [index, second] of [3, 1, 2, 5, 4].entries()) {
      await payouts.record('lister', payoutOf(`po_lister${index}`, second), at(50));
    }
    await payouts.record('someone-else', payoutOf('po_other', 9), at(50));

    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await payouts.listBySeller('lister', 2, cursor);
      seen.push(...page.items.map((payout) => payout.createdAt));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([5, 4, 3, 2, 1].map((second) => at(second).toISOString()));
  });

  it('keeps the read that began last, so a failure after payment stands and a stale read does not', async () => {
    const failed = {
      status: 'failed' as const,
      failureCode: 'account_closed',
      failureMessage: 'The bank account has been closed.',
    };
    await payouts.record('reverser', payoutOf('po_reversed', 0), at(10));
    await payouts.record('reverser', payoutOf('po_reversed', 0, failed), at(30));
    const stale = await payouts.record(
      'reverser',
      payoutOf('po_reversed', 0, { status: 'in_transit' }),
      at(20),
    );

    expect(stale).toMatchObject({ ...failed, observedAt: at(30).toISOString() });
    const { items } = await payouts.listBySeller('reverser', 10);
    expect(items).toEqual([stale]);
    expect(items[0]).toMatchObject({ sellerId: 'reverser', amount: { amount: 2000, currency: 'EUR' } });
  });
});
