import { DomainError } from './errors.ts';

/** Why something is reported: a fixed list, so that the queue can be sorted and counted. */
export const reportReasons = [
  'counterfeit',
  'prohibited-item',
  'misleading',
  'fraud',
  'harassment',
  'spam',
  'other',
] as const;
export type ReportReason = (typeof reportReasons)[number];

export const reportTargetKinds = ['listing', 'review', 'user'] as const;
export type ReportTarget = { readonly kind: (typeof reportTargetKinds)[number]; readonly id: string };

/** How an admin closes a report. */
export const reportOutcomes = ['dismissed', 'content-removed', 'user-warned', 'user-suspended'] as const;
export type ReportOutcome = (typeof reportOutcomes)[number];

export interface ReportResolution {
  readonly outcome: ReportOutcome;
  readonly by: string;
  readonly at: string;
  readonly note: string;
  /** The user warned or suspended: the user reported, or the seller of the listing reported. */
  readonly userId?: string;
}

export interface Report {
  readonly id: string;
  readonly reporterId: string;
  readonly target: ReportTarget;
  readonly reason: ReportReason;
  readonly text?: string;
  readonly status: 'open' | 'resolved';
  readonly createdAt: string;
  readonly resolution?: ReportResolution;
}

export const reportNotFound = (reportId: string) =>
  new DomainError('not-found', 'report_not_found', `Report ${reportId} does not exist.`);

export const reportExists = () =>
  new DomainError(
    'conflict',
    'report_exists',
    'You have reported this already; an admin will look at your report.',
  );

export const reportResolved = () =>
  new DomainError('conflict', 'report_resolved', 'The report is resolved already.');

export const selfReport = () =>
  new DomainError('unprocessable', 'self_report', 'You cannot report yourself.', [
    { path: ['target', 'id'], message: 'is you' },
  ]);

/** Content removal applies to listings and reviews; a user is warned or suspended instead. */
export const nothingToRemove = () =>
  new DomainError(
    'unprocessable',
    'nothing_to_remove',
    'Only a reported listing or review can be removed; warn or suspend a reported user.',
    [{ path: ['outcome'], message: 'content-removed applies to listings and reviews only' }],
  );

export const listingRemoved = () =>
  new DomainError(
    'conflict',
    'listing_removed',
    'An admin removed this listing after a report; it cannot be published again.',
  );
