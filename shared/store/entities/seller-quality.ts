import * as z from 'zod';
import { deferred } from '../../deferred-schema.ts';
import {
  type QualityAction,
  type QualityLevel,
  type QualityRules,
  qualityActions,
  qualityLevels,
} from '../../domain/quality-rules.ts';
import { type KpiName, kpiNames, kpiWindows } from '../../domain/seller-kpis.ts';
import { entities } from '../table.ts';
import { defineEntity } from './entity.ts';

/** The rule set in force and its version, which travels as its ETag (0 while none was saved). */
export interface StoredQualityRules extends QualityRules {
  readonly version: number;
  readonly updatedAt?: string;
  readonly updatedBy?: string;
}

export const qualityRulesEntity = defineEntity<Required<StoredQualityRules>>({
  name: entities.qualityRules,
  version: 1,
  schema: deferred(() =>
    z.object({
      rules: z.array(
        z.object({
          kpi: z.enum(kpiNames),
          windowDays: z.union(kpiWindows.map((days) => z.literal(days))),
          warning: z.number(),
          limit: z.number(),
          minOrders: z.number(),
          action: z.enum(qualityActions),
        }),
      ),
      version: z.number(),
      updatedAt: z.string(),
      updatedBy: z.string(),
    }),
  ),
  keys: [{ PK: 'CONFIG#QUALITY', SK: 'RULES' }],
});

export const qualityRulesKey = () => ({ PK: 'CONFIG#QUALITY', SK: 'RULES' });

/** Where a seller stood against each rule at the last evaluation, and the version it was written at. */
export interface QualityStanding {
  readonly sellerId: string;
  readonly levels: Readonly<Partial<Record<KpiName, QualityLevel>>>;
  readonly version: number;
  readonly evaluatedAt: string;
}

export const sellerQualityStandingEntity = defineEntity<QualityStanding>({
  name: entities.sellerQualityStanding,
  version: 1,
  schema: deferred(() =>
    z.object({
      sellerId: z.string(),
      levels: z.partialRecord(z.enum(kpiNames), z.enum(qualityLevels)),
      version: z.number(),
      evaluatedAt: z.string(),
    }),
  ),
  keys: [{ PK: 'SELLER#<sellerId>', SK: 'QUALITY#STANDING' }],
});

export const sellerQualityStandingKey = (sellerId: string) => ({
  PK: `SELLER#${sellerId}`,
  SK: 'QUALITY#STANDING',
});

/** A seller's KPI crossed a rule's warning level, or its limit (with the action then taken). */
export interface QualityNotice {
  readonly sellerId: string;
  readonly kpi: KpiName;
  readonly level: Exclude<QualityLevel, 'ok'>;
  readonly value: number;
  /** The warning level or the limit crossed. */
  readonly threshold: number;
  readonly windowDays: number;
  /** How many orders (reviews, for the rating) the KPI was measured on. */
  readonly samples: number;
  /** At the limit: what was done. */
  readonly action?: QualityAction;
  readonly at: string;
}

export const sellerQualityNoticeEntity = defineEntity<QualityNotice>({
  name: entities.sellerQualityNotice,
  version: 1,
  schema: deferred(() =>
    z.object({
      sellerId: z.string(),
      kpi: z.enum(kpiNames),
      level: z.enum(['warning', 'limit']),
      value: z.number(),
      threshold: z.number(),
      windowDays: z.number(),
      samples: z.number(),
      action: z.enum(qualityActions).optional(),
      at: z.string(),
    }),
  ),
  keys: [{ PK: 'SELLER#<sellerId>', SK: 'QUALITY#NOTICE#<at>#<kpi>#<level>' }],
});

export const qualityNoticePrefix = 'QUALITY#NOTICE#';

export const sellerQualityNoticeKey = ({ sellerId, at, kpi, level }: QualityNotice) => ({
  PK: `SELLER#${sellerId}`,
  SK: `${qualityNoticePrefix}${at}#${kpi}#${level}`,
});
