import { randomUUID } from 'node:crypto';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { runIdSchema } from '#functions/routes/schemas/payouts.ts';
import { payoutLineStatuses } from '#shared/domain/payout-run.ts';
import { ApiProblem, ApiUnreachable, PayoutApi, UnexpectedResponse } from './api.ts';
import { type CommandContext, CommandFailed, type CommandName, commands, UsageError } from './commands.ts';
import { renderProblem } from './format.ts';

/** The local stack's default port (PORT in infra/local/config.ts). */
export const defaultApiUrl = 'http://localhost:3000';

export const exitCodes = { ok: 0, runNotPaid: 1, usage: 2, failed: 3, interrupted: 130 } as const;

export const usage = `Usage: npm run --silent payouts -- <command> [options]

Payout runs pay sellers what they have earned, one currency at a time. Amounts are shown in the
currency's units; the API and the CSV report use minor units (cents).

Commands:
  start --currency EUR [--dry-run] [--cutoff ISO] [--key KEY] [--watch]
      Start a payout run and print its id, status and selection. Sends an Idempotency-Key (a new
      UUID unless --key is given) and prints it first: if the command fails, retry with --key KEY
      and you get the same run back, never a second one.
      --dry-run   select and report who would be paid how much, without moving money
      --cutoff    pay only money available before this instant, e.g. 2025-01-31T23:00:00Z
      --watch     then watch the run, as below
  watch <runId>
      Follow the run until it completes, is rejected or expires: a progress bar on a terminal, a
      line per change otherwise. Says who may approve a run awaiting approval, and until when.
      Ctrl-C stops watching, not the run.
  approve <runId> [--reason TEXT] [--watch]
  reject <runId> --reason TEXT
      Decide a run awaiting approval. Another finance user than the one who started it must decide.
  resume <runId> [--watch]
      Carry on a run whose execution ended before the run did (the operators' alarm fired, e.g.
      Stripe was unreachable): sellers already paid are not paid again.
  report <runId> [--out FILE]
      Every line of the run as CSV, to FILE or to stdout.
  list [--limit N] [--cursor C]
      Payout runs, newest first.
  show <runId> [--status ${payoutLineStatuses.join('|')}] [--limit N] [--cursor C]
      The run and one page of its lines per seller.

Options:
  --api URL       The API's base URL (default: env MARKETPLACE_API_URL, else ${defaultApiUrl}, the local stack)
  --token TOKEN   A finance user's bearer token (default: env MARKETPLACE_TOKEN, which keeps it out of
                  your shell history and the process list)
  -h, --help      This text

On the local stack (npm start), tokens come from npm run token:
  export MARKETPLACE_TOKEN=$(npm run --silent token -- finance alice)
  npm run --silent payouts -- start --currency EUR --watch
  MARKETPLACE_TOKEN=$(npm run --silent token -- finance bob) npm run --silent payouts -- approve <runId>

Exit status: 0 done (watch: the run completed), 1 the run was rejected or expired, 2 wrong command
line, 3 the API refused the request or could not be reached (or the report could not be written),
130 interrupted.`;

