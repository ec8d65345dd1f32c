import './promise-with-resolvers.ts';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Context } from 'aws-lambda';
import {
  ExecutionAbortedError,
  ExecutionError,
  type RunOptions,
  StateMachine,
} from 'aws-local-stepfunctions';
import type { ItemLists } from '#shared/item-lists/port.ts';
import { logger } from '#shared/logger.ts';
import { TaskNoLongerWaiting, type WorkflowEngine } from '#shared/workflows/port.ts';
import type { WorkflowDefinition } from '#workflows/workflow.ts';
import { loadHandler } from './handler-loader.ts';
import { lambdaContext } from './lambda-event.ts';
import {
  callbackTimeoutParameter,
  type LocalDefinition,
  type LocalTask,
  maxTimerMs,
  prepareLocalDefinition,
} from './local-asl.ts';

type LocalHandlers = NonNullable<NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers']>;
type JsonValue = Parameters<LocalHandlers[string]>[0];
type JsonObject = { [key: string]: JsonValue };

export interface WorkflowRunnerOptions {
  readonly workflow: WorkflowDefinition;
  /** Real milliseconds per workflow second, for callback timeouts, Wait states and retry intervals: 1000. */
  readonly msPerSecond?: number;
  /** How a task's handler runs; by default the `handler` of functions/<task.handler>.ts, as Lambda runs it. */
  readonly invoke?: (task: LocalTask, payload: unknown) => Promise<unknown>;
  /** Reads the item list a Distributed Map's ItemReader names; needed by workflows that have one. */
  readonly itemLists?: ItemLists;
}

export interface StartOptions {
  /**
   * The first callback wait of this execution ends at this instant instead of after its timeout:
   * resuming a wait after a restart. An instant in the past times the wait out at once.
   */
  readonly firstWaitEndsAt?: string;
}

export type ExecutionOutcome =
  | { readonly status: 'succeeded'; readonly output: unknown }
  | { readonly status: 'failed'; readonly error: string; readonly cause: string }
  | { readonly status: 'aborted' };

interface Execution {
  readonly abort: () => void;
  readonly outcome: Promise<ExecutionOutcome>;
}

interface WaitingTask {
  readonly execution: string;
  readonly resolve: (output: JsonValue) => void;
  readonly reject: (error: Error) => void;
  readonly timer: NodeJS.Timeout;
}

/** `$$.Task.Token` in every state: the engine has no tokens, so each callback attempt mints its own. */
const tokenPlaceholder = 'local-placeholder';

type TaskHandler = (event: unknown, context: Context) => Promise<unknown>;

export const runHandler = async (task: LocalTask, payload: unknown) =>
  (await loadHandler<TaskHandler>(task.handler))(
    payload,
    lambdaContext(task.handler, task.functionTimeoutSeconds * 1000),
  );

/**
 * One state machine run in-process from the same ASL file CDK deploys, with the callback tokens,
 * callback timeouts and execution names Step Functions provides in the cloud.
 */
export class WorkflowRunner implements WorkflowEngine {
  private readonly executions = new Map<string, Execution>();
  private readonly waiting = new Map<string, WaitingTask>();
  private stopped = false;

  private constructor(
    private readonly workflowName: string,
    private readonly local: LocalDefinition,
    private readonly machine: StateMachine,
    private readonly msPerSecond: number,
    private readonly invoke: (task: LocalTask, payload: unknown) => Promise<unknown>,
    private readonly itemLists: ItemLists | undefined,
  ) {}

  /** Builds the state machine once: construction validates the definition and takes about a second. */
  static async create({
    workflow,
    msPerSecond = 1000,
    invoke = runHandler,
    itemLists,
  }: WorkflowRunnerOptions) {
    const asl: unknown = JSON.parse(await readFile(workflow.definitionFile, 'utf8'));
    const local = prepareLocalDefinition(asl, workflow, msPerSecond);
    if (local.itemReaders.length > 0 && !itemLists) {
      throw new Error(`${workflow.name} reads item lists: give its runner the item lists`);
    }
    return new WorkflowRunner(
      workflow.name,
      local,
      new StateMachine(local.definition),
      msPerSecond,
      invoke,
      itemLists,
    );
  }

