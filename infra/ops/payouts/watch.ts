import { setTimeout as sleep } from 'node:timers/promises';
import { Presets, SingleBar } from 'cli-progress';
import { isFinalRunStatus } from '#shared/domain/payout-run.ts';
import { ApiProblem, ApiUnreachable, type PayoutApi, type RunView } from './api.ts';
import { approvalNote, cliCommand, formatAmount, progressText, renderSummary } from './format.ts';

export interface WatchIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  /** A progress bar on a terminal; otherwise a plain line whenever the run moves on (logs, CI). */
  readonly isTTY: boolean;
  /** Ctrl-C: stops watching, not the run. */
  readonly signal?: AbortSignal;
  readonly pollIntervalMs: number;
  readonly now: () => Date;
}

/** Consecutive polls that may fail (network, 5xx, 429) before the watch gives up, waiting longer each time. */
const failedPollsTolerated = 5;
const longestPollWaitMs = 30_000;

const isTransient = (error: unknown) =>
  error instanceof ApiUnreachable || (error instanceof ApiProblem && error.transient);

/** What a new status means for whoever watches, said once when the run reaches it. */
function statusLines(run: RunView, now: Date): string[] {
  const { runId, selection, currency } = run;
  switch (run.status) {
    case 'selecting':
      return [`${runId}: selecting the sellers to pay…`];
    case 'awaiting-approval':
      return [`${runId}: awaiting approval.`, ...approvalNote(run, now)];
    case 'paying': {
      const approved =
        run.approval?.decision === 'approved' ? ` (approved by ${run.approval.decidedBy})` : '';
      const total = selection ? ` ${formatAmount(selection.eligibleAmount, currency)}` : '';
      return [`${runId}: paying ${run.progress.total} sellers${total}${approved}.`];
    }
    default:
      return [];
  }
}

interface ProgressDisplay {
  show(run: RunView, previous: RunView | undefined): void;
  stop(): void;
}

const sameProgress = (a: RunView, b: RunView | undefined) =>
  b !== undefined && a.status === b.status && JSON.stringify(a.progress) === JSON.stringify(b.progress);

function lineDisplay(write: (lines: string[]) => void, now: () => Date): ProgressDisplay {
  return {
    show(run, previous) {
      if (run.status !== previous?.status) write(statusLines(run, now()));
      if (run.status === 'paying' && !sameProgress(run, previous))
        write([`${run.runId} ${progressText(run)}`]);
    },
    stop() {},
  };
}

function barDisplay(
  stream: NodeJS.WritableStream,
  write: (lines: string[]) => void,
  now: () => Date,
): ProgressDisplay {
  let bar: SingleBar | undefined;
  const payload = (run: RunView) => ({
    paidAmount: formatAmount(run.progress.paidAmount, run.currency),
    failed: run.progress.failed,
    skipped: run.progress.skipped,
  });
  const stopBar = () => {
    bar?.stop();
    bar = undefined;
  };
  return {
    show(run, previous) {
      if (run.status !== previous?.status) {
        // The bar's last state (all done) stays on screen above the summary.
        if (bar) bar.update(run.progress.done, payload(run));
        stopBar();
        write(statusLines(run, now()));
      }
      if (run.status !== 'paying') return;
      if (!bar) {
        bar = new SingleBar(
          {
            stream,
            format:
              '  {bar} {value}/{total} sellers | paid {paidAmount} | {failed} failed | {skipped} skipped | ETA {eta_formatted}',
            hideCursor: true,
            etaBuffer: 30,
          },
          Presets.shades_classic,
        );
        bar.start(run.progress.total, run.progress.done, payload(run));
      } else {
        if (bar.getTotal() !== run.progress.total) bar.setTotal(run.progress.total);
        bar.update(run.progress.done, payload(run));
      }
    },
    stop: stopBar,
  };
}

/**
 * Polls the run about once per `pollIntervalMs` (five times less often while it awaits approval)
 * until it completes, is rejected or expires (or Ctrl-C), then prints its summary. Exit code 0 when
 * it completed, 1 when it was rejected or expired, 130 when the watch was interrupted.
 */
export async function watchRun(api: PayoutApi, runId: string, io: WatchIo): Promise<number> {
  const write = (lines: string[]) => {
    if (lines.length > 0) io.stdout.write(`${lines.join('\n')}\n`);
  };
  const display = io.isTTY ? barDisplay(io.stdout, write, io.now) : lineDisplay(write, io.now);
  let previous: RunView | undefined;
  let failedPolls = 0;
  try {
    for (;;) {
      let run: RunView;
      try {
        run = await api.getRun(runId, { limit: 1 });
        failedPolls = 0;
      } catch (error) {
        if (io.signal?.aborted || !isTransient(error) || ++failedPolls > failedPollsTolerated) throw error;
        const waitMs = Math.min(io.pollIntervalMs * 2 ** failedPolls, longestPollWaitMs);
        io.stderr.write(
          `${(error as Error).message}; asking again in ${Math.round(waitMs / 1000)} s ` +
            `(${failedPolls}/${failedPollsTolerated})\n`,
        );
        await sleep(waitMs, undefined, io.signal ? { signal: io.signal } : {});
        continue;
      }
      display.show(run, previous);
      if (isFinalRunStatus(run.status)) {
        display.stop();
        write(renderSummary(run, io.now()));
        return run.status === 'completed' ? 0 : 1;
      }
      previous = run;
      // A decision takes people minutes or hours: no need to ask every second meanwhile.
      const waitMs = run.status === 'awaiting-approval' ? io.pollIntervalMs * 5 : io.pollIntervalMs;
      await sleep(waitMs, undefined, io.signal ? { signal: io.signal } : {});
    }
  } catch (error) {
    display.stop();
    if (!io.signal?.aborted) throw error;
    write([
      `Stopped watching${previous ? ` ${runId} (${previous.status})` : ''}; the run goes on without you.`,
      `Watch it again: ${cliCommand} watch ${runId}`,
    ]);
    return 130;
  }
}
