/**
 * Imports every function bundle of the synthesized cloud assembly, and a baseline bundle that only
 * creates a DynamoDB document client, each in fresh Node processes, and compares their init times
 * (see docs/benchmarks.md). `--rounds=N` (7 unless given); `--write` replaces the section in
 * docs/benchmarks.md; `MARKETPLACE_CLOUD_ASSEMBLY=dir` measures an assembly made already.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type BundleUnderTest,
  bundleKiB,
  functionBundle,
  initialiseBundle,
  startBundleBed,
} from '../support/bundle-init.ts';
import { bundleAsFunction, outputByPackage } from '../support/function-bundling.ts';
import { type BundleMeasurement, writeBundleInitSection } from './bundle-init-report.ts';
import { summarize } from './latency-stats.ts';

const option = (name: string) =>
  process.argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
const rounds = Number(option('rounds') ?? 7);
const write = process.argv.includes('--write');

/** The variables the template gives every function (NODE_OPTIONS among them): the baseline runs with them too. */
function sharedEnvironment(bundles: readonly BundleUnderTest[]): Record<string, string> {
  const [first, ...others] = bundles;
  return Object.fromEntries(
    Object.entries(first?.environment ?? {}).filter(([name, value]) =>
      others.every((bundle) => bundle.environment[name] === value),
    ),
  );
}

/** How many of the slowest bundles the report breaks down by package. */
const slowestExplained = 3;

/**
 * The baseline with one large client loaded, or wrapped as every entry point is, or both with zod (the
 * `-function` floors): what a function that needs them cannot go below.
 */
const clientFloors = [
  'stripe',
  'opensearch',
  's3',
  'observability',
  'stripe-function',
  'mail-function',
] as const;

const bed = await startBundleBed();
const workDir = await mkdtemp(join(tmpdir(), 'bundle-init-bench-'));
try {
  const functions = bed.functions.map((fn) => functionBundle(bed.assembly, fn));
  const baselineFile = join(workDir, 'index.mjs');
  await bundleAsFunction(join(import.meta.dirname, 'bundle-baseline.ts'), baselineFile);
  const baseline: BundleUnderTest = {
    name: 'baseline (DynamoDB document client)',
    file: baselineFile,
    handlerExport: 'handler',
    environment: sharedEnvironment(functions),
  };
  const floors = await Promise.all(
    clientFloors.map(async (client): Promise<BundleUnderTest> => {
      const file = join(workDir, `floor-${client}`, 'index.mjs');
      await bundleAsFunction(join(import.meta.dirname, 'client-floors', `${client}.ts`), file);
      return { ...baseline, name: `baseline + ${client}`, file };
    }),
  );
  const bundles = [baseline, ...floors, ...functions];
  const largestParts = async (functionId: string) => {
    const handlerModule = bed.functions.find((fn) => fn.logicalId === functionId)?.handlerModule;
    const entry = join(import.meta.dirname, '..', '..', 'functions', `${handlerModule}.ts`);
    const parts = outputByPackage(await bundleAsFunction(entry, join(workDir, functionId, 'index.mjs')));
    return parts
      .slice(0, 6)
      .map(({ name, kib }) => `${name} ${Math.round(kib)}`)
      .join(', ');
  };
  const samples = new Map<BundleUnderTest, { wall: number[]; cpu: number[] }>(
    bundles.map((bundle) => [bundle, { wall: [], cpu: [] }]),
  );
  for (let round = 0; round < rounds; round++) {
    // Each round starts one bundle further on, so no bundle always runs first or right after another.
    for (let i = 0; i < bundles.length; i++) {
      const bundle = bundles[(i + round) % bundles.length] as BundleUnderTest;
      const { initMs, cpuMs } = await initialiseBundle(bundle, bed.secrets.url);
      samples.get(bundle)?.wall.push(initMs);
      samples.get(bundle)?.cpu.push(cpuMs);
    }
    process.stderr.write(`round ${round + 1} of ${rounds}\n`);
  }
  const measure = async (bundle: BundleUnderTest): Promise<BundleMeasurement> => {
    const { wall, cpu } = samples.get(bundle) ?? { wall: [], cpu: [] };
    const { p50, max } = summarize(wall);
    return {
      name: bundle.name,
      medianMs: p50,
      maxMs: max,
      medianCpuMs: summarize(cpu).p50,
      kib: await bundleKiB(bundle),
    };
  };
  const measured = await Promise.all(functions.map(measure));
  const slowest = [...measured].sort((a, b) => b.medianMs - a.medianMs).slice(0, slowestExplained);
  await writeBundleInitSection(
    {
      machine: {
        cpus: availableParallelism(),
        cpuModel: cpus()[0]?.model ?? 'unknown',
        node: process.version,
      },
      command: 'npm run bench:bundles -- --write',
      rounds,
      baseline: await measure(baseline),
      clientFloors: await Promise.all(floors.map(measure)),
      functions: measured,
      largestParts: await Promise.all(
        slowest.map(async ({ name }) => ({ name, parts: await largestParts(name) })),
      ),
    },
    write,
  );
} finally {
  await bed.secrets.stop();
  await rm(workDir, { recursive: true, force: true });
}
