import { writeFile } from 'node:fs/promises';
import { routes } from '#functions/routes.ts';
import { ApiProblem, ApiUnreachable, type PayoutApi, type StartRunInput } from './api.ts';
import { approvalNote, cliCommand, renderFailures, renderLines, renderRun, renderRunList } from './format.ts';
import { type WatchIo, watchRun } from './watch.ts';

/** The command line was wrong: exit code 2, with a hint to --help. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A local failure worth a plain message (e.g. the report file could not be written): exit code 3. */
export class CommandFailed extends Error {
  override name = 'CommandFailed';
}

export interface CommandContext extends WatchIo {
  readonly api: PayoutApi;
  /** The command's positional arguments and options, as parsed. */
  readonly runId: string;
  readonly options: {
    readonly currency?: string;
    readonly 'dry-run'?: boolean;
    readonly cutoff?: string;
    readonly key?: string;
    readonly watch?: boolean;
    readonly reason?: string;
    readonly out?: string;
    readonly limit?: string;
    readonly cursor?: string;
    readonly status?: string;
  };
  readonly newKey: () => string;
}

const print = (context: CommandContext, lines: readonly string[]) => {
  if (lines.length > 0) context.stdout.write(`${lines.join('\n')}\n`);
};

async function start(context: CommandContext): Promise<number> {
  const { api, options } = context;
  if (!options.currency) throw new UsageError('start needs --currency, e.g. --currency EUR');
  const key = options.key ?? context.newKey();
  const keyCheck = routes.startPayoutRun.headers.safeParse({ 'idempotency-key': key });
  if (!keyCheck.success) throw new UsageError(`--key ${keyCheck.error.issues[0]?.message ?? 'is invalid'}`);
  const input: StartRunInput = {
    currency: options.currency.toUpperCase(),
    dryRun: options['dry-run'] ?? false,
    ...(options.cutoff === undefined ? {} : { cutoff: options.cutoff }),
  };
  const retry =
    `${cliCommand} start --currency ${input.currency}${input.dryRun ? ' --dry-run' : ''}` +
    `${input.cutoff ? ` --cutoff ${input.cutoff}` : ''} --key ${key}`;
  print(context, [`Idempotency-Key: ${key}`]);
  let started: Awaited<ReturnType<PayoutApi['startRun']>>;
  try {
    started = await api.startRun(input, key);
  } catch (error) {
    const outcomeUnknown =
      context.signal?.aborted ||
      error instanceof ApiUnreachable ||
      (error instanceof ApiProblem && error.transient);
    if (outcomeUnknown) {
      context.stderr.write(
        'The run may or may not have started. Retrying with the same key cannot start a second one:\n' +
          `  ${retry}\n`,
      );
    }
    throw error;
  }
  const { run, created } = started;
  print(context, [
    created
      ? `Started payout run ${run.runId}.`
      : `This key started payout run ${run.runId} before (${run.createdAt}); nothing new was started.`,
    ...renderRun(run, context.now()),
    ...(run.status === 'awaiting-approval' ? approvalNote(run, context.now()) : []),
  ]);
  if (options.watch) return watchRun(api, run.runId, context);
  print(context, [`Follow it: ${cliCommand} watch ${run.runId}`]);
  return 0;
}

async function decide(context: CommandContext, decision: 'approve' | 'reject'): Promise<number> {
  const { api, options, runId } = context;
  if (decision === 'reject' && !options.reason) {
    throw new UsageError('reject needs --reason "…": it is recorded on the run');
  }
  const run = await api.decide(runId, {
    decision,
    ...(options.reason === undefined ? {} : { reason: options.reason }),
  });
  print(context, [
    `${decision === 'approve' ? 'Approved' : 'Rejected'} payout run ${run.runId}.`,
    ...renderRun(run, context.now()),
  ]);
  if (decision === 'approve' && options.watch) return watchRun(api, run.runId, context);
  if (decision === 'approve') print(context, [`Follow it: ${cliCommand} watch ${run.runId}`]);
  return 0;
}

async function resume(context: CommandContext): Promise<number> {
  const { api, options, runId } = context;
  const run = await api.resume(runId);
  print(context, [`Resumed payout run ${run.runId}: a new execution carries on from its lines.`]);
  if (options.watch) return watchRun(api, run.runId, context);
  print(context, [`Follow it: ${cliCommand} watch ${run.runId}`]);
  return 0;
}

/** CSV records, not lines: a quoted field may hold a line break. */
function csvRecordCount(csv: string): number {
  let records = 0;
  let quoted = false;
  for (let i = 0; i < csv.length; i++) {
    if (csv[i] === '"') quoted = !quoted;
    else if (csv[i] === '\n' && !quoted) records++;
  }
  return records;
}

async function report(context: CommandContext): Promise<number> {
  const csv = await context.api.report(context.runId);
  const file = context.options.out;
  if (file === undefined) {
    context.stdout.write(csv);
    return 0;
  }
  try {
    await writeFile(file, csv);
  } catch (error) {
    throw new CommandFailed(`Cannot write ${file}: ${(error as Error).message}`);
  }
  const rows = Math.max(csvRecordCount(csv) - 1, 0);
  print(context, [`Wrote ${rows} line${rows === 1 ? '' : 's'} of payout run ${context.runId} to ${file}.`]);
  return 0;
}

async function list(context: CommandContext): Promise<number> {
  const { limit, cursor } = context.options;
  const page = await context.api.listRuns({
    ...(limit === undefined ? {} : { limit }),
    ...(cursor === undefined ? {} : { cursor }),
  });
  print(context, renderRunList(page, `${cliCommand} list${limit === undefined ? '' : ` --limit ${limit}`}`));
  return 0;
}

async function show(context: CommandContext): Promise<number> {
  const { status, limit, cursor } = context.options;
  const run = await context.api.getRun(context.runId, {
    ...(status === undefined ? {} : { status }),
    ...(limit === undefined ? {} : { limit }),
    ...(cursor === undefined ? {} : { cursor }),
  });
  const next =
    `${cliCommand} show ${run.runId}` +
    `${status === undefined ? '' : ` --status ${status}`}${limit === undefined ? '' : ` --limit ${limit}`}`;
  print(context, [
    ...renderRun(run, context.now()),
    ...(run.status === 'awaiting-approval' ? approvalNote(run, context.now()) : []),
    ...renderFailures(run),
    '',
    status === undefined ? 'Lines:' : `Lines (${status}):`,
    ...renderLines(run.lines, next),
  ]);
  return 0;
}

/** Each command: its positional arguments, the options it takes, and what it does. */
export const commands = {
  start: { args: [], options: ['currency', 'dry-run', 'cutoff', 'key', 'watch'], run: start },
  watch: { args: ['runId'], options: [], run: (c) => watchRun(c.api, c.runId, c) },
  approve: { args: ['runId'], options: ['reason', 'watch'], run: (c) => decide(c, 'approve') },
  reject: { args: ['runId'], options: ['reason'], run: (c) => decide(c, 'reject') },
  resume: { args: ['runId'], options: ['watch'], run: resume },
  report: { args: ['runId'], options: ['out'], run: report },
  list: { args: [], options: ['limit', 'cursor'], run: list },
  show: { args: ['runId'], options: ['status', 'limit', 'cursor'], run: show },
} as const satisfies Record<
  string,
  {
    args: readonly 'runId'[];
    options: readonly (keyof CommandContext['options'])[];
    run: (context: CommandContext) => Promise<number>;
  }
>;
export type CommandName = keyof typeof commands;
