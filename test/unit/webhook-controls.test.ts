import { describe, expect, it } from 'vitest';
import { deliveryMessageOf } from '#shared/app/webhooks/delivery-messages.ts';
import { webhookSettings } from '#shared/app/webhooks/webhook-settings.ts';
import {
  defaultRotationGraceSeconds,
  disabledReasons,
  failingTooLong,
  maxSecretsHeld,
  rotatedSecrets,
  signingSecrets,
  type WebhookEndpoint,
} from '#shared/domain/webhooks.ts';
import { eventsOfWebhookEndpointChange } from '#shared/events/webhook-events.ts';

const now = new Date('2030-03-01T12:00:00.000Z');
const later = (seconds: number) => new Date(now.getTime() + seconds * 1000);

const endpoint: WebhookEndpoint = {
  id: 'e1',
  owner: 'sam',
  url: 'https://hooks.example.com/in',
  eventTypes: [],
  status: 'enabled',
  secrets: [{ secret: 'whsec_b2xk', since: '2030-01-01T00:00:00.000Z' }],
  createdAt: '2030-01-01T00:00:00.000Z',
};

describe('secret rotation', () => {
  it('puts the new secret first and keeps the old one signing until the grace period ends', () => {
    const secrets = rotatedSecrets(endpoint.secrets, 'whsec_bmV3', defaultRotationGraceSeconds, now);
    expect(secrets).toEqual([
      { secret: 'whsec_bmV3', since: now.toISOString() },
      { secret: 'whsec_b2xk', since: endpoint.secrets[0]?.since, expiresAt: later(86_400).toISOString() },
    ]);
    const rotated = { ...endpoint, secrets };
    expect(signingSecrets(rotated, later(86_399))).toEqual(['whsec_bmV3', 'whsec_b2xk']);
    expect(signingSecrets(rotated, later(86_400))).toEqual(['whsec_bmV3']);
  });

  it('retires the old secrets at once with no grace period', () => {
    expect(rotatedSecrets(endpoint.secrets, 'whsec_bmV3', 0, now)).toEqual([
      { secret: 'whsec_bmV3', since: now.toISOString() },
    ]);
  });

  it(`never lengthens a grace period already running, drops expired secrets and holds ${maxSecretsHeld} at most`, () => {
    let secrets = rotatedSecrets(endpoint.secrets, 'whsec_MQ==', 3600, now);
    secrets = rotatedSecrets(secrets, 'whsec_Mg==', 7200, later(60));
    expect(secrets.map(({ secret, expiresAt }) => [secret, expiresAt])).toEqual([
      ['whsec_Mg==', undefined],
      ['whsec_MQ==', later(7260).toISOString()],
      ['whsec_b2xk', later(3600).toISOString()],
    ]);
    secrets = rotatedSecrets(secrets, 'whsec_Mw==', 7200, later(120));
    expect(secrets.map(({ secret }) => secret)).toEqual(['whsec_Mw==', 'whsec_Mg==', 'whsec_MQ==']);
    secrets = rotatedSecrets(secrets, 'whsec_NA==', 60, later(7300));
    expect(secrets.map(({ secret }) => secret)).toEqual(['whsec_NA==', 'whsec_Mw==', 'whsec_Mg==']);
  });
});

describe('failing endpoints', () => {
  it('have failed too long once the limit has passed since their first failure', () => {
    const since = now.toISOString();
    expect(failingTooLong(since, later(5 * 86_400 - 1), 5 * 86_400)).toBe(false);
    expect(failingTooLong(since, later(5 * 86_400), 5 * 86_400)).toBe(true);
    expect(disabledReasons.failing(since, 5 * 86_400)).toBe(
      `Every attempt failed for 5 day(s) or more, since ${since}.`,
    );
    expect(disabledReasons.failing(since, 3)).toContain('3 second(s)');
  });
});

