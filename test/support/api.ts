import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { FunctionPolicies } from '#infra/local/aws/role-policies.ts';
import type { TaskWrapper } from '#infra/local/order-workflows.ts';
import type { PaymentSimulator } from '#infra/local/payment-simulator/index.ts';
import { type LocalStack, type StackMeters, startLocalStack } from '#infra/local/stack.ts';
import type { Role } from '#shared/domain/caller.ts';
import { freePort } from './free-port.ts';

export interface ApiResponse {
  readonly status: number;
  readonly headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are asserted field by field
  readonly body: any;
}

export interface RequestOptions {
  readonly token?: string;
  /** Sent as JSON unless it is already a string. */
  readonly body?: unknown;
  readonly headers?: Record<string, string>;
}

/** The local marketplace over real HTTP, with helpers to call it as a given user. */
export class TestApi {
  private constructor(readonly stack: LocalStack) {}

  /**
   * A test file's process loads each function module once, and the module keeps the AWS endpoint
   * and table of the first stack it served (as a warm Lambda keeps its clients): a second stack in the
   * same file must reuse the first one's `awsPort`, `dynamoDbPort` and `tableName`, and its Stripe: a
   * payment simulator that outlives both, sending its events to their common `port`.
   */
  static async start(
    options: {
      port?: number;
      dataDir?: string;
      dynamoDbPort?: number;
      awsPort?: number;
      tableName?: string;
      workflowMsPerSecond?: number;
      paymentSimulator?: PaymentSimulator;
      operatorSettings?: Record<string, string>;
      workflowTasks?: TaskWrapper;
      artifacts?: string;
      isolate?: boolean;
      policies?: (policies: FunctionPolicies) => FunctionPolicies;
      meters?: StackMeters;
    } = {},
  ): Promise<TestApi> {
    const stack = await startLocalStack({
      port: options.port ?? 0,
      dynamoDbPort: options.dynamoDbPort ?? (await freePort()),
      ...(options.awsPort ? { awsPort: options.awsPort } : {}),
      tableName: options.tableName ?? `marketplace-e2e-${randomUUID()}`,
      corsAllowOrigins: ['https://shop.example'],
      ...(options.dataDir ? { dataDir: options.dataDir } : {}),
      ...(options.workflowMsPerSecond ? { workflowMsPerSecond: options.workflowMsPerSecond } : {}),
      ...(options.paymentSimulator ? { paymentSimulator: options.paymentSimulator } : {}),
      ...(options.operatorSettings ? { operatorSettings: options.operatorSettings } : {}),
      ...(options.workflowTasks ? { workflowTasks: options.workflowTasks } : {}),
      ...(options.artifacts ? { artifacts: options.artifacts } : {}),
      ...(options.isolate ? { isolate: options.isolate } : {}),
      ...(options.policies ? { policies: options.policies } : {}),
      ...(options.meters ? { meters: options.meters } : {}),
    });
    return new TestApi(stack);
  }

  token(userId: string, ...roles: Role[]): Promise<string> {
    return this.stack.identity.issueToken({ userId, roles });
  }

  async call(
    method: string,
    path: string,
    { token, body, headers = {} }: RequestOptions = {},
  ): Promise<ApiResponse> {
    const response = await fetch(`${this.stack.url}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...headers,
      },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    const json = /json/.test(response.headers.get('content-type') ?? '');
    return {
      status: response.status,
      headers: response.headers,
      body: text && json ? JSON.parse(text) : text || undefined,
    };
  }

  stop(): Promise<void> {
    return this.stack.stop();
  }
}

/** The answer is an RFC 9457 problem with `status`. */
export function expectProblem(response: ApiResponse, status: number) {
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  expect(response.headers.get('content-type')).toContain('application/problem+json');
}
