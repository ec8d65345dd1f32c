import type { FunctionResources } from '#shared/config/function-resources.ts';

export interface WorkflowTask {
  /** Module under functions/ exporting `handler`, without extension. */
  readonly handler: string;
  /** A `.waitForTaskToken` task: its handler stores the token; an API call or event resumes it. */
  readonly callback: boolean;
  readonly uses: FunctionResources;
}

/** One state machine: its ASL file and the handler of each Task state, by state name. */
export interface WorkflowDefinition {
  readonly name: string;
  readonly definitionFile: string;
  readonly tasks: Readonly<Record<string, WorkflowTask>>;
}
