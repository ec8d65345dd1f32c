import type { DynamoDBRecord } from 'aws-lambda';
import type { Order } from '../domain/order.ts';
import type { Entity } from '../store/entities/entity.ts';
import { ledgerTransactionEntity } from '../store/entities/ledger-transaction.ts';
import { orderEntity } from '../store/entities/order.ts';
import { payoutLineEntity } from '../store/entities/payout-line.ts';
import type { PostedTransaction } from '../store/ledger-views.ts';
import type { PayoutLine } from '../store/payout-runs/run-and-line-types.ts';
import { streamImage } from './batch.ts';

/** An item's change: its image before (absent for an insert) and after. */
export interface ItemChange<T> {
  readonly before?: T;
  readonly after: T;
}

/**
 * A stream record decoded: what changed, with the record's id. Projections (the operator metrics)
 * read these, so one consumer can feed several of them from one decoding of its batch.
 */
export type TableChange = { readonly sourceId: string } & (
  | { readonly kind: 'ledger-transaction'; readonly transaction: PostedTransaction }
  | { readonly kind: 'order'; readonly order: ItemChange<Order> }
  | { readonly kind: 'payout-line'; readonly line: ItemChange<PayoutLine> }
);

function itemChange<T>(record: DynamoDBRecord, entity: Entity<T>): ItemChange<T> | undefined {
  const after = streamImage(record, 'NewImage', entity);
  if (!after) return undefined;
  const before = streamImage(record, 'OldImage', entity);
  return before ? { before, after } : { after };
}

type Change = TableChange extends infer C ? (C extends TableChange ? Omit<C, 'sourceId'> : never) : never;

function changeOf(record: DynamoDBRecord): Change | undefined {
  if (record.eventName === 'INSERT') {
    const transaction = streamImage(record, 'NewImage', ledgerTransactionEntity);
    if (transaction) return { kind: 'ledger-transaction', transaction };
  }
  const order = itemChange(record, orderEntity);
  if (order) return { kind: 'order', order };
  const line = itemChange(record, payoutLineEntity);
  return line ? { kind: 'payout-line', line } : undefined;
}

/** The record's change, if it is one of the kinds above: a posted transaction, a new or changed order or payout line. */
export function tableChangeOf(record: DynamoDBRecord): TableChange | undefined {
  const change = changeOf(record);
  if (!change) return undefined;
  if (!record.eventID) throw new Error('A stream record without an eventID cannot be counted once');
  return { sourceId: record.eventID, ...change };
}

/** The changes of a batch's records, in their order; records of other items are left out. */
export const tableChangesOf = (records: readonly DynamoDBRecord[]): TableChange[] =>
  records.flatMap((record) => tableChangeOf(record) ?? []);
