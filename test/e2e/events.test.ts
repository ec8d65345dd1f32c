import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestApi } from '../support/api.ts';
import { eventually } from '../support/eventually.ts';
import { act, orderAtStep, placeOrder, publishListing } from '../support/orders.ts';
import { type EarningSeller, sellerWithEarnings, settledRun, startRun } from '../support/payouts.ts';
import { onboardSeller } from '../support/sellers.ts';

interface FeedEvent {
  id: string;
  position: string;
  type: string;
  actor: { kind: string; id?: string; party?: string; name?: string };
  subject: { kind: string; id: string };
  data: Record<string, unknown>;
}

let api: TestApi;
let admin: string;
let buyer: string;
let finance: string;
let seller: EarningSeller;
let runId: string;

/** Reads a feed from `after` to its end, `limit` events a page, as an integrator resumes it. */
async function readAll(path: string, token: string, limit: number, after = '0') {
  const events: FeedEvent[] = [];
  let position = after;
  for (;;) {
    const page = await api.call('GET', `${path}?after=${Number(position)}&limit=${limit}`, { token });
    expect(page.status, JSON.stringify(page.body)).toBe(200);
    events.push(...page.body.events);
    if (page.body.position === position) return { events, position };
    position = page.body.position;
  }
}

const typesOf = (events: readonly FeedEvent[], subjectId: string) =>
  events.filter((event) => event.subject.id === subjectId).map((event) => event.type);

beforeAll(async () => {
  // Each function in a worker with its role from the template, so a grant the recorder or a
  // route lacks fails here.
  api = await TestApi.start({ isolate: true });
  [admin, buyer, finance] = await Promise.all([
    api.token('ev-ada', 'admin'),
    api.token('ev-ben', 'buyer'),
    api.token('ev-fin', 'finance'),
  ]);
  seller = await sellerWithEarnings(api, buyer, 4499);
  const started = await startRun(api, finance, { currency: 'EUR' });
  expect(started.status, JSON.stringify(started.body)).toBe(201);
  runId = started.body.runId;
  await settledRun(api, finance, runId, 60_000);
}, 300_000);
afterAll(() => api.stop());

