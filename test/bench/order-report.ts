import { replaceBenchmarkSection } from './benchmarks-doc.ts';
import { type CostLine, dynamoTotal, type OrderUsage, orderCost, totalPer1000 } from './order-usage.ts';

export interface OrderBenchRun {
  readonly machine: { readonly cpus: number; readonly cpuModel: string; readonly node: string };
  readonly command: string;
  readonly commit: string;
  readonly results: readonly OrderUsage[];
}

const sectionHeading = '## Cost per order';

const number = (value: number, digits = 1) =>
  value.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const usd = (value: number) => `$${value.toFixed(4)}`;
const mean = (values: readonly number[]) =>
  values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length;
const sortedByCount = <K>(map: ReadonlyMap<K, number>) => [...map].sort(([, a], [, b]) => b - a);

function summaryTable(results: readonly OrderUsage[]): string[] {
  const rows = results.map((usage) => {
    const dynamo = dynamoTotal(usage);
    const byOperation = [...usage.dynamo]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([operation, tally]) => `${operation} ${number(tally.requests)}`)
      .join(', ');
    const stripe = [...usage.stripe.values()].reduce((sum, count) => sum + count, 0);
    const { lines, clientReads } = orderCost(usage);
    const quantity = (item: string) => lines.find((line) => line.item.startsWith(item))?.quantity ?? 0;
    return (
      `| ${usage.process} | ${usage.orders} | ${number(dynamo.requests)} (${byOperation}) | ` +
      `${number(dynamo.writeUnits)} | ${number(dynamo.readUnits)} | ${number(quantity('Step Functions'))} | ` +
      `${number(quantity('Lambda requests'))} | ${number(quantity('API Gateway'))} | ${number(stripe)} | ` +
      `${usd(totalPer1000(lines))} | ${number(clientReads.quantity)} GET, ${number(usage.clientReads.requests)} DynamoDB requests |`
    );
  });
  return [
    "| process | orders | DynamoDB requests (by operation) | WCU | RCU | state transitions | Lambda invocations | API requests | Stripe calls | $ per 1,000 orders | apart: the client's reads |",
    '| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows,
  ];
}

function costTable(usage: OrderUsage): string[] {
  const { lines, clientReads } = orderCost(usage);
  const row = (line: CostLine) =>
    `| ${line.item} | ${number(line.quantity, 2)} ${line.unit} | ${line.formula} | ${usd(line.usdPer1000)} |`;
  return [
    '| item | per order | price | per 1,000 orders |',
    '| --- | ---: | --- | ---: |',
    ...lines.map(row),
    `| **total** | | | **${usd(totalPer1000(lines))}** |`,
    `| not in the total: ${clientReads.item} | ${number(clientReads.quantity, 2)} ${clientReads.unit} | ${clientReads.formula} | ${usd(clientReads.usdPer1000)} |`,
  ];
}

function detailTables(usage: OrderUsage): string[] {
  const functions = [...usage.functions].sort(([, a], [, b]) => b.perOrder - a.perOrder);
  return [
    `Lambda invocations per order by function (mean wall ms in this process):`,
    '',
    '| function | trigger | per order | mean ms |',
    '| --- | --- | ---: | ---: |',
    ...functions.map(
      ([fn, { tally, perOrder }]) =>
        `| ${fn} | ${tally.route ?? tally.trigger} | ${number(perOrder, 2)} | ${number(mean(tally.durationsMs))} |`,
    ),
    '',
    "DynamoDB requests and capacity per order by function (the client's reads apart):",
    '',
    '| function | requests | WCU | RCU |',
    '| --- | ---: | ---: | ---: |',
    ...[...usage.dynamoByFunction]
      .sort(([, a], [, b]) => b.writeUnits - a.writeUnits)
      .map(
        ([fn, tally]) =>
          `| ${fn} | ${number(tally.requests, 1)} | ${number(tally.writeUnits, 1)} | ${number(tally.readUnits, 1)} |`,
      ),
    '',
    'State transitions per order by state (entered, and retried):',
    '',
    '| state | per order |',
    '| --- | ---: |',
    ...sortedByCount(usage.transitions).map(([state, count]) => `| ${state} | ${number(count, 2)} |`),
    '',
    'Stripe calls per order:',
    '',
    '| request | per order |',
    '| --- | ---: |',
    ...sortedByCount(usage.stripe).map(([request, count]) => `| ${request} | ${number(count, 2)} |`),
  ];
}

function renderSection(run: OrderBenchRun): string {
  const { machine } = run;
  const lines = [
    sectionHeading,
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} at commit ${run.commit} on ${machine.cpus} CPUs ` +
      `(${machine.cpuModel}), Node ${machine.node}: the whole local stack in one process, DynamoDB Local in its own JVM.`,
    '',
    'Reproduce (`--orders=N`, default 10, per process; `--write` replaces this section):',
    '',
    '```',
    run.command,
    '```',
    '',
    'Each shipped process runs N one-line orders, one after the other, through the API as their',
    "parties' clients would: checkout paying with Stripe's test card (the payment simulator), then",
    "each step's action as soon as `GET /orders/{id}` offers it, to completion. Figures are per",
    'completed order. DynamoDB requests and capacity are those of every function (routes, stream',
    "consumers, the Stripe events' processor, workflow tasks), counted at the local DynamoDB gateway,",
    'which asks DynamoDB Local for `ReturnConsumedCapacity: TOTAL` on every call. A transaction is',
    'counted at what DynamoDB bills, 2 units per started KB of each item it touches (before or after,',
    'the larger), computed from the items by `infra/local/aws/transaction-capacity.ts`: DynamoDB Local',
    "counts items of equal size once. The stream polling of the event sources is Lambda's own and",
    "free. The client's own reads (the functions behind",
    '`GET` routes: the polling for the next action and the final check) are counted apart and left',
    'out of the cost. State transitions are counted by the local runner as Step Functions Standard',
    'bills them: every state entered, every retry. Lambda duration is the wall time of each',
    'invocation in this process (DynamoDB Local and the payment simulator answer on the same machine):',
    'an estimate. Prices: `test/bench/aws-prices.ts`.',
    '',
    ...summaryTable(run.results),
  ];
  for (const usage of run.results) {
    lines.push(
      '',
      `### ${usage.process} (${usage.orders} orders, ${number(usage.wallMs / 1000)} s)`,
      '',
      ...costTable(usage),
      '',
      ...detailTables(usage),
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Prints the section, and with `write` replaces it in docs/benchmarks.md. */
export async function writeOrderCostSection(run: OrderBenchRun, write: boolean): Promise<void> {
  const section = renderSection(run);
  console.log(`\n${section}`);
  if (write) await replaceBenchmarkSection(section);
}
