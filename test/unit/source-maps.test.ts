import { describe, expect, it } from 'vitest';
import {
  decodeMappings,
  encodeMappings,
  type SourceMap,
  withoutDependencyMappings,
} from '#infra/bundling/source-maps.ts';

const map = (mappings: number[][][]): SourceMap => ({
  version: 3,
  // As a bundle's map inside the dependencies' folder names them (the local stack caches its assembly there).
  sources: ['../../../shared/a.ts', '../zod/index.js', '../../../functions/b.ts'],
  names: ['own', 'dependency', 'other'],
  mappings: encodeMappings(mappings),
});

describe('source map mappings', () => {
  it('decode what they encode, with negative differences', () => {
    const lines = [
      [
        [0, 0, 10, 4],
        [7, 2, 3, 0, 1],
        [9, 0, 1, 2],
      ],
      [],
      [[3]],
      [[0, 1, 0, 0, 2]],
    ];
    expect(decodeMappings(encodeMappings(lines))).toEqual(lines);
    expect(encodeMappings(decodeMappings('AAAA,SAASA;;GACb'))).toBe('AAAA,SAASA;;GACb');
  });
});

describe('a map without its dependencies', () => {
  it("keeps the project's mappings, and maps a run of dependency code to nothing", () => {
    const trimmed = withoutDependencyMappings(
      map([
        [
          [0, 0, 1, 0, 0],
          [5, 1, 7, 0, 1],
          [9, 1, 8, 2],
          [12, 2, 4, 4, 2],
        ],
        [
          [0, 1, 9, 0],
          [3, 0, 2, 0],
        ],
      ]),
      '/repo/node_modules/.cache/asset',
    );
    expect(trimmed.sources).toEqual(['../../../shared/a.ts', '../../../functions/b.ts']);
    expect(trimmed.names).toEqual(['own', 'other']);
    expect(decodeMappings(trimmed.mappings)).toEqual([
      [[0, 0, 1, 0, 0], [5], [12, 1, 4, 4, 1]],
      [[0], [3, 0, 2, 0]],
    ]);
  });
});