  async start(name: string, input: Record<string, unknown>, options: StartOptions = {}): Promise<void> {
    if (this.stopped) throw new Error(`The ${this.workflowName} runner is stopped`);
    if (this.executions.has(name)) return;
    const firstWaitEndsAt =
      options.firstWaitEndsAt === undefined ? undefined : instant(options.firstWaitEndsAt);
    const tasks = new ExecutionTasks(name, firstWaitEndsAt);
    const run = this.machine.run(toJson(input), {
      context: { Task: { Token: tokenPlaceholder } },
      overrides: { ...this.local.timing, taskResourceLocalHandlers: this.taskHandlers(tasks) },
    });
    const outcome = outcomeOf(run.result).then((ended) => this.finish(tasks, run.abort, ended));
    this.executions.set(name, { abort: run.abort, outcome });
  }

  async sendTaskSuccess(token: string, output: unknown): Promise<void> {
    this.take(token).resolve(toJson(output));
  }

  async sendTaskFailure(token: string, error: string, cause: string): Promise<void> {
    this.take(token).reject(namedError(error, cause));
  }

  /** Resolves when the execution `name` ends. */
  async settled(name: string): Promise<ExecutionOutcome> {
    const execution = this.executions.get(name);
    if (!execution) throw new Error(`No ${this.workflowName} execution is named ${name}`);
    return execution.outcome;
  }

  /** Aborts every execution and forgets every token and timer, so the process can exit. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const execution of this.executions.values()) execution.abort();
    await Promise.all([...this.executions.values()].map((execution) => execution.outcome));
  }

  private taskHandlers(tasks: ExecutionTasks): LocalHandlers {
    const readItems = (input: JsonValue) =>
      tasks.run(async () => {
        const { Bucket, Key } = isJsonObject(input) ? input : {};
        if (typeof Bucket !== 'string' || typeof Key !== 'string') {
          throw namedError('States.ItemReaderFailed', 'An ItemReader needs a Bucket and a Key');
        }
        return toJson(await this.itemLists?.read({ bucket: Bucket, key: Key }));
      });
    return Object.fromEntries([
      ...this.local.itemReaders.map((state) => [state, readItems]),
      ...Object.entries(this.local.tasks).map(([state, task]) => [
        state,
        (input: JsonValue) =>
          tasks.run(() =>
            task.invocation === 'callback'
              ? this.awaitCallback(tasks, task, input)
              : this.callFunction(task, input),
          ),
      ]),
    ]);
  }

  private async callFunction(task: LocalTask, input: JsonValue): Promise<JsonValue> {
    if (task.invocation === 'direct') return this.callHandler(task, input);
    const payload = isJsonObject(input) ? input.Payload : undefined;
    return { Payload: await this.callHandler(task, payload), StatusCode: 200 };
  }

  private async callHandler(task: LocalTask, payload: unknown): Promise<JsonValue> {
    try {
      return toJson(await this.invoke(task, payload));
    } catch (error) {
      throw asError(error);
    }
  }

  /**
   * Hands the Payload, with a fresh token and its deadline, to the task's handler, which stores the
   * token; the task then waits for sendTaskSuccess, sendTaskFailure or the deadline.
   */
  private async awaitCallback(tasks: ExecutionTasks, task: LocalTask, input: JsonValue): Promise<JsonValue> {
    const { payload, timeoutSeconds } = callbackInput(input);
    const deadline = tasks.takeFirstWaitEnd() ?? Date.now() + timeoutSeconds * this.msPerSecond;
    const token = `local:${randomUUID()}`;
    const { promise, resolve, reject } = Promise.withResolvers<JsonValue>();
    // Registered before the handler runs: it may resume its own token before it returns.
    this.wait(token, { execution: tasks.execution, resolve, reject }, deadline);
    const event = { ...withToken(payload, token), deadline: new Date(deadline).toISOString() };
    this.invoke(task, event).catch((error: unknown) => this.fail(token, asError(error)));
    return promise;
  }

  private wait(token: string, waiting: Omit<WaitingTask, 'timer'>, deadline: number): void {
    const delay = deadline - Date.now();
    const timer =
      delay > maxTimerMs
        ? setTimeout(() => this.wait(token, waiting, deadline), maxTimerMs)
        : setTimeout(() => this.fail(token, timedOut(deadline)), Math.max(delay, 0));
    this.waiting.set(token, { ...waiting, timer });
  }

  private take(token: string): WaitingTask {
    const waiting = this.waiting.get(token);
    if (!waiting) throw new TaskNoLongerWaiting(`no ${this.workflowName} task waits with this token`);
    this.waiting.delete(token);
    clearTimeout(waiting.timer);
    return waiting;
  }

