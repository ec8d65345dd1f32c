import { replaceBenchmarkSection } from './benchmarks-doc.ts';
import { type CostLine, prices, type RunUsage } from './payout-cost.ts';
import { type DynamoMeter, dynamoTotals, type PayoutMeters, type TaskMeter } from './payout-meters.ts';

const sectionHeading = '## Payout runs';

export interface RunResult {
  readonly runId: string;
  readonly sellers: number;
  readonly concurrency: number;
  readonly latencyMs: number;
  readonly seedingMs: number;
  /** From POST /payout-runs to the end of the execution. */
  readonly wallMs: number;
  /** From POST /payout-runs to the end of SelectSellers (item list written). */
  readonly selectionMs: number;
  /** From the first PaySeller's start to the last one's end. */
  readonly mapMs: number;
  readonly finishMs: number;
  readonly transfers: number;
  readonly paidAmount: number;
  readonly peakRssMb: number;
  readonly itemListBytes: number;
  /** The machine's 1-minute load average when the run started and when it ended (2 CPUs). */
  readonly loadAverage: { readonly start: number; readonly end: number };
  readonly meters: PayoutMeters;
  readonly usage: RunUsage;
  readonly cost: readonly CostLine[];
}

export interface BenchRun {
  readonly machine: { readonly cpus: number; readonly cpuModel: string; readonly node: string };
  readonly command: string;
  /** The commit measured, and whether the payout code had uncommitted changes then. */
  readonly code: { readonly commit: string; readonly dirty: boolean };
  /** workflows/payout-run.asl.json as the runs read it. */
  readonly asl: unknown;
  readonly results: readonly RunResult[];
}

interface AslTask {
  readonly TimeoutSeconds?: number;
  readonly Retry?: readonly {
    readonly ErrorEquals: readonly string[];
    readonly IntervalSeconds?: number;
    readonly BackoffRate?: number;
    readonly MaxDelaySeconds?: number;
    readonly MaxAttempts?: number;
  }[];
}

/**
 * The longest a Task state can take when every attempt times out: its attempts (the first and the
 * States.ALL retrier's) at TimeoutSeconds each, plus the longest backoff between them.
 */
function worstCaseSeconds(task: AslTask | undefined): { attempts: number; timeout: number; seconds: number } {
  const retrier = task?.Retry?.find((candidate) => candidate.ErrorEquals.includes('States.ALL'));
  const retries = retrier ? (retrier.MaxAttempts ?? 3) : 0;
  let waits = 0;
  for (let retry = 0; retry < retries; retry += 1) {
    const interval = (retrier?.IntervalSeconds ?? 1) * (retrier?.BackoffRate ?? 2) ** retry;
    waits += Math.min(interval, retrier?.MaxDelaySeconds ?? Number.POSITIVE_INFINITY);
  }
  const timeout = task?.TimeoutSeconds ?? 60;
  return { attempts: retries + 1, timeout, seconds: (retries + 1) * timeout + waits };
}

/** PaySeller then, caught, RecordPayoutFailure: the longest one Express child can run by the ASL. */
function childBudget(asl: unknown) {
  const states = (
    asl as { States?: Record<string, { ItemProcessor?: { States?: Record<string, AslTask> } }> }
  ).States;
  const child = states?.PaySellers?.ItemProcessor?.States;
  const pay = worstCaseSeconds(child?.PaySeller);
  const record = worstCaseSeconds(child?.RecordPayoutFailure);
  return { pay, record, seconds: pay.seconds + record.seconds };
}

const int = (value: number) => Math.round(value).toLocaleString('en');
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const fixed = (value: number, digits = 1) => value.toFixed(digits);
const usd = (value: number) => `$${value < 0.01 ? value.toFixed(6) : value.toFixed(4)}`;
const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);
const mean = (values: readonly number[]) => (values.length === 0 ? 0 : sum(values) / values.length);

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

const runTotal = (result: RunResult) => sum(result.cost.map((line) => line.usd));
const mapRate = (result: RunResult) => result.sellers / (result.mapMs / 1000);
const taskOrder = ['SelectSellers', 'PaySeller', 'RecordPayoutFailure', 'FinishRun'];

function tasksOf(result: RunResult): [string, TaskMeter][] {
  return [...result.meters.tasks.entries()].sort(([a], [b]) => taskOrder.indexOf(a) - taskOrder.indexOf(b));
}

function stripeCallsOf(result: RunResult, task: string): { calls: number; durations: number[] } {
  const byRequest = [...(result.meters.stripe.get(task)?.values() ?? [])];
  return {
    calls: sum(byRequest.map((meter) => meter.calls)),
    durations: byRequest.flatMap((meter) => meter.durations),
  };
}

