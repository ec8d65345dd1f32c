import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Entity, KeyPattern } from '#shared/store/entities/entity.ts';

const storeDirectory = new URL('../../../shared/store/', import.meta.url);

/** Every entity declared in shared/store/entities/. */
async function declaredEntities(): Promise<Entity<unknown>[]> {
  const modules = readdirSync(new URL('entities/', storeDirectory)).filter((file) => file.endsWith('.ts'));
  const exported = await Promise.all(
    modules.map(async (file) =>
      Object.values(await import(new URL(`entities/${file}`, storeDirectory).href)),
    ),
  );
  return exported
    .flat()
    .filter(
      (value): value is Entity<unknown> => typeof value === 'object' && value !== null && 'stamp' in value,
    );
}

type Row = { readonly entity: string } & Required<KeyPattern>;

/** The rows of README.md's table of items: the entity and key patterns, as code spans. */
function readmeRows(): Row[] {
  const lines = readFileSync(new URL('README.md', storeDirectory), 'utf8').split('\n');
  const header = lines.findIndex((line) => /^\| Item +\| Entity +\| PK/.test(line));
  const rows: Row[] = [];
  for (const line of lines.slice(header + 2)) {
    if (!line.startsWith('|')) break;
    const [entity = '', PK = '', SK = '', GSI1PK = '', GSI1SK = ''] = line
      .split(' | ')
      .slice(1)
      .map((cell) => /`([^`]*)`/.exec(cell)?.[1] ?? '');
    rows.push({ entity, PK, SK, GSI1PK, GSI1SK });
  }
  return rows;
}

const rowsOf = (entity: Entity<unknown>): Row[] =>
  entity.keys.map(({ PK, SK, GSI1PK = '', GSI1SK = '' }) => ({
    entity: entity.name,
    PK,
    SK,
    GSI1PK,
    GSI1SK,
  }));

describe("shared/store/README.md's table of items", () => {
  it('has one row per key shape of every entity, and no other', async () => {
    const entities = await declaredEntities();
    expect(entities.length).toBeGreaterThan(20);
    expect(new Set(entities.map((entity) => entity.name)).size).toBe(entities.length);
    const declared = entities.flatMap(rowsOf);
    expect(readmeRows()).toEqual(expect.arrayContaining(declared));
    expect(declared).toEqual(expect.arrayContaining(readmeRows()));
    expect(readmeRows()).toHaveLength(declared.length);
  });
});