const optionSpecs = {
  api: { type: 'string' },
  token: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  currency: { type: 'string' },
  'dry-run': { type: 'boolean' },
  cutoff: { type: 'string' },
  key: { type: 'string' },
  watch: { type: 'boolean' },
  reason: { type: 'string' },
  out: { type: 'string' },
  limit: { type: 'string' },
  cursor: { type: 'string' },
  status: { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

const globalOptions: readonly string[] = ['api', 'token', 'help'];

export interface CliIo {
  readonly fetch?: typeof fetch;
  readonly stdout?: NodeJS.WritableStream;
  readonly stderr?: NodeJS.WritableStream;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Whether stdout is a terminal (progress bar) or not (plain lines); default: stdout's own isTTY. */
  readonly isTTY?: boolean;
  /** Abort it on Ctrl-C: a watch stops and says so, a request in flight is cancelled. */
  readonly signal?: AbortSignal;
  readonly pollIntervalMs?: number;
  readonly now?: () => Date;
}

const isCommand = (name: string): name is CommandName => Object.hasOwn(commands, name);

function parse(argv: readonly string[]) {
  try {
    return parseArgs({ args: [...argv], options: optionSpecs, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function apiUrl(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`--api ${value} is not a URL, e.g. ${defaultApiUrl}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`--api ${value} is not an http(s) URL`);
  }
  return url;
}

const loopbackHosts = ['localhost', '127.0.0.1', '[::1]'];

/**
 * The finance CLI: parses `argv` (the arguments after the script), calls the API, writes to
 * `io.stdout`/`io.stderr` and resolves to the exit code. Every effect goes through `io`, so it runs
 * in-process in tests against a fake fetch or a real local stack.
 */
export async function runCli(argv: readonly string[], io: CliIo = {}): Promise<number> {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  const env = io.env ?? process.env;
  const fail = (lines: readonly string[], code: number) => {
    stderr.write(`${lines.join('\n')}\n`);
    return code;
  };
  try {
    const { values, positionals } = parse(argv);
    const [name, ...args] = positionals;
    if (values.help || name === 'help') {
      stdout.write(`${usage}\n`);
      return exitCodes.ok;
    }
    if (name === undefined) return fail([usage], exitCodes.usage);
    if (!isCommand(name)) throw new UsageError(`Unknown command "${name}".`);
    const command = commands[name];
    const allowed = [...globalOptions, ...command.options];
    const misplaced = Object.keys(values).filter((option) => !allowed.includes(option));
    if (misplaced.length > 0) {
      throw new UsageError(`${name} does not take ${misplaced.map((option) => `--${option}`).join(', ')}`);
    }
    if (args.length !== command.args.length) {
      throw new UsageError(
        command.args.length === 0
          ? `${name} takes no arguments`
          : `${name} needs a run id, e.g. ${name} pr_…`,
      );
    }
    const runId = args[0] ?? '';
    if (command.args.length > 0 && !runIdSchema.safeParse(runId).success) {
      throw new UsageError(`${runId} is not a payout run id (pr_ and 16 letters or digits)`);
    }
    const token = values.token ?? env.MARKETPLACE_TOKEN;
    if (!token) {
      throw new UsageError(
        'No token: set MARKETPLACE_TOKEN or pass --token. On the local stack:\n' +
          '  export MARKETPLACE_TOKEN=$(npm run --silent token -- finance alice)',
      );
    }
    const url = apiUrl(values.api ?? env.MARKETPLACE_API_URL ?? defaultApiUrl);
    if (url.protocol === 'http:' && !loopbackHosts.includes(url.hostname)) {
      stderr.write(`Warning: your token goes to ${url.host} unencrypted; use https.\n`);
    }
    const context: CommandContext = {
      api: new PayoutApi({
        baseUrl: url.href,
        token,
        ...(io.fetch ? { fetch: io.fetch } : {}),
        ...(io.signal ? { signal: io.signal } : {}),
      }),
      runId,
      options: values,
      newKey: randomUUID,
      stdout,
      stderr,
      isTTY: io.isTTY ?? (stdout as { isTTY?: boolean }).isTTY === true,
      ...(io.signal ? { signal: io.signal } : {}),
      pollIntervalMs: io.pollIntervalMs ?? 1000,
      now: io.now ?? (() => new Date()),
    };
    return await command.run(context);
  } catch (error) {
    if (io.signal?.aborted) return fail(['Interrupted.'], exitCodes.interrupted);
    if (error instanceof UsageError) {
      return fail([`Error: ${error.message}`, 'Usage: npm run --silent payouts -- --help'], exitCodes.usage);
    }
    if (error instanceof ApiProblem) return fail(renderProblem(error), exitCodes.failed);
    if (error instanceof ApiUnreachable) {
      const local = loopbackHosts.includes(new URL(error.url).hostname)
        ? ' Is the local stack (npm start) running?'
        : '';
      return fail([`Error: ${error.message}.${local}`], exitCodes.failed);
    }
    if (error instanceof UnexpectedResponse || error instanceof CommandFailed) {
      return fail([`Error: ${error.message}`], exitCodes.failed);
    }
    throw error;
  }
}
