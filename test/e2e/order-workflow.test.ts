import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApi } from '../support/api.ts';
import {
  act,
  completedPurchaseHistory,
  eventsOf,
  historyOf,
  newStackPlace,
  orderAtStep,
  orderIdsOf,
  orderMatching,
  orderOffering,
  orderWithStatus,
  placeOrder,
  publishListing,
  type StackPlace,
  settledWithin,
  startApiAt,
  stockOf,
  timedOutAt,
} from '../support/orders.ts';
import { onboardSeller } from '../support/sellers.ts';

/** Workflow clocks, in real milliseconds per workflow second. */
const realTime = 1000;
/** A 3-day step lasts 2.6 s, 7 days 6 s, 14 days 12 s; the 15-minute payment window 9 ms. */
const fast = 0.01;

const ids = {
  seller: 'wf-sara',
  buyer: 'wf-ben',
  admin: 'wf-ada',
  maker: 'wf-mia',
  designer: 'wf-dora',
  manufacturer: 'wf-max',
};

// One stack runs at a time, always at the same place (data directory, DynamoDB port, table name): the
// function modules this process loads keep the first stack's DynamoDB endpoint and table. The blocks
// are ordered so the file starts three stacks: the fast clock for timeouts, then one per restart.
const scratch = mkdtempSync(join(tmpdir(), 'marketplace-order-workflow-'));
let place: StackPlace;
let api: TestApi;
let apiClock: number;
let sara: string;
let ben: string;
let ada: string;
let mia: string;
let dora: string;
let max: string;

/** Stops the running stack and starts another on the same data with the given workflow clock. */
async function restartAt(clock: number): Promise<void> {
  await api.stop();
  api = await startApiAt(place, clock);
  apiClock = clock;
}

/** The stack runs with this workflow clock from now on (restarted if it ran with another). */
async function runAt(clock: number): Promise<void> {
  if (apiClock !== clock) await restartAt(clock);
}

beforeAll(async () => {
  place = await newStackPlace(join(scratch, 'data'));
  api = await startApiAt(place, fast);
  apiClock = fast;
  // The signing key is kept in the data directory: these tokens outlive restarts.
  [sara, ben, ada, mia, dora, max] = await Promise.all([
    api.token(ids.seller, 'seller'),
    api.token(ids.buyer, 'buyer'),
    api.token(ids.admin, 'admin'),
    api.token(ids.maker, 'seller'),
    api.token(ids.designer, 'seller'),
    api.token(ids.manufacturer, 'seller'),
  ]);
  await Promise.all([sara, mia].map((seller) => onboardSeller(api, seller)));
});
afterAll(async () => {
  await api?.stop();
  await place?.paymentSimulator.stop();
  rmSync(scratch, { recursive: true, force: true });
});

const sellerEvent = (action: string, step: string) => ({
  type: 'action',
  action,
  step,
  by: { party: 'seller', userId: ids.seller },
});

describe.concurrent('timeouts', () => {
  beforeAll(() => runAt(fast));

  it('cancel an order the seller never accepts: payment released, stock back', async () => {
    const lamp = await publishListing(api, sara, { stock: 3 });
    const orderId = await placeOrder(api, ben, lamp.id);

    await timedOutAt(api, ben, orderId, 'accept');

    await orderMatching(api, ben, orderId, { status: 'cancelled', paymentStatus: 'cancelled' }, 3000);
    expect(await settledWithin(api, orderId, 3000)).toMatchObject({ status: 'succeeded' });
    expect(await stockOf(api, lamp.id)).toBe(3);
    expect(await eventsOf(api, ben, orderId)).toMatchObject([
      { type: 'placed' },
      { type: 'payment-authorised' },
      { type: 'timed-out', step: 'accept', by: { party: 'workflow' } },
      { type: 'cancelled', by: { party: 'workflow' } },
    ]);
  });

  it('cancel and refund an order the seller accepts but never ships', async () => {
    const lamp = await publishListing(api, sara, { stock: 3 });
    const orderId = await placeOrder(api, ben, lamp.id);
    await orderAtStep(api, ben, orderId, 'accept');
    expect((await act(api, sara, orderId, 'accept')).status).toBe(200);

    await timedOutAt(api, ben, orderId, 'ship');

    await orderMatching(api, ben, orderId, { status: 'cancelled', paymentStatus: 'refunded' }, 3000);
    expect(await settledWithin(api, orderId, 3000)).toMatchObject({ status: 'succeeded' });
    expect(await stockOf(api, lamp.id)).toBe(3);
    expect(await eventsOf(api, ben, orderId)).toMatchObject([
      { type: 'placed' },
      { type: 'payment-authorised' },
      sellerEvent('accept', 'accept'),
      { type: 'payment-captured' },
      { type: 'timed-out', step: 'ship' },
      { type: 'refunded', data: { refundId: '#cancellation', amount: '4999' } },
      { type: 'cancelled' },
    ]);
  }, 30_000);

  it('complete an order whose buyer never confirms receipt', async () => {
    const lamp = await publishListing(api, sara, { stock: 3 });
    const orderId = await placeOrder(api, ben, lamp.id);
    await orderAtStep(api, ben, orderId, 'accept');
    expect((await act(api, sara, orderId, 'accept')).status).toBe(200);
    expect((await act(api, sara, orderId, 'ship', { trackingNumber: 'TRACK-T3' })).status).toBe(200);

    await timedOutAt(api, ben, orderId, 'receive');

    await orderMatching(api, ben, orderId, { status: 'completed', paymentStatus: 'captured' }, 3000);
    expect(await settledWithin(api, orderId, 3000)).toMatchObject({ status: 'succeeded' });
    expect(await stockOf(api, lamp.id)).toBe(2);
    expect(await historyOf(api, ben, orderId)).toEqual([
      'placed',
      'payment-authorised',
      'accept',
      'payment-captured',
      'ship',
      'timed-out',
      'completed',
    ]);
  }, 40_000);
});

