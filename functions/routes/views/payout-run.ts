import type * as z from 'zod';
import type { PayoutLine, PayoutRun } from '#shared/store/payout-runs/run-and-line-types.ts';
import type { Page } from '#shared/store/query-page.ts';
import type { payoutLineView, payoutRunView } from '../schemas/payouts.ts';

type RunView = z.infer<typeof payoutRunView>;
type LineView = z.infer<typeof payoutLineView>;

/** A run as finance reads it: its progress counted against the sellers selected, its waiting task hidden. */
export function toRunView(run: PayoutRun): RunView {
  const {
    approvalToken: _token,
    approvalExecution: _execution,
    fingerprint: _fingerprint,
    approvalTimeoutSeconds: _timeout,
    progress,
    ...shown
  } = run;
  return {
    ...shown,
    progress: {
      total: run.selection?.eligibleCount ?? 0,
      done: progress.paid + progress.failed + progress.skipped,
      ...progress,
    },
  };
}

/** A run in a list, whose progress is read with the run alone. */
export function toRunSummaryView(run: Omit<PayoutRun, 'progress'>): Omit<RunView, 'progress'> {
  const {
    approvalToken: _token,
    approvalExecution: _execution,
    fingerprint: _fingerprint,
    approvalTimeoutSeconds: _timeout,
    ...shown
  } = run;
  return shown;
}

/** A page of payout lines as finance and sellers read them, without the keys they are sorted by. */
export function toLinePage(page: Page<PayoutLine>): { items: LineView[]; nextCursor?: string } {
  return {
    items: page.items.map(({ runCreatedAt: _sortedBy, ...line }) => line),
    ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
  };
}
