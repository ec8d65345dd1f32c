/**
 * The operator metrics' reads on DynamoDB Local: a year of activity in 3 currencies added through the
 * projector's store, then each query shape (day, week, month over 30, 90 and 365 days) timed, with
 * the DynamoDB requests it made and the read capacity DynamoDB reported. See docs/benchmarks.md.
 *
 *   npm run bench:metrics -- --repeat=50 --write
 */
import { randomUUID } from 'node:crypto';
import { availableParallelism, cpus } from 'node:os';
import { ensureTable } from '#infra/local/create-table.ts';
import { startDynamoDbLocal } from '#infra/local/dynamodb-local.ts';
import { readMarketplaceMetrics } from '#shared/app/metrics/read-metrics.ts';
import { addDays, type MetricGranularity } from '#shared/domain/marketplace-metrics.ts';
import { createDocumentClient } from '#shared/store/client.ts';
import {
  MarketplaceMetricsStore,
  type MetricsContribution,
} from '#shared/store/marketplace-metrics-store.ts';
import { freePort } from '../support/free-port.ts';
import { replaceBenchmarkSection } from './benchmarks-doc.ts';
import { summarize } from './latency-stats.ts';
import { Random } from './random.ts';

const currencies = ['EUR', 'USD', 'GBP'] as const;
const seededDays = 365;
const lastDay = '2026-11-30';
const firstDay = addDays(lastDay, 1 - seededDays);
const shapes: readonly { granularity: MetricGranularity; days: number }[] = (
  ['day', 'week', 'month'] as const
).flatMap((granularity) => [30, 90, 365].map((days) => ({ granularity, days })));

function parseArguments(argv: readonly string[]) {
  const option = (name: string) => argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
  const repeat = Number(option('repeat') ?? '50');
  if (!Number.isInteger(repeat) || repeat < 1) throw new Error('--repeat must be a whole number ≥ 1');
  return { repeat, write: argv.includes('--write') };
}

/** Counts the requests the client sends and the capacity DynamoDB says they consumed. */
function meter(client: ReturnType<typeof createDocumentClient>) {
  const totals = { requests: 0, capacity: 0, capacityReported: false };
  client.middlewareStack.add(
    (next) => async (args) => {
      totals.requests += 1;
      const input = args.input as Record<string, unknown>;
      input.ReturnConsumedCapacity = 'TOTAL';
      const result = await next(args);
      const consumed = (
        result.output as { ConsumedCapacity?: { CapacityUnits?: number } | { CapacityUnits?: number }[] }
      ).ConsumedCapacity;
      for (const each of Array.isArray(consumed) ? consumed : consumed ? [consumed] : []) {
        totals.capacity += each.CapacityUnits ?? 0;
        totals.capacityReported = true;
      }
      return result;
    },
    { step: 'initialize', name: 'metricsBenchMeter' },
  );
  return totals;
}

/** A day of a small marketplace in one currency: a few dozen orders, a few buyers and sellers active. */
function dayOfActivity(
  random: Random,
  currency: string,
  day: string,
  sequence: number,
): MetricsContribution[] {
  const orders = random.int(20, 60);
  const contributions: MetricsContribution[] = [
    {
      sourceId: `seed-${currency}-${day}`,
      currency,
      day,
      counts: {
        ordersPlaced: orders,
        ordersCaptured: orders - 3,
        ordersCompleted: orders - 5,
        ordersCancelled: 3,
        captured: (orders - 3) * random.int(2000, 9000),
        commission: (orders - 3) * random.int(200, 900),
        refunds: 2,
        refunded: random.int(1000, 5000),
        chargebacksOpened: sequence % 7 === 0 ? 1 : 0,
        payouts: sequence % 7 === 0 ? 10 : 0,
        paidOut: sequence % 7 === 0 ? random.int(100_000, 500_000) : 0,
      },
      members: [],
    },
  ];
  for (let index = 0; index < 4; index++) {
    contributions.push({
      sourceId: `seed-${currency}-${day}-member-${index}`,
      currency,
      day,
      counts: {},
      members: [
        { role: 'buyer', userId: `buyer-${random.int(1, 200)}` },
        { role: 'seller', userId: `seller-${random.int(1, 40)}` },
      ],
    });
  }
  return contributions;
}

