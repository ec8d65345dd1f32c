import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { recordCompletion } from '#shared/domain/order.ts';
import { defaultPurchase } from '#shared/domain/processes.ts';
import { orderKey } from '#shared/store/entities/order.ts';
import type { OrderStore } from '#shared/store/order-store.ts';
import { newId, storeCheckouts } from '../support/store-checkouts.ts';
import { freshTable } from '../support/table.ts';

let orders: OrderStore;
let fixtures: ReturnType<typeof storeCheckouts>;
let table: Awaited<ReturnType<typeof freshTable>>;

beforeAll(async () => {
  table = await freshTable();
  fixtures = storeCheckouts(table.client, table.tableName);
  ({ orders } = fixtures);
});

/** One placed order of a new listing, bought by `buyerId`. */
async function placedOrder(buyerId = newId('buyer')) {
  const listing = await fixtures.publishedListing();
  const {
    orders: [placed],
  } = await fixtures.placeCheckout(buyerId, [{ listing, quantity: 1 }]);
  if (!placed) throw new Error('the checkout planned no order');
  return placed;
}

const storedItem = async (orderId: string) =>
  (await table.client.send(new GetCommand({ TableName: table.tableName, Key: orderKey(orderId) }))).Item;

describe("the participants' entries of an order", () => {
  it('are rewritten only when a change shows them something new', async () => {
    const buyerId = newId('buyer');
    const placed = await placedOrder(buyerId);
    const entry = async () => (await orders.listForParticipant(buyerId, 1)).items[0];
    const before = await entry();

    const unseen = await orders.update(
      placed.id,
      (order) => ({ order: { ...order, taskToken: 'token-1' } }),
      {
        now: new Date(Date.parse(placed.updatedAt) + 1000),
      },
    );
    expect(unseen?.version).toBe(placed.version + 1);
    expect(await entry()).toEqual(before);

    const completedAt = new Date(Date.parse(placed.updatedAt) + 2000);
    await orders.update(placed.id, (order) => recordCompletion(order, completedAt), { now: completedAt });
    expect(await entry()).toMatchObject({ status: 'completed', updatedAt: completedAt.toISOString() });
  });
});

describe('OrderStore.update from the order as the caller read it', () => {
  it('starts from it, and reads the order again when it has moved since', async () => {
    const placed = await placedOrder();
    await orders.update(placed.id, (order) => ({ order: { ...order, taskToken: 'token-1' } }));

    const seen: (string | undefined)[] = [];
    const updated = await orders.update(
      placed.id,
      (order) => {
        seen.push(order.taskToken);
        return { order: { ...order, taskToken: 'token-2' } };
      },
      { asRead: placed },
    );
    expect(seen).toEqual([undefined, 'token-1']);
    expect(updated).toMatchObject({ version: placed.version + 2, taskToken: 'token-2' });
  });
});

describe('an order item of schema version 1, which kept a copy of its process', () => {
  it('reads as naming that process version, and is written back as version 2 without the copy', async () => {
    const placed = await placedOrder();
    const current = await storedItem(placed.id);
    await table.client.send(
      new PutCommand({
        TableName: table.tableName,
        Item: { ...current, schemaVersion: 1, process: defaultPurchase },
      }),
    );

    const read = await orders.get(placed.id);
    expect(read?.process).toEqual({ id: 'default-purchase', version: 1 });

    await orders.update(placed.id, (order) => recordCompletion(order, new Date()));
    const rewritten = await storedItem(placed.id);
    expect(rewritten).toMatchObject({ schemaVersion: 2, process: { id: 'default-purchase', version: 1 } });
    expect(rewritten?.process).not.toHaveProperty('steps');
  });
});
