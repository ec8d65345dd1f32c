/**
 * What an order costs to run: N orders of each shipped process through the local stack, counted
 * per completed order, and priced at AWS list prices. See docs/benchmarks.md.
 *
 *   npm run bench:cost -- --orders=10 --write
 */
import { execFileSync } from 'node:child_process';
import { availableParallelism, cpus } from 'node:os';
import { TestApi } from '../support/api.ts';
import { completeOrder, prepareScenario, scenarios } from './order-drive.ts';
import { OrderMeters } from './order-meters.ts';
import { writeOrderCostSection } from './order-report.ts';
import { type OrderUsage, orderUsage } from './order-usage.ts';

function parseArguments(argv: readonly string[]) {
  const orders = Number(argv.find((arg) => arg.startsWith('--orders='))?.slice('--orders='.length) ?? '10');
  if (!Number.isInteger(orders) || orders < 1) throw new Error('--orders must be a whole number ≥ 1');
  return { orders, write: argv.includes('--write') };
}

/** Nothing has run for this long: the stream, the queue and the workflows are done with what came before. */
const quietMs = 1500;

const options = parseArguments(process.argv.slice(2));
let stripeHost: string | undefined;
const meters = new OrderMeters(() => stripeHost);
// Each order's review window closes a second after it completes, so its timer's cost is counted too.
const api = await TestApi.start({
  meters: meters.stackMeters,
  operatorSettings: { REVIEW_WINDOW_SECONDS: '1' },
});
const results: OrderUsage[] = [];
try {
  const simulator = api.stack.paymentSimulator;
  if (!simulator) throw new Error('The benchmark needs the payment simulator');
  stripeHost = `${simulator.host}:${simulator.port}`;
  for (const scenario of scenarios) {
    const { listingId, parties } = await prepareScenario(api, scenario, options.orders);
    await simulator.webhooks.settled();
    await meters.quiet(quietMs);
    meters.reset();
    const mailedBefore = (await api.stack.mail.messages()).length;
    const started = performance.now();
    for (let order = 1; order <= options.orders; order++) {
      const orderId = await completeOrder(api, scenario, listingId, parties);
      console.log(`${scenario.process}: order ${order}/${options.orders} (${orderId}) completed`);
    }
    await simulator.webhooks.settled();
    await meters.quiet(quietMs);
    const wallMs = performance.now() - started;
    const mailed = (await api.stack.mail.messages()).length - mailedBefore;
    results.push(orderUsage(scenario.process, options.orders, wallMs, meters, mailed));
  }
} finally {
  meters.stop();
  await api.stop();
}

const git = (...args: string[]) => execFileSync('git', args, { encoding: 'utf8' }).trim();
const dirty = git('status', '--porcelain', '--', 'functions', 'shared', 'workflows', 'infra') !== '';
await writeOrderCostSection(
  {
    machine: { cpus: availableParallelism(), cpuModel: cpus()[0]?.model ?? 'unknown', node: process.version },
    command: `npm run bench:cost -- ${process.argv.slice(2).join(' ')}`.trim(),
    commit: `${git('rev-parse', '--short', 'HEAD')}${dirty ? ' (with uncommitted changes)' : ''}`,
    results,
  },
  options.write,
);