describe('a restart', () => {
  it('cancels at once an order whose step deadline passed while the stack was stopped', async () => {
    await runAt(fast);
    const lamp = await publishListing(api, sara, { stock: 3 });
    const orderId = await placeOrder(api, ben, lamp.id);
    const { currentStep } = await orderAtStep(api, ben, orderId, 'accept');

    await api.stop();
    const deadline = Date.parse(currentStep.deadline);
    expect(deadline, 'the deadline passes while the stack is stopped').toBeGreaterThan(Date.now());
    await new Promise((resolve) => setTimeout(resolve, deadline - Date.now() + 100));
    api = await startApiAt(place, realTime);
    apiClock = realTime;

    await orderMatching(api, ben, orderId, { status: 'cancelled', paymentStatus: 'cancelled' }, 3000);
    expect(await settledWithin(api, orderId, 3000)).toMatchObject({ status: 'succeeded' });
    expect(await stockOf(api, lamp.id)).toBe(3);
    expect(await eventsOf(api, ben, orderId)).toMatchObject([
      { type: 'placed' },
      { type: 'payment-authorised' },
      { type: 'timed-out', step: 'accept' },
      { type: 'cancelled' },
    ]);
  }, 40_000);

  it('resumes an order waiting to be shipped: it is shipped and received to completion', async () => {
    await runAt(realTime);
    const lamp = await publishListing(api, sara, { stock: 3 });
    const orderId = await placeOrder(api, ben, lamp.id);
    expect((await act(api, sara, orderId, 'accept')).status).toBe(200);
    const waiting = await orderOffering(api, sara, orderId, 'ship');

    await restartAt(realTime);

    // The wait resumes where it stood, with its deadline.
    const resumed = await orderOffering(api, sara, orderId, 'ship');
    expect(resumed.currentStep).toEqual(waiting.currentStep);
    expect((await act(api, sara, orderId, 'ship', { trackingNumber: 'TRACK-R1' })).status).toBe(200);
    expect((await act(api, ben, orderId, 'confirm-receipt')).status).toBe(200);
    expect(await settledWithin(api, orderId, 5000)).toMatchObject({ status: 'succeeded' });
    const order = await api.call('GET', `/orders/${orderId}`, { token: ben });
    expect(order.body).toMatchObject({ status: 'completed', paymentStatus: 'captured' });
    expect(await historyOf(api, ben, orderId)).toEqual(completedPurchaseHistory);
  }, 40_000);
});

