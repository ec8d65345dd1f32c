import { minorUnitDecimals } from '#shared/domain/money.ts';
import type { ApiProblem, LineView, Page, RunSummaryView, RunView } from './api.ts';

/** How the commands are run, for the next-step hints the CLI prints. */
export const cliCommand = 'npm run --silent payouts --';

/** An amount of minor units in its currency's decimals, e.g. `EUR 1,234.50` or `JPY 1,234`. No floats. */
export function formatAmount(amount: number, currency: string): string {
  const decimals = minorUnitDecimals.get(currency);
  if (decimals === undefined) return `${amount} minor units of ${currency}`;
  const digits = Math.abs(amount)
    .toString()
    .padStart(decimals + 1, '0');
  const whole = digits.slice(0, digits.length - decimals).replace(/\B(?=(\d{3})+$)/g, ',');
  const fraction = decimals > 0 ? `.${digits.slice(-decimals)}` : '';
  return `${amount < 0 ? '-' : ''}${currency} ${whole}${fraction}`;
}

/** A duration for people: `2 d 3 h`, `4 h 5 min`, `6 min`, `less than a minute`. */
export function formatDuration(ms: number): string {
  const minutes = Math.floor(Math.abs(ms) / 60_000);
  if (minutes === 0) return 'less than a minute';
  const [days, hours, mins] = [Math.floor(minutes / 1440), Math.floor(minutes / 60) % 24, minutes % 60];
  if (days > 0) return hours > 0 ? `${days} d ${hours} h` : `${days} d`;
  if (hours > 0) return mins > 0 ? `${hours} h ${mins} min` : `${hours} h`;
  return `${mins} min`;
}

/** `2025-01-31T12:00:00.000Z (in 3 h 5 min)` */
function formatDeadline(deadline: string, now: Date): string {
  const left = Date.parse(deadline) - now.getTime();
  return `${deadline} (${left >= 0 ? `in ${formatDuration(left)}` : `${formatDuration(left)} ago`})`;
}

/** Rows as left-aligned columns, two spaces apart. */
export function table(rows: readonly (readonly string[])[]): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    for (const [i, cell] of row.entries()) widths[i] = Math.max(widths[i] ?? 0, cell.length);
  }
  return rows.map((row) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
}

const sellers = (count: number) => `${count} seller${count === 1 ? '' : 's'}`;

const byReason = (skipped: Partial<Record<string, number>>) =>
  Object.entries(skipped)
    .filter(([, count]) => (count ?? 0) > 0)
    .map(([reason, count]) => `${count} ${reason}`)
    .join(', ');

/** `3/10 sellers done: 2 paid (EUR 20.00), 1 failed, 0 skipped` */
export function progressText({ progress, currency }: RunView): string {
  return (
    `${progress.done}/${sellers(progress.total)} done: ${progress.paid} paid ` +
    `(${formatAmount(progress.paidAmount, currency)}), ${progress.failed} failed, ${progress.skipped} skipped`
  );
}

/** Who may decide a run awaiting approval, until when, and how. */
export function approvalNote(run: RunSummaryView, now: Date): string[] {
  const approvers =
    run.startedBy === 'schedule' ? 'Any finance user' : `Any finance user other than ${run.startedBy}`;
  const total = run.selection ? formatAmount(run.selection.eligibleAmount, run.currency) : 'the total';
  const recent = run.approval?.recentTotal
    ? `, with ${formatAmount(run.approval.recentTotal, run.currency)} paid or due by the runs of the last 24 hours,`
    : '';
  return [
    `Awaiting approval: ${total}${recent} is above the approval threshold of ` +
      `${formatAmount(run.policy.approvalThreshold, run.currency)}.`,
    `${approvers} may decide${run.approval?.deadline ? ` before ${formatDeadline(run.approval.deadline, now)}` : ''}:`,
    `  ${cliCommand} approve ${run.runId}`,
    `  ${cliCommand} reject ${run.runId} --reason "…"`,
  ];
}

function approvalText(run: RunSummaryView, now: Date): string | undefined {
  const approval = run.approval;
  if (!approval?.required) return approval ? 'not required' : undefined;
  if (approval.decision) {
    const reason = approval.reason ? `: ${approval.reason}` : '';
    return `${approval.decision} by ${approval.decidedBy ?? '?'} at ${approval.decidedAt ?? '?'}${reason}`;
  }
  if (run.status === 'expired') return `no decision before ${approval.deadline ?? 'the deadline'}`;
  return `required${approval.deadline ? `, deadline ${formatDeadline(approval.deadline, now)}` : ''}`;
}

/** A run's terms, selection, approval and progress, one fact per line. */
export function renderRun(run: RunView | RunSummaryView, now: Date): string[] {
  const { currency } = run;
  const selection = run.selection;
  const notSelected = selection ? byReason(selection.skipped) : '';
  const rows: [string, string | undefined][] = [
    ['Currency', `${currency}${run.dryRun ? ' (dry run: no money moves)' : ''}`],
    ['Started', `${run.createdAt} by ${run.startedBy}`],
    ['Cutoff', run.cutoff],
    [
      'Policy',
      `pays at least ${formatAmount(run.policy.minimumPayout, currency)}, approval above ` +
        `${formatAmount(run.policy.approvalThreshold, currency)}, ${run.concurrency} at a time`,
    ],
    [
      'Selected',
      selection
        ? `${sellers(selection.eligibleCount)}, ${formatAmount(selection.eligibleAmount, currency)}` +
          (notSelected ? `; not selected: ${notSelected}` : '')
        : 'not yet',
    ],
    ['Approval', approvalText(run, now)],
    ['Progress', 'progress' in run ? progressText(run) : undefined],
    ['Finished', run.finishedAt],
  ];
  return [
    `Payout run ${run.runId}: ${run.status}`,
    ...table(rows.flatMap(([label, value]) => (value === undefined ? [] : [[`  ${label}`, value]]))),
  ];
}

