import { parseArgs } from 'node:util';
import * as z from 'zod';
import { marketplaceMetricsView, metricsQuery } from '#functions/routes/schemas/metrics.ts';
import { routes } from '#functions/routes.ts';
import { ApiProblem, ApiUnreachable, problemOf, reasonOf } from '../payouts/api.ts';
import { formatAmount, renderProblem, table } from '../payouts/format.ts';

/** The local stack's default address (PORT in infra/local/config.ts). */
export const defaultApiUrl = 'http://localhost:3000';

export const usage = `Usage: npm run --silent metrics -- --from=YYYY-MM-DD --to=YYYY-MM-DD [--granularity=day|week|month] [--currency=EUR]

Prints the operator metrics of each day, week (Monday to Sunday) or month holding a day of the range,
in one currency (EUR by default): GMV and net GMV, commission revenue and take rate, orders placed,
completed and cancelled, average order value, refund and chargeback rates, active buyers and
sellers, payouts. Days are UTC. docs/design/operator-metrics.md defines each column.

Options:
  --api URL       The API's base URL (default: env MARKETPLACE_API_URL, else ${defaultApiUrl}, the local stack)
  --token TOKEN   An admin's bearer token (default: env MARKETPLACE_TOKEN). On the local stack:
                    export MARKETPLACE_TOKEN=$(npm run --silent token -- admin ada)
  -h, --help      This text

Exit status: 0 printed, 2 wrong command line, 3 the API refused the request or could not be reached.`;

export const exitCodes = { ok: 0, usage: 2, failed: 3 } as const;

const adminTokenHint =
  'Metrics need an admin’s token. Locally: export MARKETPLACE_TOKEN=$(npm run --silent token -- admin ada)';

const loopbackHosts = ['localhost', '127.0.0.1', '[::1]'];

type Metrics = z.infer<typeof marketplaceMetricsView>;
type Period = Metrics['periods'][number];

const percent = (rate: number | null) => (rate === null ? '-' : `${(rate * 100).toFixed(2)} %`);

const columns: readonly (readonly [string, (period: Period, currency: string) => string])[] = [
  ['Period', (period) => (period.start === period.end ? period.start : `${period.start}..${period.end}`)],
  ['GMV', (period, currency) => formatAmount(period.captured, currency)],
  ['Net GMV', (period, currency) => formatAmount(period.netCaptured, currency)],
  ['Commission', (period, currency) => formatAmount(period.commissionRevenue, currency)],
  ['Take rate', (period) => percent(period.takeRate)],
  ['Placed', (period) => String(period.ordersPlaced)],
  ['Completed', (period) => String(period.ordersCompleted)],
  ['Cancelled', (period) => String(period.ordersCancelled)],
  ['Cancel rate', (period) => percent(period.cancellationRate)],
  [
    'Avg order',
    (period, currency) =>
      period.averageOrderValue === null ? '-' : formatAmount(period.averageOrderValue, currency),
  ],
  ['Refund rate', (period) => percent(period.refundRate)],
  ['Chargeback rate', (period) => percent(period.chargebackRate)],
  ['Buyers', (period) => String(period.activeBuyers)],
  ['Sellers', (period) => String(period.activeSellers)],
  ['Payouts', (period) => String(period.payouts)],
  ['Paid out', (period, currency) => formatAmount(period.paidOut, currency)],
];

/** The metrics as a table, one row per period. */
export const renderMetrics = ({ currency, periods }: Metrics): string[] =>
  table([
    columns.map(([heading]) => heading),
    ...periods.map((period) => columns.map(([, cell]) => cell(period, currency))),
  ]);

export interface MetricsCliIo {
  readonly fetch?: typeof fetch;
  readonly stdout?: NodeJS.WritableStream;
  readonly stderr?: NodeJS.WritableStream;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

class UsageError extends Error {}

function optionsOf(argv: readonly string[]) {
  try {
    return parseArgs({
      args: [...argv],
      options: {
        from: { type: 'string' },
        to: { type: 'string' },
        granularity: { type: 'string', default: 'day' },
        currency: { type: 'string', default: 'EUR' },
        api: { type: 'string' },
        token: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** Fetches the metrics the route answers, checked against its schema. */
async function fetchMetrics(
  baseUrl: string,
  token: string,
  query: Record<string, string>,
  fetchFn: typeof fetch,
): Promise<Metrics> {
  const url = new URL(`${baseUrl.replace(/\/+$/, '')}${routes.getMarketplaceMetrics.path}`);
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  let response: Response;
  try {
    response = await fetchFn(url, {
      headers: { accept: 'application/json', authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    throw new ApiUnreachable(url.origin, reasonOf(error));
  }
  if (!response.ok) throw await problemOf(response);
  return marketplaceMetricsView.parse(await response.json());
}

/** The metrics CLI: parses `argv`, calls the API and prints; resolves to the exit code. */
export async function runMetricsCli(argv: readonly string[], io: MetricsCliIo = {}): Promise<number> {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  const env = io.env ?? process.env;
  try {
    const { api, token: tokenOption, help, ...query } = optionsOf(argv);
    if (help) {
      stdout.write(`${usage}\n`);
      return exitCodes.ok;
    }
    // The route's own schema: the CLI refuses what the API would, before asking it.
    const checked = metricsQuery.safeParse(query);
    if (!checked.success) throw new UsageError(z.prettifyError(checked.error));
    const token = tokenOption ?? env.MARKETPLACE_TOKEN;
    if (!token) throw new UsageError(`No token: set MARKETPLACE_TOKEN or pass --token. ${adminTokenHint}`);
    const metrics = await fetchMetrics(
      api ?? env.MARKETPLACE_API_URL ?? defaultApiUrl,
      token,
      checked.data,
      io.fetch ?? globalThis.fetch,
    );
    stdout.write(`${renderMetrics(metrics).join('\n')}\n`);
    return exitCodes.ok;
  } catch (error) {
    if (error instanceof UsageError) {
      stderr.write(`Error: ${error.message}\nUsage: npm run --silent metrics -- --help\n`);
      return exitCodes.usage;
    }
    if (error instanceof ApiProblem) {
      stderr.write(`${renderProblem(error, adminTokenHint).join('\n')}\n`);
      return exitCodes.failed;
    }
    if (error instanceof ApiUnreachable) {
      const local = loopbackHosts.includes(new URL(error.url).hostname);
      stderr.write(`Error: ${error.message}.${local ? ' Is the local stack (npm start) running?' : ''}\n`);
      return exitCodes.failed;
    }
    throw error;
  }
}
