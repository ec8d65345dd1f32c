import { gunzipSync, gzipSync } from 'node:zlib';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type Stripe from 'stripe';
import { fromAttributeValues } from './conditional.ts';
import { decodeIfPresent } from './entities/entity.ts';
import { stripeEventEntity, stripeEventKey } from './entities/stripe-event.ts';

/**
 * How long a received event is remembered. Stripe delivers an event again for at most 30 days after
 * it happened (3 days of automatic retries, manual resends of events up to 30 days old), and we
 * receive it after it happened, so 30 days from receipt cover every redelivery; 5 more are margin
 * for clock skew and a resend started on the last day. TTL deletes items after, never before, this.
 */
export const stripeEventRetentionDays = 35;

/** A verified Stripe event as stored, and how far its processing got. */
export interface StoredStripeEvent {
  readonly eventId: string;
  readonly type: string;
  /**
   * The verified event as JSON, gzip-compressed: an event of a few KB then fits an item of under
   * 1 KB, which its three writes (stored, claimed, processed) each bill one write unit.
   */
  readonly payload: Uint8Array;
  readonly receivedAt: string;
  /** Epoch seconds: the table's TTL attribute. */
  readonly expiresAt: number;
  /** How many times a processor claimed the event. */
  readonly attempts: number;
  readonly processedAt?: string;
  /** Epoch milliseconds until which `leaseHolder` alone may process the event. */
  readonly leaseUntil?: number;
  readonly leaseHolder?: string;
}

/** What a delivery found: a new event, or a copy of one whose processing has or has not finished. */
export type StripeEventReceipt = 'new' | 'unprocessed-duplicate' | 'processed-duplicate';

/** The outcome of asking to process an event: it is yours, done, held by another processor, or unknown. */
export type StripeEventClaim =
  | { readonly outcome: 'claimed'; readonly event: Stripe.Event }
  | { readonly outcome: 'processed' | 'leased' | 'missing' };

const isConditionFailure = (error: unknown): error is ConditionalCheckFailedException =>
  error instanceof ConditionalCheckFailedException;

/** The event as stored when a write's condition failed (ALL_OLD), if there is one. */
const storedBefore = (error: ConditionalCheckFailedException) =>
  decodeIfPresent(stripeEventEntity, fromAttributeValues(error.Item));

/** The verified event a stored payload holds. */
export const eventOfPayload = (payload: Uint8Array) =>
  JSON.parse(gunzipSync(payload).toString('utf8')) as Stripe.Event;

/** Verified Stripe events, one item per event id, kept for deduplication and processing. See README.md. */
export class StripeEventStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Stores the event unless its id is stored already: every delivery after the first is a duplicate. */
  async record(event: Stripe.Event, now = new Date()): Promise<StripeEventReceipt> {
    const stored: StoredStripeEvent = {
      eventId: event.id,
      type: event.type,
      payload: gzipSync(JSON.stringify(event)),
      receivedAt: now.toISOString(),
      expiresAt: Math.floor(now.getTime() / 1000) + stripeEventRetentionDays * 86_400,
      attempts: 0,
    };
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: stripeEventEntity.item(stripeEventKey(event.id), stored),
          ConditionExpression: 'attribute_not_exists(PK)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return 'new';
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const current = storedBefore(error);
      return current?.processedAt ? 'processed-duplicate' : 'unprocessed-duplicate';
    }
  }

  async get(eventId: string): Promise<StoredStripeEvent | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: stripeEventKey(eventId), ConsistentRead: true }),
    );
    return decodeIfPresent(stripeEventEntity, Item);
  }

  /**
   * Takes the event for processing until `lease.until`, unless it is processed or another holder's
   * lease is still running. A holder that crashes keeps it only until its lease ends.
   */
  async claim(
    eventId: string,
    lease: { readonly holder: string; readonly until: Date },
    now = new Date(),
  ): Promise<StripeEventClaim> {
    try {
      const { Attributes } = await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: stripeEventKey(eventId),
          UpdateExpression: 'SET leaseUntil = :until, leaseHolder = :holder ADD attempts :one',
          ConditionExpression:
            'attribute_exists(PK) AND attribute_not_exists(processedAt) AND ' +
            '(attribute_not_exists(leaseUntil) OR leaseUntil <= :now)',
          ExpressionAttributeValues: {
            ':until': lease.until.getTime(),
            ':holder': lease.holder,
            ':one': 1,
            ':now': now.getTime(),
          },
          ReturnValues: 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      const { payload } = stripeEventEntity.decode(Attributes ?? {});
      return { outcome: 'claimed', event: eventOfPayload(payload) };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const current = storedBefore(error);
      if (!current) return { outcome: 'missing' };
      return { outcome: current.processedAt ? 'processed' : 'leased' };
    }
  }

  /** Gives the event up after a failed attempt, so the next one need not wait for the lease to end. */
  async release(eventId: string, holder: string): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: stripeEventKey(eventId),
          UpdateExpression: 'REMOVE leaseUntil, leaseHolder',
          ConditionExpression: 'leaseHolder = :holder',
          ExpressionAttributeValues: { ':holder': holder },
        }),
      );
    } catch (error) {
      // The lease ended and another processor holds it now: it is theirs to release.
      if (!isConditionFailure(error)) throw error;
    }
  }

  /** Records that the event took effect; later deliveries and claims find it done. */
  async markProcessed(eventId: string, now = new Date()): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: stripeEventKey(eventId),
          UpdateExpression: 'SET processedAt = :now REMOVE leaseUntil, leaseHolder',
          ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(processedAt)',
          ExpressionAttributeValues: { ':now': now.toISOString() },
        }),
      );
    } catch (error) {
      // Another processor took over after this one's lease ended and finished first: done either way.
      if (!isConditionFailure(error)) throw error;
    }
  }
}