/** The failed payouts the run recorded when it finished, and where to find the rest. */
export function renderFailures(run: RunView): string[] {
  const failures = run.failures ?? [];
  if (run.progress.failed === 0) return [];
  // The run records its failures when it finishes; until then its lines tell them.
  if (failures.length === 0) return [`Failed payouts: ${cliCommand} show ${run.runId} --status failed`];
  const shown = failures.length < run.progress.failed ? ` (first ${failures.length})` : '';
  return [
    `Failed payouts${shown}:`,
    ...table(
      failures.map((failure) => [
        `  ${failure.sellerId}`,
        formatAmount(failure.amount, run.currency),
        failure.code,
        failure.message,
      ]),
    ),
    ...(shown ? [`All of them: ${cliCommand} show ${run.runId} --status failed`] : []),
  ];
}

/** What a finished run did, for the end of a watch. */
export function renderSummary(run: RunView, now: Date): string[] {
  const { progress, currency } = run;
  const outcome = {
    completed: run.dryRun
      ? `Dry run completed: would pay ${sellers(run.selection?.eligibleCount ?? 0)} ` +
        `${formatAmount(run.selection?.eligibleAmount ?? 0, currency)}; no money moved.`
      : `Completed: paid ${sellers(progress.paid)} ${formatAmount(progress.paidAmount, currency)}, ` +
        `${progress.failed} failed, ${progress.skipped} skipped.`,
    rejected:
      `Rejected${run.approval?.decidedBy ? ` by ${run.approval.decidedBy}` : ''}` +
      `${run.approval?.reason ? `: ${run.approval.reason}` : ''}. Nothing was paid.`,
    expired: 'Expired: nobody approved it before its deadline. Nothing was paid.',
  }[run.status as 'completed' | 'rejected' | 'expired'];
  return [
    ...renderRun(run, now),
    ...renderFailures(run),
    outcome ?? `Still ${run.status}.`,
    `Every line as CSV: ${cliCommand} report ${run.runId} --out ${run.runId}.csv`,
  ];
}

function lineDetail(line: LineView): string {
  const parts = [
    line.skipReason,
    line.failure ? `${line.failure.code}: ${line.failure.message}` : undefined,
    line.transferId,
    line.bankPayout
      ? `bank payout ${line.bankPayout.status}` +
        (line.bankPayout.failureCode ? ` (${line.bankPayout.failureCode})` : '')
      : undefined,
  ];
  return parts.filter((part) => part !== undefined).join('; ');
}

/** One page of a run's lines, and how to get the next. */
export function renderLines(page: Page<LineView>, next: string): string[] {
  if (page.items.length === 0) return ['No lines.'];
  return [
    ...table([
      ['SELLER', 'STATUS', 'PLANNED', 'AMOUNT', 'DETAIL'],
      ...page.items.map((line) => [
        line.sellerId,
        line.status,
        formatAmount(line.plannedAmount, line.currency),
        line.amount === undefined ? '' : formatAmount(line.amount, line.currency),
        lineDetail(line),
      ]),
    ]),
    ...(page.nextCursor ? [`More: ${next} --cursor ${page.nextCursor}`] : []),
  ];
}

export function renderRunList(page: Page<RunSummaryView>, next: string): string[] {
  if (page.items.length === 0) return ['No payout runs yet.'];
  return [
    ...table([
      ['RUN', 'STATUS', 'CURRENCY', 'SELECTED', 'STARTED BY', 'CREATED'],
      ...page.items.map((run) => [
        run.runId,
        `${run.status}${run.dryRun ? ' (dry run)' : ''}`,
        run.currency,
        run.selection
          ? `${sellers(run.selection.eligibleCount)}, ${formatAmount(run.selection.eligibleAmount, run.currency)}`
          : '',
        run.startedBy,
        run.createdAt,
      ]),
    ]),
    ...(page.nextCursor ? [`More: ${next} --cursor ${page.nextCursor}`] : []),
  ];
}

const problemHints: Record<string, string> = {
  unauthorized: `The token was refused (expired?). Locally: export MARKETPLACE_TOKEN=$(npm run --silent token -- finance alice)`,
};

/** A problem+json answer as people read it: status and title, what went wrong, which fields. */
export function renderProblem(
  { problem }: ApiProblem,
  unauthorizedHint = problemHints.unauthorized,
): string[] {
  const hint = problemHints[problem.code ?? ''] ?? (problem.status === 401 ? unauthorizedHint : undefined);
  return [
    `Error: ${problem.status} ${problem.title}${problem.code ? ` (${problem.code})` : ''}`,
    `  ${problem.detail}`,
    ...(problem.errors ?? []).map((error) => `  - ${error.field}: ${error.message}`),
    ...(hint ? [hint] : []),
    ...(problem.requestId ? [`  Request id: ${problem.requestId}`] : []),
  ];
}
