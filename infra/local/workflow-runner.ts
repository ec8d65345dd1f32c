import './promise-with-resolvers.ts';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Context } from 'aws-lambda';
import { StateMachine } from 'aws-local-stepfunctions';
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
import {
  type AbortReason,
  type ExecutionDescription,
  type ExecutionEnd,
  type ExecutionOutcome,
  ExecutionTasks,
  type JsonValue,
  type LocalHandlers,
  outcomeOf,
} from './workflow-execution.ts';

export type { AbortReason, ExecutionDescription, ExecutionOutcome } from './workflow-execution.ts';

type JsonObject = { [key: string]: JsonValue };

export interface WorkflowRunnerOptions {
  readonly workflow: WorkflowDefinition;
  /** Real milliseconds per workflow second, for callback timeouts, Wait states and retry intervals: 1000. */
  readonly msPerSecond?: number;
  /** How a task's handler runs; by default the `handler` of functions/<task.handler>.ts, as Lambda runs it. */
  readonly invoke?: (task: LocalTask, payload: unknown) => Promise<unknown>;
  /** Reads the item list a Distributed Map's ItemReader names; needed by workflows that have one. */
  readonly itemLists?: ItemLists;
  /** Told of every state entered and every retry: the transitions Step Functions Standard bills. */
  readonly onTransition?: (transition: StateTransition) => void;
}

export interface StateTransition {
  readonly workflow: string;
  readonly execution: string;
  readonly state: string;
  readonly retry: boolean;
}

export interface StartOptions {
  /**
   * The first callback wait of this execution ends at this instant instead of after its timeout:
   * resuming a wait after a restart. An instant in the past times the wait out at once.
   */
  readonly firstWaitEndsAt?: string;
}

interface Execution {
  readonly input: JsonValue;
  readonly startDate: Date;
  readonly abort: (reason?: AbortReason) => void;
  readonly whenEnded: Promise<ExecutionEnd>;
  readonly end?: ExecutionEnd;
}

interface WaitingTask {
  readonly execution: string;
  readonly resolve: (output: JsonValue) => void;
  readonly reject: (error: Error) => void;
  readonly timer: NodeJS.Timeout;
}

/** `$$.Task.Token` in every state: the engine has no tokens, so each callback attempt mints its own. */
const tokenPlaceholder = 'local-placeholder';

const mintToken = () => `local:${randomUUID()}`;

/** Whether `token` is one the runners mint, whether or not a task still waits with it. */
export const isLocalTaskToken = (token: string) =>
  /^local:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(token);

type TaskHandler = (event: unknown, context: Context) => Promise<unknown>;

const runHandler = async (task: LocalTask, payload: unknown) =>
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
    private readonly onTransition: WorkflowRunnerOptions['onTransition'],
  ) {}

  /** Builds the state machine once: construction validates the definition and takes about a second. */
  static async create({
    workflow,
    msPerSecond = 1000,
    invoke = runHandler,
    itemLists,
    onTransition,
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
      onTransition,
    );
  }

  /** Starts the execution `name` with any JSON input, unless one of that name exists already. */
  async start(name: string, input: unknown, options: StartOptions = {}): Promise<void> {
    if (this.stopped) throw new Error(`The ${this.workflowName} runner is stopped`);
    if (this.executions.has(name)) return;
    const firstWaitEndsAt =
      options.firstWaitEndsAt === undefined ? undefined : instant(options.firstWaitEndsAt);
    const tasks = new ExecutionTasks(name, firstWaitEndsAt);
    const started = { input: toJson(input), startDate: new Date() };
    const run = this.machine.run(started.input, {
      context: {
        Execution: { Name: name, Input: started.input, StartTime: started.startDate.toISOString() },
        Task: { Token: tokenPlaceholder },
      },
      overrides: { ...this.local.timing, taskResourceLocalHandlers: this.taskHandlers(tasks) },
    });
    if (this.onTransition) void this.reportTransitions(name, run.eventLogs, this.onTransition);
    let abortReason: AbortReason = {};
    const whenEnded = outcomeOf(run.result).then((outcome) =>
      this.finish(
        tasks,
        run.abort,
        started,
        outcome.status === 'aborted' ? { ...outcome, ...abortReason } : outcome,
      ),
    );
    const abort = (reason: AbortReason = {}) => {
      abortReason = reason;
      run.abort();
    };
    this.executions.set(name, { ...started, abort, whenEnded });
  }

  async sendTaskSuccess(token: string, output: unknown): Promise<void> {
    this.take(token).resolve(toJson(output));
  }

  async sendTaskFailure(token: string, error: string, cause: string): Promise<void> {
    this.take(token).reject(namedError(error, cause));
  }

  /** Whether a task waits with `token`: one this runner minted, not yet resumed, timed out or ended. */
  waitsFor(token: string): boolean {
    return this.waiting.has(token);
  }

  /** Resolves when the execution `name` ends. */
  async settled(name: string): Promise<ExecutionOutcome> {
    return (await this.execution(name).whenEnded).outcome;
  }

  describe(name: string): ExecutionDescription | undefined {
    const execution = this.executions.get(name);
    if (!execution) return undefined;
    const { input, startDate, end } = execution;
    return end
      ? { name, input, startDate, stopDate: end.stopDate, ...end.outcome }
      : { name, input, startDate, status: 'running' };
  }

  /** Aborts the execution `name` as StopExecution does, if it still runs; resolves with when it ended. */
  async abort(name: string, reason: AbortReason = {}): Promise<Date> {
    const execution = this.execution(name);
    execution.abort(reason);
    return (await execution.whenEnded).stopDate;
  }

  /** Aborts every execution and forgets every token and timer, so the process can exit. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const execution of this.executions.values()) execution.abort();
    await Promise.all([...this.executions.values()].map((execution) => execution.whenEnded));
  }

  private async reportTransitions(
    execution: string,
    events: AsyncIterable<{ readonly type: string; readonly state?: { readonly name: string } }>,
    report: NonNullable<WorkflowRunnerOptions['onTransition']>,
  ): Promise<void> {
    for await (const event of events) {
      if ((event.type === 'StateEntered' || event.type === 'StateRetried') && event.state) {
        report({
          workflow: this.workflowName,
          execution,
          state: event.state.name,
          retry: event.type === 'StateRetried',
        });
      }
    }
  }

  private execution(name: string): Execution {
    const execution = this.executions.get(name);
    if (!execution) throw new Error(`No ${this.workflowName} execution is named ${name}`);
    return execution;
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
    const token = mintToken();
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

  private finish(
    tasks: ExecutionTasks,
    abort: () => void,
    started: Pick<Execution, 'input' | 'startDate'>,
    outcome: ExecutionOutcome,
  ): ExecutionEnd {
    // A failed execution may still have Parallel branches running; abort stops their next states.
    abort();
    tasks.end();
    for (const [token, waiting] of this.waiting) {
      if (waiting.execution === tasks.execution) this.take(token);
    }
    // Drops the run: the engine keeps its event log, unread, in memory for as long as the run is held.
    const end = { outcome, stopDate: new Date() };
    this.executions.set(tasks.execution, {
      ...started,
      abort: () => undefined,
      whenEnded: Promise.resolve(end),
      end,
    });
    if (outcome.status === 'failed') {
      logger.error('Workflow execution failed', {
        workflow: this.workflowName,
        execution: tasks.execution,
        ...outcome,
      });
    }
    return end;
  }
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
