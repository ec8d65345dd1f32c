import { randomUUID } from 'node:crypto';
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type PaymentSimulator,
  startPaymentSimulator,
  testPaymentMethods,
} from '#infra/local/payment-simulator/index.ts';
import { PaymentRejected } from '#shared/payments/port.ts';
import { StripePayments } from '#shared/payments/stripe-payments.ts';
import { stripeClientOf } from '../support/stripe.ts';

/** The Stripe adapter of the payments port, through the real SDK, against the payment simulator. */

let simulator: PaymentSimulator;
let stripe: Stripe;
let payments: StripePayments;

beforeAll(async () => {
  simulator = await startPaymentSimulator();
  stripe = stripeClientOf(simulator);
  payments = new StripePayments(stripe);
});

afterAll(() => simulator.stop());

const testCard = 'pm_card_visa';

const newCheckout = (amount: number, paymentMethod?: string) => ({
  checkoutId: randomUUID(),
  buyerId: 'buyer-1',
  amount,
  currency: 'EUR',
  ...(paymentMethod ? { paymentMethod } : {}),
});

async function authorised(amount = 5000) {
  const checkout = newCheckout(amount, testCard);
  const payment = await payments.authorise(checkout);
  expect(payment.status).toBe('authorised');
  return { checkoutId: checkout.checkoutId, paymentId: payment.paymentId };
}

const countOf = (type: string, objectId: string) =>
  simulator.events(type).filter((event) => (event.data.object as { id?: string }).id === objectId).length;

describe('StripePayments.authorise', () => {
  it('creates one manual-capture PaymentIntent per checkout, grouped and tagged with the checkout', async () => {
    const checkout = newCheckout(5000, testCard);
    const first = await payments.authorise(checkout);
    const again = await payments.authorise(checkout);

    expect(first).toMatchObject({ status: 'authorised', checkoutId: checkout.checkoutId });
    expect(again.paymentId).toBe(first.paymentId);
    const intent = await stripe.paymentIntents.retrieve(first.paymentId);
    expect(intent).toMatchObject({
      amount: 5000,
      currency: 'eur',
      capture_method: 'manual',
      transfer_group: checkout.checkoutId,
      metadata: { checkoutId: checkout.checkoutId, buyerId: 'buyer-1' },
    });
  });

  it('waits for a payment method when none is given, handing out the client secret', async () => {
    const payment = await payments.authorise(newCheckout(5000));
    expect(payment).toMatchObject({ status: 'requires-payment-method', clientSecret: expect.any(String) });
  });

  it('asks the client to authenticate when the card needs it', async () => {
    const payment = await payments.authorise(newCheckout(5000, testPaymentMethods.authenticationRequired));
    expect(payment).toMatchObject({ status: 'requires-action', clientSecret: expect.any(String) });
  });

  it('reports a declined card as a payment waiting for another method, with the reason', async () => {
    const payment = await payments.authorise(newCheckout(5000, testPaymentMethods.declined));
    expect(payment).toMatchObject({ status: 'requires-payment-method', failure: 'Your card was declined.' });
  });

  it('creates one PaymentIntent when the response is lost and the SDK retries', async () => {
    const checkout = newCheckout(5000, testCard);
    const before = simulator.events('payment_intent.created').length;
    simulator.loseNextResponses(1);
    const payment = await payments.authorise(checkout);
    expect(payment.status).toBe('authorised');
    expect(simulator.events('payment_intent.created').length).toBe(before + 1);
  });
});

