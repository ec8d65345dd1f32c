import * as z from 'zod';
import { deferred } from '#shared/deferred-schema.ts';
import { auditedActions, auditTargetKinds } from '#shared/domain/admin-audit.ts';
import { reportOutcomes, reportReasons, reportTargetKinds } from '#shared/domain/report.ts';
import { component } from '#shared/http/component.ts';
import { pageOf, pageQueryOf } from '#shared/http/pagination.ts';
import { sellerIdSchema } from './sellers.ts';

export const userParams = deferred(() => z.strictObject({ userId: sellerIdSchema }));

const reason = () => z.string().trim().min(1).max(500);

export const suspensionBody = component('SuspensionInput', () =>
  z.strictObject({ reason: reason().meta({ description: 'Why, for the record and the audit log' }) }),
);

export const reinstatementBody = component('ReinstatementInput', () =>
  z.strictObject({ reason: reason().meta({ description: 'Why the suspension is lifted' }) }),
);

export const suspensionView = component('UserSuspension', () =>
  z.object({
    userId: z.string(),
    reason: z.string(),
    by: z.string().meta({ description: 'The admin who suspended the user' }),
    since: z.iso.datetime(),
    payoutHoldSince: z.iso.datetime().optional().meta({
      description: 'The payout hold the suspension placed, lifted with it; absent if one was in place',
    }),
    reinstated: z
      .object({ by: z.string(), at: z.iso.datetime(), reason: z.string() })
      .optional()
      .meta({ description: 'Who lifted the suspension, when and why' }),
  }),
);

const targetPattern = new RegExp(`^(${auditTargetKinds.join('|')}):[\\w-]{1,128}$`);

export const auditQuery = deferred(() =>
  pageQueryOf('audit').extend({
    target: z
      .string()
      .regex(targetPattern, 'must be <kind>:<id>, e.g. user:alice or commission-rules:rules')
      .optional()
      .meta({ description: 'Only the actions on this target' }),
  }),
);

export const auditEntryView = component('AuditEntry', () =>
  z.object({
    id: z.string(),
    at: z.iso.datetime(),
    action: z.enum(auditedActions),
    actor: z.string().meta({ description: 'The admin or finance user who acted' }),
    target: z.object({ kind: z.enum(auditTargetKinds), id: z.string() }),
    reason: z.string().optional(),
  }),
);

export const auditPage = pageOf(auditEntryView, 'AuditEntryPage');

export const reportBody = component('ReportInput', () =>
  z.strictObject({
    target: z.strictObject({
      kind: z.enum(reportTargetKinds),
      id: z.string().regex(/^[\w-]{1,128}$/, 'is not a listing or user id'),
    }),
    reason: z.enum(reportReasons),
    text: z.string().trim().min(1).max(1000).optional().meta({ description: 'What you saw, in your words' }),
  }),
);

export const reportParams = deferred(() => z.strictObject({ reportId: z.uuid() }));

export const resolutionBody = component('ReportResolutionInput', () =>
  z.strictObject({
    outcome: z.enum(reportOutcomes).meta({
      description:
        'dismissed; content-removed (a listing: unpublished for good); user-warned or user-suspended ' +
        '(the user reported, or the seller of the listing reported)',
    }),
    note: reason().meta({ description: 'Why, for the record and the audit log' }),
  }),
);

export const reportView = component('Report', () =>
  z.object({
    id: z.string(),
    reporterId: z.string(),
    target: z.object({ kind: z.enum(reportTargetKinds), id: z.string() }),
    reason: z.enum(reportReasons),
    text: z.string().optional(),
    status: z.enum(['open', 'resolved']),
    createdAt: z.iso.datetime(),
    resolution: z
      .object({
        outcome: z.enum(reportOutcomes),
        by: z.string(),
        at: z.iso.datetime(),
        note: z.string(),
        userId: z.string().optional().meta({ description: 'The user warned or suspended' }),
      })
      .optional(),
  }),
);

/** What the reporter sees of their report: not who resolves the queue or why. */
export const filedReportView = component('FiledReport', () => reportView.unwrap().omit({ resolution: true }));

export const reportPage = pageOf(reportView, 'ReportPage');

export const reportQuery = deferred(() => pageQueryOf('report'));
