import type * as z from 'zod';
import { correlationAttribute, currentCorrelationId } from '../../observability/correlation.ts';

/** The correlation id of the work writing an item, kept on it for the stream's consumers to carry on. */
function correlationStamp(): Record<string, string> {
  const correlationId = currentCorrelationId();
  return correlationId ? { [correlationAttribute]: correlationId } : {};
}

/**
 * How an item's key attributes are composed, as README.md's table of items documents them:
 * `<name>` stands for an attribute of the entity, everything else is literal.
 */
export interface KeyPattern {
  readonly PK: string;
  readonly SK: string;
  readonly GSI1PK?: string;
  readonly GSI1SK?: string;
}

/**
 * The table's and its index's key attributes, the kind marker, the schema version and the correlation id
 * of the work that wrote the item: not the entity's own.
 */
const itemOnlyAttributes = [
  'PK',
  'SK',
  'GSI1PK',
  'GSI1SK',
  'entity',
  'schemaVersion',
  correlationAttribute,
] as const;

/** Items written before entities carried a schema version have the shape of version 1. */
const unversioned = 1;

export interface EntityDefinition<T> {
  /** The `entity` attribute every item of this kind carries; stream consumers filter on it. */
  readonly name: string;
  /** Written as `schemaVersion` on every item put; raise it (and decode older versions) when the shape changes. */
  readonly version: number;
  /** A `deferred` schema: built at the first decode, not when the module loads. */
  readonly schema: z.ZodType<T>;
  /** The key shapes of its items, one per row of README.md's table of items. */
  readonly keys: readonly KeyPattern[];
  /**
   * How an item of an older version becomes one of the next, by the version it has: an item read
   * is brought up to `version` step by step, then decoded. Items are not rewritten when read.
   */
  readonly upgrades?: Readonly<
    Record<number, (attributes: Record<string, unknown>) => Record<string, unknown>>
  >;
}

/** An item does not match its entity's schema: written by other code, or a shape this code forgot. */
export class EntityDecodeError extends Error {
  constructor(entity: string, item: Record<string, unknown>, problem: string) {
    super(`Cannot decode ${entity} item (PK ${String(item.PK)}, SK ${String(item.SK)}): ${problem}`);
    this.name = 'EntityDecodeError';
  }
}

export interface Entity<T> extends EntityDefinition<T> {
  /** The attributes that mark an item as one of this entity, at its current schema version. */
  readonly stamp: { readonly entity: string; readonly schemaVersion: number };
  /** The item to put: its keys, the entity's stamp, its attributes, and the correlation id it is written under. */
  item(keys: object, attributes: T): Record<string, unknown>;
  /**
   * The entity's attributes of an item read from the table, validated; throws EntityDecodeError
   * naming the entity and the item's key when the item is another kind, a newer version or a shape
   * the schema does not accept.
   */
  decode(item: Record<string, unknown>): T;
}

export function defineEntity<T>(definition: EntityDefinition<T>): Entity<T> {
  const { name, version, schema } = definition;
  const stamp = { entity: name, schemaVersion: version };
  return {
    ...definition,
    stamp,
    item: (keys, attributes) => ({ ...keys, ...stamp, ...attributes, ...correlationStamp() }),
    decode(item) {
      if (item.entity !== undefined && item.entity !== name) {
        throw new EntityDecodeError(name, item, `it is a ${String(item.entity)} item`);
      }
      let itemVersion = Number(item.schemaVersion ?? unversioned);
      let attributes = Object.fromEntries(
        Object.entries(item).filter(
          ([attribute]) => !(itemOnlyAttributes as readonly string[]).includes(attribute),
        ),
      );
      const upgradeOf = (from: number) => (from < version ? definition.upgrades?.[from] : undefined);
      for (let upgrade = upgradeOf(itemVersion); upgrade; upgrade = upgradeOf(itemVersion)) {
        attributes = upgrade(attributes);
        itemVersion += 1;
      }
      if (itemVersion !== version) {
        throw new EntityDecodeError(
          name,
          item,
          `schema version ${String(item.schemaVersion ?? unversioned)}, this code reads ${version}`,
        );
      }
      const decoded = schema.safeParse(attributes);
      if (!decoded.success) {
        const problems = decoded.error.issues.map(
          (issue) => `${issue.path.join('.') || '(item)'}: ${issue.message}`,
        );
        throw new EntityDecodeError(name, item, problems.join('; '));
      }
      return decoded.data;
    },
  };
}

/** The item's entity if present, decoded; undefined for no item. */
export const decodeIfPresent = <T>(entity: Entity<T>, item: Record<string, unknown> | undefined) =>
  item ? entity.decode(item) : undefined;