describe('the webhook_endpoint.disabled event', () => {
  const disabled: WebhookEndpoint = {
    ...endpoint,
    status: 'disabled',
    disabledReason: disabledReasons.gone,
    disabledAt: now.toISOString(),
  };

  it("goes to the owner's feed when the platform turns their endpoint off", () => {
    expect(eventsOfWebhookEndpointChange(endpoint, disabled, later(1).toISOString())).toEqual([
      {
        type: 'webhook_endpoint.disabled',
        occurredAt: now.toISOString(),
        actor: { kind: 'system', name: 'webhooks' },
        subject: { kind: 'webhook_endpoint', id: 'e1' },
        data: { endpointId: 'e1', owner: 'sam', url: endpoint.url, reason: disabledReasons.gone },
        audience: ['sam'],
      },
    ]);
  });

  it("goes to the admins' feed alone for the marketplace's endpoints", () => {
    const [event] = eventsOfWebhookEndpointChange(
      { ...endpoint, owner: 'platform' },
      { ...disabled, owner: 'platform' },
      now.toISOString(),
    );
    expect(event).toMatchObject({ audience: [], data: { owner: 'platform' } });
  });

  it('is not given for any other change of an endpoint', () => {
    const at = now.toISOString();
    expect(eventsOfWebhookEndpointChange(undefined, endpoint, at)).toEqual([]);
    expect(eventsOfWebhookEndpointChange(endpoint, { ...endpoint, failingSince: at }, at)).toEqual([]);
    expect(eventsOfWebhookEndpointChange(disabled, { ...disabled, secrets: [] }, at)).toEqual([]);
    expect(eventsOfWebhookEndpointChange(disabled, endpoint, at)).toEqual([]);
  });
});

describe('webhook settings', () => {
  it('default to Standard Webhooks’ schedule, no allowed hosts and five days of failures', () => {
    expect(webhookSettings({})).toEqual({
      retryScheduleSeconds: [0, 5, 300, 1800, 7200, 18_000, 36_000, 36_000],
      allowedHosts: [],
      disableAfterFailingSeconds: 432_000,
    });
  });

  it('read the environment, shortened as tests shorten them', () => {
    expect(
      webhookSettings({
        WEBHOOK_RETRY_SCHEDULE_SECONDS: '0, 1,2',
        WEBHOOK_ALLOWED_HOSTS: '127.0.0.1,localhost',
        WEBHOOK_DISABLE_AFTER_FAILING_SECONDS: '3',
      }),
    ).toEqual({
      retryScheduleSeconds: [0, 1, 2],
      allowedHosts: ['127.0.0.1', 'localhost'],
      disableAfterFailingSeconds: 3,
    });
  });

  it.each([
    ['WEBHOOK_DISABLE_AFTER_FAILING_SECONDS', '0'],
    ['WEBHOOK_DISABLE_AFTER_FAILING_SECONDS', 'soon'],
    ['WEBHOOK_RETRY_SCHEDULE_SECONDS', '0,5,x'],
  ])('refuse %s=%s', (name, value) => {
    expect(() => webhookSettings({ [name]: value })).toThrow(`Invalid webhook settings`);
  });
});

describe('queued delivery messages', () => {
  const attempt = {
    kind: 'attempt',
    owner: 'sam',
    endpointId: 'we-1',
    deliveryId: '000000000007',
    attempt: 2,
  } as const;

  it('are taken as they are in their current form, without reading the delivery', async () => {
    const read: string[] = [];
    const attemptsMade = async (endpointId: string) => {
      read.push(endpointId);
      return 0;
    };
    expect(await deliveryMessageOf(JSON.stringify(attempt), attemptsMade)).toEqual(attempt);
    expect(read).toEqual([]);
  });

  it('of the form before redeliveries become the attempt their delivery is at now', async () => {
    const earlier = {
      owner: 'sam',
      endpointId: 'we-1',
      position: '000000000007',
      notBefore: '2026-12-05T10:00:00.000Z',
    };
    const made = await deliveryMessageOf(JSON.stringify(earlier), async (endpointId, deliveryId) =>
      endpointId === 'we-1' && deliveryId === '000000000007' ? 2 : -1,
    );
    expect(made).toEqual({ ...attempt, notBefore: earlier.notBefore });
  });
});
