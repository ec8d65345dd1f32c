import { randomUUID } from 'node:crypto';
import type { Role } from '#shared/domain/caller.ts';
import { customManufacturing, defaultPurchase } from '#shared/domain/processes.ts';
import type { ApiResponse, TestApi } from '../support/api.ts';
import { aliceProfile, lampContent } from '../support/fixtures.ts';
import { providersAccept, providersAreSellers } from '../support/providers.ts';

/** One party's action on the order, taken once the order offers it to them. */
interface ScenarioStep {
  readonly party: string;
  readonly action: string;
  readonly data?: Record<string, string>;
}

/** How a process's order is taken from checkout to completion: the way the benchmark measures it. */
export interface Scenario {
  readonly process: string;
  /** Providers of the listing besides its seller (party → share in basis points). */
  readonly providers: Readonly<Record<string, number>>;
  readonly orderData?: Record<string, string>;
  readonly steps: readonly ScenarioStep[];
}

/** Each shipped process, the whole way: every step's party acts as soon as it may. */
export const scenarios: readonly Scenario[] = [
  {
    process: defaultPurchase.id,
    providers: {},
    steps: [
      { party: 'seller', action: 'accept' },
      { party: 'seller', action: 'ship', data: { trackingNumber: 'TRACK-1' } },
      { party: 'buyer', action: 'confirm-receipt' },
    ],
  },
  {
    process: customManufacturing.id,
    providers: { designer: 3000, manufacturer: 5000 },
    orderData: { scanFileUrl: 'https://scans.example/left-foot.stl' },
    steps: [
      {
        party: 'designer',
        action: 'submit-design',
        data: { designFileUrl: 'https://designs.example/v1.step' },
      },
      { party: 'buyer', action: 'approve' },
      { party: 'manufacturer', action: 'ship', data: { trackingNumber: 'TRACK-1' } },
      { party: 'buyer', action: 'confirm-receipt' },
    ],
  },
];

const pollMs = 50;
const waitLimitMs = 30_000;

export function expectStatus(response: ApiResponse, status: number, what: string): ApiResponse {
  if (response.status !== status) {
    throw new Error(`${what}: ${response.status} ${JSON.stringify(response.body)}`);
  }
  return response;
}

/** Polls `read` every 50 ms until `done` holds of what it answers; bounded. */
export async function until<T>(
  what: string,
  read: () => Promise<T>,
  done: (value: T) => boolean,
): Promise<T> {
  const deadline = Date.now() + waitLimitMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/** The users of one scenario's orders: a token per party. */
export type Parties = Readonly<Record<string, string>>;

/** Gives `seller` a profile and a payments account onboarded at the payment simulator: they may publish. */
export async function onboardBenchSeller(api: TestApi, seller: string): Promise<void> {
  const simulator = api.stack.paymentSimulator;
  if (!simulator) throw new Error('The benchmark needs the payment simulator');
  expectStatus(await api.call('PUT', '/sellers/me', { token: seller, body: aliceProfile }), 201, 'profile');
  const account = await api.call('POST', '/sellers/me/payments-account', { token: seller });
  simulator.completeOnboarding(expectStatus(account, 201, 'payments account').body.account.stripeAccountId);
  await until(
    'onboarding',
    () => api.call('GET', '/sellers/me/payments-account', { token: seller }),
    (answer) => answer.body?.chargesEnabled === true,
  );
}

/**
 * An onboarded seller with a published listing of the scenario's process, stocked for `orders`
 * orders, and a token for every party. Returns the listing's id and the tokens.
 */
export async function prepareScenario(api: TestApi, scenario: Scenario, orders: number) {
  const prefix = `bench-${scenario.process}`;
  const user = (party: string) => `${prefix}-${party}`;
  const roles: Record<string, Role> = { buyer: 'buyer' };
  const parties: Record<string, string> = {};
  for (const party of ['seller', 'buyer', ...Object.keys(scenario.providers)]) {
    parties[party] = await api.token(user(party), roles[party] ?? 'seller');
  }
  const seller = parties.seller ?? '';
  await onboardBenchSeller(api, seller);
  const providers = Object.entries(scenario.providers).map(([party, shareBps]) => ({
    party,
    userId: user(party),
    shareBps,
  }));
  await providersAreSellers(api, providers);
  const created = await api.call('POST', '/listings', {
    token: seller,
    body: { ...lampContent, stock: orders, process: scenario.process, providers },
  });
  const listingId: string = expectStatus(created, 201, 'listing').body.id;
  await providersAccept(api, listingId, providers);
  expectStatus(await api.call('POST', `/listings/${listingId}/publish`, { token: seller }), 200, 'publish');
  return { listingId, parties };
}

/** One order of the scenario, from checkout to completion, as its parties' clients would take it. */
export async function completeOrder(
  api: TestApi,
  scenario: Scenario,
  listingId: string,
  parties: Parties,
): Promise<string> {
  const buyer = parties.buyer ?? '';
  const placed = await api.call('POST', '/checkouts', {
    token: buyer,
    body: {
      lines: [{ listingId, quantity: 1, ...(scenario.orderData ? { data: scenario.orderData } : {}) }],
      paymentMethod: 'pm_card_visa',
    },
    headers: { 'idempotency-key': randomUUID() },
  });
  const orderId: string = expectStatus(placed, 201, 'checkout').body.orders[0].id;
  for (const { party, action, data } of scenario.steps) {
    const token = parties[party] ?? '';
    await until(
      `order ${orderId} offering ${action} to the ${party}`,
      () => api.call('GET', `/orders/${orderId}`, { token }),
      (order) => order.body?.actions?.some((offered: { name: string }) => offered.name === action) === true,
    );
    const taken = await api.call('POST', `/orders/${orderId}/actions/${action}`, {
      token,
      ...(data ? { body: { data } } : {}),
    });
    expectStatus(taken, 200, `${action} of order ${orderId}`);
  }
  for (const workflow of [api.stack.orderWorkflows, api.stack.reviewWorkflows]) {
    const outcome = await workflow.settled(orderId);
    if (outcome.status !== 'succeeded') throw new Error(`order ${orderId}: ${JSON.stringify(outcome)}`);
  }
  const order = await api.call('GET', `/orders/${orderId}`, { token: buyer });
  if (order.body?.status !== 'completed') throw new Error(`order ${orderId} ended ${order.body?.status}`);
  return orderId;
}
