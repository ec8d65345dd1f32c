import type { Listing } from '../domain/listing.ts';
import type { Review } from '../domain/review.ts';
import type { UserSuspension } from '../domain/suspension.ts';
import type { RunItem } from '../store/entities/payout-run.ts';
import type { QualityNotice } from '../store/entities/seller-quality.ts';
import type { PayoutLine } from '../store/payout-runs/run-and-line-types.ts';
import type { EventActor, EventDraft } from './catalog.ts';

const payoutRun: EventActor = { kind: 'system', name: 'payout-run' };

/** A listing goes on sale: by its seller, or by the admin who approved it from review. */
export function eventsOfListingChange(before: Listing | undefined, after: Listing): EventDraft[] {
  if (after.status !== 'published' || before?.status === 'published') return [];
  const approved = before?.status === 'pending-review' && after.moderation?.verdict === 'approve';
  return [
    {
      type: 'listing.published',
      occurredAt: after.publishedAt ?? after.updatedAt,
      actor:
        approved && after.moderation
          ? { kind: 'admin', id: after.moderation.by }
          : { kind: 'user', id: after.sellerId },
      subject: { kind: 'listing', id: after.id },
      data: { sellerId: after.sellerId, title: after.title },
      audience: [after.sellerId],
    },
  ];
}

/** A seller's line of a payout run is paid or has failed. */
export function eventsOfPayoutLineChange(before: PayoutLine | undefined, after: PayoutLine): EventDraft[] {
  if (after.status === before?.status) return [];
  const common = {
    occurredAt: after.paidAt ?? after.updatedAt,
    actor: payoutRun,
    subject: { kind: 'payout', id: `${after.runId}:${after.sellerId}` },
    audience: [after.sellerId],
  } as const;
  const money = {
    runId: after.runId,
    sellerId: after.sellerId,
    currency: after.currency,
    amount: after.amount ?? after.plannedAmount,
  };
  if (after.status === 'paid') {
    return [
      {
        ...common,
        type: 'payout.paid',
        data: { ...money, ...(after.transferId ? { transferId: after.transferId } : {}) },
      },
    ];
  }
  if (after.status === 'failed') {
    const failure = after.failure ?? { code: 'unknown', message: 'The transfer failed.' };
    return [{ ...common, type: 'payout.failed', data: { ...money, ...failure } }];
  }
  return [];
}

export function eventsOfPayoutRunChange(before: RunItem | undefined, after: RunItem): EventDraft[] {
  if (after.status !== 'completed' || before?.status === 'completed') return [];
  return [
    {
      type: 'payout_run.completed',
      occurredAt: after.finishedAt ?? after.updatedAt,
      actor: payoutRun,
      subject: { kind: 'payout_run', id: after.runId },
      data: { currency: after.currency, dryRun: after.dryRun },
      audience: [],
    },
  ];
}

/**
 * A suspension placed (a new item) or lifted (the item deleted). Who lifted it is in the audit log,
 * not on the deleted item: a reinstatement names an admin without an id.
 */
export function eventsOfSuspension(
  placed: UserSuspension | undefined,
  lifted: UserSuspension | undefined,
  at: string,
): EventDraft[] {
  if (placed) {
    return [
      {
        type: 'user.suspended',
        occurredAt: placed.since,
        actor: { kind: 'admin', id: placed.by },
        subject: { kind: 'user', id: placed.userId },
        data: { reason: placed.reason },
        audience: [placed.userId],
      },
    ];
  }
  if (lifted) {
    return [
      {
        type: 'user.reinstated',
        occurredAt: at,
        actor: { kind: 'admin' },
        subject: { kind: 'user', id: lifted.userId },
        data: {},
        audience: [lifted.userId],
      },
    ];
  }
  return [];
}

export function eventsOfReviewChange(before: Review | undefined, after: Review): EventDraft[] {
  if (after.status !== 'published' || before?.status === 'published') return [];
  return [
    {
      type: 'review.published',
      occurredAt: after.publishedAt ?? after.createdAt,
      actor: { kind: 'user', id: after.author.userId, party: after.author.party },
      subject: { kind: 'review', id: after.id },
      data: {
        orderId: after.orderId,
        authorId: after.author.userId,
        subjectId: after.subject.userId,
        rating: after.rating,
      },
      audience: [after.subject.userId],
    },
  ];
}

/** A seller's quality KPI crossed a rule's warning level, or its limit (the action then taken). */
export function eventsOfQualityNotice(notice: QualityNotice): EventDraft[] {
  const common = {
    occurredAt: notice.at,
    actor: { kind: 'system', name: 'quality-rules' },
    subject: { kind: 'user', id: notice.sellerId },
    audience: [notice.sellerId],
  } as const;
  const data = {
    sellerId: notice.sellerId,
    kpi: notice.kpi,
    value: notice.value,
    threshold: notice.threshold,
    windowDays: notice.windowDays,
    samples: notice.samples,
  };
  if (notice.level === 'warning') return [{ ...common, type: 'seller.quality_warning', data }];
  if (!notice.action) return [];
  return [{ ...common, type: 'seller.quality_limit_reached', data: { ...data, action: notice.action } }];
}
