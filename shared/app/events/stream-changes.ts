import type { DynamoDBRecord } from 'aws-lambda';
import type { Order } from '../../domain/order.ts';
import type { EventDraft } from '../../events/catalog.ts';
import {
  eventsOfOrderChange,
  eventsOfOrderHistory,
  eventsOfStepReminder,
} from '../../events/order-events.ts';
import {
  eventsOfListingChange,
  eventsOfPayoutLineChange,
  eventsOfPayoutRunChange,
  eventsOfQualityNotice,
  eventsOfReviewChange,
  eventsOfSuspension,
} from '../../events/other-events.ts';
import { eventsOfWebhookEndpointChange } from '../../events/webhook-events.ts';
import type { Entity } from '../../store/entities/entity.ts';
import { listingEntity } from '../../store/entities/listing.ts';
import { stepReminderEntity } from '../../store/entities/notification.ts';
import { orderEntity } from '../../store/entities/order.ts';
import { orderEventEntity } from '../../store/entities/order-event.ts';
import { payoutLineEntity } from '../../store/entities/payout-line.ts';
import { payoutRunEntity } from '../../store/entities/payout-run.ts';
import { reviewEntity } from '../../store/entities/review.ts';
import { sellerQualityNoticeEntity } from '../../store/entities/seller-quality.ts';
import { userSuspensionEntity } from '../../store/entities/user-suspension.ts';
import { webhookEndpointEntity } from '../../store/entities/webhook-endpoint.ts';
import type { RecordedChange } from '../../store/event-log-store.ts';
import { streamImage } from '../../streams/batch.ts';

/** A change of an item: its images, decoded, when it is an item of `entity`. */
function change<T>(record: DynamoDBRecord, entity: Entity<T>) {
  const after = streamImage(record, 'NewImage', entity);
  return after ? { before: streamImage(record, 'OldImage', entity), after } : undefined;
}

const orderIdOf = (record: DynamoDBRecord) => record.dynamodb?.Keys?.PK?.S?.replace(/^ORDER#/, '') ?? '';

/**
 * The events each stream record gives, in the records' order. An entry of an order's history
 * needs its order, for the parties and the amounts: `orderOf` reads it.
 */
export async function eventsOfRecords(
  records: readonly DynamoDBRecord[],
  orderOf: (orderId: string) => Promise<Order | undefined>,
): Promise<RecordedChange[]> {
  const changes: RecordedChange[] = [];
  for (const record of records) {
    changes.push({ sourceId: record.eventID ?? '', events: await eventsOfRecord(record, orderOf) });
  }
  return changes;
}

async function eventsOfRecord(
  record: DynamoDBRecord,
  orderOf: (orderId: string) => Promise<Order | undefined>,
): Promise<EventDraft[]> {
  const history =
    record.eventName === 'INSERT' ? streamImage(record, 'NewImage', orderEventEntity) : undefined;
  if (history) {
    const order = await orderOf(orderIdOf(record));
    if (!order) throw new Error(`The order of history entry ${record.dynamodb?.Keys?.SK?.S} is missing`);
    return eventsOfOrderHistory(history, order);
  }
  const reminder =
    record.eventName === 'INSERT' ? streamImage(record, 'NewImage', stepReminderEntity) : undefined;
  if (reminder) return eventsOfStepReminder(reminder);
  const qualityNotice =
    record.eventName === 'INSERT' ? streamImage(record, 'NewImage', sellerQualityNoticeEntity) : undefined;
  if (qualityNotice) return eventsOfQualityNotice(qualityNotice);
  const order = change(record, orderEntity);
  if (order) return eventsOfOrderChange(order.before, order.after);
  const listing = change(record, listingEntity);
  if (listing) return eventsOfListingChange(listing.before, listing.after);
  const line = change(record, payoutLineEntity);
  if (line) return eventsOfPayoutLineChange(line.before, line.after);
  const run = change(record, payoutRunEntity);
  if (run) return eventsOfPayoutRunChange(run.before, run.after);
  const review = change(record, reviewEntity);
  if (review) return eventsOfReviewChange(review.before, review.after);
  const at = new Date((record.dynamodb?.ApproximateCreationDateTime ?? Date.now() / 1000) * 1000);
  const endpoint = change(record, webhookEndpointEntity);
  if (endpoint) return eventsOfWebhookEndpointChange(endpoint.before, endpoint.after, at.toISOString());
  return eventsOfSuspension(
    record.eventName === 'INSERT' ? streamImage(record, 'NewImage', userSuspensionEntity) : undefined,
    record.eventName === 'REMOVE' ? streamImage(record, 'OldImage', userSuspensionEntity) : undefined,
    at.toISOString(),
  );
}
