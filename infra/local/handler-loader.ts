import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const functionsDir = join(import.meta.dirname, '..', '..', 'functions');

// biome-ignore lint/suspicious/noExplicitAny: each caller states the handler signature it expects
type AnyHandler = (...args: any[]) => Promise<any>;

/** functions/<name>.ts, loaded once and kept, like a warm Lambda container. */
function loadFunctionModule<M>(name: string): Promise<M> {
  return import(pathToFileURL(join(functionsDir, `${name}.ts`)).href);
}

/** The `handler` export of functions/<name>.ts, the module Lambda runs. */
export async function loadHandler<H extends AnyHandler>(name: string): Promise<H> {
  return (await loadFunctionModule<{ handler: H }>(name)).handler;
}
