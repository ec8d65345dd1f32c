import { prices } from './aws-prices.ts';
import type { DynamoTally, FunctionTally, OrderMeters } from './order-meters.ts';

/** What one process's orders did, per completed order, from the meters of its run. */
export interface OrderUsage {
  readonly process: string;
  readonly orders: number;
  readonly wallMs: number;
  /** Per order, by operation: what the functions did, the client's reads apart. */
  readonly dynamo: ReadonlyMap<string, DynamoTally>;
  /** The same requests and capacity by function: where an order's writes come from. */
  readonly dynamoByFunction: ReadonlyMap<string, DynamoTally>;
  readonly clientReads: DynamoTally;
  readonly transitions: ReadonlyMap<string, number>;
  /** Per order, by function: invocations and mean wall ms. */
  readonly functions: ReadonlyMap<string, { readonly tally: FunctionTally; readonly perOrder: number }>;
  readonly apiRequests: ReadonlyMap<string, number>;
  readonly stripe: ReadonlyMap<string, number>;
  readonly queuedMessages: number;
  /** Per order: notifications the local SES was given. */
  readonly emails: number;
}

/** A function serving a GET route reads for the client: the client's own reads, apart from the order's cost. */
const readsForClient = (tally: FunctionTally | undefined) => tally?.route?.startsWith('GET ') === true;

const perOrder = <K>(map: ReadonlyMap<K, number>, orders: number) =>
  new Map([...map].map(([key, count]) => [key, count / orders]));

function addTally(into: DynamoTally, tally: DynamoTally, share: number): void {
  into.requests += tally.requests * share;
  into.writeUnits += tally.writeUnits * share;
  into.readUnits += tally.readUnits * share;
}

export function orderUsage(
  process: string,
  orders: number,
  wallMs: number,
  meters: OrderMeters,
  emails: number,
): OrderUsage {
  const dynamo = new Map<string, DynamoTally>();
  const dynamoByFunction = new Map<string, DynamoTally>();
  const clientReads: DynamoTally = { requests: 0, writeUnits: 0, readUnits: 0 };
  for (const [fn, byOperation] of meters.dynamo) {
    const forClient = readsForClient(meters.functions.get(fn));
    for (const [operation, tally] of byOperation) {
      const into = forClient
        ? clientReads
        : (dynamo.get(operation) ?? { requests: 0, writeUnits: 0, readUnits: 0 });
      if (!forClient) dynamo.set(operation, into);
      addTally(into, tally, 1 / orders);
      if (forClient) continue;
      const ofFunction = dynamoByFunction.get(fn) ?? { requests: 0, writeUnits: 0, readUnits: 0 };
      dynamoByFunction.set(fn, ofFunction);
      addTally(ofFunction, tally, 1 / orders);
    }
  }
  return {
    process,
    orders,
    wallMs,
    dynamo,
    dynamoByFunction,
    clientReads,
    transitions: perOrder(meters.transitions, orders),
    functions: new Map(
      [...meters.functions].map(([fn, tally]) => [fn, { tally, perOrder: tally.invocations / orders }]),
    ),
    apiRequests: perOrder(meters.apiRequests, orders),
    stripe: perOrder(meters.stripe, orders),
    queuedMessages: meters.queuedMessages / orders,
    emails: emails / orders,
  };
}

const sum = (values: Iterable<number>) => [...values].reduce((total, value) => total + value, 0);
export const dynamoTotal = (usage: OrderUsage) => {
  const total: DynamoTally = { requests: 0, writeUnits: 0, readUnits: 0 };
  for (const tally of usage.dynamo.values()) addTally(total, tally, 1);
  return total;
};

export interface CostLine {
  readonly item: string;
  /** Per order. */
  readonly quantity: number;
  readonly unit: string;
  readonly formula: string;
  /** Per 1,000 orders. */
  readonly usdPer1000: number;
}

/** Lambda bills each invocation's duration rounded up to the millisecond, at its memory size. */
const gbSeconds = (durationsMs: readonly number[]) =>
  sum(durationsMs.map((ms) => (Math.ceil(ms) / 1000) * (prices.lambdaMemoryMb / 1024)));

