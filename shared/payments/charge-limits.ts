/**
 * The most Stripe takes in one payment: eight digits of minor units (999,999.99 in a two-decimal
 * currency). Checked before a checkout reserves anything, and by the local payment simulator.
 */
export const maxChargeAmount = 99_999_999;
