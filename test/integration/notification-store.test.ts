import { beforeEach, describe, expect, it } from 'vitest';
import { NotificationStore } from '#shared/store/notification-store.ts';
import { freshTable } from '../support/table.ts';

let store: NotificationStore;
const now = new Date('2026-12-01T10:00:00.000Z');

beforeEach(async () => {
  const table = await freshTable();
  store = new NotificationStore(table.client, table.tableName);
});

describe('the notification store', () => {
  it('answers defaults until a user chooses, and keeps each field a change leaves out, however changes race', async () => {
    expect(await store.preferences('ann')).toEqual({ locale: 'en', optedOut: [] });
    await Promise.all([
      store.updatePreferences('ann', { locale: 'fr' }, now),
      store.updatePreferences('ann', { optedOut: ['reminders'] }, now),
    ]);
    expect(await store.preferences('ann')).toEqual({
      locale: 'fr',
      optedOut: ['reminders'],
      updatedAt: now.toISOString(),
    });
    const many = await store.preferencesOf(['ann', 'bob', 'ann']);
    expect([...many.keys()]).toEqual(['ann', 'bob']);
    expect(many.get('bob')).toEqual({ locale: 'en', optedOut: [] });
  });

  it('claims a notification once; a released claim is claimed again', async () => {
    const claims = await Promise.all(
      Array.from({ length: 5 }, () => store.claim('evt_1', 'new-order', 'sam', now)),
    );
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await store.claim('evt_1', 'new-order', 'ann', now)).toBe(true);
    await store.release('evt_1', 'new-order', 'sam');
    expect(await store.claim('evt_1', 'new-order', 'sam', now)).toBe(true);
  });

  it('puts a step’s reminder once per deadline', async () => {
    const reminder = {
      orderId: 'o-1',
      step: 'accept',
      stepIndex: 0,
      party: 'seller',
      deadline: '2026-12-04T10:00:00.000Z',
      audience: ['sam'],
      remindedAt: now.toISOString(),
    };
    expect(await store.remind(reminder)).toBe(true);
    expect(await store.remind(reminder)).toBe(false);
    expect(await store.remind({ ...reminder, deadline: '2026-12-05T10:00:00.000Z' })).toBe(true);
  });
});
