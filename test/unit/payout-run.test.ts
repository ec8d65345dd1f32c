import { describe, expect, it } from 'vitest';
import {
  approvalWindowStart,
  checkApprover,
  checkHoldReleaser,
  decidePayout,
  type PayoutCandidate,
  payoutTransferId,
  runNeedsApproval,
} from '#shared/domain/payout-run.ts';

const policy = { minimumPayout: 1000, approvalThreshold: 50_000 };
const payable: PayoutCandidate = {
  payable: 2500,
  frozen: 0,
  onHold: false,
  account: { stripeAccountId: 'acct_1', payoutsEnabled: true },
};

describe('deciding a payout', () => {
  it('pays everything payable to the connected account', () => {
    expect(decidePayout(payable, policy)).toEqual({ pay: 2500, stripeAccountId: 'acct_1' });
    expect(decidePayout({ ...payable, payable: 1000 }, policy)).toEqual({
      pay: 1000,
      stripeAccountId: 'acct_1',
    });
  });

  it.each<[string, Partial<PayoutCandidate>, string]>([
    ['under the minimum', { payable: 999 }, 'below_minimum'],
    ['nothing at all, whatever the minimum', { payable: 0 }, 'below_minimum'],
    ['on hold', { onHold: true }, 'payout_hold'],
    ['with funds frozen by a dispute', { frozen: 1 }, 'funds_frozen'],
    ['without a payments account', { account: undefined }, 'no_payments_account'],
    [
      'whose payouts Stripe disabled',
      { account: { stripeAccountId: 'acct_1', payoutsEnabled: false } },
      'payouts_disabled',
    ],
  ])('skips a seller %s', (_case, change, reason) => {
    const { account: _account, ...rest } = payable;
    const candidate = { ...rest, ...('account' in change ? {} : { account: payable.account }), ...change };
    expect(decidePayout(candidate as PayoutCandidate, policy)).toEqual({ skip: reason });
  });

  it('never pays zero even with no minimum', () => {
    expect(decidePayout({ ...payable, payable: 0 }, { ...policy, minimumPayout: 0 })).toEqual({
      skip: 'below_minimum',
    });
  });
});

describe('a payout run', () => {
  it('needs approval above the threshold only', () => {
    expect(runNeedsApproval(50_000, 0, policy)).toBe(false);
    expect(runNeedsApproval(50_001, 0, policy)).toBe(true);
  });

  it('counts towards the threshold what the runs of the last 24 hours paid or may pay', () => {
    expect(runNeedsApproval(1000, 49_000, policy)).toBe(false);
    expect(runNeedsApproval(1000, 49_001, policy)).toBe(true);
    expect(runNeedsApproval(1, 50_000, policy)).toBe(true);
  });

  it('needs no approval to pay nothing, whatever was paid before', () => {
    expect(runNeedsApproval(0, 1_000_000, policy)).toBe(false);
  });

  it('looks back 24 hours from its start', () => {
    expect(approvalWindowStart('2025-03-02T10:15:00.000Z')).toBe('2025-03-01T10:15:00.000Z');
  });

  it('is approved by another finance user than its starter', () => {
    expect(() => checkApprover('ann', 'ann')).toThrow(
      expect.objectContaining({ code: 'approval_by_starter' }),
    );
    expect(() => checkApprover('ann', 'bob')).not.toThrow();
  });

  it('has a payout hold released by someone other than the held seller', () => {
    expect(() => checkHoldReleaser('seller-1', 'seller-1')).toThrow(
      expect.objectContaining({ kind: 'forbidden', code: 'hold_release_by_held_seller' }),
    );
    expect(() => checkHoldReleaser('seller-1', 'ann')).not.toThrow();
  });

  it('names one transfer per run and seller, the key Stripe and the ledger know it by', () => {
    expect(payoutTransferId('pr_1', 'seller-1')).toBe('payout:pr_1:seller-1');
  });
});
