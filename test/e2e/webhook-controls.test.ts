import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiResponse, TestApi } from '../support/api.ts';
import { eventually } from '../support/eventually.ts';
import { type ReceivedWebhook, WebhookReceiver } from '../support/webhook-receiver.ts';

let api: TestApi;
let otto: string;
const receiver = new WebhookReceiver();
const failingLimitSeconds = 4;

beforeAll(async () => {
  await receiver.start();
  api = await TestApi.start({
    isolate: true,
    operatorSettings: {
      WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
      WEBHOOK_RETRY_SCHEDULE_SECONDS: '0,1,2',
      WEBHOOK_DISABLE_AFTER_FAILING_SECONDS: String(failingLimitSeconds),
    },
  });
  otto = await api.token('whc-otto', 'seller');
}, 120_000);
afterAll(async () => {
  await api.stop();
  await receiver.stop();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A seller's endpoint at `path` of the receiver, for event types no test here produces: only what a test sends arrives. */
async function endpointOf(token: string, path: string) {
  const registered = await api.call('POST', '/webhook-endpoints', {
    token,
    body: { url: `${receiver.url}${path}`, eventTypes: ['payout_run.completed'] },
  });
  expect(registered.status, JSON.stringify(registered.body)).toBe(201);
  return registered.body as { id: string; secret: string };
}

const post = (token: string, path: string, body?: unknown) =>
  api.call('POST', path, { token, ...(body === undefined ? {} : { body }) });

const sendTest = (token: string, endpointId: string) => post(token, `/webhook-endpoints/${endpointId}/test`);

async function deliveriesOf(token: string, endpointId: string) {
  const page = await api.call('GET', `/webhook-endpoints/${endpointId}/deliveries`, { token });
  expect(page.status).toBe(200);
  return page.body.items as Record<string, unknown>[];
}

/** Waits until the receiver has `count` requests at `path`, and answers them. */
const received = (path: string, count: number) =>
  eventually(async () => {
    expect(receiver.at(path)).toHaveLength(count);
    return receiver.at(path);
  }, 20_000);

const verified = (hit: ReceivedWebhook | undefined, secret: string) =>
  new Webhook(secret).verify(hit?.body ?? '', hit?.headers as Record<string, string>);

const expectProblem = (response: ApiResponse, status: number, code?: string) => {
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/problem\+json/);
  if (code) expect(response.body.code).toBe(code);
};

describe('webhook secret rotation', () => {
  it('signs with the old and the new secret through the grace period, with the new one alone after a rotation without one', async () => {
    const sam = await api.token('whc-sam', 'seller');
    const { id, secret: first } = await endpointOf(sam, '/rotating');
    const rotated = await post(sam, `/webhook-endpoints/${id}/rotate-secret`);
    expect(rotated.status, JSON.stringify(rotated.body)).toBe(200);
    const second = rotated.body.secret as string;
    expect(second).toMatch(/^whsec_/);
    expect(second).not.toBe(first);
    const [previous] = rotated.body.previousSecrets;
    expect(Date.parse(previous.expiresAt) - Date.now()).toBeGreaterThan(86_390_000);
    expect(Date.parse(previous.expiresAt) - Date.now()).toBeLessThanOrEqual(86_400_000);

    expect((await sendTest(sam, id)).status).toBe(202);
    const [during] = await received('/rotating', 1);
    expect(String(during?.headers['webhook-signature']).split(' ')).toHaveLength(2);
    expect(verified(during, first)).toMatchObject({ type: 'webhook.test' });
    expect(verified(during, second)).toMatchObject({ type: 'webhook.test' });

    const retired = await post(sam, `/webhook-endpoints/${id}/rotate-secret`, { gracePeriodSeconds: 0 });
    expect(retired.body.previousSecrets).toEqual([]);
    expect((await sendTest(sam, id)).status).toBe(202);
    const [, after] = await received('/rotating', 2);
    expect(String(after?.headers['webhook-signature']).split(' ')).toHaveLength(1);
    expect(verified(after, retired.body.secret)).toMatchObject({ type: 'webhook.test' });
    expect(() => verified(after, second)).toThrow();
    expect(() => verified(after, first)).toThrow();

    const tooLong = await post(sam, `/webhook-endpoints/${id}/rotate-secret`, {
      gracePeriodSeconds: 604_801,
    });
    expectProblem(tooLong, 400);
    expectProblem(await post(sam, `/webhook-endpoints/${id}/rotate-secret`, { graceSeconds: 60 }), 400);
    expectProblem(
      await post(otto, `/webhook-endpoints/${id}/rotate-secret`),
      404,
      'webhook_endpoint_not_found',
    );
  }, 60_000);
});

describe('webhook test events', () => {
  it('go to one endpoint through the delivery path, signed, recorded in its deliveries and in no feed', async () => {
    const tess = await api.token('whc-tess', 'seller');
    const { id, secret } = await endpointOf(tess, '/tested');
    const sent = await sendTest(tess, id);
    expect(sent.status, JSON.stringify(sent.body)).toBe(202);
    expect(sent.body.deliveryId).toMatch(/^\d{12}-test-\d{13}[0-9a-f]{4}$/);
    expect(sent.body.event).toMatchObject({
      type: 'webhook.test',
      actor: { kind: 'user', id: 'whc-tess' },
      subject: { kind: 'webhook_endpoint', id },
      data: { endpointId: id, url: `${receiver.url}/tested` },
    });
    const [hit] = await received('/tested', 1);
    expect(verified(hit, secret)).toEqual(sent.body.event);
    expect(hit?.headers['webhook-id']).toBe(sent.body.event.id);
    const [delivery] = await eventually(async () => {
      const items = await deliveriesOf(tess, id);
      expect(items[0]).toMatchObject({ status: 'succeeded' });
      return items;
    });
    expect(delivery).toMatchObject({
      id: sent.body.deliveryId,
      eventId: sent.body.event.id,
      eventType: 'webhook.test',
      attempts: [{ statusCode: 200 }],
      redeliveries: [],
    });
    expect(delivery).not.toHaveProperty('position');
    const feed = await api.call('GET', '/sellers/me/events', { token: tess });
    expect(JSON.stringify(feed.body.events)).not.toContain(sent.body.event.id);

    expectProblem(await sendTest(otto, id), 404, 'webhook_endpoint_not_found');
    expectProblem(await sendTest(await api.token('whc-bea', 'buyer'), id), 403);
  }, 60_000);

  it("go to the marketplace's endpoints from any admin, and never from a seller", async () => {
    const [ada, abe] = await Promise.all([api.token('whc-ada', 'admin'), api.token('whc-abe', 'admin')]);
    const { id, secret } = await endpointOf(ada, '/platform');
    const sent = await sendTest(abe, id);
    expect(sent.body.event).toMatchObject({ actor: { kind: 'admin', id: 'whc-abe' } });
    const [hit] = await received('/platform', 1);
    expect(verified(hit, secret)).toEqual(sent.body.event);
    expectProblem(await sendTest(otto, id), 404);
  }, 60_000);
});

describe('webhook redelivery', () => {
  it('starts one new sequence of attempts in the same delivery, however many ask at once', async () => {
    const rae = await api.token('whc-rae', 'seller');
    const { id } = await endpointOf(rae, '/again');
    const { deliveryId } = (await sendTest(rae, id)).body;
    await received('/again', 1);
    await eventually(async () =>
      expect((await deliveriesOf(rae, id))[0]).toMatchObject({ status: 'succeeded' }),
    );

    const redeliver = () => post(rae, `/webhook-endpoints/${id}/deliveries/${deliveryId}/redeliver`);
    // The receiver takes its time: the first redelivery is still being attempted when the others arrive.
    receiver.holdMs.set('/again', 3000);
    const answers = await Promise.all([redeliver(), redeliver(), redeliver()]);
    expect(answers.map(({ status }) => status).sort()).toEqual([202, 409, 409]);
    for (const refused of answers.filter(({ status }) => status === 409)) {
      expectProblem(refused, 409, 'webhook_delivery_in_progress');
    }
    expect(answers.find(({ status }) => status === 202)?.body).toMatchObject({
      id: deliveryId,
      status: 'pending',
      redeliveries: [{ by: 'whc-rae', firstAttempt: 1 }],
    });
    const [first, again] = await received('/again', 2);
    expect(again?.headers['webhook-id']).toBe(first?.headers['webhook-id']);
    receiver.holdMs.delete('/again');

    // A redelivery's retries follow the schedule from its own first attempt: 1 s after it.
    await eventually(async () =>
      expect((await deliveriesOf(rae, id))[0]).toMatchObject({ status: 'succeeded' }),
    );
    receiver.answers.set('/again', [500]);
    expect((await redeliver()).status).toBe(202);
    const hits = await received('/again', 4);
    expect((hits[3]?.at ?? 0) - (hits[2]?.at ?? 0)).toBeLessThan(1500);
    const [delivery] = await eventually(async () => {
      const items = await deliveriesOf(rae, id);
      expect(items[0]).toMatchObject({ status: 'succeeded' });
      return items;
    });
    const attempts = (delivery?.attempts ?? []) as { statusCode: number }[];
    expect(attempts.map(({ statusCode }) => statusCode)).toEqual([200, 200, 500, 200]);
    expect(delivery?.redeliveries).toEqual([
      expect.objectContaining({ firstAttempt: 1 }),
      expect.objectContaining({ firstAttempt: 2 }),
    ]);
    await sleep(1500);
    expect(receiver.at('/again')).toHaveLength(4);

    expectProblem(
      await post(otto, `/webhook-endpoints/${id}/deliveries/${deliveryId}/redeliver`),
      404,
      'webhook_endpoint_not_found',
    );
    expectProblem(
      await post(rae, `/webhook-endpoints/${id}/deliveries/000000000001/redeliver`),
      404,
      'webhook_delivery_not_found',
    );
    expectProblem(await post(rae, `/webhook-endpoints/${id}/deliveries/evt_1/redeliver`), 400);
  }, 60_000);

  it('redelivers a time range in the background, each delivery once however often the range is asked', async () => {
    const ren = await api.token('whc-ren', 'seller');
    const { id } = await endpointOf(ren, '/range');
    const before = new Date().toISOString();
    const { deliveryId: outside } = (await sendTest(ren, id)).body;
    await received('/range', 1);
    const since = new Date().toISOString();
    const inside = [(await sendTest(ren, id)).body.deliveryId, (await sendTest(ren, id)).body.deliveryId];
    await received('/range', 3);
    const until = new Date().toISOString();

    const range = { since, until };
    const asked = await Promise.all([
      post(ren, `/webhook-endpoints/${id}/redeliver`, range),
      post(ren, `/webhook-endpoints/${id}/redeliver`, range),
    ]);
    expect(asked.map(({ status }) => status)).toEqual([202, 202]);
    expect(asked[0]?.body).toEqual({ id: asked[1]?.body.id, since, until, failedOnly: false });
    await received('/range', 5);
    const items = await eventually(async () => {
      const all = await deliveriesOf(ren, id);
      expect(all.map(({ status }) => status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
      return all;
    });
    const redeliveriesOf = (deliveryId: string) => items.find((item) => item.id === deliveryId)?.redeliveries;
    for (const deliveryId of inside) {
      expect(redeliveriesOf(deliveryId)).toEqual([
        expect.objectContaining({ rangeRequest: asked[0]?.body.id }),
      ]);
    }
    expect(redeliveriesOf(outside)).toEqual([]);
    expect((await post(ren, `/webhook-endpoints/${id}/redeliver`, range)).status).toBe(202);
    const onlyFailed = await post(ren, `/webhook-endpoints/${id}/redeliver`, {
      since: before,
      until: new Date().toISOString(),
      failedOnly: true,
    });
    expect(onlyFailed.status).toBe(202);
    await sleep(1500);
    expect(receiver.at('/range')).toHaveLength(5);

    const redeliverRange = (body: unknown) => post(ren, `/webhook-endpoints/${id}/redeliver`, body);
    expectProblem(await redeliverRange({ since: until, until: since }), 400);
    expectProblem(await redeliverRange({ since: '2020-01-01T00:00:00Z', until }), 400);
    expectProblem(await redeliverRange({ since }), 400);
    expectProblem(
      await post(otto, `/webhook-endpoints/${id}/redeliver`, range),
      404,
      'webhook_endpoint_not_found',
    );
  }, 60_000);
});

describe('failing webhook endpoints', () => {
  it(`are disabled once every attempt has failed for ${failingLimitSeconds} s here (5 days by default), their owner told, and may be enabled again`, async () => {
    const dee = await api.token('whc-dee', 'seller');
    const { id } = await endpointOf(dee, '/down');
    receiver.down.add('/down');
    const firstFailure = Date.now();
    await sendTest(dee, id);
    await eventually(async () =>
      expect((await deliveriesOf(dee, id))[0]).toMatchObject({ status: 'failed' }),
    );
    const failing = (await api.call('GET', '/webhook-endpoints', { token: dee })).body.items[0];
    expect(failing).toMatchObject({ status: 'enabled', failingSince: expect.any(String) });

    await sleep(Math.max(0, firstFailure + failingLimitSeconds * 1000 + 500 - Date.now()));
    await sendTest(dee, id);
    const disabled = await eventually(async () => {
      const [endpoint] = (await api.call('GET', '/webhook-endpoints', { token: dee })).body.items;
      expect(endpoint).toMatchObject({ status: 'disabled' });
      return endpoint;
    }, 20_000);
    expect(disabled.disabledReason).toBe(
      `Every attempt failed for ${failingLimitSeconds} second(s) or more, since ${failing.failingSince}.`,
    );
    await eventually(async () => {
      const feed = await api.call('GET', '/sellers/me/events?types=webhook_endpoint.disabled', {
        token: dee,
      });
      expect(feed.body.events).toEqual([
        expect.objectContaining({
          actor: { kind: 'system', name: 'webhooks' },
          data: {
            endpointId: id,
            owner: 'whc-dee',
            url: `${receiver.url}/down`,
            reason: disabled.disabledReason,
          },
        }),
      ]);
    }, 20_000);
    const mailed = await eventually(async () => {
      const mail = (await api.stack.mail.messages()).find((message) =>
        message.to.includes('whc-dee@users.marketplace.localhost'),
      );
      expect(mail?.subject).toBe(`Webhook endpoint disabled: ${receiver.url}/down`);
      return mail;
    }, 20_000);
    expect(mailed?.text).toContain(disabled.disabledReason);
    expectProblem(await sendTest(dee, id), 409, 'webhook_endpoint_disabled');

    expectProblem(await post(otto, `/webhook-endpoints/${id}/enable`), 404, 'webhook_endpoint_not_found');
    const enabled = await post(dee, `/webhook-endpoints/${id}/enable`);
    expect(enabled.status).toBe(200);
    expect(enabled.body).toMatchObject({ id, status: 'enabled' });
    for (const forgotten of ['disabledReason', 'disabledAt', 'failingSince']) {
      expect(enabled.body).not.toHaveProperty(forgotten);
    }
    expect((await post(dee, `/webhook-endpoints/${id}/enable`)).body).toMatchObject({ status: 'enabled' });
    receiver.down.delete('/down');
    await sendTest(dee, id);
    await eventually(async () =>
      expect((await deliveriesOf(dee, id))[0]).toMatchObject({ status: 'succeeded' }),
    );
    expect(api.stack.aws.denials()).toEqual([]);
  }, 60_000);
});
