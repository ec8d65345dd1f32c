import * as z from 'zod';

const conditionSchema = z.union([
  z.string(),
  z.number(),
  z.boolean(),
  z.null(),
  z.strictObject({ prefix: z.string() }),
  z.strictObject({ exists: z.boolean() }),
  z.strictObject({ 'anything-but': z.array(z.union([z.string(), z.number()])) }),
]);

type Condition = z.infer<typeof conditionSchema>;

/**
 * Lambda event filtering, as an event source mapping's `FilterCriteria` applies it to each record
 * before the function sees it: a record passes when any filter's pattern matches it. A pattern is
 * an object whose leaves are lists of conditions, any of which may match the record's value there:
 * an exact string, number, boolean or null, `{ prefix }`, `{ exists }` or `{ 'anything-but': [...] }`.
 * The local event sources and the table-change fan-out both filter with it.
 */
export type EventPattern = { readonly [field: string]: EventPattern | readonly Condition[] };

/** A pattern of the supported conditions only: one given as configuration fails when read, not at a record. */
export const eventPatternSchema: z.ZodType<EventPattern> = z.record(
  z.string(),
  z.union([z.array(conditionSchema), z.lazy(() => eventPatternSchema)]),
);

function conditionMatches(condition: Condition, value: unknown, present: boolean): boolean {
  if (condition === null || typeof condition !== 'object') return present && value === condition;
  if ('exists' in condition) return condition.exists === present;
  if ('prefix' in condition) return typeof value === 'string' && value.startsWith(condition.prefix);
  if ('anything-but' in condition) {
    return present && !condition['anything-but'].includes(value as string | number);
  }
  throw new Error(`Unsupported filter condition ${JSON.stringify(condition)}`);
}

function leafMatches(conditions: readonly Condition[], value: unknown, present: boolean): boolean {
  const values = Array.isArray(value) ? value : [value];
  return conditions.some((condition) => values.some((one) => conditionMatches(condition, one, present)));
}

export function patternMatches(pattern: EventPattern, record: unknown): boolean {
  return Object.entries(pattern).every(([field, expected]) => {
    const holder = typeof record === 'object' && record !== null ? (record as Record<string, unknown>) : {};
    const present = Object.hasOwn(holder, field);
    const value = present ? holder[field] : undefined;
    return Array.isArray(expected)
      ? leafMatches(expected as readonly Condition[], value, present)
      : patternMatches(expected as EventPattern, value);
  });
}

/** Whether any of the patterns matches the record. */
export const matchesAnyPattern = (patterns: readonly EventPattern[], record: unknown): boolean =>
  patterns.some((pattern) => patternMatches(pattern, record));

/** The filters of a template's `FilterCriteria`, each pattern a JSON string. */
export interface FilterCriteria {
  readonly Filters?: readonly { readonly Pattern: string }[];
}

/** Whether the record reaches the function: always without filters, else when any pattern matches. */
export function passesFilters(criteria: FilterCriteria | undefined, record: unknown): boolean {
  const filters = criteria?.Filters ?? [];
  return (
    filters.length === 0 ||
    matchesAnyPattern(
      filters.map((filter) => JSON.parse(filter.Pattern) as EventPattern),
      record,
    )
  );
}
