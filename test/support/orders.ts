import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { ApiResponse, TestApi } from './api.ts';
import { eventually } from './eventually.ts';
import { aliceProfile, lampContent } from './fixtures.ts';

/** A published listing of `seller` (who gets a profile first if needed), with the given overrides. */
export async function publishListing(
  api: TestApi,
  sellerToken: string,
  overrides: Record<string, unknown> = {},
) {
  await api.call('PUT', '/sellers/me', { token: sellerToken, body: aliceProfile });
  const created = await api.call('POST', '/listings', {
    token: sellerToken,
    body: { ...lampContent, ...overrides },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const published = await api.call('POST', `/listings/${created.body.id}/publish`, { token: sellerToken });
  expect(published.status).toBe(200);
  return published.body as { id: string; stock: number; price: { amount: number; currency: string } };
}

export function checkout(
  api: TestApi,
  buyerToken: string,
  lines: readonly { listingId: string; quantity: number; data?: Record<string, string> }[],
  key: string = randomUUID(),
): Promise<ApiResponse> {
  return api.call('POST', '/checkouts', {
    token: buyerToken,
    body: { lines },
    headers: { 'idempotency-key': key },
  });
}

/** Waits until the order offers `token`'s user the action, then takes it. */
export async function act(
  api: TestApi,
  token: string,
  orderId: string,
  action: string,
  data?: Record<string, string>,
): Promise<ApiResponse> {
  await eventually(async () => {
    const order = await api.call('GET', `/orders/${orderId}`, { token });
    expect(order.body.actions.map((offered: { name: string }) => offered.name)).toContain(action);
  });
  return api.call('POST', `/orders/${orderId}/actions/${action}`, {
    token,
    ...(data ? { body: { data } } : {}),
  });
}

/** Waits until the order reaches `status`, and returns it. */
export function orderWithStatus(api: TestApi, token: string, orderId: string, status: string) {
  return eventually(async () => {
    const order = await api.call('GET', `/orders/${orderId}`, { token });
    expect(order.body.status).toBe(status);
    return order.body;
  });
}
