/**
 * Starting and resuming executions of one state machine: Step Functions, which the local stack
 * serves on this machine too, running the same ASL.
 */
export interface WorkflowEngine {
  /**
   * Starts an execution named `name` unless one of that name exists already: starting twice is
   * safe, so a retried request never runs a workflow twice.
   */
  start(name: string, input: Record<string, unknown>): Promise<void>;
  /** Resumes the task waiting with `token`. Throws TaskNoLongerWaiting if it waits no more. */
  sendTaskSuccess(token: string, output: unknown): Promise<void>;
  /** Fails the task waiting with `token` with the ASL error `error`. */
  sendTaskFailure(token: string, error: string, cause: string): Promise<void>;
}

/** The task timed out, was resumed already, or its execution ended: there is nobody to tell. */
export class TaskNoLongerWaiting extends Error {
  constructor(cause: string) {
    super(`The task is no longer waiting: ${cause}`);
    this.name = 'TaskNoLongerWaiting';
  }
}
