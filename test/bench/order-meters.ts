import { AsyncLocalStorage } from 'node:async_hooks';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import type { MeteredCall } from '#infra/local/aws/dynamodb-gateway.ts';
import type { StackMeters } from '#infra/local/stack.ts';
import type { StateTransition } from '#infra/local/workflow-runner.ts';

/** What made a function run. */
export type Trigger = 'api' | 'stream' | 'queue' | 'workflow';

/** One function invocation, as the calls it makes are attributed to it. */
interface Scope {
  /** The function's handler module under functions/. */
  readonly fn: string;
  readonly trigger: Trigger;
  /** The API route (`GET /orders/{orderId}`), for API requests. */
  readonly route?: string;
}

export interface FunctionTally {
  readonly trigger: Trigger;
  /** The route it serves, for a function behind the API. */
  readonly route?: string;
  invocations: number;
  /** Wall milliseconds of each invocation in this process. */
  readonly durationsMs: number[];
}

export interface DynamoTally {
  requests: number;
  writeUnits: number;
  readUnits: number;
}

/** Calls no function made (none should be): attributed to this name. */
export const outsideFunctions = '(no function)';

const emptyDynamo = (): DynamoTally => ({ requests: 0, writeUnits: 0, readUnits: 0 });

const writeOperations = new Set([
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'BatchWriteItem',
  'TransactWriteItems',
]);

/** Capacity as DynamoDB reports it with `ReturnConsumedCapacity: TOTAL`: one entry, or one per table. */
type Capacity = { readonly CapacityUnits?: number } | readonly { readonly CapacityUnits?: number }[];

function capacityUnits(output: MeteredCall['output']): number {
  const capacity = output?.ConsumedCapacity as Capacity | undefined;
  const entries = capacity === undefined ? [] : Array.isArray(capacity) ? capacity : [capacity];
  return entries.reduce((sum, entry) => sum + (entry.CapacityUnits ?? 0), 0);
}

interface LambdaEventShape {
  readonly routeKey?: string;
  readonly requestContext?: { readonly http?: unknown };
  readonly Records?: readonly { readonly eventSource?: string }[];
}

function scopeOf(fn: string, event: unknown): Scope {
  const shape = (event ?? {}) as LambdaEventShape;
  if (shape.requestContext?.http !== undefined) return { fn, trigger: 'api', route: shape.routeKey ?? '' };
  const source = shape.Records?.[0]?.eventSource;
  if (source === 'aws:dynamodb') return { fn, trigger: 'stream' };
  if (source === 'aws:sqs') return { fn, trigger: 'queue' };
  return { fn, trigger: 'workflow' };
}

/** Stripe object ids in a request path, so requests group by what they do. */
const stripeIds = /\/(acct|pi|ch|re|tr|py|po|pm|cus|evt|dp)_[A-Za-z0-9]+/g;

/**
 * Counts what the local stack does, attributed to the function invocation that did it: invocations
 * by function, API requests by route, DynamoDB requests by operation with the capacity DynamoDB
 * Local says they consumed, state transitions by state, Stripe requests and queued messages.
 *
 * Functions run in this process: each invocation runs in an AsyncLocalStorage scope, and every
 * HTTP request a function sends is seen (node:diagnostics_channel) in that scope. A DynamoDB call
 * reaches the gateway's meter with the SDK's `amz-sdk-invocation-id`, which names the scope it was
 * sent from.
 */
export class OrderMeters {
  private readonly scope = new AsyncLocalStorage<Scope>();
  private readonly senders = new Map<string, Scope>();
  readonly functions = new Map<string, FunctionTally>();
  /** By route, the API requests that reached a function. */
  readonly apiRequests = new Map<string, number>();
  /** By function, then by operation. */
  readonly dynamo = new Map<string, Map<string, DynamoTally>>();
  /** By state name: entered, and retried. */
  readonly transitions = new Map<string, number>();
  /** By `METHOD /v1/path`, ids left out. */
  readonly stripe = new Map<string, number>();
  queuedMessages = 0;
  private inFlight = 0;
  private lastActivity = performance.now();
  private readonly onRequest = (message: unknown) =>
    this.sawRequest((message as { request: ClientRequest }).request);

  /** Stripe's requests are those to `stripeHost` (`host:port`). */
  constructor(private readonly stripeHost: () => string | undefined) {
    subscribe('http.client.request.start', this.onRequest);
  }

  /** What the local stack is given to report to these meters. */
  readonly stackMeters: StackMeters = {
    invocation: (fn, event, run) => this.invocation(fn.handlerModule ?? fn.logicalId, event, run),
    dynamoDbCall: (call) => this.dynamoDbCall(call),
    transition: (transition) => this.transition(transition),
  };

  /** Forgets everything counted so far. */
  reset(): void {
    for (const tally of [this.functions, this.apiRequests, this.dynamo, this.transitions, this.stripe]) {
      tally.clear();
    }
    this.queuedMessages = 0;
  }

  /** Resolves once no function has run for `quietMs` (bounded by `timeoutMs`). */
  async quiet(quietMs: number, timeoutMs = 60_000): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (this.inFlight > 0 || performance.now() - this.lastActivity < quietMs) {
      if (performance.now() > deadline) throw new Error(`The stack was still busy after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  stop(): void {
    unsubscribe('http.client.request.start', this.onRequest);
  }

  private async invocation(fn: string, event: unknown, run: () => Promise<unknown>): Promise<unknown> {
    const scope = scopeOf(fn, event);
    const tally = this.functions.get(fn) ?? { ...scope, invocations: 0, durationsMs: [] };
    this.functions.set(fn, tally);
    tally.invocations += 1;
    if (scope.route !== undefined)
      this.apiRequests.set(scope.route, (this.apiRequests.get(scope.route) ?? 0) + 1);
    if (scope.trigger === 'queue') this.queuedMessages += (event as LambdaEventShape).Records?.length ?? 0;
    this.inFlight += 1;
    const start = performance.now();
    try {
      return await this.scope.run(scope, run);
    } finally {
      tally.durationsMs.push(performance.now() - start);
      this.inFlight -= 1;
      this.lastActivity = performance.now();
    }
  }

  private sawRequest(request: ClientRequest): void {
    const scope = this.scope.getStore();
    const invocationId = request.getHeader('amz-sdk-invocation-id');
    if (scope && typeof invocationId === 'string') this.senders.set(invocationId, scope);
    if (request.getHeader('host') === this.stripeHost()) {
      const key = `${request.method} ${request.path.split('?')[0]?.replace(stripeIds, '/{id}')}`;
      this.stripe.set(key, (this.stripe.get(key) ?? 0) + 1);
    }
  }

  private dynamoDbCall(call: MeteredCall): void {
    const invocationId = call.headers['amz-sdk-invocation-id'];
    const scope = typeof invocationId === 'string' ? this.senders.get(invocationId) : undefined;
    const fn = scope?.fn ?? outsideFunctions;
    const byOperation = this.dynamo.get(fn) ?? new Map<string, DynamoTally>();
    this.dynamo.set(fn, byOperation);
    const tally = byOperation.get(call.operation) ?? emptyDynamo();
    byOperation.set(call.operation, tally);
    tally.requests += 1;
    const units = capacityUnits(call.output);
    if (writeOperations.has(call.operation)) tally.writeUnits += units;
    else tally.readUnits += units;
    this.lastActivity = performance.now();
  }

  private transition({ state }: StateTransition): void {
    this.transitions.set(state, (this.transitions.get(state) ?? 0) + 1);
    this.lastActivity = performance.now();
  }
}
