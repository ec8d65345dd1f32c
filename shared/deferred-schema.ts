import * as z from 'zod';

/**
 * A schema built at its first use (a parse, or its conversion to JSON Schema), not when its module
 * loads. Unlike a bare `z.lazy`, the schema is built once: zod calls a lazy schema's getter again each
 * time it unwraps it (`unwrap()`, the JSON Schema conversion), which would build it anew every time.
 */
export function deferred<T extends z.ZodType>(build: () => T): z.ZodLazy<T> {
  let schema: T | undefined;
  return z.lazy(() => {
    schema ??= build();
    return schema;
  });
}
