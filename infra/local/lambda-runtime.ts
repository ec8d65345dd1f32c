import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { build } from 'esbuild';
import { localAccount } from './aws/authorization.ts';
import { functionCredentials } from './aws/role-policies.ts';
import type { TemplateFunction } from './aws/template-references.ts';
import type { ErrorDescription, Invocation, WorkerMessage, WorkerSetup } from './lambda-worker.ts';

/** A function as the local Lambda service runs it: what its template gives it. */
export type LocalFunction = Pick<
  TemplateFunction,
  'logicalId' | 'handler' | 'assetPath' | 'timeoutSeconds' | 'memoryMb' | 'environment'
> & {
  /** The name Lambda knows it by (`AWS_LAMBDA_FUNCTION_NAME`); its logical id when not given. */
  readonly functionName?: string;
};

/** Where each function's code comes from. */
export type FunctionCode =
  /** The bundles `cdk deploy` ships: `<assemblyDir>/<assetPath>/index.mjs` for `index.handler`. */
  | { readonly kind: 'artifact'; readonly assemblyDir: string }
  /** The TypeScript sources, through tsx: `moduleOf` gives the absolute path of the function's module. */
  | { readonly kind: 'source'; readonly moduleOf: (fn: LocalFunction) => string };

export interface LambdaRuntimeOptions {
  readonly functions: readonly LocalFunction[];
  readonly code: FunctionCode;
  /** Variables every function gets besides its own: the local endpoints (`AWS_ENDPOINT_URL_DYNAMODB`, ...). */
  readonly environment?: Readonly<Record<string, string>>;
  /** Variables of this process every function gets as they are here (`PATH`); no others leak in. */
  readonly inheritedVariables?: readonly string[];
  /** Variables one function gets on top of all the others, reserved ones included: a test's changes. */
  readonly overrides?: (fn: LocalFunction) => Readonly<Record<string, string>> | undefined;
  /** Execution environments of one function running at once; further invocations wait their turn. */
  readonly maxConcurrency?: number;
  /**
   * How long loading a function's module may take: Lambda's init phase limit. Past it the invocation
   * fails with `Sandbox.Timedout` and the next one starts the init again.
   */
  readonly initTimeoutSeconds?: number;
}

export interface LambdaRuntime {
  /** Runs the function as Lambda's synchronous Invoke does; rejects with the handler's error name and message. */
  invoke(logicalId: string, event: unknown): Promise<unknown>;
  /** Terminates every execution environment; invocations still running and any later ones reject. */
  stop(): Promise<void>;
}

const defaultMaxConcurrency = 4;
const lambdaInitLimitSeconds = 10;
/** The order in which Lambda's Node runtime looks for a handler's module. */
const moduleExtensions = ['.js', '.mjs', '.cjs'];
const workerEntry = join(import.meta.dirname, 'lambda-worker.ts');
const typeScriptLoader = import.meta.resolve('tsx/esm/api');

let workerScript: Promise<string> | undefined;

/**
 * lambda-worker.ts as one script, compiled once: a worker then loads a bundle with no TypeScript
 * loader beside it, exactly as Lambda does. (Node 20 runs no `--import` hook of tsx in a worker
 * thread, so source mode registers tsx inside the worker instead.)
 */
function compiledWorker(): Promise<string> {
  workerScript ??= build({
    entryPoints: [workerEntry],
    bundle: true,
    platform: 'node',
    // A worker evaluating a string runs it as CommonJS; the script keeps its `import()` of the handler.
    format: 'cjs',
    target: 'node20',
    write: false,
    logLevel: 'silent',
  }).then(({ outputFiles: [output] }) => {
    if (!output) throw new Error('esbuild produced no lambda-worker script');
    return output.text;
  });
  return workerScript;
}

interface PreparedFunction {
  readonly fn: LocalFunction;
  readonly setup: WorkerSetup;
  readonly environment: Record<string, string>;
}

function errorFrom({ name, message, stack }: ErrorDescription): Error {
  const error = new Error(message);
  error.name = name;
  if (stack) error.stack = stack;
  return error;
}

const namedError = (name: string, message: string) => errorFrom({ name, message });

const timedOut = (seconds: number) =>
  namedError('Sandbox.Timedout', `Task timed out after ${seconds.toFixed(2)} seconds`);

function inheritedEnvironment(names: readonly string[] = []): Record<string, string> {
  return Object.fromEntries(
    names.flatMap((name) => {
      const value = process.env[name];
      return value === undefined ? [] : [[name, value]];
    }),
  );
}

