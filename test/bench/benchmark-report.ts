import { replaceBenchmarkSection } from './benchmarks-doc.ts';
import { catalogShape } from './catalog-generator.ts';
import type { LatencySummary } from './latency-stats.ts';
import type { CandidateMeasurement } from './search-bench.ts';

const sectionHeading = '## Catalog search (embedded engine)';

export interface BenchmarkRun {
  readonly machine: { readonly cpus: number; readonly cpuModel: string; readonly node: string };
  readonly command: string;
  readonly warmUpQueries: number;
  readonly measuredQueries: number;
  readonly referenceEngine: string;
  readonly measurements: readonly CandidateMeasurement[];
}

const ms = (value: number) => value.toFixed(value < 10 ? 2 : 1);
const percent = (share: number) => `${(share * 100).toFixed(1)} %`;
const latencyCells = (latency: LatencySummary) =>
  `${ms(latency.p50)} | ${ms(latency.p95)} | ${ms(latency.p99)} | ${ms(latency.max)}`;

function renderSection(run: BenchmarkRun): string {
  const { machine, measurements } = run;
  const lines = [
    sectionHeading,
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} on ${machine.cpus} CPUs (${machine.cpuModel}), Node ${machine.node}, one process.`,
    '',
    'Reproduce (listing counts as arguments; `--engines=` any of `embedded,minisearch,@orama/orama,flexsearch`,',
    'default `embedded`; `--queries=N` and `--warm-up=N` change the query counts):',
    '',
    '```',
    run.command,
    '```',
    '',
    `The catalog and the queries come from \`test/bench/catalog-generator.ts\`, seeded, so every run sees the same data:`,
    `Zipf-distributed words from a vocabulary of ${catalogShape.vocabularySize.toLocaleString('en')}, ${catalogShape.categories} categories,`,
    `facet attributes per category, log-normal prices in ${catalogShape.currencies} currencies. Latency is for ${run.measuredQueries} first-page`,
    `queries after ${run.warmUpQueries} warm-up queries: text, 1–3 filters and a sort, with the total and every facet counted over`,
    'all matches. MiniSearch and FlexSearch stand in for the full-text part of the embedded adapter only (same',
    'filters, facets and paging); Orama filters, counts facets and sorts by itself. Heap is `heapUsed + arrayBuffers`',
    'after `gc()` (typed arrays live outside the JavaScript heap); "index heap" is what building added to the',
    'catalog already in memory.',
    '',
    '| engine | listings | build | heap after build | index heap | p50 ms | p95 ms | p99 ms | max ms |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...measurements.map(
      (m) =>
        `| ${m.engine} | ${m.listings.toLocaleString('en')} | ${(m.buildMs / 1000).toFixed(2)} s | ${m.heapAfterBuildMb.toFixed(0)} MB | ${m.indexHeapMb.toFixed(0)} MB | ${latencyCells(m.latency)} |`,
    ),
    '',
    'Latency per query kind (text: whole words; prefix: last word cut short; typo: one letter wrong in the last word; browse: filters only):',
    '',
    '| engine | listings | kind | queries | p50 ms | p95 ms | p99 ms | max ms |',
    '| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |',
    ...measurements.flatMap((m) =>
      Object.entries(m.latencyByKind).map(
        ([kind, latency]) =>
          `| ${m.engine} | ${m.listings.toLocaleString('en')} | ${kind} | ${latency.count} | ${latencyCells(latency)} |`,
      ),
    ),
  ];
  const compared = measurements.filter((m) => m.agreement !== undefined);
  if (compared.length > 0) {
    lines.push(
      '',
      `Agreement with ${run.referenceEngine} on the measured queries (same total / same facets / same first page):`,
      '',
      '| engine | listings | total | facets | first page |',
      '| --- | ---: | ---: | ---: | ---: |',
      ...compared.map(
        ({ engine, listings, agreement }) =>
          `| ${engine} | ${listings.toLocaleString('en')} | ${percent(agreement?.total ?? 0)} | ${percent(agreement?.facets ?? 0)} | ${percent(agreement?.hits ?? 0)} |`,
      ),
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Replaces the catalog search section of docs/benchmarks.md, leaving the rest of the file as it is. */
export async function writeBenchmarkSection(run: BenchmarkRun): Promise<void> {
  const section = renderSection(run);
  await replaceBenchmarkSection(sectionHeading, section);
  console.log(`\n${section}`);
}
