/**
 * How fast the event log carries events on the local stack: listings published through the API,
 * each a `listing.published` event, timed from the table write to its webhook delivery at a receiver
 * on this machine and to its first appearance in GET /events. See docs/benchmarks.md.
 *
 *   npm run bench:events -- --events=300 --rates=0,5 --write
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import type { InvocationMeter } from '#infra/local/local-functions.ts';
import { TestApi } from '../support/api.ts';
import { lampContent } from '../support/fixtures.ts';
import { type EventThroughputRun, writeEventThroughputSection } from './event-throughput-report.ts';
import { summarize } from './latency-stats.ts';
import { expectStatus, onboardBenchSeller } from './order-drive.ts';

function parseArguments(argv: readonly string[]) {
  const value = (name: string, fallback: string) =>
    argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
  const whole = (name: string, text: string, min: number) => {
    const number = Number(text);
    if (!Number.isInteger(number) || number < min) throw new Error(`--${name} takes whole numbers ≥ ${min}`);
    return number;
  };
  return {
    events: whole('events', value('events', '300'), 1),
    concurrency: whole('concurrency', value('concurrency', '8'), 1),
    sellers: whole('sellers', value('sellers', '4'), 1),
    rates: value('rates', '0,5')
      .split(',')
      .map((rate) => whole('rates', rate, 0)),
    write: argv.includes('--write'),
  };
}

/** A run gives up when its last event has not arrived this long after its last publish. */
const settleLimitMs = 180_000;
/** How often the feed's reader asks GET /events again once it has read everything. */
const feedPollMs = 50;
/** The functions an event goes through, whose invocations the report counts. */
const eventPath = [
  'events/record-events',
  'webhooks/dispatch-deliveries',
  'webhooks/deliver-webhooks',
  'events/publish-events',
  'events/archive-events',
  'events/list-events',
] as const;

/** A webhook receiver on this machine: answers 200 at once and notes when each listing's event arrived. */
async function startReceiver() {
  const arrivals = new Map<string, number>();
  const deliveries = new Map<string, number>();
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const at = performance.now();
      const event = JSON.parse(Buffer.concat(chunks).toString()) as { subject: { id: string } };
      deliveries.set(event.subject.id, (deliveries.get(event.subject.id) ?? 0) + 1);
      if (!arrivals.has(event.subject.id)) arrivals.set(event.subject.id, at);
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    arrivals,
    deliveries,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Reads GET /events on from `after` until stopped, noting when each listing's event first showed. */
function followFeed(api: TestApi, adminToken: string, after: string) {
  const seen = new Map<string, number>();
  let reads = 0;
  let stopped = false;
  const following = (async () => {
    let position = after;
    while (!stopped) {
      const path = `/events?after=${Number(position)}&limit=100&types=listing.published`;
      const page = expectStatus(await api.call('GET', path, { token: adminToken }), 200, 'GET /events');
      const at = performance.now();
      reads += 1;
      for (const event of page.body.events as { subject: { id: string } }[]) {
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
async function inParallel<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T, index: number) => Promise<void>,
) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      for (let index = next++; index < items.length; index = next++) await work(items[index] as T, index);
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

const sleepUntil = (at: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.max(0, at - performance.now())));

/** Wall milliseconds of each invocation of the event path's functions, while `counting`. */
const invocations = new Map<string, number[]>();
let counting = false;
const meterInvocation: InvocationMeter = async (fn, _event, run) => {
  const started = performance.now();
  try {
    return await run();
  } finally {
    const handler = fn.handlerModule ?? fn.logicalId;
    if (counting && (eventPath as readonly string[]).includes(handler)) {
      const durations = invocations.get(handler) ?? [];
      durations.push(performance.now() - started);
      invocations.set(handler, durations);
    }
  }
};

const options = parseArguments(process.argv.slice(2));
const receiver = await startReceiver();
const api = await TestApi.start({
  operatorSettings: { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' },
  meters: { invocation: meterInvocation },
});
const runs: EventThroughputRun[] = [];
try {
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
  for (const rate of options.rates) {
    runs.push(await measure(rate, admin, sellers));
    console.log(`rate ${rate || 'unpaced'}: ${JSON.stringify(runs.at(-1))}`);
  }
} finally {
  await api.stop();
  await receiver.stop();
}
await writeEventThroughputSection({ ...options, feedPollMs, runs }, options.write);

/** One run: `options.events` listings published, `rate` a second (0: as fast as the concurrency allows). */
async function measure(rate: number, admin: string, sellers: readonly string[]): Promise<EventThroughputRun> {
  const drafts: { id: string; seller: string }[] = [];
  await inParallel(
    Array.from({ length: options.events }, (_, index) => sellers[index % sellers.length] ?? ''),
    options.concurrency,
    async (seller) => {
      const created = await api.call('POST', '/listings', { token: seller, body: lampContent });
      drafts.push({ id: expectStatus(created, 201, 'listing').body.id, seller });
    },
  );
  const start = expectStatus(await api.call('GET', '/events?limit=1', { token: admin }), 200, 'GET /events');
  const feed = followFeed(api, admin, start.body.position);
  const load = loadavg()[0] ?? 0;
  invocations.clear();
  counting = true;
  const published = new Map<string, { sent: number; written: number }>();
  const began = performance.now();
  await inParallel(drafts, options.concurrency, async ({ id, seller }, index) => {
    if (rate > 0) await sleepUntil(began + (index * 1000) / rate);
    const sent = performance.now();
    expectStatus(await api.call('POST', `/listings/${id}/publish`, { token: seller }), 200, 'publish');
    // The API answered: the listing's write to the table had committed.
    published.set(id, { sent, written: performance.now() });
  });
  const ids = [...published.keys()];
  try {
    await until(
      `${ids.length} deliveries and ${ids.length} events in GET /events`,
      () => ids.every((id) => receiver.arrivals.has(id) && feed.seen.has(id)),
      settleLimitMs,
    );
  } finally {
    await feed.stop();
    counting = false;
  }
  const written = [...published.values()].map((publish) => publish.written);
  const latency = (at: ReadonlyMap<string, number>) =>
    summarize([...published].map(([id, publish]) => (at.get(id) ?? Number.NaN) - publish.written));
  const lastDelivery = Math.max(...ids.map((id) => receiver.arrivals.get(id) ?? Number.NaN));
  return {
    rate,
    deliveries: ids.reduce((sum, id) => sum + (receiver.deliveries.get(id) ?? 0), 0),
    eventsPerSecond: ids.length / ((lastDelivery - Math.min(...written)) / 1000),
    publishesPerSecond: ids.length / ((Math.max(...written) - Math.min(...written)) / 1000),
    toWebhook: latency(receiver.arrivals),
    toFeed: latency(feed.seen),
    publish: summarize([...published.values()].map((publish) => publish.written - publish.sent)),
    feedReads: feed.reads(),
    invocations: eventPath.map((handler) => ({ handler, durationsMs: invocations.get(handler) ?? [] })),
    load: [load, loadavg()[0] ?? 0],
  };
}
