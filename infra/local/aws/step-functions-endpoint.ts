import { randomUUID } from 'node:crypto';
import { type ExecutionDescription, isLocalTaskToken, type WorkflowRunner } from '../workflow-runner.ts';
import type { Authorize } from './authorization.ts';
import {
  AwsServiceError,
  type JsonCall,
  type LocalEndpoint,
  startJsonProtocolServer,
} from './json-protocol.ts';

export interface StepFunctionsEndpointOptions {
  /** The runner of each state machine, by ARN: `arn:aws:states:<region>:<account>:stateMachine:<name>`. */
  readonly stateMachines: ReadonlyMap<string, WorkflowRunner>;
  readonly authorize: Authorize;
  /** 0 (the default) picks a free port. */
  readonly port?: number;
}

interface Limit {
  readonly max: number;
  readonly lengthOf: (value: string) => number;
}

const characters = (max: number): Limit => ({ max, lengthOf: (value) => value.length });
const arnLimit = characters(256);
const nameLimit = characters(80);
const tokenLimit = characters(2048);
const errorLimit = characters(256);
const causeLimit = characters(32_768);
/** Execution input and task output: 256 KiB of UTF-8. */
const payloadLimit: Limit = { max: 262_144, lengthOf: (value) => Buffer.byteLength(value) };

/** What an execution name may not hold: whitespace, brackets, wildcards, control and special characters. */
const forbiddenInName = /[\s<>{}[\]?*"#%\\^|~`$&,;:/\p{Cc}]/u;
const stateMachineArnPattern = /^arn:[^:]+:states:[^:]+:\d{12}:stateMachine:[^:]+$/;
const executionArnPattern = /^(arn:[^:]+:states:[^:]+:\d{12}):execution:([^:]+):([^:]+)$/;

const statusNames = {
  running: 'RUNNING',
  succeeded: 'SUCCEEDED',
  failed: 'FAILED',
  aborted: 'ABORTED',
} as const satisfies Record<ExecutionDescription['status'], string>;

const notRedrivable = 'The local Step Functions endpoint does not redrive executions: start a new one';

const epochSeconds = (date: Date) => date.getTime() / 1000;

function validationError(field: string, constraint: string): AwsServiceError {
  return new AwsServiceError(
    'ValidationException',
    `1 validation error detected: Value at '${field}' failed to satisfy constraint: ${constraint}`,
  );
}

function optionalText(input: JsonCall['input'], field: string, limit: Limit): string | undefined {
  const value = input[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw validationError(field, 'Member must be a string');
  if (limit.lengthOf(value) > limit.max) {
    throw validationError(field, `Member must have length less than or equal to ${limit.max}`);
  }
  return value;
}

function requiredText(input: JsonCall['input'], field: string, limit: Limit): string {
  const value = optionalText(input, field, limit);
  if (!value) throw validationError(field, 'Member must not be null or empty');
  return value;
}

function parseJson(text: string, invalid: () => AwsServiceError): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw invalid();
  }
}

const taskTimedOut = () =>
  new AwsServiceError('TaskTimedOut', "Task Timed Out: 'Provided task does not exist anymore'");

interface Execution {
  readonly stateMachineArn: string;
  readonly runner: WorkflowRunner;
  readonly description: ExecutionDescription;
}

/** The Step Functions API over local runners, each call authorized as IAM would authorize it. */
class LocalStepFunctions {
  constructor(
    private readonly stateMachines: ReadonlyMap<string, WorkflowRunner>,
    private readonly authorize: Authorize,
  ) {}

