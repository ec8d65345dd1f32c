import type { RunOptions, StateMachineDefinition } from 'aws-local-stepfunctions';
import type { WorkflowDefinition, WorkflowTask } from '#workflows/workflow.ts';

/** The run overrides that put Wait states and Retry intervals on the local clock. */
export type TimingOverrides = Pick<
  NonNullable<RunOptions['overrides']>,
  'waitTimeOverrides' | 'retryIntervalOverrides'
>;

/**
 * How a Task state calls its Lambda function: `callback` (`lambda:invoke.waitForTaskToken`),
 * `invoke` (`lambda:invoke`, the result wrapped as `{ Payload, StatusCode }`) or `direct` (the
 * function's ARN as Resource, the result as is).
 */
export type TaskInvocation = 'callback' | 'invoke' | 'direct';

export interface LocalTask extends WorkflowTask {
  readonly invocation: TaskInvocation;
}

export interface LocalDefinition {
  /** The copy the engine runs; the ASL file stays the cloud's. */
  readonly definition: StateMachineDefinition;
  /** Every Task state, by name. */
  readonly tasks: Readonly<Record<string, LocalTask>>;
  readonly timing: TimingOverrides;
}

/** Where a callback task's timeout goes in its Parameters: the runner keeps that timeout, not the engine. */
export const callbackTimeoutParameter = '__timeoutSeconds';

/** setTimeout's longest delay (about 24.8 days); a longer one fires at once. */
export const maxTimerMs = 2 ** 31 - 1;

const engineMaxTimeoutSeconds = Math.floor(maxTimerMs / 1000);
const lambdaMaxSeconds = 900;
const cloudDefaultTimeoutSeconds = 99_999_999;
const realTime = 1000;
const lambdaInvoke = 'arn:aws:states:::lambda:invoke';

interface State {
  Type: string;
  Resource?: string;
  InputPath?: string | null;
  Parameters?: Record<string, unknown>;
  TimeoutSeconds?: number;
  TimeoutSecondsPath?: string;
  Seconds?: number;
  Retry?: { IntervalSeconds?: number }[];
  Branches?: Machine[];
  Iterator?: Machine;
  ItemProcessor?: Machine;
}

interface Machine {
  States: Record<string, State>;
}

/** The local stand-in for the function ARN CDK substitutes for `${name}`. */
const localFunctionArn = (name: string) => `arn:aws:lambda:us-east-1:000000000000:function:${name}`;

/**
 * The copy of a cloud ASL definition the local engine runs: `${Name}` placeholders become Lambda
 * ARNs, as CDK's definition substitutions make them, and every task timeout becomes one the engine
 * can keep.
 */
export function prepareLocalDefinition(
  asl: unknown,
  workflow: WorkflowDefinition,
  msPerSecond: number,
): LocalDefinition {
  const definition: Machine = JSON.parse(
    JSON.stringify(asl).replace(/\$\{(\w+)\}/g, (_, name: string) => localFunctionArn(name)),
  );
  const tasks: Record<string, LocalTask> = {};
  for (const [name, state] of allStates(definition)) {
    if (state.Type === 'Task') tasks[name] = prepareTask(workflow, name, state);
    if ((state.Seconds ?? 0) * msPerSecond > maxTimerMs) {
      throw new Error(`${workflow.name}: Wait state ${name} is longer than the local engine can wait`);
    }
  }
  return {
    definition: definition as unknown as StateMachineDefinition,
    tasks,
    timing: timingOverrides(definition, msPerSecond),
  };
}

function* allStates(machine: Machine): Generator<[string, State]> {
  for (const [name, state] of Object.entries(machine.States)) {
    yield [name, state];
    for (const nested of [...(state.Branches ?? []), state.Iterator, state.ItemProcessor]) {
      if (nested) yield* allStates(nested);
    }
  }
}

function prepareTask(workflow: WorkflowDefinition, name: string, state: State): LocalTask {
  const problem = (text: string) => new Error(`${workflow.name}: Task state ${name} ${text}`);
  const task = workflow.tasks[name];
  if (!task) throw problem('has no handler in the workflow definition');
  const invocation = invocationOf(state.Resource ?? '');
  if (!invocation) throw problem(`runs ${state.Resource}; the local runner runs Lambda functions only`);
  if (task.callback !== (invocation === 'callback')) {
    throw problem(
      `is ${task.callback ? '' : 'not '}a callback task in its workflow but runs ${state.Resource}`,
    );
  }
  if (invocation === 'callback') {
    if (state.TimeoutSecondsPath !== undefined && state.InputPath !== undefined) {
      throw problem('has an InputPath, which would shift its TimeoutSecondsPath locally');
    }
    moveCallbackTimeout(state);
  } else {
    if (state.TimeoutSecondsPath !== undefined) {
      throw problem('has a TimeoutSecondsPath, which the engine reads from its Parameters, not its input');
    }
    // The engine's default is 60 s; the cloud's 99999999 would overflow, and a Lambda ends within 900 s anyway.
    state.TimeoutSeconds = Math.min(state.TimeoutSeconds ?? lambdaMaxSeconds, lambdaMaxSeconds);
  }
  return { ...task, invocation };
}

function invocationOf(resource: string): TaskInvocation | undefined {
  if (resource === `${lambdaInvoke}.waitForTaskToken`) return 'callback';
  if (resource === lambdaInvoke) return 'invoke';
  if (resource.startsWith('arn:aws:lambda:')) return 'direct';
  return undefined;
}

/**
 * The engine's own timer overflows past 24.8 days, and it reads TimeoutSecondsPath from the
 * Parameters output where the cloud reads the state input. Moved into Parameters, the timeout is
 * read from the state input and reaches the runner, which keeps it; the engine then never fires.
 */
function moveCallbackTimeout(state: State): void {
  const parameters = { ...state.Parameters };
  if (state.TimeoutSecondsPath === undefined) {
    parameters[callbackTimeoutParameter] = state.TimeoutSeconds ?? cloudDefaultTimeoutSeconds;
  } else {
    parameters[`${callbackTimeoutParameter}.$`] = state.TimeoutSecondsPath;
  }
  state.Parameters = parameters;
  delete state.TimeoutSecondsPath;
  state.TimeoutSeconds = engineMaxTimeoutSeconds;
}

/**
 * Wait and Retry durations on the local clock. The engine's retry override is one fixed delay per
 * retrier, without BackoffRate, so at real time the engine keeps its own timing, backoff included.
 */
function timingOverrides(definition: Machine, msPerSecond: number): TimingOverrides {
  if (msPerSecond === realTime) return {};
  const waitTimeOverrides: Record<string, number> = {};
  const retryIntervalOverrides: Record<string, number[]> = {};
  for (const [name, state] of allStates(definition)) {
    if (state.Type === 'Wait' && state.Seconds !== undefined) {
      waitTimeOverrides[name] = state.Seconds * msPerSecond;
    }
    if (state.Retry) {
      retryIntervalOverrides[name] = state.Retry.map(
        (retrier) => (retrier.IntervalSeconds ?? 1) * msPerSecond,
      );
    }
  }
  return { waitTimeOverrides, retryIntervalOverrides };
}
