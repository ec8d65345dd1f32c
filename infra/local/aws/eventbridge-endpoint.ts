import { randomUUID } from 'node:crypto';
import { type EventPattern, patternMatches } from '#shared/streams/event-filter.ts';
import { type Authorize, localAccount } from './authorization.ts';
import {
  AwsServiceError,
  type JsonCall,
  type LocalEndpoint,
  startJsonProtocolServer,
} from './json-protocol.ts';
import { localEventBusArn } from './resource-kinds.ts';

/** An event as EventBridge hands it to rules and targets. */
export interface BusEvent {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': string;
  readonly source: string;
  readonly account: string;
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: unknown;
}

/** A rule of the template, or an archive: what it matches on which bus. */
export interface BusSubscription {
  /** The rule's or archive's logical id. */
  readonly id: string;
  readonly busName: string;
  readonly pattern: EventPattern;
  /** The targets' ARNs; none for an archive. */
  readonly targets: readonly string[];
}

/** An event a rule matched, handed to one of its targets. */
export interface BusDelivery {
  readonly rule: string;
  readonly target: string;
  readonly event: BusEvent;
}

export interface EventBridgeEndpoint extends LocalEndpoint {
  addBus(name: string): void;
  subscribe(subscription: BusSubscription): void;
  /** Every event each rule matched, per target, oldest first. */
  deliveries(): readonly BusDelivery[];
  /** The events an archive (by logical id) holds, oldest first. */
  archived(archiveId: string): readonly BusEvent[];
}

const maxEntries = 10;
const maxRequestBytes = 256 * 1024;

/** A bus named by name or ARN, `default` when not named. */
function busNameOf(named: unknown): string {
  if (named === undefined) return 'default';
  if (typeof named !== 'string' || named.length === 0) {
    throw new AwsServiceError('ValidationException', 'EventBusName must be a name or an ARN.');
  }
  return named.startsWith('arn:') ? named.slice(named.indexOf('event-bus/') + 'event-bus/'.length) : named;
}

/** The time an entry gives (the SDK sends epoch seconds), or now, as EventBridge writes it: no milliseconds. */
function timeOf(given: unknown): string {
  const date =
    typeof given === 'number'
      ? new Date(given * 1000)
      : typeof given === 'string'
        ? new Date(given)
        : new Date();
  return `${date.toISOString().slice(0, 19)}Z`;
}

function eventOf(entry: Record<string, unknown>): BusEvent {
  const { Source, DetailType, Detail } = entry;
  if (typeof Source !== 'string' || typeof DetailType !== 'string' || typeof Detail !== 'string') {
    throw new AwsServiceError('ValidationException', 'Each entry needs Source, DetailType and Detail.');
  }
  let detail: unknown;
  try {
    detail = JSON.parse(Detail);
  } catch {
    throw new AwsServiceError('MalformedDetail', 'Detail is not valid JSON.');
  }
  if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) {
    throw new AwsServiceError('MalformedDetail', 'Detail must be a JSON object.');
  }
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': DetailType,
    source: Source,
    account: localAccount.accountId,
    time: timeOf(entry.Time),
    region: localAccount.region,
    resources: Array.isArray(entry.Resources) ? (entry.Resources as string[]) : [],
    detail,
  };
}

/**
 * Amazon EventBridge for the functions' client, over the JSON 1.1 protocol: PutEvents, after
 * checking `events:PutEvents` on the bus for the signing function, matches each event against the
 * template's rules and archives on that bus with EventBridge's pattern semantics, and records what
 * each rule's targets received and what each archive kept.
 */
export async function startEventBridgeEndpoint({
  authorize,
  port,
}: {
  readonly authorize: Authorize;
  readonly port?: number;
}): Promise<EventBridgeEndpoint> {
  const buses = new Set<string>();
  const subscriptions: BusSubscription[] = [];
  const delivered: BusDelivery[] = [];
  const archives = new Map<string, BusEvent[]>();

  const putEvents = ({ input, accessKeyId }: JsonCall) => {
    const entries = Array.isArray(input.Entries) ? (input.Entries as Record<string, unknown>[]) : [];
    if (entries.length === 0 || entries.length > maxEntries) {
      throw new AwsServiceError('ValidationException', `Entries must hold 1 to ${maxEntries} entries.`);
    }
    if (Buffer.byteLength(JSON.stringify(entries)) > maxRequestBytes) {
      throw new AwsServiceError(
        'ValidationException',
        'Total size of the entries in the request is over the limit.',
      );
    }
    const results = entries.map((entry) => {
      const busName = busNameOf(entry.EventBusName);
      authorize(accessKeyId, 'events:PutEvents', localEventBusArn(busName));
      if (!buses.has(busName)) {
        return {
          ErrorCode: 'ResourceNotFoundException',
          ErrorMessage: `Event bus ${busName} does not exist.`,
        };
      }
      const event = eventOf(entry);
      for (const subscription of subscriptions) {
        if (subscription.busName !== busName || !patternMatches(subscription.pattern, event)) continue;
        if (subscription.targets.length === 0) archives.get(subscription.id)?.push(event);
        for (const target of subscription.targets) delivered.push({ rule: subscription.id, target, event });
      }
      return { EventId: event.id };
    });
    return { FailedEntryCount: results.filter((result) => 'ErrorCode' in result).length, Entries: results };
  };

  const endpoint = await startJsonProtocolServer({
    targetPrefix: 'AWSEvents',
    contentType: 'application/x-amz-json-1.1',
    ...(port === undefined ? {} : { port }),
    operations: { PutEvents: putEvents },
  });
  return {
    ...endpoint,
    addBus: (name) => void buses.add(name),
    subscribe(subscription) {
      subscriptions.push(subscription);
      if (subscription.targets.length === 0) archives.set(subscription.id, []);
    },
    deliveries: () => [...delivered],
    archived: (archiveId) => [...(archives.get(archiveId) ?? [])],
  };
}
