/**
 * A payout run over N eligible sellers against the local stack, with the payment simulator adding a
 * latency to every Stripe call: wall time, the selection's time, throughput, Lambda invocations and
 * DynamoDB use per task, and what such a run costs at AWS list prices. See docs/benchmarks.md.
 *
 *   npm run bench:payouts -- --sellers=10000 --concurrency=40,10 --latency-ms=50 --write
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type Stripe from 'stripe';
import { localAccount, localAdministrator } from '#infra/local/aws/authorization.ts';
import type { PaymentSimulator } from '#infra/local/payment-simulator/index.ts';
import { payoutTransferGroup } from '#shared/domain/payout-run.ts';
import { payoutRun } from '#workflows/payout-run.ts';
import { TestApi } from '../support/api.ts';
import { stripeClientOf } from '../support/stripe.ts';
import { type RunUsage, runCost } from './payout-cost.ts';
import { dynamoTotals, PayoutMeters } from './payout-meters.ts';
import { type BenchRun, type RunResult, writePayoutSection } from './payout-report.ts';
import { benchCurrency, type SeededSeller, seedEligibleSellers } from './payout-seed.ts';
import { Random } from './random.ts';

interface Options {
  readonly sellers: number;
  readonly concurrencies: readonly number[];
  readonly latencyMs: number;
  readonly seedConcurrency: number;
  readonly write: boolean;
}

function parseArguments(argv: readonly string[]): Options {
  const option = (name: string) => argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
  const whole = (name: string, fallback: string, min: number) => {
    const value = Number(option(name) ?? fallback);
    if (!Number.isInteger(value) || value < min) throw new Error(`--${name} must be a whole number ≥ ${min}`);
    return value;
  };
  const concurrencies = (option('concurrency') ?? '40').split(',').map(Number);
  if (concurrencies.some((value) => !Number.isInteger(value) || value < 1 || value > 1000)) {
    throw new Error('--concurrency takes whole numbers from 1 to 1000, separated by commas');
  }
  return {
    sellers: whole('sellers', '10000', 1),
    concurrencies,
    latencyMs: whole('latency-ms', '50', 0),
    seedConcurrency: whole('seed-concurrency', '16', 1),
    write: argv.includes('--write'),
  };
}

/** The Task states whose handler runs inside a child workflow of the Map (one per seller in the cloud). */
const childTasks = ['PaySeller', 'RecordPayoutFailure'];
const stateOfHandler = new Map<string, string>(
  Object.entries(payoutRun.tasks).map(([state, task]) => [task.handler, state]),
);

const elapsed = (since: number) => performance.now() - since;
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** The largest item list the run wrote, as the local S3 lists it. */
async function itemListBytes(api: TestApi, runId: string): Promise<number> {
  const { aws } = api.stack;
  const [bucketId] = aws.resourcesOfType('AWS::S3::Bucket');
  if (!bucketId) throw new Error('The template has no item-list bucket');
  const s3 = new S3Client({
    endpoint: aws.s3.url,
    region: localAccount.region,
    credentials: localAdministrator,
  });
  try {
    const { Contents = [] } = await s3.send(
      new ListObjectsV2Command({
        Bucket: aws.references.physicalName(bucketId),
        Prefix: `payout-runs/${runId}/`,
      }),
    );
    return Math.max(0, ...Contents.map((object) => object.Size ?? 0));
  } finally {
    s3.destroy();
  }
}

/**
 * Every seeded seller was paid exactly once, what was seeded: the simulator's transfer.created
 * events of the run's transfer group, by the seller in their metadata. Throws otherwise.
 */
function checkTransfers(simulator: PaymentSimulator, runId: string, seeded: readonly SeededSeller[]) {
  const group = payoutTransferGroup(runId);
  const transfers = simulator
    .events('transfer.created')
    .map((event) => event.data.object as unknown as Stripe.Transfer)
    .filter((transfer) => transfer.transfer_group === group);
  const bySeller = new Map<string, Stripe.Transfer[]>();
  for (const transfer of transfers) {
    const sellerId = transfer.metadata?.sellerId ?? '';
    bySeller.set(sellerId, [...(bySeller.get(sellerId) ?? []), transfer]);
  }
  const problems: string[] = [];
  for (const seller of seeded) {
    const made = bySeller.get(seller.sellerId) ?? [];
    if (made.length !== 1) problems.push(`${seller.sellerId}: ${made.length} transfers`);
    else if (made[0]?.amount !== seller.amount || made[0]?.destination !== seller.stripeAccountId) {
      problems.push(`${seller.sellerId}: transferred ${made[0]?.amount} to ${made[0]?.destination}`);
    }
  }
  if (bySeller.size !== seeded.length)
    problems.push(`${bySeller.size} sellers paid, ${seeded.length} seeded`);
  if (problems.length > 0) {
    throw new Error(`The run did not pay each seller once:\n${problems.slice(0, 20).join('\n')}`);
  }
  return { count: transfers.length, amount: transfers.reduce((sum, transfer) => sum + transfer.amount, 0) };
}

