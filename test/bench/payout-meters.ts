import { AsyncLocalStorage } from 'node:async_hooks';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type Stripe from 'stripe';

/** Who made a call: a workflow task (its state name), or `api` for anything outside a task. */
const outsideTasks = 'api';

export interface TaskMeter {
  invocations: number;
  failures: number;
  /** Failed attempts by error name. */
  readonly errors: Map<string, number>;
  /** Wall milliseconds of each invocation, in the order they ended. */
  readonly durations: number[];
  inFlight: number;
  maxInFlight: number;
  /** performance.now() of the first start and the last end. */
  firstStart: number;
  lastEnd: number;
}

export interface DynamoMeter {
  calls: number;
  /** Items the calls named: keys asked for, items written, items a Query returned. */
  items: number;
  /** Capacity DynamoDB Local reports (`ReturnConsumedCapacity: INDEXES`), table and index. */
  readUnits: number;
  writeUnits: number;
  /** Of that, what index (GSI) writes consumed. */
  indexWriteUnits: number;
  /** Keys a BatchGetItem found no item for, by read consistency. DynamoDB Local charges nothing for them. */
  missingConsistentKeys: number;
  missingEventualKeys: number;
  /** Summed round trips, ms: DynamoDB Local's time plus waiting for this process's event loop. */
  totalMs: number;
}

export interface StripeMeter {
  calls: number;
  readonly durations: number[];
}

/** One child workflow of the Map (one seller): from its first task's start to its last task's end. */
export interface ChildSpan {
  start: number;
  end: number;
  attempts: number;
}

const emptyTask = (): TaskMeter => ({
  invocations: 0,
  failures: 0,
  errors: new Map(),
  durations: [],
  inFlight: 0,
  maxInFlight: 0,
  firstStart: Number.POSITIVE_INFINITY,
  lastEnd: 0,
});

const emptyDynamo = (): DynamoMeter => ({
  calls: 0,
  items: 0,
  readUnits: 0,
  writeUnits: 0,
  indexWriteUnits: 0,
  missingConsistentKeys: 0,
  missingEventualKeys: 0,
  totalMs: 0,
});

const writeCommands = new Set([
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'TransactWriteItemsCommand',
  'BatchWriteItemCommand',
]);

interface Capacity {
  readonly CapacityUnits?: number;
  readonly Table?: { readonly CapacityUnits?: number };
  readonly GlobalSecondaryIndexes?: Record<string, { readonly CapacityUnits?: number }>;
}

type Input = Record<string, unknown>;
type Output = Record<string, unknown>;

const asList = <T>(value: T | readonly T[] | undefined): readonly T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value as T];

function indexUnits(capacity: Capacity): number {
  return Object.values(capacity.GlobalSecondaryIndexes ?? {}).reduce(
    (sum, index) => sum + (index.CapacityUnits ?? 0),
    0,
  );
}

/** The keys a BatchGetItem asked for, by consistency, and how many of them it found. */
function batchGetKeys(input: Input, output: Output) {
  const requests = (input.RequestItems ?? {}) as Record<
    string,
    { Keys?: unknown[]; ConsistentRead?: boolean }
  >;
  const responses = (output.Responses ?? {}) as Record<string, unknown[]>;
  const unprocessed = (output.UnprocessedKeys ?? {}) as Record<string, { Keys?: unknown[] }>;
  let consistentMissing = 0;
  let eventualMissing = 0;
  let asked = 0;
  for (const [table, request] of Object.entries(requests)) {
    const keys = request.Keys?.length ?? 0;
    asked += keys;
    const missing = keys - (responses[table]?.length ?? 0) - (unprocessed[table]?.Keys?.length ?? 0);
    if (request.ConsistentRead) consistentMissing += missing;
    else eventualMissing += missing;
  }
  return { asked, consistentMissing, eventualMissing };
}

function itemsOf(command: string, input: Input, output: Output): number {
  switch (command) {
    case 'TransactWriteItemsCommand':
      return asList(input.TransactItems as unknown[]).length;
    case 'BatchGetItemCommand':
      return batchGetKeys(input, output).asked;
    case 'QueryCommand':
    case 'ScanCommand':
      return Number(output.Count ?? 0);
    default:
      return 1;
  }
}

/**
 * Counts what a payout run does, by workflow task: Lambda invocations and their wall time, the
 * DynamoDB calls each task makes with the capacity DynamoDB Local says they consumed, the Stripe
 * calls, and each Map child's span. Calls are attributed through AsyncLocalStorage, so concurrent
 * tasks in one process are told apart.
 */
export class PayoutMeters {
  private readonly scope = new AsyncLocalStorage<string>();
  readonly tasks = new Map<string, TaskMeter>();
  /** By task, then by DynamoDB command name. */
  readonly dynamo = new Map<string, Map<string, DynamoMeter>>();
  /** By task, then by `METHOD /v1/path` with ids left out. */
  readonly stripe = new Map<string, Map<string, StripeMeter>>();
  /** By seller, the Map iteration's tasks (the cloud's Express child execution). */
  readonly children = new Map<string, ChildSpan>();
  private readonly childTasks: ReadonlySet<string>;

