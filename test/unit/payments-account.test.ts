import type Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import {
  describeRequirements,
  explainPaymentsAccount,
  type PaymentsAccountState,
  paymentsNotEnabled,
} from '#shared/domain/payments-account.ts';
import { bankPayoutStateOf, paymentsAccountStateOf, sellerIdOf } from '#shared/payments/stripe-connect.ts';
import { enabledPaymentsAccount } from '../support/sellers.ts';

const enabled = enabledPaymentsAccount('acct_1');
const fresh: PaymentsAccountState = {
  ...enabled,
  chargesEnabled: false,
  payoutsEnabled: false,
  detailsSubmitted: false,
  requirementsDue: ['business_type', 'external_account', 'tos_acceptance.date', 'tos_acceptance.ip'],
  disabledReason: 'requirements.past_due',
};

describe('explainPaymentsAccount', () => {
  it('sends a seller without an account to start onboarding', () => {
    expect(explainPaymentsAccount(undefined)).toEqual({
      nextStep: 'start-onboarding',
      missing: [],
      explanation:
        'You have not set up payments yet: POST /sellers/me/payments-account gives you a link to onboard with Stripe.',
    });
  });

  it('tells a new account what Stripe needs, each thing once, and to finish onboarding', () => {
    const { nextStep, missing, explanation } = explainPaymentsAccount(fresh);
    expect(nextStep).toBe('finish-onboarding');
    expect(missing).toEqual([
      'your type of business',
      'a bank account for your payouts',
      "your acceptance of Stripe's terms of service",
    ]);
    expect(explanation).toBe(
      'You cannot publish listings or be paid. Stripe still needs your type of business, a bank account for ' +
        "your payouts, your acceptance of Stripe's terms of service. Finish onboarding with Stripe: " +
        'POST /sellers/me/payments-account gives you a link to onboard with Stripe.',
    );
  });

  it('says a seller may sell while payouts wait for a bank account', () => {
    const explained = explainPaymentsAccount({
      ...enabled,
      payoutsEnabled: false,
      requirementsDue: ['external_account'],
    });
    expect(explained.nextStep).toBe('finish-onboarding');
    expect(explained.explanation).toMatch(
      /^You can sell, but Stripe holds your payouts\. Stripe still needs a bank account for your payouts\./,
    );
  });

  it('sends a rejected seller to support with the reason, whatever is still due', () => {
    const explained = explainPaymentsAccount({
      ...fresh,
      detailsSubmitted: true,
      disabledReason: 'rejected.fraud',
    });
    expect(explained.nextStep).toBe('contact-support');
    expect(explained.explanation).toBe(
      "You cannot publish listings or be paid. Stripe rejected the account for suspected fraud; contact the marketplace's support.",
    );
  });

  it('asks a seller under verification to wait', () => {
    const explained = explainPaymentsAccount({
      ...fresh,
      detailsSubmitted: true,
      requirementsDue: [],
      disabledReason: 'requirements.pending_verification',
    });
    expect(explained.nextStep).toBe('wait-for-stripe');
    expect(explained.explanation).toContain('Stripe is verifying the information you gave');
  });

  it('names a disabled reason it has no words for by its Stripe code', () => {
    const explained = explainPaymentsAccount({
      ...enabled,
      chargesEnabled: false,
      disabledReason: 'new_reason',
    });
    expect(explained.nextStep).toBe('contact-support');
    expect(explained.explanation).toContain('Stripe: new_reason');
  });

  it('waits for Stripe when the details are in and nothing is due, yet charges are off', () => {
    expect(explainPaymentsAccount({ ...enabled, chargesEnabled: false }).nextStep).toBe('wait-for-stripe');
  });

  it('has nothing to ask of an enabled account', () => {
    expect(explainPaymentsAccount(enabled)).toEqual({
      nextStep: 'none',
      missing: [],
      explanation: 'You can sell and be paid. Stripe has enabled charges and payouts.',
    });
  });
});

describe('describeRequirements', () => {
  it('words the requirements it knows, keeps Stripe’s name for the others', () => {
    expect(
      describeRequirements(['individual.verification.document', 'individual.dob.day', 'settings.payouts']),
    ).toEqual(['an identity document', 'your personal details', 'settings.payouts']);
  });
});

describe('paymentsNotEnabled', () => {
  it('refuses publishing with 409 semantics and the explanation of the account', () => {
    const error = paymentsNotEnabled(fresh);
    expect(error).toMatchObject({ kind: 'conflict', code: 'payments_not_enabled' });
    expect(error.message).toBe(
      `Publishing needs Stripe to enable charges on your payments account. ${explainPaymentsAccount(fresh).explanation}`,
    );
  });
});

describe('Stripe objects', () => {
  const account = {
    id: 'acct_9',
    object: 'account',
    charges_enabled: true,
    payouts_enabled: false,
    details_submitted: true,
    metadata: { sellerId: 'sara' },
    requirements: { currently_due: ['external_account'], disabled_reason: null },
  } as unknown as Stripe.Account;

  it('reads the seller and the status from a connected account', () => {
    expect(sellerIdOf(account)).toBe('sara');
    expect(sellerIdOf({ ...account, metadata: {} })).toBeUndefined();
    expect(paymentsAccountStateOf(account)).toEqual({
      stripeAccountId: 'acct_9',
      chargesEnabled: true,
      payoutsEnabled: false,
      detailsSubmitted: true,
      requirementsDue: ['external_account'],
      disabledReason: null,
    });
  });

  const payout = {
    id: 'po_1',
    object: 'payout',
    amount: 2500,
    currency: 'eur',
    status: 'failed',
    arrival_date: Date.UTC(2026, 2, 4) / 1000,
    created: Date.UTC(2026, 2, 2, 9, 30) / 1000,
    failure_code: 'no_account',
    failure_message: 'No bank account could be located with those details.',
  } as unknown as Stripe.Payout;

  it('reads a payout in ISO money, dates and times', () => {
    expect(bankPayoutStateOf(payout, 'acct_9')).toEqual({
      payoutId: 'po_1',
      stripeAccountId: 'acct_9',
      amount: { amount: 2500, currency: 'EUR' },
      status: 'failed',
      arrivalDate: '2026-03-04',
      createdAt: '2026-03-02T09:30:00.000Z',
      failureCode: 'no_account',
      failureMessage: 'No bank account could be located with those details.',
    });
  });

  it('refuses a payout status it does not know rather than storing it', () => {
    expect(() => bankPayoutStateOf({ ...payout, status: 'teleported' }, 'acct_9')).toThrow(/teleported/);
  });
});
