import { failLine, requireLine } from '#shared/app/payouts/payout-lines.ts';
import { taskHandler } from '#shared/workflows/task-handler.ts';
import { payoutRun } from '#workflows/payout-run.ts';

interface FailureInput {
  readonly runId: string;
  readonly sellerId: string;
  /** What the Catch of PaySeller caught: the last error after its retries. */
  readonly error: { readonly Error: string; readonly Cause?: string };
}

/** Lambda's Cause is `{"errorType","errorMessage",…}` as JSON; the local runner's, the message itself. */
function messageOf(cause: string | undefined): string {
  if (!cause) return 'no cause given';
  try {
    const parsed: unknown = JSON.parse(cause);
    if (typeof parsed === 'object' && parsed !== null && 'errorMessage' in parsed)
      return String(parsed.errorMessage);
  } catch {
    // A plain message.
  }
  return cause;
}

/** The seller's payment failed after its retries: settled or recorded on the line, the run goes on. */
export const handler = taskHandler(
  payoutRun.tasks.RecordPayoutFailure,
  async ({ runId, sellerId, error }: FailureInput) => {
    const line = await requireLine(runId, sellerId);
    await failLine(line, { code: error.Error, message: messageOf(error.Cause) });
  },
);