  async startExecution({ input, accessKeyId }: JsonCall) {
    const stateMachineArn = requiredText(input, 'stateMachineArn', arnLimit);
    this.authorize(accessKeyId, 'states:StartExecution', stateMachineArn);
    const runner = this.stateMachine(stateMachineArn);
    const name = optionalText(input, 'name', nameLimit) ?? randomUUID();
    if (name === '' || forbiddenInName.test(name)) {
      throw new AwsServiceError('InvalidName', `Invalid Name: '${name}'`);
    }
    const executionInput = parseJson(
      optionalText(input, 'input', payloadLimit) ?? '{}',
      () => new AwsServiceError('InvalidExecutionInput', 'Invalid State Machine Execution Input: not JSON'),
    );
    const executionArn = executionArnOf(stateMachineArn, name);
    const existing = runner.describe(name);
    // As in the cloud: starting again is accepted only while the execution runs, with the same input.
    if (existing && !(existing.status === 'running' && sameJson(existing.input, executionInput))) {
      throw new AwsServiceError('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
    }
    await runner.start(name, executionInput);
    const { description } = this.execution(executionArn);
    return { executionArn, startDate: epochSeconds(description.startDate) };
  }

  describeExecution({ input, accessKeyId }: JsonCall) {
    const executionArn = requiredText(input, 'executionArn', arnLimit);
    this.authorize(accessKeyId, 'states:DescribeExecution', executionArn);
    const { stateMachineArn, description } = this.execution(executionArn);
    return {
      executionArn,
      stateMachineArn,
      name: description.name,
      status: statusNames[description.status],
      startDate: epochSeconds(description.startDate),
      input: JSON.stringify(description.input),
      inputDetails: { included: true },
      ...endOf(description),
      redriveCount: 0,
      redriveStatus: 'NOT_REDRIVABLE',
      redriveStatusReason: notRedrivable,
    };
  }

  async stopExecution({ input, accessKeyId }: JsonCall) {
    const executionArn = requiredText(input, 'executionArn', arnLimit);
    this.authorize(accessKeyId, 'states:StopExecution', executionArn);
    const error = optionalText(input, 'error', errorLimit);
    const cause = optionalText(input, 'cause', causeLimit);
    const { runner, description } = this.execution(executionArn);
    return { stopDate: epochSeconds(await runner.abort(description.name, { error, cause })) };
  }

  redriveExecution({ input, accessKeyId }: JsonCall) {
    const executionArn = requiredText(input, 'executionArn', arnLimit);
    this.authorize(accessKeyId, 'states:RedriveExecution', executionArn);
    const { description } = this.execution(executionArn);
    throw new AwsServiceError(
      'ExecutionNotRedrivable',
      `Execution is ${statusNames[description.status]}. ${notRedrivable}`,
    );
  }

  async sendTaskSuccess({ input, accessKeyId }: JsonCall) {
    const token = requiredText(input, 'taskToken', tokenLimit);
    this.authorize(accessKeyId, 'states:SendTaskSuccess', '*');
    const output = parseJson(
      requiredText(input, 'output', payloadLimit),
      () => new AwsServiceError('InvalidOutput', 'Invalid Output: not JSON'),
    );
    await this.waitingWith(token).sendTaskSuccess(token, output);
    return {};
  }

  async sendTaskFailure({ input, accessKeyId }: JsonCall) {
    const token = requiredText(input, 'taskToken', tokenLimit);
    this.authorize(accessKeyId, 'states:SendTaskFailure', '*');
    const error = optionalText(input, 'error', errorLimit) ?? '';
    const cause = optionalText(input, 'cause', causeLimit) ?? '';
    await this.waitingWith(token).sendTaskFailure(token, error, cause);
    return {};
  }

  /** The runners keep no heartbeat timeout (HeartbeatSeconds): a heartbeat only checks the token. */
  sendTaskHeartbeat({ input, accessKeyId }: JsonCall) {
    const token = requiredText(input, 'taskToken', tokenLimit);
    this.authorize(accessKeyId, 'states:SendTaskHeartbeat', '*');
    this.waitingWith(token);
    return {};
  }

  private stateMachine(arn: string): WorkflowRunner {
    const runner = this.stateMachines.get(arn);
    if (runner) return runner;
    if (!stateMachineArnPattern.test(arn)) throw new AwsServiceError('InvalidArn', `Invalid Arn: '${arn}'`);
    throw new AwsServiceError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
  }

  private execution(executionArn: string): Execution {
    const [, prefix, stateMachineName, name] = executionArnPattern.exec(executionArn) ?? [];
    if (!prefix || !stateMachineName || !name) {
      throw new AwsServiceError('InvalidArn', `Invalid Arn: '${executionArn}'`);
    }
    const stateMachineArn = `${prefix}:stateMachine:${stateMachineName}`;
    const runner = this.stateMachines.get(stateMachineArn);
    const description = runner?.describe(name);
    if (!runner || !description) {
      throw new AwsServiceError('ExecutionDoesNotExist', `Execution Does Not Exist: '${executionArn}'`);
    }
    return { stateMachineArn, runner, description };
  }

  /**
   * The runner whose task waits with `token`. As in the cloud, a token that was never a task token
   * is invalid, and one whose task was resumed, timed out or ended with its execution has timed out.
   */
  private waitingWith(token: string): WorkflowRunner {
    if (!isLocalTaskToken(token))
      throw new AwsServiceError('InvalidToken', 'Invalid Token: not a task token');
    const runner = [...this.stateMachines.values()].find((candidate) => candidate.waitsFor(token));
    if (!runner) throw taskTimedOut();
    return runner;
  }
}

function executionArnOf(stateMachineArn: string, name: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
}

function sameJson(left: unknown, right: unknown): boolean {
  return JSON.stringify(left) === JSON.stringify(right);
}

function endOf(description: ExecutionDescription) {
  switch (description.status) {
    case 'running':
      return {};
    case 'succeeded':
      return {
        stopDate: epochSeconds(description.stopDate),
        output: JSON.stringify(description.output),
        outputDetails: { included: true },
      };
    default:
      return {
        stopDate: epochSeconds(description.stopDate),
        error: description.error,
        cause: description.cause,
      };
  }
}

/**
 * The Step Functions JSON 1.0 API, as `AWS_ENDPOINT_URL_SFN` points the functions' SFN clients at
 * it: StartExecution, DescribeExecution, StopExecution and the task callbacks, over the local runners.
 * RedriveExecution answers ExecutionNotRedrivable: the runners cannot resume a failed execution.
 */
export async function startStepFunctionsEndpoint({
  stateMachines,
  authorize,
  port,
}: StepFunctionsEndpointOptions): Promise<LocalEndpoint> {
  for (const arn of stateMachines.keys()) {
    if (!stateMachineArnPattern.test(arn)) throw new Error(`Not a state machine ARN: ${arn}`);
  }
  const api = new LocalStepFunctions(stateMachines, authorize);
  return startJsonProtocolServer({
    targetPrefix: 'AWSStepFunctions',
    contentType: 'application/x-amz-json-1.0',
    port,
    operations: {
      StartExecution: (call) => api.startExecution(call),
      DescribeExecution: (call) => api.describeExecution(call),
      StopExecution: (call) => api.stopExecution(call),
      RedriveExecution: (call) => api.redriveExecution(call),
      SendTaskSuccess: (call) => api.sendTaskSuccess(call),
      SendTaskFailure: (call) => api.sendTaskFailure(call),
      SendTaskHeartbeat: (call) => api.sendTaskHeartbeat(call),
    },
  });
}
