import { join } from 'node:path';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { bundleKiB, functionBundle, initialiseBundle, startBundleBed, type BundleUnderTest } from '../support/bundle-init.ts';
import { bundleAsFunction } from '../support/function-bundling.ts';

const picks = ['ApiCatalogGetListing', 'ApiOrdersPlaceCheckout', 'OrderFulfillmentResolveTimeout', 'SearchIndexingIndexer', 'PayoutRunPaySeller', 'ApiSystemHealth', 'OrderWorkflowDriver'];
const rounds = Number(process.env.ROUNDS ?? 9);
const beds = [];
for (const [label, dir] of [['before', '/tmp/obs-asm-main'], ['after', '/tmp/obs-asm-branch']] as const) {
  process.env.MARKETPLACE_CLOUD_ASSEMBLY = dir;
  const bed = await startBundleBed();
  const bundles = picks.map((p) => {
    const fn = bed.functions.find((f) => f.logicalId.startsWith(p));
    if (!fn) throw new Error(`${label}: no ${p}`);
    return { ...functionBundle(bed.assembly, fn), name: `${label} ${p}` };
  });
  beds.push({ bed, bundles });
}
const work = await mkdtemp(join(tmpdir(), 'obs-ab-'));
const baselineFile = join(work, 'index.mjs');
await bundleAsFunction(join(import.meta.dirname, 'bundle-baseline.ts'), baselineFile);
const baseline: BundleUnderTest = { name: 'baseline', file: baselineFile, handlerExport: 'handler', environment: { NODE_OPTIONS: '--enable-source-maps', POWERTOOLS_SERVICE_NAME: 'marketplace' } };
const all: { b: BundleUnderTest; url: string }[] = [{ b: baseline, url: beds[1]!.bed.secrets.url }];
for (const { bed, bundles } of beds) for (const b of bundles) all.push({ b, url: bed.secrets.url });
const results = new Map<string, { ms: number[]; cpu: number[] }>();
for (let r = 0; r < rounds; r++) {
  for (const { b, url } of all) {
    const { initMs, cpuMs, stderr } = await initialiseBundle(b, url);
    if (stderr.trim() && r === 0) console.error(b.name, stderr.slice(0, 300));
    const e = results.get(b.name) ?? { ms: [], cpu: [] };
    e.ms.push(initMs); e.cpu.push(cpuMs); results.set(b.name, e);
  }
}
const med = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)] ?? 0;
const base = results.get('baseline')!;
console.log(`baseline median ${med(base.ms).toFixed(0)} ms, CPU ${med(base.cpu).toFixed(0)} ms, ${(await bundleKiB(baseline)).toFixed(0)} KiB`);
for (const { b } of all.slice(1)) {
  const e = results.get(b.name)!;
  console.log(`| ${b.name} | ${(await bundleKiB(b)).toFixed(0)} | ${med(e.ms).toFixed(0)} | ${(med(e.ms) / med(base.ms)).toFixed(2)} | ${med(e.cpu).toFixed(0)} | ${(med(e.cpu) / med(base.cpu)).toFixed(2)} |`);
}
for (const { bed } of beds) await bed.secrets.stop?.();
process.exit(0);