async function seed(store: MarketplaceMetricsStore) {
  const random = new Random(20261130);
  const started = performance.now();
  let records = 0;
  for (const currency of currencies) {
    for (let offset = 0; offset < seededDays; offset += 30) {
      const batch = Array.from({ length: Math.min(30, seededDays - offset) }, (_, index) =>
        dayOfActivity(random, currency, addDays(firstDay, offset + index), offset + index),
      ).flat();
      records += batch.length;
      await store.add(batch);
    }
  }
  return { records, ms: performance.now() - started };
}

const format = (ms: number) => ms.toFixed(1);

async function main() {
  const { repeat, write } = parseArguments(process.argv.slice(2));
  const dynamo = await startDynamoDbLocal({ port: await freePort() });
  try {
    const client = createDocumentClient(dynamo.endpoint);
    const tableName = `metrics-bench-${randomUUID()}`;
    await ensureTable(client, tableName);
    const store = new MarketplaceMetricsStore(client, tableName);
    const totals = meter(client);
    const seeded = await seed(store);
    const [seedRequests, seedCapacity] = [totals.requests, totals.capacity];
    const rows: string[] = [];
    for (const { granularity, days } of shapes) {
      const request = { currency: 'EUR', granularity, from: addDays(lastDay, 1 - days), to: lastDay };
      await readMarketplaceMetrics(store, request);
      const durations: number[] = [];
      const [requestsBefore, capacityBefore] = [totals.requests, totals.capacity];
      let periods = 0;
      for (let run = 0; run < repeat; run++) {
        const started = performance.now();
        periods = (await readMarketplaceMetrics(store, request)).periods.length;
        durations.push(performance.now() - started);
      }
      const latency = summarize(durations);
      const requests = (totals.requests - requestsBefore) / repeat;
      const capacity = totals.capacityReported
        ? ((totals.capacity - capacityBefore) / repeat).toFixed(1)
        : 'n/a';
      rows.push(
        `| ${granularity} | ${days} | ${periods} | ${requests} | ${capacity} | ${format(latency.p50)} | ${format(latency.p95)} |`,
      );
    }
    const section = [
      '## Operator metrics',
      '',
      `${seededDays} days × ${currencies.length} currencies of activity added through the projector's store`,
      `(${seeded.records} records in batches of up to 150: ${seedRequests} requests, ${Math.round(seedCapacity)} read and write capacity units,`,
      `${format(seeded.ms / 1000)} s), then each query shape of \`GET /admin/metrics\` read ${repeat} times`,
      'through its use case (`readMarketplaceMetrics`) on DynamoDB Local, in-memory, on this machine',
      `(${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} cores, Node ${process.version}). Requests`,
      'are those the client sent per query; read capacity is what DynamoDB Local reported (eventually',
      'consistent Query: 0.5 RCU per 4 KB read). Milliseconds are DynamoDB Local on loopback, not DynamoDB,',
      'on a machine shared with other work: the p95 column is noisy.',
      '',
      '```sh',
      `npm run bench:metrics -- --repeat=${repeat} --write`,
      '```',
      '',
      '| Granularity | Days | Periods | DynamoDB requests | Read capacity (RCU) | p50 ms | p95 ms |',
      '| ----------- | ---: | ------: | ----------------: | ------------------: | -----: | -----: |',
      ...rows,
      '',
      'Every shape is one Query of one item per period (the weeks and months holding a day of the range,',
      'counted whole); no shape scans or reads day items to add them up. Each range ends on',
      `${lastDay}. See [design/operator-metrics.md](design/operator-metrics.md).`,
      '',
    ].join('\n');
    process.stdout.write(`${section}\n`);
    if (write) await replaceBenchmarkSection(section);
  } finally {
    await dynamo.stop();
  }
}

await main();
