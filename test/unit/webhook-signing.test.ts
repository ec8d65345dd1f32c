import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { isForbiddenAddress } from '#shared/webhooks/destination.ts';
import { deliveryHeaders, newSigningSecret, signatureOf } from '#shared/webhooks/signature.ts';

const body = JSON.stringify({ id: 'evt_000000000007', type: 'order.placed', data: { total: 4499 } });

describe('webhook signatures', () => {
  it('verify with the reference Standard Webhooks library', () => {
    const secret = newSigningSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = deliveryHeaders([secret], 'evt_000000000007', timestamp, body);
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
  });

  it('carry one signature per secret during a rotation, each verifying on its own', () => {
    const [current, previous] = [newSigningSecret(), newSigningSecret()];
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = deliveryHeaders([current, previous], 'evt_1', timestamp, body);
    expect(headers['webhook-signature']?.split(' ')).toHaveLength(2);
    expect(new Webhook(current).verify(body, headers)).toBeTruthy();
    expect(new Webhook(previous).verify(body, headers)).toBeTruthy();
    expect(() => new Webhook(newSigningSecret()).verify(body, headers)).toThrow();
  });

  it('fail for a changed body or another id', () => {
    const secret = newSigningSecret();
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = deliveryHeaders([secret], 'evt_1', timestamp, body);
    expect(() => new Webhook(secret).verify(`${body} `, headers)).toThrow();
    expect(() => new Webhook(secret).verify(body, { ...headers, 'webhook-id': 'evt_2' })).toThrow();
    expect(signatureOf(secret, 'evt_1', timestamp, body)).toBe(headers['webhook-signature']);
  });
});

describe('webhook destinations', () => {
  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '::1',
    '::',
    'fe80::1',
    'fd00:ec2::254',
    'fc00::1',
    '::ffff:127.0.0.1',
    '::ffff:169.254.169.254',
    'ff02::1',
    'not-an-address',
  ])('refuses %s', (address) => {
    expect(isForbiddenAddress(address)).toBe(true);
  });

  it.each(['93.184.215.14', '8.8.8.8', '172.32.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])(
    'allows the public address %s',
    (address) => {
      expect(isForbiddenAddress(address)).toBe(false);
    },
  );
});
