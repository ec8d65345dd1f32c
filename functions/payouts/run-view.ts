import type { z } from 'zod';
import type { PayoutRun } from '#shared/store/payout-run-store.ts';
import type { payoutRunView } from './schemas.ts';

type RunView = z.infer<typeof payoutRunView>;

/** A run as finance reads it: its progress counted against the sellers selected, its task token hidden. */
export function toRunView(run: PayoutRun): RunView {
  const {
    approvalToken: _token,
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
    fingerprint: _fingerprint,
    approvalTimeoutSeconds: _timeout,
    ...shown
  } = run;
  return shown;
}