describe('the event log', () => {
  it('records a checkout-to-payout journey in order, and resumes from any position without gaps or duplicates', async () => {
    const { events } = await eventually(async () => {
      const all = await readAll('/events', admin, 100);
      expect(all.events.map((event) => event.type)).toContain('payout_run.completed');
      return all;
    }, 30_000);
    expect(events.map((event) => Number(event.position))).toEqual(events.map((_, index) => index + 1));
    expect(new Set(events.map((event) => event.id)).size).toBe(events.length);

    const orderEvents = events.filter((event) => event.subject.id === seller.orderId);
    expect(orderEvents.map((event) => event.type)).toEqual([
      'order.placed',
      'payment.authorised',
      'order.step_changed',
      'payment.captured',
      'order.step_changed',
      'order.step_changed',
      'order.completed',
    ]);
    expect(orderEvents[0]).toMatchObject({
      actor: { kind: 'user', id: 'ev-ben', party: 'buyer' },
      data: { buyerId: 'ev-ben', sellerId: seller.sellerId, currency: 'EUR', total: 4499 },
    });
    expect(
      orderEvents.filter((event) => event.type === 'order.step_changed').map((event) => event.data),
    ).toEqual([
      expect.objectContaining({ step: 'accept', party: 'seller', deadline: expect.any(String) }),
      expect.objectContaining({ step: 'ship', party: 'seller' }),
      expect.objectContaining({ step: 'receive', party: 'buyer' }),
    ]);
    expect(orderEvents.at(-1)?.actor).toEqual({ kind: 'system', name: 'workflow' });

    const position = (type: string, subjectId: string) =>
      events.findIndex((event) => event.type === type && event.subject.id === subjectId);
    const paid = events.find(
      (event) => event.type === 'payout.paid' && event.data.sellerId === seller.sellerId,
    );
    expect(paid).toMatchObject({
      subject: { kind: 'payout', id: `${runId}:${seller.sellerId}` },
      data: { runId, currency: 'EUR', amount: seller.available },
    });
    expect(position('order.placed', seller.orderId)).toBeLessThan(
      position('order.completed', seller.orderId),
    );
    expect(position('order.completed', seller.orderId)).toBeLessThan(events.indexOf(paid as FeedEvent));
    expect(events.indexOf(paid as FeedEvent)).toBeLessThan(position('payout_run.completed', runId));

    // Page by page, from every position, an integrator reads exactly the same feed.
    for (const limit of [1, 3, 7]) {
      expect((await readAll('/events', admin, limit)).events).toEqual(events);
    }
    for (const after of [1, 5, events.length - 1]) {
      expect((await readAll('/events', admin, 4, String(after))).events).toEqual(events.slice(after));
    }
  }, 120_000);

  it('reads only the types asked for, and moves the position past the others', async () => {
    const page = await api.call('GET', '/events?types=order.completed,payout.paid&limit=100', {
      token: admin,
    });
    expect(page.status).toBe(200);
    const types = new Set((page.body.events as FeedEvent[]).map((event) => event.type));
    expect([...types].sort()).toEqual(['order.completed', 'payout.paid']);
    const all = await readAll('/events', admin, 100);
    expect(page.body.position).toBe(all.position);
  }, 60_000);

  it("gives a seller the events of their own orders, listings and payouts, and no one else's", async () => {
    const other = await api.token('ev-otto', 'seller');
    await onboardSeller(api, other);
    const lamp = await publishListing(api, other, { title: 'Other lamp' });
    const mine = await eventually(async () => {
      const feed = await readAll('/sellers/me/events', seller.token, 2);
      expect(feed.events.map((event) => event.type)).toContain('payout.paid');
      return feed.events;
    }, 30_000);
    expect(typesOf(mine, seller.orderId)).toContain('order.completed');
    expect(mine.map((event) => event.type)).toContain('listing.published');
    expect(mine.every((event) => event.subject.id !== lamp.id)).toBe(true);
    expect(mine.map((event) => event.type)).not.toContain('payout_run.completed');
    // The copies keep the admins' positions: a seller's feed is a subsequence of the whole.
    const everything = (await readAll('/events', admin, 100)).events;
    expect(
      mine.every((event) => everything.some((whole) => whole.id === event.id && whole.type === event.type)),
    ).toBe(true);
    const othersFeed = await eventually(async () => {
      const feed = await readAll('/sellers/me/events', other, 100);
      expect(feed.events.map((event) => event.subject.id)).toContain(lamp.id);
      return feed.events;
    }, 30_000);
    expect(othersFeed.every((event) => event.subject.id !== seller.orderId)).toBe(true);
  }, 60_000);

  it('puts every event on the bus: the archive keeps them all, and the example rule gets the disputes', async () => {
    const bus = api.stack.aws.eventBridge;
    const lamp = await publishListing(api, seller.token, { title: 'Disputed lamp' });
    const orderId = await placeOrder(api, buyer, lamp.id);
    expect((await act(api, seller.token, orderId, 'accept')).status).toBe(200);
    expect((await act(api, seller.token, orderId, 'ship', { trackingNumber: 'EV-1' })).status).toBe(200);
    await orderAtStep(api, buyer, orderId, 'receive');
    expect((await act(api, buyer, orderId, 'open-dispute', { reason: 'Arrived broken' })).status).toBe(200);

    const delivered = await eventually(async () => {
      const deliveries = bus
        .deliveries()
        .filter((delivery) => delivery.rule.startsWith('EventsAttentionRule'));
      expect(deliveries.map((delivery) => (delivery.event.detail as FeedEvent).subject.id)).toContain(
        orderId,
      );
      return deliveries;
    }, 30_000);
    expect(delivered.map((delivery) => delivery.event['detail-type'])).toEqual(['dispute.opened']);
    expect(delivered[0]?.target).toMatch(/^arn:aws:sqs:.*EventsAttentionQueue/);
    expect(delivered[0]?.event).toMatchObject({
      source: 'marketplace',
      detail: {
        type: 'dispute.opened',
        actor: { kind: 'user', id: 'ev-ben' },
        data: { reason: 'Arrived broken' },
      },
    });

    const { events } = await readAll('/events', admin, 100);
    const [archiveId] = api.stack.aws.resourcesOfType('AWS::Events::Archive');
    const archived = await eventually(async () => {
      const kept = bus.archived(archiveId ?? '').map((event) => event.detail as FeedEvent);
      expect(kept.length).toBeGreaterThanOrEqual(events.length);
      return kept;
    }, 30_000);
    expect(archived.slice(0, events.length)).toEqual(events);
    expect(api.stack.aws.denials()).toEqual([]);
  }, 120_000);

  it('refuses other roles and bad positions with a problem', async () => {
    expect((await api.call('GET', '/events', { token: seller.token })).status).toBe(403);
    expect((await api.call('GET', '/events', { token: buyer })).status).toBe(403);
    expect((await api.call('GET', '/sellers/me/events', { token: buyer })).status).toBe(403);
    expect((await api.call('GET', '/events')).status).toBe(401);
    for (const query of [
      'after=abc',
      'after=-1',
      'limit=0',
      'limit=101',
      'types=order.unknown',
      'cursor=x',
    ]) {
      const refused = await api.call('GET', `/events?${query}`, { token: admin });
      expect(refused.status, query).toBe(400);
      expect(refused.headers.get('content-type')).toMatch(/problem\+json/);
    }
  }, 60_000);
});
