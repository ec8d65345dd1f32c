/**
 * Measures the embedded search engines on synthetic catalogs: build time, heap, query latency, and how
 * far each agrees with the adapter the local stack uses. Run with node --expose-gc (see docs/benchmarks.md).
 */
import { availableParallelism, cpus } from 'node:os';
import type { SearchResult } from '#shared/search/port.ts';
import { writeBenchmarkSection } from './benchmark-report.ts';
import { embeddedCandidate } from './candidates/embedded-candidate.ts';
import { flexSearchCandidate } from './candidates/flexsearch-candidate.ts';
import { miniSearchCandidate } from './candidates/minisearch-candidate.ts';
import { oramaCandidate } from './candidates/orama-candidate.ts';
import type { SearchCandidate } from './candidates/search-candidate.ts';
import { type GeneratedQuery, generateCatalog, generateQueries, queryKinds } from './catalog-generator.ts';
import { type LatencySummary, summarize } from './latency-stats.ts';

const reference = embeddedCandidate;
// The reference first, so the others can be compared with its answers.
const candidates = [reference, miniSearchCandidate, oramaCandidate, flexSearchCandidate];

export interface CandidateMeasurement {
  readonly engine: string;
  readonly library: string;
  readonly listings: number;
  readonly buildMs: number;
  readonly heapAfterBuildMb: number;
  readonly indexHeapMb: number;
  readonly latency: LatencySummary;
  readonly latencyByKind: Readonly<Record<string, LatencySummary>>;
  /** Share of measured queries whose total, facets and first page equal the reference adapter's. */
  readonly agreement?: { readonly total: number; readonly facets: number; readonly hits: number };
}

function collectGarbage(): void {
  const gc = globalThis.gc;
  if (gc === undefined) throw new Error('Run with node --expose-gc so heap numbers mean something.');
  gc();
}

/** Typed arrays keep their contents outside the JavaScript heap, so those count too. */
const heapMb = () => {
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return (heapUsed + arrayBuffers) / 2 ** 20;
};

interface Answer {
  readonly total: string;
  readonly facets: string;
  readonly hits: string;
}

const answerOf = (result: SearchResult): Answer => ({
  total: String(result.total),
  facets: JSON.stringify(result.facets),
  hits: result.hits.map((hit) => hit.id).join(),
});

function agreement(answers: readonly Answer[], referenceAnswers: readonly Answer[]) {
  const share = (field: keyof Answer) =>
    answers.filter((answer, index) => answer[field] === referenceAnswers[index]?.[field]).length /
    answers.length;
  return { total: share('total'), facets: share('facets'), hits: share('hits') };
}

async function measure(
  candidate: SearchCandidate,
  catalog: Parameters<SearchCandidate['build']>[0],
  workload: { readonly warmUp: readonly GeneratedQuery[]; readonly measured: readonly GeneratedQuery[] },
  referenceAnswers: readonly Answer[] | undefined,
): Promise<{ measurement: CandidateMeasurement; answers: Answer[] }> {
  collectGarbage();
  const heapBefore = heapMb();
  const buildStart = performance.now();
  const engine = await candidate.build(catalog);
  const buildMs = performance.now() - buildStart;
  collectGarbage();
  const heapAfterBuildMb = heapMb();

  for (const { query } of workload.warmUp) await engine.search(query);
  const durations: number[] = [];
  const durationsByKind = new Map<string, number[]>(queryKinds.map((kind) => [kind, []]));
  const answers: Answer[] = [];
  for (const { kind, query } of workload.measured) {
    const start = performance.now();
    const result = await engine.search(query);
    const duration = performance.now() - start;
    durations.push(duration);
    durationsByKind.get(kind)?.push(duration);
    answers.push(answerOf(result));
  }
  return {
    answers,
    measurement: {
      engine: candidate.name,
      library: candidate.library,
      listings: catalog.length,
      buildMs,
      heapAfterBuildMb,
      indexHeapMb: heapAfterBuildMb - heapBefore,
      latency: summarize(durations),
      latencyByKind: Object.fromEntries([...durationsByKind].map(([kind, list]) => [kind, summarize(list)])),
      ...(referenceAnswers === undefined ? {} : { agreement: agreement(answers, referenceAnswers) }),
    },
  };
}

function parseArguments(argv: readonly string[]) {
  const option = (name: string) => argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
  const sizes = argv.filter((arg) => /^\d+$/.test(arg)).map(Number);
  const engines = (option('engines') ?? reference.library).split(',');
  return {
    sizes: sizes.length > 0 ? sizes : [10_000, 100_000],
    engines: candidates.filter((candidate) => engines.includes(candidate.library)),
    warmUpQueries: Number(option('warm-up') ?? 200),
    measuredQueries: Number(option('queries') ?? 1_000),
  };
}

const { sizes, engines, warmUpQueries, measuredQueries } = parseArguments(process.argv.slice(2));
const measurements: CandidateMeasurement[] = [];
const queries = generateQueries(warmUpQueries + measuredQueries);
const workload = { warmUp: queries.slice(0, warmUpQueries), measured: queries.slice(warmUpQueries) };
for (const size of sizes) {
  const catalog = generateCatalog(size);
  let referenceAnswers: Answer[] | undefined;
  for (const candidate of engines) {
    const { measurement, answers } = await measure(candidate, catalog, workload, referenceAnswers);
    if (candidate === reference) referenceAnswers = answers;
    measurements.push(measurement);
    const { latency } = measurement;
    console.log(
      `${size} listings, ${candidate.name}: build ${measurement.buildMs.toFixed(0)} ms, heap ${measurement.heapAfterBuildMb.toFixed(0)} MB, ` +
        `p50 ${latency.p50.toFixed(2)} ms, p95 ${latency.p95.toFixed(2)} ms, p99 ${latency.p99.toFixed(2)} ms`,
    );
  }
}

await writeBenchmarkSection({
  machine: { cpus: availableParallelism(), cpuModel: cpus()[0]?.model ?? 'unknown', node: process.version },
  command:
    `node --expose-gc --import tsx test/bench/search-bench.ts ${process.argv.slice(2).join(' ')}`.trim(),
  warmUpQueries,
  measuredQueries,
  referenceEngine: reference.name,
  measurements,
});
