import { describe, expect, it } from 'vitest';
import { reminderFor, scheduleReminder } from '#shared/app/notifications/reminders.ts';
import { reminderTime, wantsNotification } from '#shared/domain/notifications.ts';
import type { MarketplaceEvent } from '#shared/events/catalog.ts';
import { notificationsOf } from '#shared/notifications/recipients.ts';
import { renderEmail } from '#shared/notifications/render.ts';
import { orderAt } from '../support/order-fixture.ts';

const now = new Date('2026-12-01T10:00:00.000Z');
const deadline = '2026-12-04T10:00:00.000Z';

const stepChanged = (orderId: string, step: string, stepIndex: number, party: string) =>
  ({
    id: 'evt_000000000007',
    position: '000000000007',
    type: 'order.step_changed',
    occurredAt: now.toISOString(),
    actor: { kind: 'system', name: 'workflow' },
    subject: { kind: 'order', id: orderId },
    data: { step, stepIndex, party, deadline },
  }) as MarketplaceEvent;

describe('who is notified of what', () => {
  const order = orderAt(now);

  it('tells the seller of a new order, the buyer of shipping (with tracking) and a party of its step', () => {
    expect(notificationsOf(stepChanged(order.id, 'accept', 0, 'seller'), { order })).toEqual([
      expect.objectContaining({ kind: 'new-order', to: { userId: order.sellerId } }),
    ]);
    const shipped = notificationsOf(stepChanged(order.id, 'receive', 2, 'buyer'), {
      order,
      tracking: { trackingNumber: 'T-1' },
    });
    expect(shipped).toEqual([
      expect.objectContaining({
        kind: 'order-shipped',
        to: { userId: order.buyerId },
        values: expect.objectContaining({ trackingNumber: 'T-1', deadline }),
      }),
    ]);
    expect(notificationsOf(stepChanged(order.id, 'ship', 1, 'seller'), { order })[0]?.kind).toBe(
      'order-action-needed',
    );
    expect(notificationsOf(stepChanged(order.id, 'dispute', 3, 'admin'), { order })).toEqual([]);
  });

  it('needs the order for order notices, and sends disputes to every admin', () => {
    expect(notificationsOf(stepChanged(order.id, 'accept', 0, 'seller'), {})).toEqual([]);
    const dispute = {
      ...stepChanged(order.id, 'dispute', 3, 'admin'),
      type: 'dispute.opened',
      data: { kind: 'chargeback', disputeId: 'dp_1' },
    } as MarketplaceEvent;
    expect(notificationsOf(dispute, {})).toEqual([
      {
        kind: 'dispute-opened',
        to: { admins: true },
        values: { orderId: order.id, kind: 'chargeback', disputeId: 'dp_1' },
      },
    ]);
  });
});

describe('a disabled webhook endpoint', () => {
  const disabled = (owner: string) =>
    ({
      id: 'evt_000000000009',
      position: '000000000009',
      type: 'webhook_endpoint.disabled',
      occurredAt: now.toISOString(),
      actor: { kind: 'system', name: 'webhooks' },
      subject: { kind: 'webhook_endpoint', id: 'we-1' },
      data: { endpointId: 'we-1', owner, url: 'https://hooks.example.com/in', reason: 'Gone' },
    }) as MarketplaceEvent;

  it('is told to its owner, and the marketplace’s to every admin', () => {
    expect(notificationsOf(disabled('sam'), {})).toEqual([
      {
        kind: 'webhook-endpoint-disabled',
        to: { userId: 'sam' },
        values: { endpointId: 'we-1', url: 'https://hooks.example.com/in', reason: 'Gone' },
      },
    ]);
    expect(notificationsOf(disabled('platform'), {})[0]?.to).toEqual({ admins: true });
  });
});