function paymentSimulatorOf(api: TestApi) {
  const simulator = api.stack.paymentSimulator;
  if (!simulator) throw new Error('The benchmark needs the payment simulator');
  return simulator;
}

async function measureRun(
  api: TestApi,
  context: {
    readonly finance: string;
    readonly seeded: readonly SeededSeller[];
    readonly concurrency: number;
    readonly latencyMs: number;
    readonly seedingMs: number;
  },
): Promise<RunResult> {
  const simulator = paymentSimulatorOf(api);
  const { documentClient } = await import('#shared/app/composition/stores/document-client.ts');
  const { stripeApi } = await import('#shared/app/composition/stripe-api.ts');
  // Read by start-run.ts at each start, as the deployed function reads its environment.
  process.env.PAYOUT_CONCURRENCY = String(context.concurrency);
  const meters = new PayoutMeters(childTasks);
  currentMeters = meters;
  const runner = api.stack.payoutWorkflows;
  const detach = [meters.meterDynamoDb(documentClient), meters.meterStripe(await stripeApi())];
  simulator.setLatency(context.latencyMs);

  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 500);
  const loadAtStart = loadavg()[0] ?? 0;
  const started = performance.now();
  let progress: NodeJS.Timeout | undefined;
  try {
    const response = await api.call('POST', '/payout-runs', {
      token: context.finance,
      body: { currency: benchCurrency },
      headers: { 'idempotency-key': randomUUID() },
    });
    if (response.status !== 201)
      throw new Error(`POST /payout-runs: ${response.status} ${JSON.stringify(response.body)}`);
    const runId: string = response.body.runId;
    progress = setInterval(async () => {
      const run = await api.call('GET', `/payout-runs/${runId}?limit=1`, { token: context.finance });
      const { done = 0, total = 0 } = run.body?.progress ?? {};
      const rss = (process.memoryUsage().rss / 2 ** 20).toFixed(0);
      console.log(`  ${seconds(elapsed(started))}: ${run.body?.status} ${done}/${total}, rss ${rss} MB`);
    }, 10_000);
    const outcome = await runner.settled(runId);
    const wallMs = elapsed(started);
    clearInterval(progress);
    if (outcome.status !== 'succeeded') throw new Error(`The execution ended ${JSON.stringify(outcome)}`);

    const run = (await api.call('GET', `/payout-runs/${runId}?limit=1`, { token: context.finance })).body;
    const sellers = context.seeded.length;
    const { progress: done, selection, status } = run;
    if (status !== 'completed' || done.paid !== sellers || done.failed !== 0 || done.skipped !== 0) {
      throw new Error(
        `Run ${runId} ended ${status}, ${JSON.stringify(done)}; ${sellers} sellers were seeded`,
      );
    }
    if (selection.eligibleCount !== sellers) {
      throw new Error(`The selection found ${selection.eligibleCount} of ${sellers} eligible sellers`);
    }
    const transfers = checkTransfers(simulator, runId, context.seeded);
    const seededAmount = context.seeded.reduce((sum, seller) => sum + seller.amount, 0);
    if (transfers.amount !== seededAmount || done.paidAmount !== seededAmount) {
      throw new Error(`Transferred ${transfers.amount}, recorded ${done.paidAmount}, seeded ${seededAmount}`);
    }

    const task = (state: string) => meters.tasks.get(state);
    const select = task('SelectSellers');
    const pay = task('PaySeller');
    const finish = task('FinishRun');
    if (!select || !pay || !finish) throw new Error('A task of the run was never invoked');
    const lambdaDurationsMs = [...meters.tasks.values()].flatMap((meter) => meter.durations);
    // Calls outside the tasks (starting the run, the progress polling) are not part of its cost.
    const taskTotals = [...meters.dynamo.entries()]
      .filter(([name]) => name !== 'api')
      .map(([, byCommand]) => dynamoTotals(byCommand));
    const total = (field: 'writeUnits' | 'readUnits' | 'missingConsistentKeys' | 'missingEventualKeys') =>
      taskTotals.reduce((sum, meter) => sum + meter[field], 0);
    const children = meters.children.size;
    const usage: RunUsage = {
      sellers,
      // SelectSellers, RouteRun, PaySellers, FinishRun (each attempt), one per child started.
      standardTransitions: select.invocations + 1 + 1 + finish.invocations + children,
      childSpansMs: [...meters.children.values()].map((span) => span.end - span.start),
      lambdaDurationsMs,
      writeUnits: total('writeUnits'),
      readUnits: total('readUnits') + total('missingConsistentKeys') + total('missingEventualKeys') / 2,
    };
    return {
      runId,
      sellers,
      concurrency: context.concurrency,
      latencyMs: context.latencyMs,
      seedingMs: context.seedingMs,
      wallMs,
      selectionMs: select.lastEnd - started,
      mapMs: pay.lastEnd - pay.firstStart,
      finishMs: finish.lastEnd - finish.firstStart,
      transfers: transfers.count,
      paidAmount: transfers.amount,
      peakRssMb: peakRss / 2 ** 20,
      itemListBytes: await itemListBytes(api, runId),
      loadAverage: { start: loadAtStart, end: loadavg()[0] ?? 0 },
      meters,
      usage,
      cost: runCost(usage),
    };
  } finally {
    clearInterval(sampler);
    clearInterval(progress);
    simulator.setLatency(0);
    for (const undo of detach) undo();
    await runner.stop();
  }
}

