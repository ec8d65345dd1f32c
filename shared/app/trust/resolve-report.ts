import { listingStore } from '#shared/app/composition/stores/listing-store.ts';
import { reportStore } from '#shared/app/composition/stores/report-store.ts';
import { reviewStore } from '#shared/app/composition/stores/review-store.ts';
import { suspensionStore } from '#shared/app/composition/stores/suspension-store.ts';
import { listingNotFound } from '#shared/domain/listing.ts';
import {
  nothingToRemove,
  type Report,
  type ReportOutcome,
  reportNotFound,
  reportResolved,
} from '#shared/domain/report.ts';
import { type Review, reviewNotFound } from '#shared/domain/review.ts';
import { selfSuspension } from '#shared/domain/suspension.ts';

/** The review a report is of, as it stands. */
async function reportedReview(report: Report): Promise<Review> {
  const review = await reviewStore.get(report.target.id);
  if (!review) throw reviewNotFound(report.target.id);
  return review;
}

/**
 * The user a warning or suspension is for: the user reported, the seller of the listing reported,
 * or the author of the review reported.
 */
async function responsibleUser(report: Report, review: Review | undefined): Promise<string> {
  if (report.target.kind === 'user') return report.target.id;
  if (review) return review.author.userId;
  const listing = await listingStore.get(report.target.id);
  if (!listing) throw listingNotFound(report.target.id);
  return listing.sellerId;
}

/**
 * An admin closes an open report with an outcome. Suspending goes through the suspension that exists
 * (and its payout hold) before the report is closed, so that a failure leaves the report open to
 * retry; suspending again changes nothing.
 */
export async function resolveReport(
  reportId: string,
  { outcome, note }: { outcome: ReportOutcome; note: string },
  adminId: string,
  now = new Date(),
): Promise<Report> {
  const report = await reportStore.get(reportId);
  if (!report) throw reportNotFound(reportId);
  if (report.status === 'resolved') throw reportResolved();
  if (outcome === 'content-removed' && report.target.kind === 'user') throw nothingToRemove();
  const concernsUser = outcome === 'user-warned' || outcome === 'user-suspended';
  const review =
    report.target.kind === 'review' && (concernsUser || outcome === 'content-removed')
      ? await reportedReview(report)
      : undefined;
  const userId = concernsUser ? await responsibleUser(report, review) : undefined;
  if (outcome === 'user-suspended' && userId) {
    if (userId === adminId) throw selfSuspension();
    await suspensionStore.suspend(userId, { reason: `Report ${report.id}: ${note}`, by: adminId }, now);
  }
  return reportStore.resolve(
    report,
    { outcome, by: adminId, at: now.toISOString(), note, ...(userId ? { userId } : {}) },
    review,
  );
}