function prepare(fn: LocalFunction, options: LambdaRuntimeOptions): PreparedFunction {
  const functionName = fn.functionName ?? fn.logicalId;
  const separator = fn.handler.lastIndexOf('.');
  if (separator < 1) throw new Error(`${fn.logicalId}: handler ${fn.handler} is not <module>.<export>`);
  const handlerModule = fn.handler.slice(0, separator);
  const { code } = options;
  let moduleCandidates: string[];
  if (code.kind === 'artifact') {
    if (!fn.assetPath) throw new Error(`${fn.logicalId} has no asset in the cloud assembly`);
    const base = join(code.assemblyDir, fn.assetPath, handlerModule);
    moduleCandidates = moduleExtensions.map((extension) => `${base}${extension}`);
  } else {
    moduleCandidates = [code.moduleOf(fn)];
  }
  const { region, partition, accountId } = localAccount;
  const credentials = functionCredentials(fn.logicalId);
  return {
    fn,
    setup: {
      moduleCandidates,
      handler: fn.handler,
      exportName: fn.handler.slice(separator + 1),
      functionName,
      functionArn: `arn:${partition}:lambda:${region}:${accountId}:function:${functionName}`,
      memoryMb: fn.memoryMb,
      ...(code.kind === 'source' ? { typeScriptLoader } : {}),
    },
    environment: {
      ...inheritedEnvironment(options.inheritedVariables),
      ...fn.environment,
      ...options.environment,
      AWS_LAMBDA_FUNCTION_NAME: functionName,
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memoryMb),
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${functionName}`,
      AWS_REGION: region,
      AWS_DEFAULT_REGION: region,
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      ...options.overrides?.(fn),
    },
  };
}

interface Pending {
  readonly resolve: (message: WorkerMessage) => void;
  readonly reject: (error: Error) => void;
  readonly timer: NodeJS.Timeout;
}

/** One worker thread: one function's execution environment, running one invocation at a time. */
class ExecutionEnvironment {
  private readonly worker: Worker;
  private pending: Pending | undefined;
  private ended = false;

  constructor(
    private readonly prepared: PreparedFunction,
    script: string,
  ) {
    this.worker = new Worker(script, {
      eval: true,
      env: prepared.environment,
      // None of this process's flags: Node applies the NODE_OPTIONS of `env` to a worker as to a process.
      execArgv: [],
      workerData: prepared.setup,
    });
    this.worker.on('message', (message: WorkerMessage) => this.settle((pending) => pending.resolve(message)));
    this.worker.on('error', (error) => this.end(error));
    this.worker.on('exit', (exitCode) =>
      this.end(namedError('Runtime.ExitError', `Runtime exited with error: exit status ${exitCode}`)),
    );
  }

  get alive(): boolean {
    return !this.ended;
  }

  /** The init phase: loads the function's module, or fails with the error that stopped it. */
  async initialize(limitSeconds: number): Promise<void> {
    const message = await this.next(limitSeconds);
    if (message.kind === 'initFailed') {
      const error = errorFrom(message.error);
      await this.terminate(error);
      throw error;
    }
  }

  async invoke(event: unknown): Promise<unknown> {
    const { timeoutSeconds } = this.prepared.fn;
    const invocation: Invocation = {
      event: JSON.stringify(event) ?? 'null',
      requestId: randomUUID(),
      deadline: Date.now() + timeoutSeconds * 1000,
    };
    const message = await this.next(timeoutSeconds, invocation);
    if (message.kind === 'succeeded') return JSON.parse(message.result);
    if (message.kind === 'failed') throw errorFrom(message.error);
    throw new Error(`${this.prepared.fn.logicalId}: unexpected ${message.kind} from its worker`);
  }

  /** Ends the worker; whatever it was running rejects with `reason`. */
  async terminate(reason: Error): Promise<void> {
    this.end(reason);
    await this.worker.terminate();
  }

  private next(limitSeconds: number, invocation?: Invocation): Promise<WorkerMessage> {
    if (this.ended) return Promise.reject(new Error(`${this.prepared.fn.logicalId}: its worker has ended`));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => void this.terminate(timedOut(limitSeconds)), limitSeconds * 1000);
      this.pending = { resolve, reject, timer };
      if (invocation) this.worker.postMessage(invocation);
    });
  }

  private end(reason: Error): void {
    this.ended = true;
    this.settle((pending) => pending.reject(reason));
  }

  private settle(action: (pending: Pending) => void): void {
    const { pending } = this;
    this.pending = undefined;
    if (!pending) return;
    clearTimeout(pending.timer);
    action(pending);
  }
}

interface Waiter {
  /** An idle environment handed over, or `undefined`: a free slot to start a new one in. */
  readonly resolve: (environment: ExecutionEnvironment | undefined) => void;
  readonly reject: (error: Error) => void;
}

/**
 * The execution environments of one function. Like Lambda, an invocation finding none idle starts a
 * new one (a cold start) rather than waiting; unlike Lambda, which would throttle past the function's
 * concurrency, invocations past `maxConcurrency` queue until an environment is free.
 */
class FunctionEnvironments {
  private readonly idle: ExecutionEnvironment[] = [];
  private readonly waiting: Waiter[] = [];
  private readonly all = new Set<ExecutionEnvironment>();
  /** Environments running, starting or reserved for a waiter. */
  private slotsTaken = 0;
  private stoppedBy: Error | undefined;

  constructor(
    private readonly prepared: PreparedFunction,
    private readonly options: {
      readonly maxConcurrency: number;
      readonly initTimeoutSeconds: number;
    },
  ) {}

  async invoke(event: unknown): Promise<unknown> {
    const environment = await this.acquire();
    try {
      return await environment.invoke(event);
    } finally {
      if (environment.alive) this.release(environment);
      else this.discard(environment);
    }
  }

  async stop(reason: Error): Promise<void> {
    this.stoppedBy = reason;
    for (const waiter of this.waiting.splice(0)) waiter.reject(reason);
    await Promise.all([...this.all].map((environment) => environment.terminate(reason)));
  }

  private async acquire(): Promise<ExecutionEnvironment> {
    for (let warm = this.idle.pop(); warm; warm = this.idle.pop()) {
      if (warm.alive) return warm;
      this.discard(warm);
    }
    if (this.slotsTaken < this.options.maxConcurrency) this.slotsTaken += 1;
    else {
      const handedOver = await new Promise<ExecutionEnvironment | undefined>((resolve, reject) =>
        this.waiting.push({ resolve, reject }),
      );
      if (handedOver) return handedOver;
    }
    let environment: ExecutionEnvironment | undefined;
    try {
      const script = await compiledWorker();
      if (this.stoppedBy) throw this.stoppedBy;
      environment = new ExecutionEnvironment(this.prepared, script);
      this.all.add(environment);
      await environment.initialize(this.options.initTimeoutSeconds);
      return environment;
    } catch (error) {
      this.discard(environment);
      throw error;
    }
  }

  private release(environment: ExecutionEnvironment): void {
    const waiter = this.waiting.shift();
    if (waiter) waiter.resolve(environment);
    else this.idle.push(environment);
  }

  /** Gives up an environment that ended; its slot goes to the next waiter, if any. */
  private discard(environment: ExecutionEnvironment | undefined): void {
    if (environment) this.all.delete(environment);
    const waiter = this.waiting.shift();
    if (waiter) waiter.resolve(undefined);
    else this.slotsTaken -= 1;
  }
}

/**
 * A local Lambda service: each function runs in worker threads of its own, started at its first
 * invocation and kept warm, each seeing exactly its template environment, its own credentials and the
 * local endpoints, and loading either the bundle `cdk deploy` ships or its TypeScript source.
 */
export function createLambdaRuntime(options: LambdaRuntimeOptions): LambdaRuntime {
  const settings = {
    maxConcurrency: options.maxConcurrency ?? defaultMaxConcurrency,
    initTimeoutSeconds: options.initTimeoutSeconds ?? lambdaInitLimitSeconds,
  };
  const byLogicalId = new Map(
    options.functions.map((fn) => [fn.logicalId, new FunctionEnvironments(prepare(fn, options), settings)]),
  );
  let stopped = false;
  return {
    async invoke(logicalId, event) {
      if (stopped) throw new Error(`The local Lambda runtime has stopped: ${logicalId} was not invoked`);
      const environments = byLogicalId.get(logicalId);
      if (!environments) throw namedError('ResourceNotFoundException', `Function not found: ${logicalId}`);
      return environments.invoke(event);
    },
    async stop() {
      stopped = true;
      const reason = new Error('The local Lambda runtime stopped during the invocation');
      await Promise.all([...byLogicalId.values()].map((environments) => environments.stop(reason)));
    },
  };
}
