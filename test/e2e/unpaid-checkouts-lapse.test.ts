import { afterAll, beforeAll, expect, it } from 'vitest';
import { TestApi } from '../support/api.ts';
import { eventsOf, orderMatching, publishListing, stockOf, unpaidCheckout } from '../support/orders.ts';
import { onboardSeller } from '../support/sellers.ts';

/** The workflows' clock runs fast: the default 15-minute payment window lapses in 9 ms. */
const msPerWorkflowSecond = 0.01;

let api: TestApi;
let seller: string;

beforeAll(async () => {
  api = await TestApi.start({ workflowMsPerSecond: msPerWorkflowSecond });
  seller = await api.token('lapse-seller', 'seller');
  await onboardSeller(api, seller);
});
afterAll(() => api.stop());

it('cancels the orders of checkouts never paid for: stock back, and the buyer may check out again', async () => {
  const buyer = await api.token('lapse-buyer', 'buyer');
  const lamp = await publishListing(api, seller, { stock: 3 });
  // Three unpaid checkouts is as many as a buyer may have at once; each lapses after its window.
  const placed: string[] = [];
  for (const _ of [1, 2, 3]) {
    const response = await unpaidCheckout(api, buyer, lamp.id);
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    placed.push(response.body.orders[0].id);
    await orderMatching(api, buyer, response.body.orders[0].id, { status: 'cancelled' }, 3000);
  }
  expect(await stockOf(api, lamp.id)).toBe(3);
  expect(await eventsOf(api, buyer, placed[0] ?? '')).toMatchObject([
    { type: 'placed' },
    { type: 'timed-out' },
    { type: 'cancelled', by: { party: 'workflow' } },
  ]);
  expect((await unpaidCheckout(api, buyer, lamp.id)).status).toBe(201);
});
