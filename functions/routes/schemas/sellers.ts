import * as z from 'zod';
import { deferred } from '#shared/deferred-schema.ts';
import { bankPayoutStatuses } from '#shared/domain/bank-payout.ts';
import { userAccountTypes } from '#shared/domain/ledger/accounts.ts';
import { transactionKinds } from '#shared/domain/ledger/transaction.ts';
import { paymentsNextSteps } from '#shared/domain/payments-account.ts';
import { component } from '#shared/http/component.ts';
import { pageOf, pageQueryOf } from '#shared/http/pagination.ts';
import { currencySchema, moneySchema } from './catalog.ts';

export const sellerIdSchema = deferred(() => z.string().regex(/^[\w-]{1,128}$/, 'is not a user id'));

export const sellerParams = deferred(() => z.strictObject({ sellerId: sellerIdSchema }));

export const sellerProfileBody = component('SellerProfileInput', () =>
  z.strictObject({
    displayName: z.string().trim().min(1).max(100),
    country: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 country code, e.g. FR'),
    defaultCurrency: currencySchema,
  }),
);

export const sellerProfileView = component('SellerProfile', () =>
  z.object({
    sellerId: z.string(),
    displayName: z.string(),
    country: z.string(),
    defaultCurrency: z.string(),
    version: z.number().int(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  }),
);

export const publicSellerView = component('PublicSellerProfile', () =>
  sellerProfileView.unwrap().pick({ sellerId: true, displayName: true, country: true }),
);

const amount = () => z.number().int();

export const balancesView = component('Balances', () =>
  z
    .object({
      items: z.array(
        z.object({
          currency: currencySchema,
          pending: amount(),
          available: amount(),
          frozen: amount(),
          paidOut: amount(),
        }),
      ),
    })
    .meta({
      description:
        'Per currency: pending (orders not yet completed), available (payable), frozen (under dispute), paid out.',
    }),
);

export const statementQuery = deferred(() =>
  pageQueryOf('statement').extend({ currency: currencySchema.optional() }),
);

export const statementPage = pageOf(
  deferred(() =>
    z.object({
      transactionId: z.string(),
      kind: z.enum(transactionKinds),
      scope: z.string(),
      account: z.enum(userAccountTypes),
      currency: currencySchema,
      amount: amount().meta({ description: 'Positive adds to the account' }),
      postedAt: z.iso.datetime(),
    }),
  ),
  'StatementPage',
);

const readFromStripeAt = () =>
  z.iso.datetime().meta({ description: 'When this state was read from Stripe.' });

export const paymentsAccountView = component('PaymentsAccount', () =>
  z
    .object({
      stripeAccountId: z.string(),
      chargesEnabled: z
        .boolean()
        .meta({ description: 'Stripe lets you take payments: you may publish listings.' }),
      payoutsEnabled: z.boolean().meta({ description: 'Stripe lets you be paid out to your bank.' }),
      detailsSubmitted: z.boolean().meta({ description: "You went through Stripe's onboarding form." }),
      requirementsDue: z.array(z.string()).meta({
        description: "Stripe's names of the information it needs now (requirements.currently_due).",
      }),
      disabledReason: z
        .string()
        .nullable()
        .meta({ description: 'Why Stripe disabled the account (requirements.disabled_reason), if it did.' }),
      nextStep: z.enum(paymentsNextSteps),
      missing: z.array(z.string()).meta({ description: 'What Stripe still needs, in plain words.' }),
      explanation: z.string().meta({ description: 'What you can do now, and what to do next.' }),
      observedAt: readFromStripeAt(),
      updatedAt: z.iso.datetime(),
    })
    .meta({ description: 'Your Stripe connected account and what it lets you do.' }),
);

export const paymentsOnboardingView = component('PaymentsOnboarding', () =>
  z.object({
    onboardingLink: z
      .object({ url: z.url(), expiresAt: z.iso.datetime() })
      .meta({ description: "Stripe's hosted onboarding: open it once, before it expires." }),
    account: paymentsAccountView,
  }),
);

export const bankPayoutQuery = deferred(() => pageQueryOf('bankPayout'));

const bankPayoutView = component('BankPayout', () =>
  z
    .object({
      payoutId: z.string(),
      stripeAccountId: z.string(),
      amount: moneySchema,
      status: z.enum(bankPayoutStatuses),
      arrivalDate: z.iso.date().meta({ description: 'The day Stripe expects the money in your bank.' }),
      createdAt: z.iso.datetime(),
      failureCode: z.string().nullable().meta({ description: "Stripe's code for why the bank refused it." }),
      failureMessage: z.string().nullable(),
      observedAt: readFromStripeAt(),
      updatedAt: z.iso.datetime(),
    })
    .meta({ description: 'A payout from your Stripe account to your bank (not a marketplace payout run).' }),
);

export const bankPayoutPage = pageOf(bankPayoutView, 'BankPayoutPage');
