import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';
import type { Context } from 'aws-lambda';
import { lambdaContext } from './lambda-event.ts';

/** What a worker thread needs to become the execution environment of one function. */
export interface WorkerSetup {
  /** Files the handler's module may be, in the order Lambda's Node runtime looks: the first that exists. */
  readonly moduleCandidates: readonly string[];
  /** `index.handler`, as the function's configuration names it. */
  readonly handler: string;
  readonly exportName: string;
  readonly functionName: string;
  readonly functionArn: string;
  readonly memoryMb: number;
  /** tsx's module API, registered before the handler's module loads when that module is TypeScript. */
  readonly typeScriptLoader?: string;
}

/** An error as Lambda reports it: `errorType` is the error's name. */
export interface ErrorDescription {
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
}

/** Event and result cross the thread as JSON text, as they cross Lambda's runtime API. */
export interface Invocation {
  readonly event: string;
  readonly requestId: string;
  /** Epoch milliseconds at which the invocation times out. */
  readonly deadline: number;
}

export type WorkerMessage =
  | { readonly kind: 'ready' }
  | { readonly kind: 'initFailed'; readonly error: ErrorDescription }
  | { readonly kind: 'succeeded'; readonly result: string }
  | { readonly kind: 'failed'; readonly error: ErrorDescription };

type Handler = (event: unknown, context: Context) => unknown;

function describeError(error: unknown): ErrorDescription {
  if (error instanceof Error) return { name: error.name, message: error.message, stack: error.stack };
  return {
    name: 'Error',
    message: typeof error === 'string' ? error : (JSON.stringify(error) ?? String(error)),
  };
}

/** The error types Lambda's Node runtime reports when a module cannot be loaded or has no handler. */
function describeInitError(error: unknown): ErrorDescription {
  const described = describeError(error);
  if (error instanceof SyntaxError) return { ...described, name: 'Runtime.UserCodeSyntaxError' };
  const code = (error as { code?: unknown } | undefined)?.code;
  if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
    return { ...described, name: 'Runtime.ImportModuleError' };
  }
  return described;
}

async function loadHandler(setup: WorkerSetup): Promise<Handler> {
  const modulePath = setup.moduleCandidates.find((candidate) => existsSync(candidate));
  if (!modulePath) {
    const moduleName = setup.handler.slice(0, setup.handler.lastIndexOf('.'));
    throw Object.assign(new Error(`Cannot find module '${moduleName}'`), { code: 'MODULE_NOT_FOUND' });
  }
  const loaded = (await import(pathToFileURL(modulePath).href)) as Record<string, unknown>;
  const handler = loaded[setup.exportName];
  if (typeof handler !== 'function') {
    throw Object.assign(new Error(`${setup.handler} is undefined or not exported`), {
      name: 'Runtime.HandlerNotFound',
    });
  }
  return handler as Handler;
}

/**
 * Loads the function's module (the init phase), then runs one invocation per message, each with its
 * own Context, and answers with the result or the error the handler threw.
 */
async function serveFunction(setup: WorkerSetup): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('lambda-worker.ts is the entry of a worker thread');
  let handler: Handler;
  try {
    if (setup.typeScriptLoader) {
      const { register } = (await import(setup.typeScriptLoader)) as typeof import('tsx/esm/api');
      register();
    }
    handler = await loadHandler(setup);
  } catch (error) {
    port.postMessage({ kind: 'initFailed', error: describeInitError(error) } satisfies WorkerMessage);
    return;
  }
  port.on('message', async ({ event, requestId, deadline }: Invocation) => {
    const context: Context = {
      ...lambdaContext(setup.functionName, deadline - Date.now()),
      awsRequestId: requestId,
      invokedFunctionArn: setup.functionArn,
      memoryLimitInMB: String(setup.memoryMb),
    };
    let answer: WorkerMessage;
    try {
      const result = await handler(JSON.parse(event), context);
      answer = { kind: 'succeeded', result: JSON.stringify(result) ?? 'null' };
    } catch (error) {
      answer = { kind: 'failed', error: describeError(error) };
    }
    port.postMessage(answer);
  });
  port.postMessage({ kind: 'ready' } satisfies WorkerMessage);
}

void serveFunction(workerData as WorkerSetup);
