import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestApi } from '../support/api.ts';
import { publishListing } from '../support/orders.ts';
import { onboardSeller } from '../support/sellers.ts';

let api: TestApi;
let ada: string;
let sara: string;
let ben: string;
let bea: string;

beforeAll(async () => {
  // Each function in a worker with its role from the template, so a grant a route lacks fails here.
  api = await TestApi.start({ isolate: true });
  [ada, sara, ben, bea] = await Promise.all([
    api.token('rp-ada', 'admin'),
    api.token('rp-sara', 'seller'),
    api.token('rp-ben', 'buyer'),
    api.token('rp-bea', 'buyer'),
  ]);
  await onboardSeller(api, sara);
});
afterAll(() => api.stop());

const report = (token: string, body: unknown) => api.call('POST', '/reports', { token, body });
const resolve = (reportId: string, body: unknown, token = ada) =>
  api.call('POST', `/admin/reports/${reportId}/resolution`, { token, body });
const openReportIds = async () =>
  ((await api.call('GET', '/admin/reports?limit=100', { token: ada })).body.items as { id: string }[]).map(
    (item) => item.id,
  );

describe('a reported listing', () => {
  it('is removed by an admin from the queue, for good, and can be reported again', async () => {
    const lamp = await publishListing(api, sara);
    const filed = await report(ben, {
      target: { kind: 'listing', id: lamp.id },
      reason: 'counterfeit',
      text: 'Fake brand',
    });
    expect(filed.status).toBe(201);
    expect(filed.body).toMatchObject({ reporterId: 'rp-ben', status: 'open', reason: 'counterfeit' });
    const twice = await report(ben, { target: { kind: 'listing', id: lamp.id }, reason: 'other' });
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('report_exists');
    expect(await openReportIds()).toContain(filed.body.id);

    const removed = await resolve(filed.body.id, {
      outcome: 'content-removed',
      note: 'Trademark holder confirmed',
    });
    expect(removed.status).toBe(200);
    expect(removed.body.resolution).toMatchObject({ outcome: 'content-removed', by: 'rp-ada' });
    expect(await openReportIds()).not.toContain(filed.body.id);
    expect((await api.call('GET', `/listings/${lamp.id}`)).status).toBe(404);
    const own = await api.call('GET', '/sellers/me/listings', { token: sara });
    expect(own.body.items.find((item: { id: string }) => item.id === lamp.id)).toMatchObject({
      status: 'unpublished',
      removal: { by: 'rp-ada', reportId: filed.body.id, note: 'Trademark holder confirmed' },
    });
    const republish = await api.call('POST', `/listings/${lamp.id}/publish`, { token: sara });
    expect(republish.status).toBe(409);
    expect(republish.body.code).toBe('listing_removed');

    const again = await resolve(filed.body.id, { outcome: 'dismissed', note: 'Second look' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('report_resolved');
    expect((await report(ben, { target: { kind: 'listing', id: lamp.id }, reason: 'other' })).status).toBe(
      201,
    );

    const log = await api.call('GET', `/admin/audit?target=listing:${lamp.id}`, { token: ada });
    expect(log.body.items).toEqual([expect.objectContaining({ action: 'listing.removed', actor: 'rp-ada' })]);
  });
});

describe('a reported user', () => {
  it('is warned, or suspended through the suspension, once an admin resolves the report', async () => {
    const warned = await report(sara, { target: { kind: 'user', id: 'rp-bea' }, reason: 'harassment' });
    expect(warned.status).toBe(201);
    const removal = await resolve(warned.body.id, { outcome: 'content-removed', note: 'Nothing to remove' });
    expect(removal.status).toBe(422);
    expect(removal.body.code).toBe('nothing_to_remove');
    expect(await openReportIds()).toContain(warned.body.id);
    expect((await resolve(warned.body.id, { outcome: 'user-warned', note: 'First warning' })).status).toBe(
      200,
    );
    const onBea = await api.call('GET', '/admin/audit?target=user:rp-bea', { token: ada });
    expect(onBea.body.items.map((entry: { action: string }) => entry.action)).toEqual(['user.warned']);

    const again = await report(sara, { target: { kind: 'user', id: 'rp-bea' }, reason: 'harassment' });
    const suspended = await resolve(again.body.id, { outcome: 'user-suspended', note: 'Second offence' });
    expect(suspended.body.resolution).toMatchObject({ outcome: 'user-suspended', userId: 'rp-bea' });
    const suspension = await api.call('GET', '/admin/users/rp-bea/suspension', { token: ada });
    expect(suspension.body).toMatchObject({
      by: 'rp-ada',
      reason: `Report ${again.body.id}: Second offence`,
    });

    const bySuspended = await report(bea, { target: { kind: 'user', id: 'rp-sara' }, reason: 'spam' });
    expect(bySuspended.status).toBe(403);
    expect(bySuspended.body.code).toBe('user_suspended');
  });
});

describe('reporting', () => {
  it('refuses bad input, self-reports and unknown listings with problem+json, and keeps the queue for admins', async () => {
    const before = await openReportIds();
    const answers = await Promise.all([
      report(ben, { target: { kind: 'order', id: 'x' }, reason: 'spam' }),
      report(ben, { target: { kind: 'user', id: 'rp-sara' }, reason: 'rude' }),
      report(ben, { target: { kind: 'user', id: 'rp-sara' }, reason: 'spam', text: 'x'.repeat(1001) }),
      report(ben, { target: { kind: 'user', id: 'rp-sara' }, reason: 'spam', reporterId: 'rp-bea' }),
    ]);
    expect(answers.map((answer) => answer.status)).toEqual([400, 400, 400, 400]);
    expect(answers.map((answer) => answer.body.errors[0].field)).toEqual([
      'body.target.kind',
      'body.reason',
      'body.text',
      'body.reporterId',
    ]);
    const self = await report(ben, { target: { kind: 'user', id: 'rp-ben' }, reason: 'spam' });
    expect(self.status).toBe(422);
    expect(self.body.errors).toEqual([{ field: 'body.target.id', message: 'is you' }]);
    const missing = await report(ben, {
      target: { kind: 'listing', id: '00000000-0000-4000-8000-000000000000' },
      reason: 'spam',
    });
    expect(missing.status).toBe(404);
    expect(await openReportIds()).toEqual(before);

    for (const token of [ben, sara]) {
      expect((await api.call('GET', '/admin/reports', { token })).status).toBe(403);
      expect((await resolve(before[0] ?? 'none', { outcome: 'dismissed', note: 'Mine' }, token)).status).toBe(
        403,
      );
    }
    expect((await api.call('GET', '/reports')).status).toBe(405);
  });
});
