import { randomUUID } from 'node:crypto';
import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { type OrderPayment, PaymentRejected } from '#shared/payments/port.ts';
import { SimulatedPayments } from '#shared/payments/simulated-payments.ts';
import { keys } from '#shared/store/table.ts';
import { freshTable } from '../support/table.ts';

let client: DynamoDBDocumentClient;
let tableName: string;
let payments: SimulatedPayments;

beforeAll(async () => {
  ({ client, tableName } = await freshTable());
  payments = new SimulatedPayments(client, tableName);
});

/** A checkout authorised for `amount` EUR, and a way to name the parts of its orders. */
async function authorised(amount: number) {
  const checkoutId = randomUUID();
  await payments.authorise({ checkoutId, buyerId: 'buyer-1', amount, currency: 'EUR' });
  const part = (orderId: string, partAmount: number, currency = 'EUR'): OrderPayment => ({
    checkoutId,
    orderId,
    amount: partAmount,
    currency,
  });
  return { checkoutId, part };
}

/** How the checkout's authorised amount is split between the simulator's buckets. */
async function buckets(checkoutId: string) {
  const { Item } = await client.send(
    new GetCommand({ TableName: tableName, Key: keys.payment(checkoutId), ConsistentRead: true }),
  );
  return {
    uncommitted: Item?.uncommitted,
    refundable: Item?.refundable,
    released: Item?.released,
    refunded: Item?.refunded,
  };
}

const rejected = (promise: Promise<unknown>) => expect(promise).rejects.toBeInstanceOf(PaymentRejected);

describe('SimulatedPayments.authorise', () => {
  it('authorises at once, and again for the same amount with the same answer', async () => {
    const payment = { checkoutId: randomUUID(), buyerId: 'buyer-1', amount: 1500, currency: 'EUR' };
    const first = await payments.authorise(payment);
    expect(first).toEqual({ paymentId: `simulated_${payment.checkoutId}`, status: 'authorised' });
    expect(await payments.authorise(payment)).toEqual(first);
    expect(await buckets(payment.checkoutId)).toEqual({
      uncommitted: 1500,
      refundable: 0,
      released: 0,
      refunded: 0,
    });
  });

  it('rejects authorising the checkout again for another amount or currency', async () => {
    const payment = { checkoutId: randomUUID(), buyerId: 'buyer-1', amount: 1500, currency: 'EUR' };
    await payments.authorise(payment);
    await rejected(payments.authorise({ ...payment, amount: 1501 }));
    await rejected(payments.authorise({ ...payment, currency: 'GBP' }));
    expect((await buckets(payment.checkoutId)).uncommitted).toBe(1500);
  });
});

describe('SimulatedPayments capture and release', () => {
  it('captures an order once: the same capture again changes nothing', async () => {
    const { checkoutId, part } = await authorised(1000);
    await payments.capture(part('order-a', 600));
    await payments.capture(part('order-a', 600));
    expect(await buckets(checkoutId)).toEqual({
      uncommitted: 400,
      refundable: 600,
      released: 0,
      refunded: 0,
    });
  });

  it('rejects capturing more than is uncommitted, and lets the order retry within it', async () => {
    const { checkoutId, part } = await authorised(1000);
    await rejected(payments.capture(part('order-a', 1001)));
    expect(await buckets(checkoutId)).toEqual({ uncommitted: 1000, refundable: 0, released: 0, refunded: 0 });
    await payments.capture(part('order-a', 1000));
    expect((await buckets(checkoutId)).refundable).toBe(1000);
  });

  it('releases a captured order by refunding it, once', async () => {
    const { checkoutId, part } = await authorised(1000);
    await payments.capture(part('order-a', 600));
    expect(await payments.release(part('order-a', 600))).toBe('refunded');
    expect(await payments.release(part('order-a', 600))).toBe('refunded');
    expect(await buckets(checkoutId)).toEqual({
      uncommitted: 400,
      refundable: 0,
      released: 0,
      refunded: 600,
    });
  });

  it('releases an order never captured by cancelling its part of the authorisation, once', async () => {
    const { checkoutId, part } = await authorised(1000);
    expect(await payments.release(part('order-a', 600))).toBe('cancelled');
    expect(await payments.release(part('order-a', 600))).toBe('cancelled');
    expect(await buckets(checkoutId)).toEqual({
      uncommitted: 400,
      refundable: 0,
      released: 600,
      refunded: 0,
    });
  });

  it('rejects releasing more than is left', async () => {
    const { part } = await authorised(1000);
    await rejected(payments.release(part('order-a', 1001)));
  });

  it('rejects operations in another currency, or on a checkout never authorised', async () => {
    const { part } = await authorised(1000);
    await rejected(payments.capture(part('order-a', 100, 'GBP')));
    await rejected(
      payments.capture({ checkoutId: randomUUID(), orderId: 'order-a', amount: 100, currency: 'EUR' }),
    );
  });

  it('treats the orders of one checkout independently', async () => {
    const { checkoutId, part } = await authorised(1500);
    await payments.capture(part('order-a', 1000));
    await payments.release(part('order-b', 500));
    expect(await buckets(checkoutId)).toEqual({
      uncommitted: 0,
      refundable: 1000,
      released: 500,
      refunded: 0,
    });

    // order-b was cancelled, not captured: nothing is left for it to capture.
    await rejected(payments.capture(part('order-b', 500)));
    expect(await payments.release(part('order-a', 1000))).toBe('refunded');
    expect(await buckets(checkoutId)).toEqual({
      uncommitted: 0,
      refundable: 0,
      released: 500,
      refunded: 1000,
    });
  });

  it('keeps two orders’ captures apart: capturing one does not make the other’s a no-op', async () => {
    const { checkoutId, part } = await authorised(1500);
    await Promise.all([payments.capture(part('order-a', 1000)), payments.capture(part('order-b', 500))]);
    expect(await buckets(checkoutId)).toEqual({ uncommitted: 0, refundable: 1500, released: 0, refunded: 0 });
  });
});
