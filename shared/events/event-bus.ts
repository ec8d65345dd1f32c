import {
  type EventBridgeClient,
  PutEventsCommand,
  type PutEventsRequestEntry,
  type PutEventsResultEntry,
} from '@aws-sdk/client-eventbridge';
import type { MarketplaceEvent } from './catalog.ts';

/** The `source` of every event the marketplace puts on its bus: rules and the archive match on it. */
export const eventBusSource = 'marketplace';

/** PutEvents takes ten entries at most. */
const maxEntries = 10;

/** An event as the bus carries it: its type is the `detail-type`, the whole event the `detail`. */
export const busEntryOf = (event: MarketplaceEvent, eventBusName: string): PutEventsRequestEntry => ({
  EventBusName: eventBusName,
  Source: eventBusSource,
  DetailType: event.type,
  Detail: JSON.stringify(event),
  Time: new Date(event.occurredAt),
});

export interface PublishOutcome {
  /** How many of the events, from the first on, the bus took. */
  readonly put: number;
  /** Why the next one was refused, when one was. */
  readonly failure?: PutEventsResultEntry;
}

/** Puts the marketplace's events on its EventBridge bus, in their order. */
export class EventBusPublisher {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly eventBusName: string,
  ) {}

  /** Stops at the first event the bus refuses: the events after it are put again with it. */
  async publish(events: readonly MarketplaceEvent[]): Promise<PublishOutcome> {
    for (let start = 0; start < events.length; start += maxEntries) {
      const chunk = events.slice(start, start + maxEntries);
      const { Entries = [] } = await this.client.send(
        new PutEventsCommand({ Entries: chunk.map((event) => busEntryOf(event, this.eventBusName)) }),
      );
      const refused = Entries.findIndex((entry) => entry.ErrorCode !== undefined);
      if (refused >= 0) return { put: start + refused, failure: Entries[refused] as PutEventsResultEntry };
    }
    return { put: events.length };
  }
}
