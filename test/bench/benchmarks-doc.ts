import { readFile, writeFile } from 'node:fs/promises';

const reportPath = new URL('../../docs/benchmarks.md', import.meta.url);

/**
 * Replaces the section of docs/benchmarks.md that starts with `heading` (a `## ` line) up to the next
 * such heading, or adds it at the end; the rest of the file stays as it is.
 */
export async function replaceBenchmarkSection(heading: string, section: string): Promise<void> {
  const existing = await readFile(reportPath, 'utf8').catch(() => '# Benchmarks\n');
  const start = existing.indexOf(`\n${heading}\n`);
  const nextSection = start < 0 ? -1 : existing.indexOf('\n## ', start + heading.length + 1);
  const before = start < 0 ? `${existing.trimEnd()}\n\n` : existing.slice(0, start + 1);
  const after = nextSection < 0 ? '' : existing.slice(nextSection + 1);
  await writeFile(reportPath, `${before}${section}${after === '' ? '' : `\n${after}`}`);
}