describe('StripePayments.capture and cancel', () => {
  it('captures part of the authorisation once, however often it is asked', async () => {
    const payment = await authorised(5000);
    await payments.capture(payment, 3000);
    await payments.capture(payment, 3000);

    expect(await payments.retrieve(payment.paymentId)).toMatchObject({ status: 'captured' });
    expect((await stripe.paymentIntents.retrieve(payment.paymentId)).amount_received).toBe(3000);
    expect(countOf('payment_intent.succeeded', payment.paymentId)).toBe(1);
  });

  it('counts a capture retried after Stripe forgot its key as done, if Stripe has it', async () => {
    const isolated = await startPaymentSimulator();
    try {
      const adapter = new StripePayments(stripeClientOf(isolated));
      const { paymentId } = await adapter.authorise(newCheckout(5000, testCard));
      const payment = { checkoutId: 'c-forgotten', paymentId };
      await adapter.capture(payment, 5000);
      isolated.advanceClock(25 * 60 * 60);
      await expect(adapter.capture(payment, 5000)).resolves.toBeUndefined();
      await expect(adapter.capture(payment, 4000)).rejects.toBeInstanceOf(PaymentRejected);
    } finally {
      await isolated.stop();
    }
  });

  it('refuses to capture an expired authorisation', async () => {
    const isolated = await startPaymentSimulator();
    try {
      const adapter = new StripePayments(stripeClientOf(isolated));
      const { paymentId } = await adapter.authorise(newCheckout(5000, testCard));
      isolated.advanceClock(8 * 24 * 60 * 60);
      await expect(adapter.capture({ checkoutId: 'c-expired', paymentId }, 5000)).rejects.toBeInstanceOf(
        PaymentRejected,
      );
      expect(await adapter.retrieve(paymentId)).toMatchObject({ status: 'cancelled' });
    } finally {
      await isolated.stop();
    }
  });

  it('cancels the authorisation once; a captured payment cannot be cancelled', async () => {
    const payment = await authorised();
    await payments.cancel(payment);
    await payments.cancel(payment);
    expect(await payments.retrieve(payment.paymentId)).toMatchObject({ status: 'cancelled' });

    const captured = await authorised();
    await payments.capture(captured, 5000);
    await expect(payments.cancel(captured)).rejects.toBeInstanceOf(PaymentRejected);
  });
});

describe('StripePayments.refund', () => {
  it('refunds once per refund key, names the key, and refuses more than was captured', async () => {
    const payment = await authorised(5000);
    await payments.capture(payment, 5000);
    const refund = { ...payment, refundKey: 'order-1:r-1', amount: 1200 };
    await payments.refund(refund);
    await payments.refund(refund);

    const refunds = simulator
      .events('refund.created')
      .map((event) => event.data.object as unknown as Stripe.Refund)
      .filter((made) => made.payment_intent === payment.paymentId);
    expect(refunds.map((made) => made.amount)).toEqual([1200]);
    expect(await payments.refundMade(refunds[0]?.id ?? '')).toEqual({
      refundKey: 'order-1:r-1',
      amount: 1200,
      failed: false,
    });
    await expect(
      payments.refund({ ...payment, refundKey: 'order-1:r-2', amount: 3801 }),
    ).rejects.toBeInstanceOf(PaymentRejected);
  });

  it('does not refund again once Stripe forgot the idempotency key', async () => {
    const isolated = await startPaymentSimulator();
    try {
      const adapter = new StripePayments(stripeClientOf(isolated));
      const { paymentId } = await adapter.authorise(newCheckout(5000, testCard));
      const payment = { checkoutId: 'c-late-retry', paymentId };
      await adapter.capture(payment, 5000);
      const refund = { ...payment, refundKey: 'order-9:r-1', amount: 1000 };
      await adapter.refund(refund);
      isolated.advanceClock(25 * 60 * 60);
      await adapter.refund(refund);
      expect(isolated.events('refund.created')).toHaveLength(1);
    } finally {
      await isolated.stop();
    }
  });
});

describe('StripePayments.retrieveDispute', () => {
  it('reads a chargeback as open, then as decided', async () => {
    const payment = await authorised(5000);
    await payments.capture(payment, 5000);
    const dispute = simulator.openDispute(payment.paymentId);

    expect(await payments.retrieveDispute(dispute.id)).toEqual({
      disputeId: dispute.id,
      paymentId: payment.paymentId,
      amount: 5000,
      status: 'open',
    });
    simulator.closeDispute(dispute.id, 'lost');
    expect(await payments.retrieveDispute(dispute.id)).toMatchObject({ status: 'lost' });
  });
});
