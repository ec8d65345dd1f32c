import { onFirstCall } from '#shared/config/on-first-use.ts';
import type { Payments, Transfers } from '#shared/payments/port.ts';
import { StripePayments } from '#shared/payments/stripe-payments.ts';
import { StripeTransfers } from '#shared/payments/stripe-transfers.ts';
import { stripeApi } from './stripe-api.ts';

/** Composition root of the payment provider: Stripe, or locally the payment simulator speaking its API. */
export const payments: Payments = onFirstCall(async () => new StripePayments(await stripeApi()));

export const transfers: Transfers = onFirstCall(async () => new StripeTransfers(await stripeApi()));