  private fail(token: string, error: Error): void {
    if (this.waiting.has(token)) this.take(token).reject(error);
  }

  private finish(tasks: ExecutionTasks, abort: () => void, outcome: ExecutionOutcome): ExecutionOutcome {
    // A failed execution may still have Parallel branches running; abort stops their next states.
    abort();
    tasks.end();
    for (const [token, waiting] of this.waiting) {
      if (waiting.execution === tasks.execution) this.take(token);
    }
    // Drops the run: the engine keeps its event log, unread, in memory for as long as the run is held.
    this.executions.set(tasks.execution, { abort: () => undefined, outcome: Promise.resolve(outcome) });
    if (outcome.status === 'failed') {
      logger.error('Workflow execution failed', {
        workflow: this.workflowName,
        execution: tasks.execution,
        ...outcome,
      });
    }
    return outcome;
  }
}

/** The tasks of one execution: none outlives it, and its first callback wait may end at a given instant. */
class ExecutionTasks {
  private readonly ended = Promise.withResolvers<never>();
  private isOver = false;

  constructor(
    readonly execution: string,
    private firstWaitEndsAt: number | undefined,
  ) {
    // Rejected when the execution ends, whether or not a task is racing it then.
    this.ended.promise.catch(() => undefined);
  }

  takeFirstWaitEnd(): number | undefined {
    const endsAt = this.firstWaitEndsAt;
    this.firstWaitEndsAt = undefined;
    return endsAt;
  }

  /**
   * Abort does not reach a running task: its handler, the engine's timer for it and, for a callback,
   * its token would live on. Racing the end of the execution settles it and clears that timer.
   */
  run(task: () => Promise<JsonValue>): Promise<JsonValue> {
    return this.isOver ? this.ended.promise : Promise.race([task(), this.ended.promise]);
  }

  end(): void {
    this.isOver = true;
    this.ended.reject(new Error(`Execution ${this.execution} has ended`));
  }
}

function outcomeOf(result: Promise<JsonValue>): Promise<ExecutionOutcome> {
  return result.then<ExecutionOutcome, ExecutionOutcome>(
    (output) => ({ status: 'succeeded', output }),
    (error: unknown) =>
      error instanceof ExecutionAbortedError
        ? { status: 'aborted' }
        : { status: 'failed', ...failureOf(error) },
  );
}

function failureOf(error: unknown): { error: string; cause: string } {
  const reason = error instanceof ExecutionError ? error.cause : error;
  return reason instanceof Error
    ? { error: reason.name, cause: reason.message }
    : { error: 'Error', cause: String(reason) };
}

function callbackInput(input: JsonValue): { payload: JsonObject; timeoutSeconds: number } {
  if (!isJsonObject(input) || !isJsonObject(input.Payload)) {
    throw namedError('States.Runtime', 'A callback task needs an object Payload');
  }
  const timeoutSeconds = input[callbackTimeoutParameter];
  if (typeof timeoutSeconds !== 'number' || !Number.isInteger(timeoutSeconds) || timeoutSeconds < 1) {
    throw namedError(
      'States.Runtime',
      `TimeoutSeconds must be a positive integer, not ${JSON.stringify(timeoutSeconds)}`,
    );
  }
  return { payload: input.Payload, timeoutSeconds };
}

function withToken(payload: JsonObject, token: string): JsonObject {
  return Object.fromEntries(
    Object.entries(payload).map(([key, value]) => [key, value === tokenPlaceholder ? token : value]),
  );
}

function isJsonObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What crossing Step Functions does to a value: JSON serialised, with `undefined` as null. */
function toJson(value: unknown): JsonValue {
  return value === undefined ? null : JSON.parse(JSON.stringify(value));
}

/** The engine matches Retry and Catch on the error's `name` and reports its `message` as the Cause. */
function asError(thrown: unknown): Error {
  return thrown instanceof Error ? thrown : new Error(String(thrown));
}

function namedError(name: string, message: string): Error {
  return Object.assign(new Error(message), { name });
}

function timedOut(deadline: number): Error {
  return namedError(
    'States.Timeout',
    `No task success or failure was sent before ${new Date(deadline).toISOString()}`,
  );
}

function instant(iso: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new RangeError(`Not an ISO 8601 instant: ${iso}`);
  return ms;
}
