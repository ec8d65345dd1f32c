/**
 * `create()`'s result, made at its first use rather than at module load: a function's composition
 * root may name every adapter its modules might use, and only those it calls are ever made, so a
 * function never reads configuration, nor opens a client, for a resource it does not use.
 */
export function onFirstUse<T extends object>(create: () => T): T {
  let instance: T | undefined;
  return new Proxy({} as T, {
    get(_, property) {
      instance ??= create();
      const value: unknown = Reflect.get(instance, property, instance);
      return typeof value === 'function' ? value.bind(instance) : value;
    },
  });
}
