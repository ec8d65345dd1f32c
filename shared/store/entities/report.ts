import * as z from 'zod';
import { deferred } from '../../deferred-schema.ts';
import { type Report, reportOutcomes, reportReasons, reportTargetKinds } from '../../domain/report.ts';
import { entities } from '../table.ts';
import { defineEntity } from './entity.ts';

const reportSchema = deferred(() =>
  z.object({
    id: z.string(),
    reporterId: z.string(),
    target: z.object({ kind: z.enum(reportTargetKinds), id: z.string() }),
    reason: z.enum(reportReasons),
    text: z.string().optional(),
    status: z.enum(['open', 'resolved']),
    createdAt: z.string(),
    resolution: z
      .object({
        outcome: z.enum(reportOutcomes),
        by: z.string(),
        at: z.string(),
        note: z.string(),
        userId: z.string().optional(),
      })
      .optional(),
  }),
) satisfies z.ZodType<Report>;

/** A report; while open, in the admins' queue by GSI1 (a sparse index: resolving removes the keys). */
export const reportEntity = defineEntity<Report>({
  name: entities.report,
  version: 1,
  schema: reportSchema,
  keys: [
    {
      PK: 'REPORT#<reportId>',
      SK: 'REPORT',
      GSI1PK: 'REPORTS#open',
      GSI1SK: 'REPORT#<createdAt>#<reportId>',
    },
  ],
});

/** One open report per reporter and target: present while the report is open. */
export const openReportEntity = defineEntity<{ readonly reportId: string }>({
  name: entities.openReport,
  version: 1,
  schema: deferred(() => z.object({ reportId: z.string() })),
  keys: [{ PK: 'REPORTED#<targetKind>#<targetId>', SK: 'BY#<reporterId>' }],
});

export const reportKey = (reportId: string) => ({ PK: `REPORT#${reportId}`, SK: 'REPORT' });

export const openReportKey = (report: Pick<Report, 'target' | 'reporterId'>) => ({
  PK: `REPORTED#${report.target.kind}#${report.target.id}`,
  SK: `BY#${report.reporterId}`,
});

export const openReportsPartition = { GSI1PK: 'REPORTS#open' } as const;

export const reportQueueKeys = (report: Pick<Report, 'createdAt' | 'id'>) => ({
  ...openReportsPartition,
  GSI1SK: `REPORT#${report.createdAt}#${report.id}`,
});

/** The full key of the open report a page cursor's GSI1 sort key names. */
export const reportPageKey = (sortKey: string) => ({
  ...reportKey(sortKey.slice(-36)),
  ...openReportsPartition,
  GSI1SK: sortKey,
});
