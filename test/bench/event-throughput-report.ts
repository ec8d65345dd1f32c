import { execFileSync } from 'node:child_process';
import { availableParallelism, cpus } from 'node:os';
import { replaceBenchmarkSection } from './benchmarks-doc.ts';
import type { LatencySummary } from './latency-stats.ts';

/** One run of the event throughput benchmark (test/bench/event-throughput.ts). */
export interface EventThroughputRun {
  /** Publishes a second; 0 for as fast as the concurrency allows. */
  readonly rate: number;
  /** Webhook deliveries received for the run's events: one each unless some came twice. */
  readonly deliveries: number;
  readonly eventsPerSecond: number;
  readonly publishesPerSecond: number;
  readonly toWebhook: LatencySummary;
  readonly toFeed: LatencySummary;
  readonly publish: LatencySummary;
  readonly feedReads: number;
  readonly invocations: readonly { readonly handler: string; readonly durationsMs: readonly number[] }[];
  /** The one-minute load average before and after the run. */
  readonly load: readonly number[];
}

export interface EventThroughputReport {
  readonly events: number;
  readonly concurrency: number;
  readonly sellers: number;
  readonly feedPollMs: number;
  readonly runs: readonly EventThroughputRun[];
}

const ms = (value: number) => value.toFixed(value < 100 ? 1 : 0);
const rateOf = ({ rate }: EventThroughputRun) => (rate === 0 ? 'unpaced' : `${rate}/s`);
const latencyRow = (run: EventThroughputRun, what: string, { p50, p95, p99, max }: LatencySummary) =>
  `| ${rateOf(run)} | ${what} | ${ms(p50)} | ${ms(p95)} | ${ms(p99)} | ${ms(max)} |`;
const mean = (values: readonly number[]) =>
  values.reduce((sum, value) => sum + value, 0) / (values.length || 1);

/** Prints the section of docs/benchmarks.md for the runs, and replaces it there with `write`. */
export async function writeEventThroughputSection(
  report: EventThroughputReport,
  write: boolean,
): Promise<void> {
  const git = (...args: string[]) => execFileSync('git', args, { encoding: 'utf8' }).trim();
  const dirty = git('status', '--porcelain', '--', 'functions', 'shared', 'infra') !== '';
  const commit = `${git('rev-parse', '--short', 'HEAD')}${dirty ? ' (with uncommitted changes)' : ''}`;
  const rates = report.runs.map((run) => run.rate).join(',');
  const { events, concurrency, sellers, feedPollMs, runs } = report;
  const section = `## Event throughput (table write to webhook delivery)

Measured ${new Date().toISOString().slice(0, 10)} at commit ${commit} on ${availableParallelism()} CPUs (${cpus()[0]?.model.trim() ?? 'unknown'}), Node ${process.version}: the whole local stack in one process, DynamoDB Local in its own JVM, on a machine other work shared (the one-minute load average is in the table).

Reproduce (\`--events=N\` per run, default 300; \`--rates=R[,R…]\` publishes a second, one run each on the same stack, 0 for as fast as \`--concurrency=N\` requests at once allow, default \`0,5\`; \`--concurrency\` default 8; \`--sellers=N\`, default 4; \`--write\` replaces this section):

\`\`\`
npm run bench:events -- --events=${events} --rates=${rates} --concurrency=${concurrency} --sellers=${sellers} --write
\`\`\`

${sellers} onboarded sellers publish draft listings through \`POST /listings/{id}/publish\`, at most ${concurrency} requests at once: each is one \`listing.published\` event, in the admins' feed and its seller's. A webhook endpoint of the marketplace (an admin's, \`eventTypes: ["listing.published"]\`) points at a receiver on this machine (\`WEBHOOK_ALLOWED_HOSTS=127.0.0.1\`) that answers 200 at once; an integrator's reader follows \`GET /events?types=listing.published&limit=100\` from the position before the run, asking again every ${feedPollMs} ms once it has read everything. An event's time starts when the API answered its publish (the listing's write to the table had committed) and ends when the receiver got its delivery, or when the reader's answer holding it arrived. On the way to the receiver: the table's stream (polled every 200 ms by the local stand-in for the event source mapping), the recorder appending to the log, the stream again, the webhook dispatcher queueing a delivery on the local SQS, the delivery worker signing and posting it. The archiver and the EventBridge publisher follow the same stream meanwhile. Events per second are the run's events over the time from its first write to its last delivery.

| publishes | events | deliveries | events/s, first write to last delivery | publishes/s | \`GET /events\` reads | load average (before / after) |
| --- | ---: | ---: | ---: | ---: | ---: | ---: |
${runs
  .map(
    (run) =>
      `| ${rateOf(run)} | ${events} | ${run.deliveries} | ${run.eventsPerSecond.toFixed(1)} | ${run.publishesPerSecond.toFixed(1)} | ${run.feedReads} | ${run.load.map((value) => value.toFixed(1)).join(' / ')} |`,
  )
  .join('\n')}

| publishes | from the table write to | p50 ms | p95 ms | p99 ms | max ms |
| --- | --- | ---: | ---: | ---: | ---: |
${runs
  .flatMap((run) => [
    latencyRow(run, 'the webhook delivery received', run.toWebhook),
    latencyRow(run, 'its first appearance in `GET /events`', run.toFeed),
    latencyRow(run, '(the publish request itself, sent to answered)', run.publish),
  ])
  .join('\n')}

Invocations of the functions on the way, during each run (wall time in this one process, which every function, the gateway and the receiver share):

| publishes | function | invocations | events per invocation | mean ms | busy s |
| --- | --- | ---: | ---: | ---: | ---: |
${runs
  .flatMap((run) =>
    run.invocations.map(
      ({ handler, durationsMs }) =>
        `| ${rateOf(run)} | ${handler} | ${durationsMs.length} | ${durationsMs.length ? (events / durationsMs.length).toFixed(1) : '–'} | ${ms(mean(durationsMs))} | ${(durationsMs.reduce((sum, value) => sum + value, 0) / 1000).toFixed(1)} |`,
    ),
  )
  .join('\n')}
`;
  console.log(section);
  if (write) await replaceBenchmarkSection(section);
}
