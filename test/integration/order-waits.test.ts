import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Order, recordCancellation, type Transition } from '#shared/domain/order.ts';
import type { OrderStore } from '#shared/store/order-store.ts';
import { newId, storeCheckouts } from '../support/store-checkouts.ts';
import { freshTable } from '../support/table.ts';

let orders: OrderStore;
let fixtures: ReturnType<typeof storeCheckouts>;

beforeAll(async () => {
  const table = await freshTable();
  fixtures = storeCheckouts(table.client, table.tableName);
  ({ orders } = fixtures);
});

const toStep = (stepIndex: number): Transition => ({ next: 'await-step', capture: false, stepIndex });
const deadline = '2030-01-09T00:00:00.000Z';
const now = new Date('2030-01-02T00:00:00.000Z');

async function placedOrder(): Promise<Order> {
  const listing = await fixtures.publishedListing();
  const {
    orders: [placed],
  } = await fixtures.placeCheckout(newId('buyer'), [{ listing, quantity: 1 }]);
  if (!placed) throw new Error('the checkout planned no order');
  return placed;
}

/** A placed order moved on to `stepIndex` by a decision not yet taken up by its workflow. */
async function decidedOrder(stepIndex: number): Promise<Order> {
  const placed = await placedOrder();
  const decided = await orders.update(placed.id, (order) => ({
    order: {
      ...order,
      status: 'in-progress',
      paymentStatus: 'authorised',
      stepIndex,
      pending: toStep(stepIndex),
    },
  }));
  if (!decided) throw new Error('the order was not moved on');
  return decided;
}

const stepWait = (stepIndex: number, taskToken = 'token-1') => ({
  transition: toStep(stepIndex),
  taskToken,
  deadline,
});

/** The order as a wait begun at `now` with token-1 leaves it: no decision pending, one version on. */
function waitingFrom({ pending: _pending, ...order }: Order): Order {
  return {
    ...order,
    taskToken: 'token-1',
    deadline,
    version: order.version + 1,
    updatedAt: now.toISOString(),
  };
}

const cancel = (order: Order) =>
  orders.update(order.id, (current) => recordCancellation(current, 'test', 'cancelled', new Date()));

describe('OrderStore.beginStepWait', () => {
  it('stores the token and deadline of the decided step in one write, clearing the decision', async () => {
    const decided = await decidedOrder(1);
    const { items: entriesBefore } = await orders.listForParticipant(decided.buyerId, 1);

    const outcome = await orders.beginStepWait(decided.id, stepWait(1), now);

    const waiting = waitingFrom(decided);
    expect(outcome).toEqual({ waiting });
    expect(await orders.get(decided.id)).toEqual(waiting);
    // Nothing a participant's list shows changed: their entries are left as they were.
    expect((await orders.listForParticipant(decided.buyerId, 1)).items).toEqual(entriesBefore);
  });

  it('takes a retried task up with its new token while the order still waits at the step', async () => {
    const decided = await decidedOrder(1);
    await orders.beginStepWait(decided.id, stepWait(1, 'token-1'));
    expect(await orders.beginStepWait(decided.id, stepWait(1, 'token-2'))).toMatchObject({
      waiting: { taskToken: 'token-2', version: decided.version + 2 },
    });
  });

  it('answers the order as it stands, writing nothing, once it has moved on', async () => {
    const decided = await decidedOrder(1);
    expect(await orders.beginStepWait(decided.id, stepWait(2))).toEqual({ movedOn: decided });

    const cancelled = await cancel(decided);
    expect(await orders.beginStepWait(decided.id, stepWait(1))).toEqual({ movedOn: cancelled });
    expect(await orders.get(decided.id)).toEqual(cancelled);
  });

  it('refuses an order that does not exist, and a wait that is not for a step', async () => {
    await expect(orders.beginStepWait(randomUUID(), stepWait(1))).rejects.toMatchObject({
      code: 'order_not_found',
    });
    const decided = await decidedOrder(0);
    await expect(
      orders.beginStepWait(decided.id, { ...stepWait(0), transition: { next: 'complete', capture: false } }),
    ).rejects.toThrow('a step wait needs an await-step transition');
  });
});

describe('OrderStore.beginPaymentWait', () => {
  it('stores the token and deadline of an order awaiting its payment, and answers it', async () => {
    const placed = await placedOrder();
    const outcome = await orders.beginPaymentWait(placed.id, { taskToken: 'token-1', deadline }, now);
    const waiting = waitingFrom(placed);
    expect(outcome).toEqual({ waiting });
    expect(await orders.get(placed.id)).toEqual(waiting);
  });

  it('answers the order as it stands once it has moved on, writing nothing', async () => {
    const cancelled = await cancel(await placedOrder());
    expect(await orders.beginPaymentWait(cancelled?.id ?? '', { taskToken: 'token-1', deadline })).toEqual({
      movedOn: cancelled,
    });
    await expect(orders.beginPaymentWait(randomUUID(), { taskToken: 't', deadline })).rejects.toMatchObject({
      code: 'order_not_found',
    });
  });
});
