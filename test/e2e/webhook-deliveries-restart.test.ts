import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TestApi } from '../support/api.ts';
import { eventually } from '../support/eventually.ts';
import { newStackPlace, type StackPlace } from '../support/orders.ts';
import { WebhookReceiver } from '../support/webhook-receiver.ts';

const scratch = mkdtempSync(join(tmpdir(), 'marketplace-webhook-restart-'));
const receiver = new WebhookReceiver();
let place: StackPlace;
let api: TestApi;

const start = () =>
  TestApi.start({
    ...place,
    operatorSettings: { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1', WEBHOOK_RETRY_SCHEDULE_SECONDS: '0,3' },
  });

beforeAll(async () => {
  await receiver.start();
  place = await newStackPlace(join(scratch, 'data'));
  api = await start();
}, 120_000);
afterAll(async () => {
  await api?.stop();
  await place?.paymentSimulator.stop();
  await receiver.stop();
  rmSync(scratch, { recursive: true, force: true });
});

it('makes at start-up the next attempt of a delivery whose queued retry was lost when the stack stopped', async () => {
  const seller = await api.token('whr-sia', 'seller');
  const registered = await api.call('POST', '/webhook-endpoints', {
    token: seller,
    body: { url: `${receiver.url}/restart`, eventTypes: ['payout_run.completed'] },
  });
  const { id, secret } = registered.body;
  receiver.down.add('/restart');
  const sent = await api.call('POST', `/webhook-endpoints/${id}/test`, { token: seller });
  const deliveries = (token: string) =>
    api.call('GET', `/webhook-endpoints/${id}/deliveries`, { token }).then(({ body }) => body.items);
  await eventually(async () => {
    expect((await deliveries(seller))[0]).toMatchObject({
      status: 'pending',
      attempts: [{ statusCode: 500 }],
    });
  });
  // The retry waits in the local queue, which keeps nothing across a restart.
  await api.stop();
  receiver.down.delete('/restart');

  api = await start();
  const token = await api.token('whr-sia', 'seller');
  const [, retried] = await eventually(async () => {
    expect(receiver.at('/restart')).toHaveLength(2);
    return receiver.at('/restart');
  }, 30_000);
  expect(new Webhook(secret).verify(retried?.body ?? '', retried?.headers as Record<string, string>)).toEqual(
    sent.body.event,
  );
  await eventually(async () => {
    expect((await deliveries(token))[0]).toMatchObject({
      status: 'succeeded',
      attempts: [{ statusCode: 500 }, { statusCode: 200 }],
    });
  });
}, 120_000);
