import { listingStore } from '#shared/app/composition/stores/listing-store.ts';
import { reportStore } from '#shared/app/composition/stores/report-store.ts';
import { suspensionStore } from '#shared/app/composition/stores/suspension-store.ts';
import { listingNotFound } from '#shared/domain/listing.ts';
import {
  nothingToRemove,
  type Report,
  type ReportOutcome,
  reportNotFound,
  reportResolved,
} from '#shared/domain/report.ts';
import { selfSuspension } from '#shared/domain/suspension.ts';

/** The user a warning or suspension is for: the user reported, or the seller of the listing reported. */
async function responsibleUser(report: Report): Promise<string> {
  if (report.target.kind === 'user') return report.target.id;
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
  if (outcome === 'content-removed' && report.target.kind !== 'listing') throw nothingToRemove();
  const concernsUser = outcome === 'user-warned' || outcome === 'user-suspended';
  const userId = concernsUser ? await responsibleUser(report) : undefined;
  if (outcome === 'user-suspended' && userId) {
    if (userId === adminId) throw selfSuspension();
    await suspensionStore.suspend(userId, { reason: `Report ${report.id}: ${note}`, by: adminId }, now);
  }
  return reportStore.resolve(report, {
    outcome,
    by: adminId,
    at: now.toISOString(),
    note,
    ...(userId ? { userId } : {}),
  });
}