/** The order's cost at list prices, the client's reads left out (they are a line of their own). */
export function orderCost(usage: OrderUsage): { lines: CostLine[]; clientReads: CostLine } {
  const orderFunctions = [...usage.functions.values()].filter(({ tally }) => !readsForClient(tally));
  const clientFunctions = [...usage.functions.values()].filter(({ tally }) => readsForClient(tally));
  const invocations = sum(orderFunctions.map(({ perOrder }) => perOrder));
  const lambdaGbSeconds = sum(orderFunctions.map(({ tally }) => gbSeconds(tally.durationsMs))) / usage.orders;
  const apiRequests = sum(
    [...usage.apiRequests].filter(([route]) => !route.startsWith('GET ')).map(([, count]) => count),
  );
  const transitions = sum(usage.transitions.values());
  const dynamo = dynamoTotal(usage);
  const thousand = (quantity: number, price: number) => quantity * price * 1000;
  const clientInvocations = sum(clientFunctions.map(({ perOrder }) => perOrder));
  const clientGbSeconds =
    sum(clientFunctions.map(({ tally }) => gbSeconds(tally.durationsMs))) / usage.orders;
  return {
    lines: [
      {
        item: 'Step Functions Standard',
        quantity: transitions,
        unit: 'transitions',
        formula: '× $0.025 / 1,000',
        usdPer1000: thousand(transitions, prices.standardTransition),
      },
      {
        item: 'DynamoDB writes (on demand)',
        quantity: dynamo.writeUnits,
        unit: 'WRU',
        formula: '× $0.625 / million',
        usdPer1000: thousand(dynamo.writeUnits, prices.dynamoWriteUnit),
      },
      {
        item: 'DynamoDB reads (on demand)',
        quantity: dynamo.readUnits,
        unit: 'RRU',
        formula: '× $0.125 / million',
        usdPer1000: thousand(dynamo.readUnits, prices.dynamoReadUnit),
      },
      {
        item: 'Lambda requests',
        quantity: invocations,
        unit: 'invocations',
        formula: '× $0.20 / million',
        usdPer1000: thousand(invocations, prices.lambdaRequest),
      },
      {
        item: 'Lambda duration (arm64, 256 MB)',
        quantity: lambdaGbSeconds,
        unit: 'GB-s',
        formula: 'Σ ⌈ms⌉ / 1,000 × 0.25 GB × $0.0000133334',
        usdPer1000: thousand(lambdaGbSeconds, prices.lambdaArmGbSecond),
      },
      {
        item: 'API Gateway HTTP API (actions, checkout, webhooks)',
        quantity: apiRequests,
        unit: 'requests',
        formula: '× $1.00 / million',
        usdPer1000: thousand(apiRequests, prices.httpApiRequest),
      },
      {
        item: 'SQS (Stripe events: send, receive, delete)',
        quantity: usage.queuedMessages * 3,
        unit: 'requests',
        formula: '× $0.40 / million',
        usdPer1000: thousand(usage.queuedMessages * 3, prices.sqsRequest),
      },
      {
        item: 'SES (notifications)',
        quantity: usage.emails,
        unit: 'emails',
        formula: '× $0.10 / 1,000',
        usdPer1000: thousand(usage.emails, prices.sesEmail),
      },
    ],
    clientReads: {
      item: "The client's reads (GET requests, their invocations and reads)",
      quantity: sum([...usage.apiRequests].filter(([route]) => route.startsWith('GET ')).map(([, n]) => n)),
      unit: 'requests',
      formula: 'requests × ($1.00 + $0.20) / million + GB-s + RRU',
      usdPer1000:
        thousand(clientInvocations, prices.httpApiRequest + prices.lambdaRequest) +
        thousand(clientGbSeconds, prices.lambdaArmGbSecond) +
        thousand(usage.clientReads.readUnits, prices.dynamoReadUnit),
    },
  };
}

export const totalPer1000 = (lines: readonly CostLine[]) => sum(lines.map((line) => line.usdPer1000));
