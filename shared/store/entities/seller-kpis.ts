import * as z from 'zod';
import { deferred } from '../../deferred-schema.ts';
import type { OrderStatus } from '../../domain/order.ts';
import {
  acceptanceBucketCount,
  counterNames,
  type KpiCounters,
  kpiHistoryDays,
} from '../../domain/seller-kpis.ts';
import { entities } from '../table.ts';
import { defineEntity } from './entity.ts';

/** One seller's KPI counters of one UTC day, kept by ADD (each histogram bucket an attribute of its own). */
export interface DailyKpis {
  readonly sellerId: string;
  readonly day: string;
  readonly counters: KpiCounters;
  readonly expiresAt: number;
}

/** `acceptanceTime<i>`: accepted orders whose acceptance took as long as bucket `i`. */
export const acceptanceTimeAttribute = (bucket: number) => `acceptanceTime${bucket}`;

const counter = () => z.number().default(0);

export const sellerDailyKpisEntity = defineEntity<DailyKpis>({
  name: entities.sellerDailyKpis,
  version: 1,
  schema: deferred(() =>
    z
      .object({
        sellerId: z.string(),
        day: z.string(),
        expiresAt: z.number(),
        ...Object.fromEntries(counterNames.map((name) => [name, counter()])),
        ...Object.fromEntries(
          Array.from({ length: acceptanceBucketCount }, (_, bucket) => [
            acceptanceTimeAttribute(bucket),
            counter(),
          ]),
        ),
      })
      .transform((item): DailyKpis => {
        const attributes = item as Record<string, number | string>;
        return {
          sellerId: item.sellerId,
          day: item.day,
          expiresAt: item.expiresAt,
          counters: {
            ...(Object.fromEntries(counterNames.map((name) => [name, attributes[name]])) as Record<
              (typeof counterNames)[number],
              number
            >),
            acceptanceTimes: Array.from(
              { length: acceptanceBucketCount },
              (_, bucket) => attributes[acceptanceTimeAttribute(bucket)] as number,
            ),
          },
        };
      }),
  ),
  keys: [{ PK: 'SELLER#<sellerId>', SK: 'KPI#<day>' }],
});

export const sellerDailyKpisKey = (sellerId: string, day: string) => ({
  PK: `SELLER#${sellerId}`,
  SK: `KPI#${day}`,
});

/** A day's counters expire the history's length after the day. */
export const kpiDayExpiry = (day: string) => Date.parse(`${day}T00:00:00Z`) / 1000 + kpiHistoryDays * 86_400;

export type OrderStatusCounts = Readonly<Record<OrderStatus, number>>;

/** How many of the seller's orders are in each status (an attribute each), kept by ADD as orders move. */
export const sellerOrderCountsEntity = defineEntity<OrderStatusCounts>({
  name: entities.sellerOrderCounts,
  version: 1,
  schema: deferred(() =>
    z.object({
      'awaiting-payment': counter(),
      'in-progress': counter(),
      completed: counter(),
      cancelled: counter(),
    }),
  ) satisfies z.ZodType<OrderStatusCounts>,
  keys: [{ PK: 'SELLER#<sellerId>', SK: 'ORDERS#COUNTS' }],
});

export const sellerOrderCountsKey = (sellerId: string) => ({ PK: `SELLER#${sellerId}`, SK: 'ORDERS#COUNTS' });

/** An order waiting for the seller's action at one of its steps, until its deadline. */
export interface WaitingOrder {
  readonly sellerId: string;
  readonly orderId: string;
  readonly step: string;
  readonly deadline: string;
  readonly currency: string;
  readonly total: number;
}

export const sellerWaitingOrderEntity = defineEntity<WaitingOrder>({
  name: entities.sellerWaitingOrder,
  version: 1,
  schema: deferred(() =>
    z.object({
      sellerId: z.string(),
      orderId: z.string(),
      step: z.string(),
      deadline: z.string(),
      currency: z.string(),
      total: z.number(),
    }),
  ),
  keys: [{ PK: 'SELLER#<sellerId>', SK: 'WAITING#<deadline>#<orderId>' }],
});

export const waitingOrderPrefix = 'WAITING#';

/** Sorted by deadline: the first page holds the orders due soonest. */
export const sellerWaitingOrderKey = (sellerId: string, deadline: string, orderId: string) => ({
  PK: `SELLER#${sellerId}`,
  SK: `${waitingOrderPrefix}${deadline}#${orderId}`,
});

/**
 * A stream record the KPI projection applied: put in the transaction of its changes, so the record
 * delivered again changes nothing. Kept two days, past the stream's 24-hour retention.
 */
export const sellerKpiSourceEntity = defineEntity<{ readonly expiresAt: number }>({
  name: entities.sellerKpiSource,
  version: 1,
  schema: deferred(() => z.object({ expiresAt: z.number().int() })),
  keys: [{ PK: 'KPISOURCE#<stream record id>', SK: 'KPISOURCE' }],
});

export const sellerKpiSourceKey = (recordId: string) => ({ PK: `KPISOURCE#${recordId}`, SK: 'KPISOURCE' });