  constructor(childTasks: readonly string[]) {
    this.childTasks = new Set(childTasks);
  }

  /** Runs one invocation of `task` (a state name), timed and counted, with its calls attributed to it. */
  async invoke<T>(task: string, payload: unknown, run: () => Promise<T>): Promise<T> {
    const meter = this.taskMeter(task);
    meter.invocations += 1;
    meter.inFlight += 1;
    meter.maxInFlight = Math.max(meter.maxInFlight, meter.inFlight);
    const start = performance.now();
    meter.firstStart = Math.min(meter.firstStart, start);
    try {
      return await this.scope.run(task, run);
    } catch (error) {
      meter.failures += 1;
      const name = error instanceof Error ? error.name : 'Error';
      meter.errors.set(name, (meter.errors.get(name) ?? 0) + 1);
      throw error;
    } finally {
      const end = performance.now();
      meter.inFlight -= 1;
      meter.durations.push(end - start);
      meter.lastEnd = Math.max(meter.lastEnd, end);
      const sellerId = (payload as { sellerId?: unknown } | undefined)?.sellerId;
      if (this.childTasks.has(task) && typeof sellerId === 'string') {
        const span = this.children.get(sellerId);
        if (span) {
          span.end = Math.max(span.end, end);
          span.attempts += 1;
        } else {
          this.children.set(sellerId, { start, end, attempts: 1 });
        }
      }
    }
  }

  /** Counts every command the client sends, asking DynamoDB for the capacity each consumed; returns the undo. */
  meterDynamoDb(client: DynamoDBDocumentClient): () => void {
    const name = 'payoutBenchMeter';
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const input = args.input as Input;
        input.ReturnConsumedCapacity = 'INDEXES';
        const start = performance.now();
        const result = await next(args);
        this.recordDynamo(
          String(context.commandName),
          input,
          result.output as Output,
          performance.now() - start,
        );
        return result;
      },
      { step: 'initialize', name, priority: 'low' },
    );
    return () => {
      client.middlewareStack.remove(name);
    };
  }

  /** Counts every Stripe request the client makes, with its round trip as the SDK measured it; returns the undo. */
  meterStripe(stripe: Stripe): () => void {
    const listener = (response: Stripe.ResponseEvent) => {
      const path = response.path.replace(/\/(acct|tr|py|po|pi|ch|re|evt)_[A-Za-z0-9]+/g, '/{id}');
      const meter = this.stripeMeter(`${response.method} ${path}`);
      meter.calls += 1;
      meter.durations.push(response.elapsed);
    };
    stripe.on('response', listener);
    return () => stripe.off('response', listener);
  }

  private recordDynamo(command: string, input: Input, output: Output, ms: number): void {
    const meter = this.dynamoMeter(command);
    meter.calls += 1;
    meter.totalMs += ms;
    meter.items += itemsOf(command, input, output);
    for (const capacity of asList(output.ConsumedCapacity as Capacity | Capacity[] | undefined)) {
      const units = capacity.CapacityUnits ?? 0;
      if (writeCommands.has(command)) {
        meter.writeUnits += units;
        meter.indexWriteUnits += indexUnits(capacity);
      } else {
        meter.readUnits += units;
      }
    }
    if (command === 'BatchGetItemCommand') {
      const { consistentMissing, eventualMissing } = batchGetKeys(input, output);
      meter.missingConsistentKeys += consistentMissing;
      meter.missingEventualKeys += eventualMissing;
    }
  }

  private get current(): string {
    return this.scope.getStore() ?? outsideTasks;
  }

  private taskMeter(task: string): TaskMeter {
    const meter = this.tasks.get(task) ?? emptyTask();
    this.tasks.set(task, meter);
    return meter;
  }

  private dynamoMeter(command: string): DynamoMeter {
    const byCommand = this.dynamo.get(this.current) ?? new Map<string, DynamoMeter>();
    this.dynamo.set(this.current, byCommand);
    const meter = byCommand.get(command) ?? emptyDynamo();
    byCommand.set(command, meter);
    return meter;
  }

  private stripeMeter(request: string): StripeMeter {
    const byRequest = this.stripe.get(this.current) ?? new Map<string, StripeMeter>();
    this.stripe.set(this.current, byRequest);
    const meter = byRequest.get(request) ?? { calls: 0, durations: [] };
    byRequest.set(request, meter);
    return meter;
  }
}

/** A task's DynamoDB use summed over its commands. */
export function dynamoTotals(byCommand: ReadonlyMap<string, DynamoMeter> | undefined): DynamoMeter {
  const total = emptyDynamo();
  for (const meter of byCommand?.values() ?? []) {
    total.calls += meter.calls;
    total.items += meter.items;
    total.readUnits += meter.readUnits;
    total.writeUnits += meter.writeUnits;
    total.indexWriteUnits += meter.indexWriteUnits;
    total.missingConsistentKeys += meter.missingConsistentKeys;
    total.missingEventualKeys += meter.missingEventualKeys;
    total.totalMs += meter.totalMs;
  }
  return total;
}
