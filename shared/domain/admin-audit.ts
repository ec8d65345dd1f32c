/** The admin and finance actions the audit log keeps: every one that moderates, suspends, holds or prices. */
export const auditedActions = [
  'user.suspended',
  'user.reinstated',
  'payout-hold.placed',
  'payout-hold.released',
  'commission-rules.saved',
  'report.resolved',
  'listing.removed',
  'review.removed',
  'user.warned',
  'listing.approved',
  'listing.rejected',
  'moderation-policy.saved',
  'dispute.settled',
  'quality-rules.saved',
] as const;
export type AuditedAction = (typeof auditedActions)[number];

export const auditTargetKinds = [
  'user',
  'listing',
  'review',
  'report',
  'commission-rules',
  'moderation-policy',
  'order',
  'quality-rules',
] as const;
export type AuditTargetKind = (typeof auditTargetKinds)[number];

/** One action in the audit log: who did what to whom, when and why. Entries are never changed. */
export interface AuditEntry {
  readonly id: string;
  readonly at: string;
  readonly action: AuditedAction;
  /** The user id of the admin or finance user who acted. */
  readonly actor: string;
  readonly target: { readonly kind: AuditTargetKind; readonly id: string };
  readonly reason?: string;
}
