import * as z from 'zod';
import { deferred } from '#shared/deferred-schema.ts';
import { auditedActions, auditTargetKinds } from '#shared/domain/admin-audit.ts';
import { moderationModes } from '#shared/domain/moderation.ts';
import { reportOutcomes, reportReasons, reportTargetKinds } from '#shared/domain/report.ts';
import { component } from '#shared/http/component.ts';
import { pageOf, pageQueryOf } from '#shared/http/pagination.ts';
import type { StoredModerationPolicy } from '#shared/store/entities/moderation.ts';
import { categorySchema, listingId, listingView } from './catalog.ts';
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

const targetPattern = new RegExp(`^(${auditTargetKinds.join('|')}):[\\w.-]{1,160}$`);

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
      id: z.string().regex(/^[\w.-]{1,160}$/, 'is not a listing, review or user id'),
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
        'dismissed; content-removed (a listing: unpublished for good; a review: off every list and rating); ' +
        'user-warned or user-suspended (the user reported, the seller of the listing or the author of the review)',
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

export const moderationPolicyBody = component('ModerationPolicyInput', () =>
  z
    .strictObject({
      mode: z.enum(moderationModes).meta({
        description:
          "none; new-sellers: each seller's first `firstListings` listings; all; categories: listings in " +
          '`categories` (each with those below it)',
      }),
      firstListings: z.number().int().min(1).max(1000).optional(),
      categories: z.array(categorySchema).min(1).max(100).optional(),
      reviewChanges: z.boolean().default(false).meta({
        description:
          'Whether changing the title, description, category, attributes or images of a live listing the policy covers sends it back to review',
      }),
    })
    .superRefine((policy, context) => {
      if (policy.mode === 'new-sellers' && policy.firstListings === undefined) {
        context.addIssue({
          code: 'custom',
          path: ['firstListings'],
          message: 'new-sellers needs firstListings',
        });
      }
      if (policy.mode === 'categories' && policy.categories === undefined) {
        context.addIssue({ code: 'custom', path: ['categories'], message: 'categories needs categories' });
      }
    }),
);

export const moderationPolicyView = component('ModerationPolicy', () =>
  z.object({
    mode: z.enum(moderationModes),
    firstListings: z.number().int(),
    categories: z.array(z.string()),
    reviewChanges: z.boolean(),
    version: z.number().int().meta({ description: '0 while none was saved: nothing is moderated' }),
    updatedAt: z.iso.datetime().optional(),
    updatedBy: z.string().optional(),
  }),
);

export const reviewQueuePage = pageOf(
  component('ListingUnderReview', () => z.object({ submittedAt: z.iso.datetime(), listing: listingView })),
  'ListingUnderReviewPage',
);

export const reviewQuery = deferred(() => pageQueryOf('review'));

export const moderatedListingParams = deferred(() => z.strictObject({ listingId }));

export const moderationDecisionBody = component('ModerationDecisionInput', () =>
  z
    .strictObject({
      verdict: z.enum(['approve', 'reject']),
      reason: reason().optional().meta({ description: 'Shown to the seller; required to reject' }),
    })
    .refine((decision) => decision.verdict === 'approve' || decision.reason !== undefined, {
      path: ['reason'],
      message: 'a rejection says why',
    }),
);

/** The policy as the API shows it: its rules, version, and who saved it when. */
export const moderationPolicyViewOf = ({ policy, ...saved }: StoredModerationPolicy) => ({
  ...policy,
  ...saved,
});
