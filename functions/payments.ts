import type { Payments, Transfers } from '#shared/payments/port.ts';
import { StripePayments } from '#shared/payments/stripe-payments.ts';
import { StripeTransfers } from '#shared/payments/stripe-transfers.ts';
import { stripe } from './stripe.ts';

/** Composition root of the payment provider: Stripe, or locally the payment simulator speaking its API. */
export const payments: Payments = new StripePayments(stripe);

export const transfers: Transfers = new StripeTransfers(stripe);