describe('actions', () => {
  beforeAll(() => runAt(realTime));

  it('refuses the wrong party (403), the wrong state (409) and unknown actions (409), changing nothing', async () => {
    const lamp = await publishListing(api, sara);
    const orderId = await placeOrder(api, ben, lamp.id);
    const before = await orderOffering(api, sara, orderId, 'accept');
    const eventsBefore = await eventsOf(api, sara, orderId);
    const post = (token: string, action: string, data?: Record<string, string>) =>
      api.call('POST', `/orders/${orderId}/actions/${action}`, {
        token,
        ...(data ? { body: { data } } : {}),
      });

    const wrongParty = await post(ben, 'accept');
    expect(wrongParty.status).toBe(403);
    expect(wrongParty.body.code).toBe('not_your_action');
    const wrongState = await post(sara, 'ship', { trackingNumber: 'TRACK-EARLY' });
    expect(wrongState.status).toBe(409);
    expect(wrongState.body.code).toBe('action_not_available');
    const unknown = await post(sara, 'teleport');
    expect(unknown.status).toBe(409);
    expect(unknown.body.code).toBe('action_not_available');

    expect((await api.call('GET', `/orders/${orderId}`, { token: sara })).body).toEqual(before);
    expect(await eventsOf(api, sara, orderId)).toEqual(eventsBefore);
  });

  it('names a missing tracking number (400) and refuses a second accept (409), changing nothing', async () => {
    const lamp = await publishListing(api, sara);
    const orderId = await placeOrder(api, ben, lamp.id);
    expect((await act(api, sara, orderId, 'accept')).status).toBe(200);
    const before = await orderOffering(api, sara, orderId, 'ship');
    const eventsBefore = await eventsOf(api, sara, orderId);

    const untracked = await api.call('POST', `/orders/${orderId}/actions/ship`, { token: sara });
    expect(untracked.status).toBe(400);
    expect(untracked.body.errors.map((error: { field: string }) => error.field)).toEqual([
      'body.data.trackingNumber',
    ]);
    const again = await api.call('POST', `/orders/${orderId}/actions/accept`, { token: sara });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('action_not_available');

    expect((await api.call('GET', `/orders/${orderId}`, { token: sara })).body).toEqual(before);
    expect(await eventsOf(api, sara, orderId)).toEqual(eventsBefore);
  });
});

describe('a dispute', () => {
  beforeAll(() => runAt(realTime));

  it('settled by an admin for the buyer cancels the order, refunds the payment and restocks', async () => {
    const lamp = await publishListing(api, sara, { stock: 3 });
    const orderId = await placeOrder(api, ben, lamp.id);
    expect((await act(api, sara, orderId, 'accept')).status).toBe(200);
    expect((await act(api, sara, orderId, 'ship', { trackingNumber: 'TRACK-D1' })).status).toBe(200);
    expect((await act(api, ben, orderId, 'open-dispute', { reason: 'Arrived broken' })).status).toBe(200);
    expect((await act(api, ada, orderId, 'refund-buyer', { note: 'Photos confirm it' })).status).toBe(200);

    const order = await orderWithStatus(api, ben, orderId, 'cancelled');
    expect(order.paymentStatus).toBe('refunded');
    expect(await stockOf(api, lamp.id)).toBe(3);
    expect(await eventsOf(api, ben, orderId)).toMatchObject([
      { type: 'placed', by: { party: 'buyer', userId: ids.buyer } },
      { type: 'payment-authorised', by: { party: 'payments' } },
      sellerEvent('accept', 'accept'),
      { type: 'payment-captured', by: { party: 'workflow' } },
      { ...sellerEvent('ship', 'ship'), data: { trackingNumber: 'TRACK-D1' } },
      {
        type: 'action',
        action: 'open-dispute',
        step: 'receive',
        by: { party: 'buyer', userId: ids.buyer },
        data: { reason: 'Arrived broken' },
      },
      {
        type: 'action',
        action: 'refund-buyer',
        step: 'dispute',
        by: { party: 'admin', userId: ids.admin },
        data: { note: 'Photos confirm it' },
      },
      { type: 'refunded', by: { party: 'workflow' }, data: { refundId: '#cancellation' } },
      { type: 'cancelled', by: { party: 'workflow' } },
    ]);
    // The seller's ledger: owed at capture, given back to the buyer at the refund.
    const statement = await api.call('GET', '/sellers/me/statement?limit=100', { token: sara });
    const ofThisOrder = statement.body.items
      .filter((entry: { scope: string }) => entry.scope === `order:${orderId}`)
      .map((entry: { kind: string; account: string; amount: number }) => [
        entry.kind,
        entry.account,
        entry.amount,
      ]);
    expect(ofThisOrder).toEqual([
      ['refund', 'pending', -4499],
      ['capture', 'pending', 4499],
    ]);
  });
});

