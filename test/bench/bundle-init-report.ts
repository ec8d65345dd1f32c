import { replaceBenchmarkSection } from './benchmarks-doc.ts';
import { summarize } from './latency-stats.ts';

const sectionHeading = '## Bundle init against a baseline';

/** The targets of issue 13, as ratios to the baseline's median init and the median bundle's KiB. */
const targets = { medianRatio: 1.3, maxRatio: 1.6, medianKiB: 700 };

export interface BundleMeasurement {
  readonly name: string;
  readonly medianMs: number;
  readonly maxMs: number;
  readonly medianCpuMs: number;
  readonly kib: number;
}

export interface BundleInitRun {
  readonly machine: { readonly cpus: number; readonly cpuModel: string; readonly node: string };
  readonly command: string;
  readonly rounds: number;
  readonly baseline: BundleMeasurement;
  /** The baseline with one large client loaded (Stripe, OpenSearch, S3), measured in the same rounds. */
  readonly clientFloors: readonly BundleMeasurement[];
  readonly functions: readonly BundleMeasurement[];
  /** The slowest bundles' largest parts, by package or folder of this repository. */
  readonly largestParts: readonly { readonly name: string; readonly parts: string }[];
}

/** The floor every function carries: the baseline in the entry point's observability (issue 16). */
const instrumentedFloor = 'baseline + observability';

const int = (value: number) => Math.round(value).toLocaleString('en');
const verdict = (value: number, target: number) => (value <= target ? 'met' : 'not met');

function renderSection(run: BundleInitRun): string {
  const { baseline, machine } = run;
  const ratio = (m: BundleMeasurement) => m.medianMs / baseline.medianMs;
  const cpuRatio = (m: BundleMeasurement) => m.medianCpuMs / baseline.medianCpuMs;
  const cpuRatios = summarize(run.functions.map(cpuRatio));
  const ranked = [...run.functions].sort((a, b) => ratio(b) - ratio(a));
  const ratios = summarize(run.functions.map(ratio));
  const sizes = summarize(run.functions.map((m) => m.kib));
  const worst = ranked[0];
  const instrumented = run.clientFloors.find((floor) => floor.name === instrumentedFloor);
  const overInstrumented = instrumented
    ? summarize(run.functions.map((m) => m.medianMs / instrumented.medianMs))
    : undefined;
  const lines = [
    sectionHeading,
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} on ${machine.cpus} CPUs (${machine.cpuModel}), Node ${machine.node}.`,
    '',
    '```sh',
    run.command,
    '```',
    '',
    'Synthesizes the stack (`cdk synth`, the bundles `cdk deploy` ships), bundles a baseline whose entry only',
    'creates a DynamoDB document client with the same esbuild settings, then imports the baseline and every',
    `function's \`index.mjs\` in a fresh Node process ${run.rounds} times each, interleaved, with the template's environment`,
    '(`NODE_OPTIONS=--enable-source-maps` included; the baseline gets the variables every function shares) and',
    "local endpoints only. Init is the time `import()` of the bundle takes; ratio is a function's median init over",
    "the baseline's median. CPU is the CPU time of the same imports (`process.cpuUsage()`), which other processes",
    'loading the machine disturb far less than the elapsed time. KiB is the size of `index.mjs` (1 KiB = 1,024 bytes).',
    '',
    `Baseline: ${int(baseline.medianMs)} ms median init (${int(baseline.medianCpuMs)} ms CPU), ${int(baseline.kib)} KiB.`,
    '',
    '| over all functions | value | target |',
    '| --- | ---: | --- |',
    `| median init ratio | ${ratios.p50.toFixed(2)}× | ≤ ${targets.medianRatio}×, ${verdict(ratios.p50, targets.medianRatio)} |`,
    `| max init ratio | ${ratios.max.toFixed(2)}× (${worst?.name ?? '-'}) | ≤ ${targets.maxRatio}×, ${verdict(ratios.max, targets.maxRatio)} |`,
    `| median bundle | ${int(sizes.p50)} KiB | ≤ ${targets.medianKiB} KiB, ${verdict(sizes.p50, targets.medianKiB)} |`,
    `| largest bundle | ${int(sizes.max)} KiB | |`,
    `| median CPU ratio | ${cpuRatios.p50.toFixed(2)}× | |`,
    `| max CPU ratio | ${cpuRatios.max.toFixed(2)}× | |`,
    ...(overInstrumented
      ? [
          `| median init ratio over ${instrumentedFloor} | ${overInstrumented.p50.toFixed(2)}× | |`,
          `| max init ratio over ${instrumentedFloor} | ${overInstrumented.max.toFixed(2)}× | |`,
        ]
      : []),
    '',
    'The floor a large client sets: the baseline with only that client loaded, as the functions load it',
    '(`test/bench/client-floors/`), measured in the same rounds. A function that calls Stripe, OpenSearch or S3',
    `cannot initialise faster than its floor; no function initialises faster than \`${instrumentedFloor}\`, the`,
    'baseline wrapped as every entry point is: the logger, Powertools Metrics and Tracer with their middleware.',
    'The last two rows are whole floors: what a function that calls Stripe (`stripe-function`) and the notifier',
    '(`mail-function`: the SES and Cognito clients) carry before any code of their own, zod and that wrapping included.',
    '',
    '| bundle | KiB | median ms | ratio | CPU ratio |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...run.clientFloors.map(
      (m) =>
        `| ${m.name} | ${int(m.kib)} | ${int(m.medianMs)} | ${ratio(m).toFixed(2)} | ${cpuRatio(m).toFixed(2)} |`,
    ),
    '',
    `Largest parts of the slowest bundles (KiB of the output, rebuilt from their entries with a metafile):`,
    '',
    ...run.largestParts.map(({ name, parts }) => `- ${name}: ${parts}`),
    '',
    '| function | KiB | median ms | max ms | ratio | CPU ms | CPU ratio |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...ranked.map(
      (m) =>
        `| ${m.name} | ${int(m.kib)} | ${int(m.medianMs)} | ${int(m.maxMs)} | ${ratio(m).toFixed(2)} | ${int(m.medianCpuMs)} | ${cpuRatio(m).toFixed(2)} |`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}

/** Prints the section, and with `write` replaces it in docs/benchmarks.md (added at the end if absent). */
export async function writeBundleInitSection(run: BundleInitRun, write: boolean): Promise<void> {
  const section = renderSection(run);
  console.log(`\n${section}`);
  if (write) await replaceBenchmarkSection(section);
}
