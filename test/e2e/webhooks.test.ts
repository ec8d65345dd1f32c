import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestApi } from '../support/api.ts';
import { eventually } from '../support/eventually.ts';
import { publishListing } from '../support/orders.ts';
import { onboardSeller } from '../support/sellers.ts';
import { WebhookReceiver } from '../support/webhook-receiver.ts';

let api: TestApi;
let admin: string;
let sara: string;
let otto: string;
const receiver = new WebhookReceiver();

beforeAll(async () => {
  await receiver.start();
  api = await TestApi.start({
    isolate: true,
    // The receiver listens on this machine: explicitly allowed, as local development allows it.
    operatorSettings: { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1', WEBHOOK_RETRY_SCHEDULE_SECONDS: '0,1,2' },
  });
  [admin, sara, otto] = await Promise.all([
    api.token('wh-ada', 'admin'),
    api.token('wh-sara', 'seller'),
    api.token('wh-otto', 'seller'),
  ]);
  await Promise.all([sara, otto].map((seller) => onboardSeller(api, seller)));
}, 120_000);
afterAll(async () => {
  await api.stop();
  await receiver.stop();
});

const register = (token: string, body: Record<string, unknown>) =>
  api.call('POST', '/webhook-endpoints', { token, body });

describe('webhook endpoints', () => {
  it("deliver a seller's own events, signed so the reference library verifies them", async () => {
    const registered = await register(sara, { url: `${receiver.url}/sara`, description: 'Sara’s shop' });
    expect(registered.status, JSON.stringify(registered.body)).toBe(201);
    expect(registered.body).toMatchObject({ scope: 'own', status: 'enabled', eventTypes: [] });
    const { secret, id } = registered.body as { secret: string; id: string };
    expect(secret).toMatch(/^whsec_/);
    const platform = await register(admin, {
      url: `${receiver.url}/admin`,
      eventTypes: ['listing.published'],
    });
    expect(platform.body).toMatchObject({ scope: 'marketplace' });

    const lamp = await publishListing(api, sara, { title: 'Hooked lamp' });
    const otherLamp = await publishListing(api, otto, { title: 'Unhooked lamp' });
    const [delivered] = await eventually(async () => {
      const hits = receiver.at('/sara');
      expect(hits.length).toBeGreaterThan(0);
      return hits;
    }, 30_000);
    const event = new Webhook(secret).verify(
      delivered?.body ?? '',
      delivered?.headers as Record<string, string>,
    );
    expect(event).toMatchObject({ type: 'listing.published', subject: { kind: 'listing', id: lamp.id } });
    expect(delivered?.headers['webhook-id']).toBe((event as { id: string }).id);
    // The marketplace's endpoint gets both sellers' listings; Sara's gets none of Otto's.
    const adminIds = await eventually(async () => {
      const ids = receiver
        .at('/admin')
        .map((hit) => (JSON.parse(hit.body) as { subject: { id: string } }).subject.id);
      expect(ids).toEqual(expect.arrayContaining([lamp.id, otherLamp.id]));
      return ids;
    }, 30_000);
    expect(adminIds).toHaveLength(2);
    expect(receiver.at('/sara').map((hit) => JSON.parse(hit.body).subject.id)).not.toContain(otherLamp.id);

    const deliveries = await api.call('GET', `/webhook-endpoints/${id}/deliveries`, { token: sara });
    expect(deliveries.status).toBe(200);
    expect(deliveries.body.items[0]).toMatchObject({
      eventType: 'listing.published',
      status: 'succeeded',
      attempts: [{ statusCode: 200 }],
    });
    const listed = await api.call('GET', '/webhook-endpoints', { token: sara });
    expect(listed.body.items).toEqual([expect.objectContaining({ id, url: `${receiver.url}/sara` })]);
    expect(JSON.stringify(listed.body)).not.toContain('whsec_');
    expect(api.stack.aws.denials()).toEqual([]);
  }, 90_000);

  it('retry a failing receiver on the schedule, and an endpoint answering 410 is disabled', async () => {
    const flaky = await register(otto, { url: `${receiver.url}/flaky`, eventTypes: ['listing.published'] });
    receiver.answers.set('/flaky', [500, 503]);
    await publishListing(api, otto, { title: 'Retried lamp' });
    const attempts = await eventually(async () => {
      const hits = receiver.at('/flaky');
      expect(hits).toHaveLength(3);
      return hits;
    }, 30_000);
    // 1 s, then 2 s (each jittered by a tenth at most).
    expect((attempts[1]?.at ?? 0) - (attempts[0]?.at ?? 0)).toBeGreaterThanOrEqual(850);
    expect((attempts[2]?.at ?? 0) - (attempts[1]?.at ?? 0)).toBeGreaterThanOrEqual(1750);
    expect(new Set(attempts.map((hit) => hit.headers['webhook-id'])).size).toBe(1);
    const log = await eventually(async () => {
      const page = await api.call('GET', `/webhook-endpoints/${flaky.body.id}/deliveries`, { token: otto });
      expect(page.body.items[0]?.status).toBe('succeeded');
      return page.body.items[0];
    });
    expect(log.attempts.map((attempt: { statusCode: number }) => attempt.statusCode)).toEqual([
      500, 503, 200,
    ]);

    await api.call('DELETE', `/webhook-endpoints/${flaky.body.id}`, { token: otto });
    const gone = await register(otto, { url: `${receiver.url}/gone`, eventTypes: ['listing.published'] });
    receiver.answers.set('/gone', [410]);
    await publishListing(api, otto, { title: 'Unwanted lamp' });
    await eventually(async () => {
      const listed = await api.call('GET', '/webhook-endpoints', { token: otto });
      const endpoint = listed.body.items.find((item: { id: string }) => item.id === gone.body.id);
      expect(endpoint).toMatchObject({ status: 'disabled', disabledReason: expect.stringContaining('410') });
    }, 30_000);
    // Otto is told, in his own feed: where the notification of the disabling comes from.
    await eventually(async () => {
      const feed = await api.call('GET', '/sellers/me/events?types=webhook_endpoint.disabled', {
        token: otto,
      });
      expect(feed.body.events).toContainEqual(
        expect.objectContaining({
          type: 'webhook_endpoint.disabled',
          subject: { kind: 'webhook_endpoint', id: gone.body.id },
          data: {
            endpointId: gone.body.id,
            owner: 'wh-otto',
            url: `${receiver.url}/gone`,
            reason: expect.stringContaining('410'),
          },
        }),
      );
    }, 30_000);
    await publishListing(api, otto, { title: 'Another lamp' });
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(receiver.at('/gone')).toHaveLength(1);
  }, 90_000);

  it('refuse destinations on this machine, private networks, plain http and names that do not resolve', async () => {
    for (const url of [
      'https://10.0.0.7/hook',
      'https://169.254.169.254/latest/meta-data',
      'https://localhost/hook',
      'https://[::1]/hook',
      'https://192.168.1.20/hook',
      'http://example.com/hook',
      'https://hooks.example.invalid/hook',
      'https://user:pass@example.com/hook',
    ]) {
      const refused = await register(sara, { url });
      expect(refused.status, url).toBe(422);
      expect(refused.headers.get('content-type')).toMatch(/problem\+json/);
      expect(refused.body.code, url).toBe('webhook_destination_refused');
    }
    expect((await register(sara, { url: 'ftp://example.com' })).status).toBe(400);
    expect((await register(sara, { url: `${receiver.url}/x`, eventTypes: ['order.nope'] })).status).toBe(400);
  }, 60_000);

  it("are each owner's alone: another seller can neither read nor delete them, and buyers have none", async () => {
    const mine = await register(sara, { url: `${receiver.url}/private` });
    expect(
      (await api.call('GET', `/webhook-endpoints/${mine.body.id}/deliveries`, { token: otto })).status,
    ).toBe(404);
    expect((await api.call('DELETE', `/webhook-endpoints/${mine.body.id}`, { token: otto })).status).toBe(
      404,
    );
    expect((await api.call('GET', '/webhook-endpoints', { token: otto })).body.items).not.toContainEqual(
      expect.objectContaining({ id: mine.body.id }),
    );
    const buyer = await api.token('wh-ben', 'buyer');
    expect((await register(buyer, { url: `${receiver.url}/buyer` })).status).toBe(403);
    expect((await api.call('DELETE', `/webhook-endpoints/${mine.body.id}`, { token: sara })).status).toBe(
      204,
    );
    expect((await api.call('DELETE', `/webhook-endpoints/${mine.body.id}`, { token: sara })).status).toBe(
      404,
    );
  }, 60_000);
});
