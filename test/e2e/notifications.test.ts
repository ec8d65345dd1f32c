import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CapturedMail } from '#infra/local/mail-sink.ts';
import { expectProblem, TestApi } from '../support/api.ts';
import { eventually } from '../support/eventually.ts';
import { act, placeOrder, publishListing } from '../support/orders.ts';
import { onboardedSeller, type PayoutSeller } from '../support/payouts.ts';

let api: TestApi;
let admin: string;
let camille: string;
let dora: string;
let seller: PayoutSeller;
let listingId: string;

const mailTo = async (address: string): Promise<CapturedMail[]> =>
  (await api.stack.mail.messages()).filter((mail) => mail.to.includes(address));

/** Waits until `address` was mailed a message whose subject matches, and returns it. */
const mailed = (address: string, subject: RegExp) =>
  eventually(async () => {
    const found = (await mailTo(address)).find((mail) => subject.test(mail.subject));
    expect(found, `no mail to ${address} with a subject like ${subject}`).toBeDefined();
    return found as CapturedMail;
  }, 30_000);

const emailOf = (userId: string) => api.stack.users.find(userId)?.email ?? '';

beforeAll(async () => {
  // Each function in a worker with its role from the template: a grant the notifier lacks (SES,
  // Cognito, the reminder's state machine) fails here. Reminders come 5 s after a step begins.
  api = await TestApi.start({
    isolate: true,
    operatorSettings: { NOTIFICATION_REMINDER_LEAD_SECONDS: String(3 * 24 * 3600 - 5) },
  });
  admin = await api.stack.identity.issueToken({
    userId: 'nt-ada',
    roles: ['admin'],
    email: 'ada@ops.example',
  });
  camille = await api.stack.identity.issueToken({
    userId: 'nt-camille',
    roles: ['buyer'],
    email: 'camille@example.fr',
  });
  dora = await api.token('nt-dora', 'buyer');
  seller = await onboardedSeller(api);
  listingId = (
    await publishListing(api, seller.token, { price: { amount: 2599, currency: 'EUR' }, stock: 10 })
  ).id;
}, 240_000);
afterAll(() => api.stop());

describe('notifications', () => {
  it('keeps each user’s preferences, refusing what is not a preference', async () => {
    expect((await api.call('GET', '/users/me/notification-preferences', { token: camille })).body).toEqual({
      locale: 'en',
      optedOut: [],
    });
    const changed = await api.call('PATCH', '/users/me/notification-preferences', {
      token: camille,
      body: { locale: 'fr' },
    });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body).toMatchObject({ locale: 'fr', optedOut: [] });
    for (const body of [{ optedOut: ['transactional'] }, { locale: 'xx' }, { locale: 'fr', other: 1 }]) {
      expectProblem(
        await api.call('PATCH', '/users/me/notification-preferences', { token: dora, body }),
        400,
      );
    }
    const optedOut = await api.call('PATCH', '/users/me/notification-preferences', {
      token: dora,
      body: { optedOut: ['order_updates', 'order_updates'] },
    });
    expect(optedOut.body).toMatchObject({ locale: 'en', optedOut: ['order_updates'] });
    // Each user changes only their own: Camille's choice stands.
    expect(
      (await api.call('GET', '/users/me/notification-preferences', { token: camille })).body,
    ).toMatchObject({
      locale: 'fr',
      optedOut: [],
    });
    // The gateway's authorizer answers for a request without a token.
    expect((await api.call('GET', '/users/me/notification-preferences')).status).toBe(401);
  }, 60_000);

  it('mails the seller a new order, the buyer its confirmation and shipping in their language, and admins a dispute', async () => {
    const orderId = await placeOrder(api, camille, listingId);
    const newOrder = await mailed(emailOf(seller.sellerId), new RegExp(`New order ${orderId} to accept`));
    expect(newOrder.from).toBe('orders@marketplace.localhost');
    expect(newOrder.text).toContain('€25.99');
    expect(newOrder.html).toContain(`<strong>${orderId}</strong>`);
    expect(newOrder.text).not.toContain('turn off');

    expect((await act(api, seller.token, orderId, 'accept')).status).toBe(200);
    const confirmed = await mailed('camille@example.fr', new RegExp(`Commande ${orderId} confirmée`));
    expect(confirmed.text).toContain('25,99');
    expect(
      (await act(api, seller.token, orderId, 'ship', { trackingNumber: 'TRK-42', carrier: 'Colis' })).status,
    ).toBe(200);
    const shipped = await mailed('camille@example.fr', new RegExp(`Commande ${orderId} expédiée`));
    expect(shipped.text).toContain('TRK-42 (Colis)');
    expect(shipped.text).toContain('suivi de commande');

    expect((await act(api, camille, orderId, 'open-dispute', { reason: 'Arrived <broken>' })).status).toBe(
      200,
    );
    const dispute = await mailed('ada@ops.example', new RegExp(`Dispute opened on order ${orderId}`));
    expect(dispute.html).toContain('Arrived &lt;broken&gt;');
    const settled = await api.call('POST', `/orders/${orderId}/dispute/settlement`, {
      token: admin,
      body: { refund: { amount: 1000, currency: 'EUR' }, note: 'Half' },
      headers: { 'idempotency-key': randomUUID() },
    });
    expect(settled.status, JSON.stringify(settled.body)).toBe(201);
    const refunded = await mailed('camille@example.fr', /Remboursement de 10,00/);
    expect(refunded.subject).toContain(orderId);
    // Every notification went once, though the stream and the notifier may deliver again.
    const subjects = (await mailTo('camille@example.fr')).map((mail) => mail.subject);
    expect(new Set(subjects).size).toBe(subjects.length);
  }, 180_000);

  it('reminds the seller of a step about to time out, as an event and a mail, and spares buyers what they turned off', async () => {
    const waiting = await placeOrder(api, dora, listingId);
    const reminder = await mailed(emailOf(seller.sellerId), new RegExp(`Reminder: order ${waiting} is due`));
    expect(reminder.text).toContain('"accept"');
    const { body } = await api.call('GET', '/sellers/me/events?types=order.step_due_soon', {
      token: seller.token,
    });
    expect(body.events).toContainEqual(
      expect.objectContaining({
        subject: { kind: 'order', id: waiting },
        data: expect.objectContaining({ step: 'accept' }),
      }),
    );

    // Dora turned order updates off: her confirmation comes, her shipping notice does not.
    expect((await act(api, seller.token, waiting, 'accept')).status).toBe(200);
    await mailed(emailOf('nt-dora'), new RegExp(`Order ${waiting} is confirmed`));
    expect((await act(api, seller.token, waiting, 'ship', { trackingNumber: 'TRK-7' })).status).toBe(200);
    await eventually(async () => {
      const feed = await api.call('GET', '/events?types=order.step_changed&limit=100', { token: admin });
      const receiving = feed.body.events.filter(
        (event: { subject: { id: string }; data: { step: string } }) =>
          event.subject.id === waiting && event.data.step === 'receive',
      );
      expect(receiving).toHaveLength(1);
    }, 30_000);
    // The notifier takes the log in order: once the dispute opened after it is mailed, the step's
    // event has been handled, and Dora was not mailed.
    expect((await act(api, dora, waiting, 'open-dispute', { reason: 'Late' })).status).toBe(200);
    await mailed('ada@ops.example', new RegExp(`Dispute opened on order ${waiting}`));
    expect((await mailTo(emailOf('nt-dora'))).map((mail) => mail.subject)).toEqual([
      `Order ${waiting} is confirmed`,
    ]);
  }, 180_000);
});
