import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type BundleBed,
  bundleKiB,
  functionBundle,
  initialiseBundle,
  startBundleBed,
} from '../support/bundle-init.ts';

interface InitResult {
  readonly function: string;
  readonly initMs: number;
  readonly bundleKiB: number;
}

const results: InitResult[] = [];
let bed: BundleBed;

beforeAll(async () => {
  bed = await startBundleBed();
}, 900_000);

afterAll(async () => {
  await bed?.secrets.stop();
  console.table(results);
});

describe('every function cdk deploy ships', () => {
  it('is in the cloud assembly, with its bundle', () => {
    expect(bed.functions.length).toBeGreaterThanOrEqual(51);
    expect(bed.functions.filter((fn) => !fn.assetPath).map((fn) => fn.logicalId)).toEqual([]);
  });

  it('initialises with exactly its template environment, reaching only local endpoints', async () => {
    const failures: string[] = [];
    for (const fn of bed.functions) {
      try {
        const bundle = functionBundle(bed.assembly, fn);
        const { initMs, stderr } = await initialiseBundle(bundle, bed.secrets.url);
        if (stderr.includes('loopback-only:')) failures.push(`${fn.logicalId}: ${stderr.trim()}`);
        results.push({
          function: fn.logicalId,
          initMs: Math.round(initMs),
          bundleKiB: Math.round(await bundleKiB(bundle)),
        });
      } catch (error) {
        failures.push(`${fn.logicalId}: ${(error as { stderr?: string }).stderr || String(error)}`);
      }
    }
    expect(failures).toEqual([]);
  }, 600_000);
});