/** The commit measured, and whether the code the run executes differs from it. */
function codeVersion() {
  const git = (...args: string[]) => execFileSync('git', args, { encoding: 'utf8' }).trim();
  return {
    commit: git('rev-parse', '--short', 'HEAD'),
    dirty:
      git(
        'status',
        '--porcelain',
        '--',
        'functions',
        'shared',
        'workflows',
        'infra/local',
        ':(exclude)infra/local/workflow-runner.ts',
      ) !== '',
  };
}

const options = parseArguments(process.argv.slice(2));
const code = codeVersion();
const asl: unknown = JSON.parse(await readFile(payoutRun.definitionFile, 'utf8'));
/** The meters of the run being measured, counting every payout-run task the stack runs. */
let currentMeters: PayoutMeters | undefined;
const api = await TestApi.start({
  workflowTasks: (task, payload, run) =>
    currentMeters
      ? currentMeters.invoke(stateOfHandler.get(task.handler) ?? task.handler, payload, run)
      : run(),
  operatorSettings: {
    PAYOUT_CONCURRENCY: String(options.concurrencies[0]),
    PAYOUT_APPROVAL_THRESHOLD: '999999999999',
    PAYOUT_MINIMUM_AMOUNT: '1000',
  },
});
const results: RunResult[] = [];
try {
  const simulator = paymentSimulatorOf(api);
  // 10,000 account.updated events (and the run's transfer.created) stay at the simulator.
  simulator.webhooks.hold();
  const [{ ledgerStore }, { paymentsAccountStore }] = await Promise.all([
    import('#shared/app/composition/stores/ledger-store.ts'),
    import('#shared/app/composition/stores/payments-account-store.ts'),
  ]);
  const finance = await api.token('bench-finance', 'finance');
  const random = new Random(20261127);
  let onboarded: SeededSeller[] | undefined;
  for (const [round, concurrency] of options.concurrencies.entries()) {
    const seedStart = performance.now();
    const seeded = await seedEligibleSellers({
      simulator,
      stripe: stripeClientOf(simulator),
      ledger: ledgerStore,
      accounts: paymentsAccountStore,
      random,
      sellers: options.sellers,
      round,
      concurrency: options.seedConcurrency,
      ...(onboarded ? { onboarded } : {}),
    });
    onboarded = seeded;
    const seedingMs = elapsed(seedStart);
    console.log(`Round ${round + 1}: seeded ${seeded.length} eligible sellers in ${seconds(seedingMs)}`);
    const result = await measureRun(api, {
      finance,
      seeded,
      concurrency,
      latencyMs: options.latencyMs,
      seedingMs,
    });
    results.push(result);
    console.log(
      `Round ${round + 1}: ${result.sellers} sellers paid once each in ${seconds(result.wallMs)} ` +
        `(selection ${seconds(result.selectionMs)}, Map ${seconds(result.mapMs)}) at concurrency ${concurrency}`,
    );
  }
} finally {
  await api.stop();
}

const benchRun: BenchRun = {
  machine: { cpus: availableParallelism(), cpuModel: cpus()[0]?.model ?? 'unknown', node: process.version },
  command: `npm run bench:payouts -- ${process.argv.slice(2).join(' ')}`.trim(),
  code,
  asl,
  results,
};
await writePayoutSection(benchRun, options.write);