describe('custom manufacturing', () => {
  beforeAll(() => runAt(realTime));

  it('goes from scan to design, a change request, approval, manufacture and receipt', async () => {
    const insole = await publishListing(api, mia, {
      title: 'Custom insole',
      price: { amount: 9999, currency: 'EUR' },
      stock: 2,
      process: 'custom-manufacturing',
      providers: [
        { party: 'designer', userId: ids.designer, shareBps: 3000 },
        { party: 'manufacturer', userId: ids.manufacturer, shareBps: 5000 },
      ],
    });
    // Anyone sees who makes it; for what share is between the seller and the providers.
    const shown = await api.call('GET', `/listings/${insole.id}`);
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({ id: insole.id, process: 'custom-manufacturing' });
    expect(shown.body.providers).toEqual([
      { party: 'designer', sellerId: ids.designer },
      { party: 'manufacturer', sellerId: ids.manufacturer },
    ]);
    expect(JSON.stringify(shown.body)).not.toContain('shareBps');
    const scan = { scanFileUrl: 'https://scans.example/ben-left-foot.stl' };
    const orderId = await placeOrder(api, ben, insole.id, scan);

    const firstDesign = { designFileUrl: 'https://designs.example/insole-v1.step' };
    expect((await act(api, dora, orderId, 'submit-design', firstDesign)).status).toBe(200);
    const changes = { comment: 'Raise the arch by 2 mm' };
    expect((await act(api, ben, orderId, 'request-changes', changes)).status).toBe(200);
    const redesign = await orderOffering(api, dora, orderId, 'submit-design');
    // The first design captured the payment; rounds of changes take no more.
    expect(redesign).toMatchObject({ currentStep: { name: 'design' }, paymentStatus: 'captured' });
    const secondDesign = { designFileUrl: 'https://designs.example/insole-v2.step' };
    expect((await act(api, dora, orderId, 'submit-design', secondDesign)).status).toBe(200);
    expect((await act(api, ben, orderId, 'approve')).status).toBe(200);
    const manufacturing = await orderOffering(api, max, orderId, 'ship');
    expect(manufacturing).toMatchObject({ currentStep: { name: 'manufacture' }, paymentStatus: 'captured' });
    expect((await act(api, max, orderId, 'ship', { trackingNumber: 'TRACK-CM1' })).status).toBe(200);
    expect((await act(api, ben, orderId, 'confirm-receipt')).status).toBe(200);

    const order = await orderWithStatus(api, ben, orderId, 'completed');
    // 10 % commission of 9999 is 1000; of the 8999 left the designer gets 30 % and the manufacturer
    // 50 %, each rounded down, and the seller the remainder.
    expect(order).toMatchObject({
      paymentStatus: 'captured',
      total: 9999,
      lines: [{ listingId: insole.id, data: scan }],
    });
    // The buyer sees what they pay, not how the platform and the providers split it.
    expect(order).not.toHaveProperty('payees');
    expect(order).not.toHaveProperty('commission');
    expect(order.lines[0]).not.toHaveProperty('commission');
    const asDesigner = await api.call('GET', `/orders/${orderId}`, { token: dora });
    expect(asDesigner.body).toMatchObject({ commission: 1000, lines: [{ commission: 1000 }] });
    expect(asDesigner.body.payees).toEqual([
      { party: 'seller', userId: ids.maker, amount: 1801 },
      { party: 'designer', userId: ids.designer, amount: 2699 },
      { party: 'manufacturer', userId: ids.manufacturer, amount: 4499 },
    ]);
    const provider = (party: 'designer' | 'manufacturer') => ({ party, userId: ids[party] });
    const buyer = { party: 'buyer', userId: ids.buyer };
    expect(await eventsOf(api, ben, orderId)).toMatchObject([
      { type: 'placed' },
      { type: 'payment-authorised' },
      { action: 'submit-design', step: 'design', by: provider('designer'), data: firstDesign },
      { type: 'payment-captured' },
      { action: 'request-changes', step: 'approve-design', by: buyer, data: changes },
      { action: 'submit-design', step: 'design', by: provider('designer'), data: secondDesign },
      { action: 'approve', step: 'approve-design', by: buyer },
      {
        action: 'ship',
        step: 'manufacture',
        by: provider('manufacturer'),
        data: { trackingNumber: 'TRACK-CM1' },
      },
      { action: 'confirm-receipt', step: 'receive', by: buyer },
      { type: 'completed' },
    ]);
    for (const participant of [ben, mia, dora, max]) {
      expect(await orderIdsOf(api, participant)).toContain(orderId);
    }
  });
});