describe('a seller quality notice', () => {
  const crossing = (type: 'seller.quality_warning' | 'seller.quality_limit_reached') =>
    ({
      id: 'evt_000000000011',
      position: '000000000011',
      type,
      occurredAt: now.toISOString(),
      actor: { kind: 'system', name: 'quality-rules' },
      subject: { kind: 'user', id: 'sam' },
      data: {
        sellerId: 'sam',
        kpi: 'lateShipmentRate',
        value: 12.5,
        threshold: type === 'seller.quality_warning' ? 10 : 12,
        windowDays: 30,
        samples: 8,
        ...(type === 'seller.quality_limit_reached' ? { action: 'suspend' } : {}),
      },
    }) as MarketplaceEvent;

  it('is mailed to the seller, worded in their language with the KPI in its unit', () => {
    const [warning] = notificationsOf(crossing('seller.quality_warning'), {});
    expect(warning).toMatchObject({ kind: 'quality-warning', to: { userId: 'sam' } });
    const [limit] = notificationsOf(crossing('seller.quality_limit_reached'), {});
    expect(limit).toMatchObject({
      kind: 'quality-limit-reached',
      to: { userId: 'sam' },
      values: { suspend: true },
    });
    if (!warning || !limit) throw new Error('no notification');
    const english = renderEmail('quality-warning', 'en', { ...warning.values, marketplace: 'Shop' });
    expect(english.subject).toBe('Quality warning: your late shipment rate is 12.5 %');
    expect(english.text).toContain('past the warning level of 10 %');
    const french = renderEmail('quality-limit-reached', 'fr', { ...limit.values, marketplace: 'Shop' });
    expect(french.subject).toBe('Limite qualité atteinte : votre taux d’expéditions en retard est de 12,5 %');
    expect(french.text).toContain('Votre compte est suspendu');
    const hours = renderEmail('quality-warning', 'en', {
      ...warning.values,
      kpi: 'medianAcceptanceSeconds',
      value: 5400,
      marketplace: 'Shop',
    });
    expect(hours.subject).toBe('Quality warning: your median time to accept is 1.5 h');
  });
});

describe('preferences', () => {
  it('lets users turn off updates and reminders, never transactional mail', () => {
    const preferences = { locale: 'en', optedOut: ['order_updates', 'reminders'] } as const;
    expect(wantsNotification(preferences, 'order-shipped')).toBe(false);
    expect(wantsNotification(preferences, 'step-due-soon')).toBe(false);
    expect(wantsNotification(preferences, 'order-confirmed')).toBe(true);
    expect(wantsNotification(preferences, 'payout-failed')).toBe(true);
  });
});

describe('reminders', () => {
  it('come the lead before the deadline, unless that moment has passed', () => {
    expect(reminderTime(deadline, 24 * 3600, now)).toBe('2026-12-03T10:00:00.000Z');
    expect(reminderTime(deadline, 4 * 24 * 3600, now)).toBeUndefined();
  });

  it('are started once per order, step and deadline, and not for admins’ steps', async () => {
    const started: [string, unknown][] = [];
    const timer = { start: async (name: string, input: unknown) => void started.push([name, input]) };
    const order = orderAt(now);
    const step = { step: 'accept', stepIndex: 0, party: 'seller', deadline };
    await scheduleReminder(order, step, 3600, timer, now);
    await scheduleReminder(order, { ...step, step: 'dispute', party: 'admin' }, 3600, timer, now);
    expect(started).toEqual([
      [
        `${order.id}-0-${Date.parse(deadline) / 1000}`,
        { orderId: order.id, stepIndex: 0, deadline, remindAt: '2026-12-04T09:00:00.000Z' },
      ],
    ]);
  });

  it('are put only while the order still waits at that step with that deadline', () => {
    const order = orderAt(now, { stepIndex: 0, deadline });
    const input = { orderId: order.id, stepIndex: 0, deadline, remindAt: now.toISOString() };
    expect(reminderFor(order, input, now)).toMatchObject({ step: 'accept', party: 'seller', deadline });
    expect(reminderFor(order, { ...input, deadline: '2026-12-05T10:00:00.000Z' }, now)).toBeUndefined();
    expect(reminderFor({ ...order, stepIndex: 1 }, input, now)).toBeUndefined();
    expect(reminderFor(undefined, input, now)).toBeUndefined();
  });
});

describe('rendering', () => {
  const values = {
    marketplace: 'Shop <&>',
    orderId: 'ord_1',
    currency: 'JPY',
    total: 2500,
    items: [{ title: 'Lamp <b>', quantity: 2 }],
    step: 'receive',
    deadline,
  };

  it('escapes values in HTML only, formats money in the currency’s minor units and dates in the locale', () => {
    const email = renderEmail('order-confirmed', 'en', values);
    expect(email.subject).toBe('Order ord_1 is confirmed');
    expect(email.text).toContain('¥2,500');
    expect(email.text).toContain('- 2 × Lamp <b>');
    expect(email.html).toContain('Lamp &lt;b&gt;');
    expect(email.html).toContain('Shop &lt;&amp;&gt;');
    expect(renderEmail('step-due-soon', 'fr', values).text).toContain('4 décembre 2026');
  });

  it('says in the footer how to turn off what can be turned off', () => {
    expect(renderEmail('order-shipped', 'en', values).text).toContain('turn off order update emails');
    expect(renderEmail('order-confirmed', 'en', values).text).not.toContain('turn off');
  });

  it('fails on a value its template needs but was not given', () => {
    const { orderId: _orderId, ...missing } = values;
    expect(() => renderEmail('order-confirmed', 'en', missing)).toThrow(/orderId/);
  });
});
