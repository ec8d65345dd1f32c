/**
 * How fast the event log carries events on the local stack: N listings published through the API,
 * each a `listing.published` event, timed from the table write to its webhook delivery at a receiver
 * on this machine and to its first appearance in GET /events. See docs/benchmarks.md.
 *
 *   npm run bench:events -- --events=300 --concurrency=8 --write
 */
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { TestApi } from '../support/api.ts';
import { lampContent } from '../support/fixtures.ts';
import { replaceBenchmarkSection } from './benchmarks-doc.ts';
import { type LatencySummary, summarize } from './latency-stats.ts';
import { expectStatus, onboardBenchSeller } from './order-drive.ts';

function parseArguments(argv: readonly string[]) {
  const number = (name: string, fallback: number) => {
    const value = Number(
      argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback,
    );
    if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a whole number ≥ 1`);
    return value;
  };
  return {
    events: number('events', 300),
    concurrency: number('concurrency', 8),
    sellers: number('sellers', 4),
    write: argv.includes('--write'),
  };
}

/** The run gives up when the last event has not arrived this long after the last publish. */
const settleLimitMs = 120_000;
/** How often the feed's reader asks GET /events for what is new, as an integrator polling it. */
const feedPollMs = 50;

interface Published {
  readonly sent: number;
  /** The API answered: the listing's write to the table had committed. */
  readonly written: number;
}

/** A webhook receiver on this machine: answers 200 at once and notes when each event arrived. */
async function startReceiver() {
  const arrivals = new Map<string, number>();
  let deliveries = 0;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const at = performance.now();
      const event = JSON.parse(Buffer.concat(chunks).toString()) as { subject: { id: string } };
      deliveries += 1;
      if (!arrivals.has(event.subject.id)) arrivals.set(event.subject.id, at);
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    arrivals,
    deliveries: () => deliveries,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Reads GET /events on from `after` every 50 ms until stopped, noting when each listing's event first showed. */
function followFeed(api: TestApi, adminToken: string, after: string) {
  const seen = new Map<string, number>();
  let reads = 0;
  let stopped = false;
  const following = (async () => {
    let position = after;
    while (!stopped) {
      const page = await api.call(
        'GET',
        `/events?after=${Number(position)}&limit=100&types=listing.published`,
        {
          token: adminToken,
        },
      );
      const at = performance.now();
      reads += 1;
      for (const event of expectStatus(page, 200, 'GET /events').body.events as {
        subject: { id: string };
      }[]) {
        if (!seen.has(event.subject.id)) seen.set(event.subject.id, at);
      }
      if (page.body.position === position) await new Promise((resolve) => setTimeout(resolve, feedPollMs));
      position = page.body.position;
    }
  })();
  return {
    seen,
    reads: () => reads,
    stop: async () => {
      stopped = true;
      await following;
    },
  };
}

/** Runs `work` on every item, at most `concurrency` at once. */
async function inParallel<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      for (let index = next++; index < items.length; index = next++) await work(items[index] as T);
    }),
  );
}

async function until(what: string, done: () => boolean, limitMs: number) {
  const deadline = Date.now() + limitMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`${what} within ${limitMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const options = parseArguments(process.argv.slice(2));
const receiver = await startReceiver();
const api = await TestApi.start({ operatorSettings: { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' } });
let result: Awaited<ReturnType<typeof measure>>;
try {
  result = await measure();
} finally {
  await api.stop();
  await receiver.stop();
}

async function measure() {
  const admin = await api.token('bench-events-admin', 'admin');
  const sellers = await Promise.all(
    Array.from({ length: options.sellers }, (_, index) =>
      api.token(`bench-events-seller-${index}`, 'seller'),
    ),
  );
  for (const seller of sellers) await onboardBenchSeller(api, seller);
  const endpoint = await api.call('POST', '/webhook-endpoints', {
    token: admin,
    body: { url: `${receiver.url}/events`, eventTypes: ['listing.published'] },
  });
  expectStatus(endpoint, 201, 'webhook endpoint');
  const drafts: { id: string; seller: string }[] = [];
  await inParallel(
    Array.from({ length: options.events }, (_, index) => sellers[index % sellers.length] ?? ''),
    options.concurrency,
    async (seller) => {
      const created = await api.call('POST', '/listings', { token: seller, body: lampContent });
      drafts.push({ id: expectStatus(created, 201, 'listing').body.id, seller });
    },
  );
  const start = await api.call('GET', '/events?limit=1', { token: admin });
  const feed = followFeed(api, admin, expectStatus(start, 200, 'GET /events').body.position);
  const loadBefore = loadavg()[0] ?? 0;
  const published = new Map<string, Published>();
  await inParallel(drafts, options.concurrency, async ({ id, seller }) => {
    const sent = performance.now();
    expectStatus(await api.call('POST', `/listings/${id}/publish`, { token: seller }), 200, 'publish');
    published.set(id, { sent, written: performance.now() });
  });
  try {
    await until(
      `${options.events} deliveries and ${options.events} events in GET /events`,
      () => receiver.arrivals.size === options.events && feed.seen.size === options.events,
      settleLimitMs,
    );
  } finally {
    await feed.stop();
  }
  const written = [...published.values()].map((publish) => publish.written);
  const firstWrite = Math.min(...written);
  const lastDelivery = Math.max(...receiver.arrivals.values());
  const latency = (at: ReadonlyMap<string, number>) =>
    summarize([...published].map(([id, publish]) => (at.get(id) ?? Number.NaN) - publish.written));
  return {
    deliveries: receiver.deliveries(),
    eventsPerSecond: options.events / ((lastDelivery - firstWrite) / 1000),
    publishesPerSecond: options.events / ((Math.max(...written) - firstWrite) / 1000),
    toWebhook: latency(receiver.arrivals),
    toFeed: latency(feed.seen),
    publish: summarize([...published.values()].map((publish) => publish.written - publish.sent)),
    feedReads: feed.reads(),
    load: [loadBefore, loadavg()[0] ?? 0] as const,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
}

const ms = (value: number) => value.toFixed(value < 100 ? 1 : 0);
const row = (what: string, { p50, p95, p99, max }: LatencySummary) =>
  `| ${what} | ${ms(p50)} | ${ms(p95)} | ${ms(p99)} | ${ms(max)} |`;
const git = (...args: string[]) => execFileSync('git', args, { encoding: 'utf8' }).trim();
const dirty = git('status', '--porcelain', '--', 'functions', 'shared', 'infra') !== '';
const command = `npm run bench:events -- ${process.argv.slice(2).join(' ')}`.trim();
const section = `## Event throughput (table write to webhook delivery)

Measured ${new Date().toISOString().slice(0, 10)} at commit ${git('rev-parse', '--short', 'HEAD')}${dirty ? ' (with uncommitted changes)' : ''} on ${availableParallelism()} CPUs (${cpus()[0]?.model.trim() ?? 'unknown'}), Node ${process.version}: the whole local stack in one process, DynamoDB Local in its own JVM, shared with whatever else ran on the machine (load average ${result.load[0].toFixed(1)} before the run, ${result.load[1].toFixed(1)} after).

Reproduce (\`--events=N\`, default 300; \`--concurrency=N\` publishes at once, default 8; \`--sellers=N\`, default 4; \`--write\` replaces this section):

\`\`\`
${command.replace(/ --write$/, '')} --write
\`\`\`

${options.sellers} onboarded sellers publish ${options.events} draft listings through \`POST /listings/{id}/publish\`, ${options.concurrency} at once: each is one \`listing.published\` event, in the admins' feed and its seller's. A webhook endpoint of the marketplace (an admin's, \`eventTypes: ["listing.published"]\`) points at a receiver on this machine (\`WEBHOOK_ALLOWED_HOSTS=127.0.0.1\`) that answers 200 at once; an integrator's reader follows \`GET /events?types=listing.published\` from the position before the first publish, asking again every ${feedPollMs} ms once it has read everything. An event's time starts when the API answered its publish (the listing's write had committed) and ends when the receiver got its delivery, or when the reader's \`GET /events\` answer holding it arrived. On the way: the table's stream (polled every 200 ms by the local stand-in for the event source mapping), the recorder appending to the log, the stream again, the webhook dispatcher queueing a delivery, the local SQS, the delivery worker signing and posting it.

| events | publishes at once | deliveries | events/s, first write to last delivery | publishes/s | \`GET /events\` reads | peak RSS |
| ---: | ---: | ---: | ---: | ---: | ---: | ---: |
| ${options.events} | ${options.concurrency} | ${result.deliveries} | ${result.eventsPerSecond.toFixed(1)} | ${result.publishesPerSecond.toFixed(1)} | ${result.feedReads} | ${result.peakRssMb} MB |

| from the table write to | p50 ms | p95 ms | p99 ms | max ms |
| --- | ---: | ---: | ---: | ---: |
${row('the webhook delivery received', result.toWebhook)}
${row('its first appearance in `GET /events`', result.toFeed)}
${row('(the publish request itself, sent to answered)', result.publish)}
`;
console.log(section);
if (options.write) await replaceBenchmarkSection(section);
