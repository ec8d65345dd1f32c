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
  /** How long its function may run, as CDK sets it: the Task state's TimeoutSeconds, or 10 s for a callback's. */
  readonly functionTimeoutSeconds: number;
}

/** A callback task's function only stores its token: it keeps the functions' default timeout. */
const callbackFunctionSeconds = 10;

export interface LocalDefinition {
  /** The copy the engine runs; the ASL file stays the cloud's. */
  readonly definition: StateMachineDefinition;
  /** Every Task state, by name. */
  readonly tasks: Readonly<Record<string, LocalTask>>;
  /** The Task states that read a Distributed Map's item list, which the runner serves. */
  readonly itemReaders: readonly string[];
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
  End?: boolean;
  Next?: string;
  Default?: string;
  Choices?: { Next?: string }[];
  Catch?: { ErrorEquals?: string[]; Next: string }[];
  ItemReader?: { Parameters?: Record<string, unknown> };
  ItemsPath?: string;
  ResultPath?: string | null;
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
  StartAt: string;
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
  const itemReaders = inlineDistributedMaps(definition);
  const tasks: Record<string, LocalTask> = {};
  for (const [name, state] of allStates(definition)) {
    if (itemReaders.includes(name)) continue;
    if (state.Type === 'Task') tasks[name] = prepareTask(workflow, name, state);
    if ((state.Seconds ?? 0) * msPerSecond > maxTimerMs) {
      throw new Error(`${workflow.name}: Wait state ${name} is longer than the local engine can wait`);
    }
  }
  return {
    definition: definition as unknown as StateMachineDefinition,
    tasks,
    itemReaders,
    timing: timingOverrides(definition, msPerSecond),
  };
}

/** Where an item reader puts the items it read in the Map's input. */
const itemsField = 'localItemReaderItems';

/** The Distributed Map fields the inline Map of the local engine has no use for. */
const distributedOnlyFields = [
  'ItemReader',
  'ItemBatcher',
  'ResultWriter',
  'ToleratedFailureCount',
  'ToleratedFailureCountPath',
  'ToleratedFailurePercentage',
  'ToleratedFailurePercentagePath',
  'Label',
] as const;

/**
 * The engine runs inline Maps only. Each Map reading its items with an ItemReader becomes a Task
 * state that reads them (served by the runner, from the local stand-in for S3) followed by an
 * inline Map over what it read. Returns the reader states' names.
 */
function inlineDistributedMaps(machine: Machine): string[] {
  const readers: string[] = [];
  for (const [name, state] of Object.entries(machine.States)) {
    for (const nested of [...(state.Branches ?? []), state.Iterator, state.ItemProcessor]) {
      if (nested) readers.push(...inlineDistributedMaps(nested));
    }
    if (state.Type !== 'Map' || !state.ItemReader) continue;
    const reader = `${name}ItemReader`;
    if (machine.States[reader])
      throw new Error(`State ${reader} exists; it would hide ${name}'s item reader`);
    machine.States[reader] = {
      Type: 'Task',
      Resource: localFunctionArn(reader),
      Parameters: state.ItemReader.Parameters ?? {},
      ResultPath: `$.${itemsField}`,
      Next: name,
    };
    redirect(machine, name, reader);
    const toleratesEveryFailure = toleratedFailures(name, state);
    for (const field of distributedOnlyFields) delete (state as unknown as Record<string, unknown>)[field];
    state.ItemsPath = `$.${itemsField}`;
    if (state.ItemProcessor) {
      const { ProcessorConfig: _distributed, ...processor } = state.ItemProcessor as Machine & {
        ProcessorConfig?: unknown;
      };
      state.ItemProcessor = toleratesEveryFailure ? failureTolerant(processor) : processor;
    }
    readers.push(reader);
  }
  return readers;
}

/**
 * Whether the Distributed Map goes on whatever its children do (ToleratedFailurePercentage 100) or
 * fails with the first failed child (the default); the local runner keeps no failure counts to
 * emulate anything in between.
 */
function toleratedFailures(name: string, state: State): boolean {
  const { ToleratedFailurePercentage: percentage = 0, ToleratedFailureCount: count = 0 } = state as {
    ToleratedFailurePercentage?: number;
    ToleratedFailureCount?: number;
  };
  if (percentage === 100) return true;
  if (percentage === 0 && count === 0) return false;
  throw new Error(`Map state ${name}: the local runner tolerates no failed items or all of them, not some`);
}

/** An item processor whose failure ends its item quietly, as a child a Distributed Map tolerates. */
function failureTolerant(processor: Machine): Machine {
  return {
    StartAt: 'ToleratedItem',
    States: {
      ToleratedItem: {
        Type: 'Parallel',
        Branches: [processor],
        Catch: [{ ErrorEquals: ['States.ALL'], Next: 'ToleratedFailure' }],
        End: true,
      },
      ToleratedFailure: { Type: 'Pass', End: true },
    },
  };
}

/** Every transition to `from` in this machine goes to `to` instead, except `to`'s own. */
function redirect(machine: Machine, from: string, to: string): void {
  if (machine.StartAt === from) machine.StartAt = to;
  for (const [name, state] of Object.entries(machine.States)) {
    if (name === to) continue;
    if (state.Next === from) state.Next = to;
    if (state.Default === from) state.Default = to;
    for (const target of [...(state.Choices ?? []), ...(state.Catch ?? [])]) {
      if (target.Next === from) target.Next = to;
    }
  }
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
    return { ...task, invocation, functionTimeoutSeconds: state.TimeoutSeconds };
  }
  return { ...task, invocation, functionTimeoutSeconds: callbackFunctionSeconds };
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
