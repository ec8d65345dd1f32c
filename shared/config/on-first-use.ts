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

/** An object whose members are all methods answering promises: a port such as Payments. */
type AsyncMethods<T> = { readonly [K in keyof T]: (...args: never[]) => Promise<unknown> };

/**
 * `create()`'s result, for a port that takes an asynchronous read to make (of a secret): each call
 * of one of its methods waits for it. It is made at the first call and kept; a making that failed
 * (the secret not filled in yet) is tried again at the next call.
 */
export function onFirstCall<T extends AsyncMethods<T>>(create: () => Promise<T>): T {
  let instance: Promise<T> | undefined;
  const made = () => {
    instance ??= create().catch((error: unknown) => {
      instance = undefined;
      throw error;
    });
    return instance;
  };
  return new Proxy({} as T, {
    get(_, property) {
      // Not a thenable: awaiting the port itself must not call into it.
      if (typeof property === 'symbol' || property === 'then') return undefined;
      return async (...args: unknown[]) => {
        const target = await made();
        const method: unknown = Reflect.get(target, property, target);
        if (typeof method !== 'function') throw new TypeError(`${property} is not a method of the port`);
        return Reflect.apply(method, target, args);
      };
    },
  });
}
