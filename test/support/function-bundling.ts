import { type BuildOptions, build, type Metafile } from 'esbuild';
import { trimSourceMapFile } from '#infra/bundling/source-maps.ts';
import { functionBundling, functionRuntime } from '#infra/constructs/handler-function.ts';

const repoRoot = new URL('../../', import.meta.url).pathname;

/**
 * The esbuild options NodejsFunction derives from the stack's bundling settings (its
 * `buildEsbuildArgs`), so a bundle built here is built as `cdk synth` builds a function's (whose
 * source map its `afterBundling` hook then trims, as `bundleAsFunction` does).
 */
export function functionBuildOptions(entry: string, outfile: string): BuildOptions {
  const { format, minify, sourceMap, sourcesContent, mainFields, logLevel, banner } = functionBundling;
  return {
    entryPoints: [entry],
    bundle: true,
    outfile,
    absWorkingDir: repoRoot,
    target: functionRuntime.name.replace(/^nodejs(\d+)\.x$/, 'node$1'),
    platform: 'node',
    format,
    minify,
    sourcemap: sourceMap,
    sourcesContent,
    mainFields: [...mainFields],
    logLevel,
    banner: { js: banner },
  };
}

/** Bundles the entry as the stack bundles a function, and answers the bundle's metafile. */
export async function bundleAsFunction(entry: string, outfile: string): Promise<Metafile> {
  const { metafile } = await build({ ...functionBuildOptions(entry, outfile), metafile: true });
  await trimSourceMapFile(`${outfile}.map`);
  return metafile;
}

/** The package (or, for this repository's code, the top-level folder) a bundle input belongs to. */
function packageOf(input: string): string {
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
  return match?.[1] ?? input.split('/').slice(0, 2).join('/');
}

/** KiB the bundle's output holds of each package, the largest first. */
export function outputByPackage(metafile: Metafile): { readonly name: string; readonly kib: number }[] {
  const totals = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      totals.set(packageOf(input), (totals.get(packageOf(input)) ?? 0) + bytesInOutput);
    }
  }
  return [...totals].map(([name, bytes]) => ({ name, kib: bytes / 1024 })).sort((a, b) => b.kib - a.kib);
}
