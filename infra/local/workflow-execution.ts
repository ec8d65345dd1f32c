import './promise-with-resolvers.ts';
import { ExecutionAbortedError, ExecutionError, type RunOptions } from 'aws-local-stepfunctions';

export type LocalHandlers = NonNullable<NonNullable<RunOptions['overrides']>['taskResourceLocalHandlers']>;
export type JsonValue = Parameters<LocalHandlers[string]>[0];

/** What StopExecution was told: the error and cause DescribeExecution then shows. */
export interface AbortReason {
  readonly error?: string;
  readonly cause?: string;
}

export type ExecutionOutcome =
  | { readonly status: 'succeeded'; readonly output: unknown }
  | { readonly status: 'failed'; readonly error: string; readonly cause: string }
  | ({ readonly status: 'aborted' } & AbortReason);

export interface ExecutionEnd {
  readonly outcome: ExecutionOutcome;
  readonly stopDate: Date;
}

/** An execution as DescribeExecution shows it: running, or ended at `stopDate` with its outcome. */
export type ExecutionDescription = {
  readonly name: string;
  readonly input: unknown;
  readonly startDate: Date;
} & ({ readonly status: 'running' } | (ExecutionOutcome & { readonly stopDate: Date }));

/** The tasks of one execution: none outlives it, and its first callback wait may end at a given instant. */
export class ExecutionTasks {
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

export function outcomeOf(result: Promise<JsonValue>): Promise<ExecutionOutcome> {
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
