import * as z from 'zod';
import { deferred } from '../../deferred-schema.ts';
import {
  type MemberRole,
  type MetricCounts,
  type MetricGranularity,
  memberRoles,
  metricCountNames,
  metricGranularities,
} from '../../domain/marketplace-metrics.ts';
import { entities } from '../table.ts';
import { defineEntity } from './entity.ts';

/** One currency's counts over one period: a day, a week (from its Monday) or a month (from its 1st). */
export interface PeriodCounts extends MetricCounts {
  readonly currency: string;
  readonly granularity: MetricGranularity;
  /** The period's first day, `YYYY-MM-DD`. */
  readonly start: string;
}

const countsShape = () =>
  Object.fromEntries(metricCountNames.map((name) => [name, z.number().int().default(0)])) as Record<
    keyof MetricCounts,
    z.ZodDefault<z.ZodNumber>
  >;

/** Counts are added with ADD: a count nothing added to yet is absent from the item, and reads 0. */
export const periodCountsEntity = defineEntity<PeriodCounts>({
  name: entities.marketplaceMetrics,
  version: 1,
  schema: deferred(() =>
    z.object({
      currency: z.string(),
      granularity: z.enum(metricGranularities),
      start: z.string(),
      ...countsShape(),
    }),
  ),
  keys: [{ PK: 'METRICS#<currency>', SK: '<granularity>#<start>' }],
});

/** A currency's periods, sorted by granularity then start: one Query reads a range of one granularity. */
export const metricsPartition = (currency: string) => ({ PK: `METRICS#${currency}` });

export const periodCountsKey = (currency: string, granularity: MetricGranularity, start: string) => ({
  ...metricsPartition(currency),
  SK: `${granularity}#${start}`,
});

/** A stream record whose counts were added: its item is put with them, so a record counts once. */
export const metricsSourceEntity = defineEntity<{ readonly expiresAt: number }>({
  name: entities.metricsSource,
  version: 1,
  schema: deferred(() => z.object({ expiresAt: z.number() })),
  keys: [{ PK: 'METRICS_SOURCE#<stream record id>', SK: 'METRICS_SOURCE' }],
});

export const metricsSourceKey = (sourceId: string) => ({
  PK: `METRICS_SOURCE#${sourceId}`,
  SK: 'METRICS_SOURCE',
});

/** The stream keeps a record 24 hours: its marker outlives every redelivery of it. */
export const metricsSourceRetentionSeconds = 2 * 86_400;

/**
 * A buyer or seller counted in a period (`<granularity>#<start>`): put with the count it added, so
 * they count once per period.
 */
export interface PeriodMember {
  readonly role: MemberRole;
  readonly userId: string;
  readonly expiresAt: number;
}

export const periodMemberEntity = defineEntity<PeriodMember>({
  name: entities.metricsMember,
  version: 1,
  schema: deferred(() => z.object({ role: z.enum(memberRoles), userId: z.string(), expiresAt: z.number() })),
  keys: [{ PK: 'METRICS#<currency>#<period>', SK: 'MEMBER#<role>#<userId>' }],
});

export const periodMemberKey = (
  currency: string,
  granularity: MetricGranularity,
  start: string,
  role: MemberRole,
  userId: string,
) => ({ PK: `METRICS#${currency}#${granularity}#${start}`, SK: `MEMBER#${role}#${userId}` });
