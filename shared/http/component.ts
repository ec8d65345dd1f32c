import * as z from 'zod';
import { deferred } from '../deferred-schema.ts';

/**
 * A schema the OpenAPI document names `id` (one of its components), built at its first use. Loading the
 * module that defines it only registers the name, in the order the document lists the components, so a
 * function builds the schemas its own route parses and none of the others its route module names.
 */
export function component<T extends z.ZodType>(id: string, build: () => T): z.ZodLazy<T> {
  const schema = deferred(build);
  z.globalRegistry.add(schema, { id });
  return schema;
}
