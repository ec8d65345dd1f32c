import { readFile, writeFile } from 'node:fs/promises';
import { dirname, resolve, sep } from 'node:path';

/**
 * Source maps that map the project's own code only. Node reads and indexes a bundle's whole map at
 * load under `--enable-source-maps`, and most of a bundle is its dependencies: keeping their
 * mappings costs every cold start, while a stack trace needs the project's frames named.
 */

/** A source map (version 3) as esbuild writes it, without the sources' contents. */
export interface SourceMap {
  readonly version: 3;
  readonly sources: readonly string[];
  readonly names: readonly string[];
  readonly mappings: string;
  readonly [other: string]: unknown;
}

/** One mapping: generated column, then source, line, column and name where it has them. */
type Segment = readonly number[];

const base64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const digitOf = new Map([...base64].map((char, index) => [char, index]));

function decodeValues(text: string): number[] {
  const values: number[] = [];
  let value = 0;
  let shift = 0;
  for (const char of text) {
    const digit = digitOf.get(char);
    if (digit === undefined) throw new Error(`Not a base64 VLQ digit: ${char}`);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
      continue;
    }
    values.push(value & 1 ? -(value >>> 1) : value >>> 1);
    value = 0;
    shift = 0;
  }
  return values;
}

function encodeValue(value: number): string {
  let rest = value < 0 ? (-value << 1) | 1 : value << 1;
  let text = '';
  do {
    const digit = rest & 31;
    rest >>>= 5;
    text += base64[rest > 0 ? digit | 32 : digit];
  } while (rest > 0);
  return text;
}

/** The mappings, line by line, with every field absolute (the format stores differences). */
export function decodeMappings(mappings: string): Segment[][] {
  const state = [0, 0, 0, 0, 0];
  return mappings.split(';').map((line) => {
    state[0] = 0;
    return line
      .split(',')
      .filter(Boolean)
      .map((text) => decodeValues(text).map((delta, field) => (state[field] = (state[field] ?? 0) + delta)));
  });
}

export function encodeMappings(lines: readonly (readonly Segment[])[]): string {
  const state = [0, 0, 0, 0, 0];
  return lines
    .map((segments) => {
      state[0] = 0;
      return segments
        .map((segment) =>
          segment
            .map((value, field) => {
              const delta = value - (state[field] ?? 0);
              state[field] = value;
              return encodeValue(delta);
            })
            .join(''),
        )
        .join(',');
    })
    .join(';');
}

/** Whether a source, as the map in `mapDirectory` names it, lies inside a `node_modules` folder. */
const isDependency = (source: string, mapDirectory: string) =>
  resolve(mapDirectory, source).split(sep).includes('node_modules');

/**
 * The map without the mappings into dependencies: a run of their code maps to nothing (one
 * unmapped segment where it starts, so it is never attributed to the project's code before it),
 * and sources and names no mapping uses any more are dropped.
 */
export function withoutDependencyMappings(map: SourceMap, mapDirectory: string): SourceMap {
  const sourceIndex = new Map<number, number>();
  const sources: string[] = [];
  map.sources.forEach((source, index) => {
    if (isDependency(source, mapDirectory)) return;
    sourceIndex.set(index, sources.length);
    sources.push(source);
  });
  const nameIndex = new Map<number, number>();
  const names: string[] = [];
  const lines = decodeMappings(map.mappings).map((segments) => {
    const kept: Segment[] = [];
    for (const [column = 0, source, line, sourceColumn, name] of segments) {
      const ownSource = source === undefined ? undefined : sourceIndex.get(source);
      if (ownSource === undefined || line === undefined || sourceColumn === undefined) {
        if (kept.at(-1)?.length !== 1) kept.push([column]);
        continue;
      }
      if (name === undefined) {
        kept.push([column, ownSource, line, sourceColumn]);
        continue;
      }
      if (!nameIndex.has(name)) {
        nameIndex.set(name, names.length);
        names.push(map.names[name] ?? '');
      }
      kept.push([column, ownSource, line, sourceColumn, nameIndex.get(name) ?? 0]);
    }
    return kept;
  });
  return { ...map, sources, names, mappings: encodeMappings(lines) };
}

/** Rewrites the map file of a bundle without its dependencies' mappings. */
export async function trimSourceMapFile(path: string): Promise<void> {
  const map = JSON.parse(await readFile(path, 'utf8')) as SourceMap;
  await writeFile(path, JSON.stringify(withoutDependencyMappings(map, dirname(path))));
}