function resultsTable(results: readonly RunResult[]): string[] {
  return [
    '| sellers | Map concurrency | Stripe latency | seeding (not in the run) | selection | paying (Map) | wall time | sellers/s in the Map | sellers/s overall | PaySeller in flight (mean / max) | paid once each | peak RSS | load average (start / end) | cost per run |',
    '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: |',
    ...results.map((result) => {
      const pay = result.meters.tasks.get('PaySeller');
      // Little's law: sellers in flight = rate × time each spends in PaySeller.
      const inFlight = mapRate(result) * (mean(pay?.durations ?? []) / 1000);
      return `| ${int(result.sellers)} | ${result.concurrency} | ${result.latencyMs} ms | ${s(result.seedingMs)} | ${s(result.selectionMs)} | ${s(result.mapMs)} | ${s(result.wallMs)} | ${fixed(mapRate(result))} | ${fixed(result.sellers / (result.wallMs / 1000))} | ${fixed(inFlight)} / ${pay?.maxInFlight ?? 0} | ${int(result.transfers)} transfers, ${int(result.paidAmount / 100)} EUR | ${int(result.peakRssMb)} MB | ${fixed(result.loadAverage.start)} / ${fixed(result.loadAverage.end)} | ${usd(runTotal(result))} |`;
    }),
  ];
}

function tasksTable(results: readonly RunResult[]): string[] {
  return [
    '| concurrency | task | invocations | failed (error) | per seller | p50 ms | p95 ms | max ms | DynamoDB calls / invocation | WRU / invocation | RRU / invocation | Stripe calls / invocation (mean ms) |',
    '| ---: | --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...results.flatMap((result) =>
      tasksOf(result).map(([task, meter]) => {
        const dynamo = dynamoTotals(result.meters.dynamo.get(task));
        const stripe = stripeCallsOf(result, task);
        const per = (value: number) => fixed(value / meter.invocations, 2);
        const errors = [...meter.errors].map(([name, count]) => `${count} ${name}`).join(', ');
        return `| ${result.concurrency} | ${task} | ${int(meter.invocations)} | ${meter.failures}${errors ? ` (${errors})` : ''} | ${fixed(meter.invocations / result.sellers, 4)} | ${fixed(percentile(meter.durations, 50))} | ${fixed(percentile(meter.durations, 95))} | ${fixed(Math.max(...meter.durations))} | ${per(dynamo.calls)} | ${per(dynamo.writeUnits)} | ${per(dynamo.readUnits + dynamo.missingConsistentKeys + dynamo.missingEventualKeys / 2)} | ${per(stripe.calls)} (${fixed(mean(stripe.durations))}) |`;
      }),
    ),
  ];
}

function dynamoTable(result: RunResult): string[] {
  const rows: string[] = [];
  for (const [task] of tasksOf(result)) {
    const byCommand: [string, DynamoMeter][] = [...(result.meters.dynamo.get(task)?.entries() ?? [])];
    for (const [command, meter] of byCommand.sort(([a], [b]) => a.localeCompare(b))) {
      const missing = meter.missingConsistentKeys + meter.missingEventualKeys / 2;
      rows.push(
        `| ${task} | ${command.replace(/Command$/, '')} | ${int(meter.calls)} | ${int(meter.items)} | ${int(meter.writeUnits)} | ${int(meter.indexWriteUnits)} | ${int(meter.readUnits)}${missing > 0 ? ` + ${int(missing)}` : ''} | ${fixed(meter.totalMs / meter.calls)} |`,
      );
    }
  }
  return [
    '| task | command | calls | items (keys asked, items written or returned) | WRU | of which GSI1 | RRU (+ missing keys) | mean ms |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
  ];
}

function costTable(result: RunResult): string[] {
  const total = runTotal(result);
  return [
    '| item | quantity per run | formula (price) | per run | per seller | how the quantity is known |',
    '| --- | ---: | --- | ---: | ---: | --- |',
    ...result.cost.map(
      (line) =>
        `| ${line.item} | ${line.quantity} | ${line.formula} | ${usd(line.usd)} | ${usd(line.usd / result.sellers)} | ${line.basis} |`,
    ),
    `| **total** | | | **${usd(total)}** | **${usd(total / result.sellers)}** | |`,
  ];
}

