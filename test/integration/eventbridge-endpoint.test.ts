import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Authorize, accessDenied } from '#infra/local/aws/authorization.ts';
import { type EventBridgeEndpoint, startEventBridgeEndpoint } from '#infra/local/aws/eventbridge-endpoint.ts';
import type { MarketplaceEvent } from '#shared/events/catalog.ts';
import { EventBusPublisher, eventBusSource } from '#shared/events/event-bus.ts';

const publisher = 'EventsPublisherFunction';
const outsider = 'ReindexFunction';
const busName = 'Marketplace-events';

const checks: [string | undefined, string, string][] = [];
const authorize: Authorize = (accessKeyId, action, resource) => {
  checks.push([accessKeyId, action, resource]);
  if (accessKeyId === outsider) throw accessDenied(accessKeyId, action, resource);
};

const clientFor = (accessKeyId: string) =>
  new EventBridgeClient({
    endpoint: endpoint.url,
    region: 'us-east-1',
    credentials: { accessKeyId, secretAccessKey: 'local' },
  });

let endpoint: EventBridgeEndpoint;

const event = (position: number, type: MarketplaceEvent['type'] = 'order.completed'): MarketplaceEvent =>
  ({
    id: `evt_${position}`,
    position: String(position).padStart(12, '0'),
    type,
    occurredAt: '2030-01-02T03:04:05.678Z',
    actor: { kind: 'system', name: 'workflow' },
    subject: { kind: 'order', id: `o-${position}` },
    data: type === 'order.cancelled' ? { reason: 'out of stock' } : {},
  }) as MarketplaceEvent;

beforeAll(async () => {
  endpoint = await startEventBridgeEndpoint({ authorize });
  endpoint.addBus(busName);
  endpoint.subscribe({
    id: 'CancellationsRule',
    busName,
    pattern: {
      source: [eventBusSource],
      'detail-type': ['order.cancelled'],
      detail: { data: { reason: [{ prefix: 'out' }] } },
    },
    targets: ['arn:aws:sqs:us-east-1:000000000000:cancellations'],
  });
  endpoint.subscribe({ id: 'Archive', busName, pattern: { source: [eventBusSource] }, targets: [] });
});
afterAll(() => endpoint.stop());
beforeEach(() => {
  checks.length = 0;
});

describe('the local EventBridge endpoint, reached by the real client', () => {
  it('takes the publisher’s events in order, ten a request, and hands each rule what its pattern matches', async () => {
    const before = endpoint.archived('Archive').length;
    const events = Array.from({ length: 23 }, (_, index) =>
      event(index + 1, index === 11 ? 'order.cancelled' : 'order.completed'),
    );
    const outcome = await new EventBusPublisher(clientFor(publisher), busName).publish(events);
    expect(outcome).toEqual({ put: 23 });
    const archived = endpoint.archived('Archive').slice(before);
    expect(archived.map((kept) => kept.detail)).toEqual(events);
    expect(archived[0]).toMatchObject({
      version: '0',
      source: 'marketplace',
      'detail-type': 'order.completed',
      account: '000000000000',
      region: 'us-east-1',
      time: '2030-01-02T03:04:05Z',
    });
    const delivered = endpoint.deliveries().filter((delivery) => delivery.rule === 'CancellationsRule');
    expect(delivered.map((delivery) => (delivery.event.detail as MarketplaceEvent).id)).toEqual(['evt_12']);
    expect(delivered[0]?.target).toBe('arn:aws:sqs:us-east-1:000000000000:cancellations');
    expect(
      new Set(checks.map(([accessKeyId, action, resource]) => `${accessKeyId} ${action} ${resource}`)),
    ).toEqual(
      new Set([`${publisher} events:PutEvents arn:aws:events:us-east-1:000000000000:event-bus/${busName}`]),
    );
  });

  it('refuses a function without the grant, and entries for a bus that does not exist', async () => {
    const entry = { EventBusName: busName, Source: 'marketplace', DetailType: 'x', Detail: '{}' };
    await expect(clientFor(outsider).send(new PutEventsCommand({ Entries: [entry] }))).rejects.toMatchObject({
      name: 'AccessDeniedException',
    });
    const missing = await clientFor(publisher).send(
      new PutEventsCommand({ Entries: [entry, { ...entry, EventBusName: 'elsewhere' }] }),
    );
    expect(missing.FailedEntryCount).toBe(1);
    expect(missing.Entries?.[1]).toMatchObject({ ErrorCode: 'ResourceNotFoundException' });
    const outcome = await new EventBusPublisher(clientFor(publisher), 'elsewhere').publish([
      event(1),
      event(2),
    ]);
    expect(outcome).toMatchObject({ put: 0, failure: { ErrorCode: 'ResourceNotFoundException' } });
  });

  it('refuses detail that is not a JSON object, and more than ten entries', async () => {
    const entry = { EventBusName: busName, Source: 'marketplace', DetailType: 'x', Detail: '[1]' };
    await expect(clientFor(publisher).send(new PutEventsCommand({ Entries: [entry] }))).rejects.toMatchObject(
      {
        name: 'MalformedDetail',
      },
    );
    const eleven = Array.from({ length: 11 }, () => ({ ...entry, Detail: '{}' }));
    await expect(clientFor(publisher).send(new PutEventsCommand({ Entries: eleven }))).rejects.toMatchObject({
      name: 'ValidationException',
    });
  });
});
