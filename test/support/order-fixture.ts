import type { Order } from '#shared/domain/order.ts';
import { defaultPurchaseV2, processOf, processRefOf } from '#shared/domain/processes.ts';

/**
 * A default-purchase (version 2) order of a lamp and a vase, captured and waiting at its third
 * step (receive) for the buyer, as of `now`.
 */
export const orderAt = (now: Date, overrides: Partial<Order> = {}): Order => ({
  id: 'order-1',
  checkoutId: 'checkout-1',
  buyerId: 'buyer',
  sellerId: 'seller',
  parties: { buyer: 'buyer', seller: 'seller' },
  currency: 'EUR',
  lines: [
    {
      listingId: 'l-1',
      title: 'Lamp',
      quantity: 1,
      unitPrice: 7000,
      amount: 7000,
      commission: 700,
      data: {},
    },
    {
      listingId: 'l-2',
      title: 'Vase',
      quantity: 1,
      unitPrice: 3000,
      amount: 3000,
      commission: 300,
      data: {},
    },
  ],
  total: 10_000,
  commission: 1000,
  payees: [{ party: 'seller', userId: 'seller', amount: 9000 }],
  process: processRefOf(defaultPurchaseV2),
  paymentWindowSeconds: 900,
  status: 'in-progress',
  paymentStatus: 'captured',
  stepIndex: 2,
  taskToken: 'token-receive',
  deadline: new Date(now.getTime() + 14 * 86_400_000).toISOString(),
  version: 5,
  eventCount: 5,
  createdAt: now.toISOString(),
  updatedAt: now.toISOString(),
  ...overrides,
});

/** The action `name` of the fixture's process (default-purchase, version 2), at whichever step. */
export function fixtureAction(name: string) {
  const action = processOf(processRefOf(defaultPurchaseV2))
    .steps.flatMap((step) => step.actions)
    .find((candidate) => candidate.name === name);
  if (!action) throw new Error(`no action ${name}`);
  return action;
}