function renderSection(run: BenchRun): string {
  const [first] = run.results;
  if (!first) throw new Error('No run to report');
  const sellers = first.sellers;
  const pay = first.meters.tasks.get('PaySeller');
  const payDynamo = dynamoTotals(first.meters.dynamo.get('PaySeller'));
  const select = first.meters.tasks.get('SelectSellers');
  const selectionRate = sellers / (first.selectionMs / 60_000);
  const children = first.meters.children;
  const childSpans = [...children.values()].map((span) => span.end - span.start);
  const attempts = sum([...children.values()].map((span) => span.attempts));
  const fixedTransitions = first.usage.standardTransitions - children.size;
  const budget = childBudget(run.asl);
  const [fastest, slowest] = [...run.results].sort((a, b) => b.concurrency - a.concurrency);
  const scaling =
    fastest && slowest && fastest.concurrency !== slowest.concurrency
      ? ` (${fastest.concurrency / slowest.concurrency}× the concurrency, ${fixed(mapRate(fastest) / mapRate(slowest), 2)}× the sellers per second)`
      : '';
  const stripeLatency = mean(stripeCallsOf(first, 'PaySeller').durations);
  const secondOfPaySeller =
    (prices.lambdaMemoryMb / 1024) * prices.lambdaArmGbSecond +
    (prices.expressMemoryMb / 1024) * prices.expressGbSecond;
  const durationCost = sum(
    first.cost.filter((line) => line.basis === 'measured locally').map((line) => line.usd),
  );
  const lines = [
    sectionHeading,
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} at commit ${run.code.commit}${run.code.dirty ? ' (with uncommitted changes to the payout code)' : ''} on ${run.machine.cpus} CPUs (${run.machine.cpuModel}), Node ${run.machine.node}:`,
    'the whole local stack in one process (gateway, functions, the workflow runner, the payment simulator)',
    'and DynamoDB Local 1.25.1 in its own JVM, on the same two CPUs.',
    '',
    "Reproduce (`--sellers=N`, default 10000; `--concurrency=N[,N…]`, the run's `PAYOUT_CONCURRENCY`, which",
    "is the Map's `MaxConcurrency`, default 40, several values run one after the other on the same stack, each",
    'after seeding again; `--latency-ms=N`, the delay the payment simulator adds to every Stripe call, default',
    '50; `--write` replaces this section):',
    '',
    '```',
    run.command,
    '```',
    '',
    'Each run starts from sellers seeded directly, not through checkouts (`test/bench/payout-seed.ts`): per',
    "seller an Express account created through the simulator's Stripe API with the seller id in its",
    'metadata, onboarding completed there, the account as Stripe reports it stored with',
    '`PaymentsAccountStore.recordObserved`, and one balanced ledger transaction posted with',
    "`LedgerStore.post` (platform cash +X, the seller's available balance −X, X from 10.00 to 500.00 EUR",
    'drawn from a seeded PRNG); then the platform is funded at the simulator with the total. The',
    "simulator's webhooks are held throughout, so neither the seeding's `account.updated` events nor the",
    "run's `transfer.created` events reach the stack (the stack ignores `transfer.created`). The run itself",
    'is started with `POST /payout-runs` as a finance user, with no approval needed (threshold raised),',
    'minimum payout 10.00 EUR, and the latency set only once seeding is done. The benchmark registers its',
    'own workflow runner, built as the stack builds its own but with a counting `invoke`, to time every',
    "task invocation and attribute every DynamoDB call (a middleware on the functions' document client,",
    'which asks for `ReturnConsumedCapacity: INDEXES`) and every Stripe call to the task that made it.',
    'It fails unless the run completes with every seeded seller paid, and the simulator holds exactly',
    'one transfer per seller, of the seeded amount, to their account.',
    '',
    ...resultsTable(run.results),
    '',
    'Selection is from the POST to the end of `SelectSellers` (lines written, item list written); the',
    "Map from the first `PaySeller`'s start to the last one's end. \"In flight\" is Little's law (sellers/s ×",
    'mean `PaySeller` time) against the most invocations seen running at once. Seeding is reported apart',
    'and is not part of the run.',
    '',
    'Lambda invocations per task (measured; durations are wall time in this one process, so they include',
    "waiting for the CPU that the other tasks in flight, DynamoDB Local and the simulator share: an estimate of Lambda's",
    'billed duration, likely high):',
    '',
    ...tasksTable(run.results),
    '',
    ...(run.results.some((result) =>
      [...result.meters.tasks.values()].some((meter) => meter.errors.has('TimeoutError')),
    )
      ? [
          'A `TimeoutError` is middy cutting the handler short 29 s into the invocation: the local runner',
          'gives every task the 29 s Lambda context of an API route (`infra/local/lambda-event.ts`), not its',
          "function's timeout in the cloud (the state's `TimeoutSeconds`, 900 s for `SelectSellers`). The state",
          'retries while the cut attempt goes on in the background, so attempts overlap and the selection time',
          "above is not one attempt's. Reported; not fixed here.",
          '',
        ]
      : []),
    `DynamoDB calls by task and command, run at concurrency ${first.concurrency} (measured; capacity as DynamoDB Local reports it,`,
    'table and GSI1: per item 1 KB per write unit and 4 KB per read unit, rounded up, two units per item in',
    'a transaction, including a `ConditionCheck`; "+ missing keys" are BatchGetItem keys with no item, which',
    'DynamoDB Local charges nothing and which are counted here as one read unit each (half if eventually',
    'consistent), assuming AWS charges them as it charges a GetItem of a missing item):',
    '',
    ...dynamoTable(first),
    '',
    `Per seller, \`PaySeller\` makes ${fixed(payDynamo.calls / sellers, 1)} DynamoDB calls: the run (one Query of its item and`,
    'progress shards), the line (read three times: at the start and after each change), the balances',
    '(BatchGetItem of available and frozen), the payments account, the hold, then two transactions:',
    "planned → transferring with the ledger transfer (11 items: the run's status checked, the line, the",
    'ledger transaction, its 4 entries and their 4 balances) and transferring → paid (the line and one',
    'progress shard); and one Stripe call, `POST /v1/transfers`',
    `(${fixed(stripeLatency)} ms on average as the SDK timed it, ${first.latencyMs} ms of it injected). Those ${fixed(payDynamo.calls / sellers, 1)} DynamoDB round trips took`,
    `${fixed(payDynamo.totalMs / payDynamo.calls)} ms each on average: DynamoDB Local, which serialises transactions, sets the pace here, not`,
    'the Stripe latency.',
    '',
    '### State transitions',
    '',
    'In the cloud the parent is a Standard execution and the Map is Distributed with Express children.',
    'Step Functions bills the parent per state transition and counts one transition for each child',
    'execution a Distributed Map starts ("Transitions in Distributed Map state", AWS Step Functions',
    'Developer Guide, concepts-transitions); the Express children are billed per request and duration,',
    'not per transition.',
    '',
    `- Parent, counted for this run: ${fixedTransitions} fixed (SelectSellers ×${select?.invocations ?? 0}, RouteRun, PaySellers, FinishRun ×${first.meters.tasks.get('FinishRun')?.invocations ?? 0}; AwaitApproval adds one when a run needs approval) + ${int(children.size)} children = **${int(first.usage.standardTransitions)}**, i.e. ${fixed(first.usage.standardTransitions / sellers, 4)} per seller. Each retry of SelectSellers or FinishRun adds one (counted above: every invocation is an attempt).`,
    `- Per child (one seller): ${fixed(attempts / children.size, 3)} task attempts on average (\`PaySeller\`, its retries, \`RecordPayoutFailure\`; measured: ${int(pay?.invocations ?? 0)} \`PaySeller\` invocations, ${int(first.meters.tasks.get('RecordPayoutFailure')?.invocations ?? 0)} \`RecordPayoutFailure\`), inside the Express child and so not billed as transitions.`,
    `- Child duration as measured here (first task start to last task end): p50 ${fixed(percentile(childSpans, 50))} ms, p95 ${fixed(percentile(childSpans, 95))} ms, max ${fixed(Math.max(...childSpans))} ms; Express bills it rounded up to 100 ms, at 64 MB (50 MB + the definition + the payload, per the pricing page's formula).`,
    '',
    `### Cost of one run of ${int(sellers)} sellers (AWS list prices, us-east-1, checked 2026-11-27)`,
    '',
    ...costTable(first),
    '',
    '"measured": counted in the run; "measured locally": from durations measured in this process, an',
    "estimate (real Lambda and Express durations depend on DynamoDB's and Stripe's latency in the",
    'cloud, and Express adds its own overhead to each child); "computed": from the definition and the',
    'measured invocation counts. Not counted: S3 (one PUT and one GET of the item list per run, under',
    "$0.00001), API Gateway (one request to start a run), CloudWatch Logs, and Stripe's own fees.",
    `The two duration lines scale with how long \`PaySeller\` takes: each second of it costs ${usd(secondOfPaySeller)}`,
    `per seller (Lambda at 256 MB plus the Express child at 64 MB). Here it took ${fixed(mean(pay?.durations ?? []))} ms on average,`,
    'inflated by the local contention; at 200 ms (a 50 ms Stripe call and nine DynamoDB calls of about',
    `15 ms) the run would cost about ${usd(runTotal(first) - durationCost + sellers * secondOfPaySeller * 0.2)} (${usd((runTotal(first) - durationCost) / sellers + secondOfPaySeller * 0.2)} per seller).`,
    '',
    'Prices: Step Functions Standard $0.025 per 1,000 state transitions; Express $1.00 per million requests',
    'and $0.06000 per GB-hour for the first 1,000 GB-hours a month ($0.0000166667 per GB-second; memory in',
    '64 MB chunks, duration rounded up to 100 ms), both from aws.amazon.com/step-functions/pricing (us-east-1',
    `table and Express example); Lambda $0.20 per million requests and $${prices.lambdaArmGbSecond} per GB-second on`,
    'arm64 for the first 7.5 billion GB-seconds a month (aws.amazon.com/lambda/pricing, us-east-1), every',
    'function at 256 MB (`infra/constructs/handler-function.ts`), billed per 1 ms; DynamoDB on demand $0.625',
    'per million write request units and $0.125 per million read request units (us-east-1, since the price',
    'cut of 2024-11-01; aws.amazon.com/dynamodb/pricing/on-demand). Free tiers are left out.',
    '',
    '### Limits',
    '',
    `- Locally the Map is an inline Map (\`infra/local/local-asl.ts\`): one Node.js process runs every child,`,
    "  at most `MaxConcurrency` at once, with the item list, the engine's event log and every task in",
    `  memory (peak RSS ${int(Math.max(...run.results.map((result) => result.peakRssMb)))} MB for ${int(sellers)} sellers, stack and simulator included).`,
    "  The Map kept its `MaxConcurrency` sellers in flight throughout (Little's law, above), so the",
    '  throughput is the concurrency over the time each seller takes, and here that time grows with the',
    `  concurrency, as every task shares DynamoDB Local and the two CPUs${scaling}.`,
    `  In the cloud, where tasks do not share a CPU, the same law gives about ${int(first.concurrency / 0.2)} sellers/s at concurrency`,
    `  ${first.concurrency} if \`PaySeller\` takes 200 ms (an assumption, not a measurement): ${int(sellers)} sellers in about ${s((sellers / (first.concurrency / 0.2)) * 1000)} after the selection.`,
    "- In the cloud the Map is Distributed: up to 10,000 child executions at once (the run's",
    "  `concurrency`, at most 1,000 by `PAYOUT_CONCURRENCY`'s schema, caps it), each Express child within 5",
    `  minutes. By the ASL measured, a child whose every attempt times out runs up to ${budget.seconds} s: \`PaySeller\` ${budget.pay.attempts} × ${budget.pay.timeout} s`,
    `  plus backoff, then \`RecordPayoutFailure\` ${budget.record.attempts} × ${budget.record.timeout} s plus backoff${budget.seconds > 300 ? ', more than the 5 minutes: such a child would be stopped before it records the failure' : ', within the 5 minutes'}.`,
    `- The item list is in S3 because a state's input and output are limited to 256 KiB: this run's list was`,
    `  ${int(first.itemListBytes)} bytes (${fixed(first.itemListBytes / sellers, 1)} bytes per seller id), so a payload would hold about ${int(262_144 / (first.itemListBytes / sellers))} sellers`,
    "  and nothing else. The ItemReader's own limit on the size of the JSON object it reads was not found in",
    `  the AWS documentation available here, so it is not stated; at this size a million sellers' list is ${int(first.itemListBytes / sellers)} MB.`,
    `- \`SelectSellers\` selects in one Lambda invocation of at most 15 minutes (\`TimeoutSeconds\` 900). Here it`,
    `  selected ${int(sellers)} sellers in ${s(first.selectionMs)}, about ${int(selectionRate)} sellers a minute, which would put the bound`,
    `  near ${int(selectionRate * 15)} sellers per run at this rate. DynamoDB Local on two shared CPUs is not`,
    '  DynamoDB: measure again in the cloud before relying on it. The selection reads the payable index page',
    '  by page and writes 25 lines at a time, so its time grows linearly with the sellers.',
    '- DynamoDB Local never throttles and never cancels a transaction for a conflict; in the cloud the',
    '  progress counters are spread over 10 shards and the platform balances over 10, so concurrent',
    '  `PaySeller` transactions rarely touch the same item.',
  ];
  return `${lines.join('\n')}\n`;
}

/** Prints the payout runs section, and with `write` replaces it in docs/benchmarks.md (added at the end if absent). */
export async function writePayoutSection(run: BenchRun, write: boolean): Promise<void> {
  const section = renderSection(run);
  console.log(`\n${section}`);
  if (!write) return;
  await replaceBenchmarkSection(sectionHeading, section);
}
