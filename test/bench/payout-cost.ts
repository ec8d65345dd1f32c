/** The cost of one payout run from what the benchmark measured, at the prices of aws-prices.ts. */
import { prices } from './aws-prices.ts';

export interface RunUsage {
  readonly sellers: number;
  /** Parent (Standard) transitions: the fixed states, their retries, and one per child started. */
  readonly standardTransitions: number;
  /** Child (Express) executions and their measured spans in ms. */
  readonly childSpansMs: readonly number[];
  /** Every Lambda invocation's measured wall time in ms. */
  readonly lambdaDurationsMs: readonly number[];
  readonly writeUnits: number;
  readonly readUnits: number;
}

export interface CostLine {
  readonly item: string;
  readonly quantity: string;
  readonly formula: string;
  readonly usd: number;
  readonly basis: 'measured' | 'computed' | 'measured locally';
}

const expressBilledSeconds = (spanMs: number) =>
  (Math.ceil(spanMs / prices.expressDurationStepMs) * prices.expressDurationStepMs) / 1000;

const int = (value: number) => Math.round(value).toLocaleString('en');

export function runCost(usage: RunUsage): CostLine[] {
  const expressGbSeconds = usage.childSpansMs.reduce(
    (sum, span) => sum + expressBilledSeconds(span) * (prices.expressMemoryMb / 1024),
    0,
  );
  const lambdaGbSeconds = usage.lambdaDurationsMs.reduce(
    (sum, ms) => sum + (Math.ceil(ms) / 1000) * (prices.lambdaMemoryMb / 1024),
    0,
  );
  const children = usage.childSpansMs.length;
  const invocations = usage.lambdaDurationsMs.length;
  return [
    {
      item: 'Step Functions Standard (parent)',
      quantity: `${int(usage.standardTransitions)} transitions`,
      formula: 'transitions × $0.025 / 1,000',
      usd: usage.standardTransitions * prices.standardTransition,
      basis: 'computed',
    },
    {
      item: 'Step Functions Express (children), requests',
      quantity: `${int(children)} executions`,
      formula: 'executions × $1.00 / 1,000,000',
      usd: children * prices.expressRequest,
      basis: 'measured',
    },
    {
      item: 'Step Functions Express (children), duration',
      quantity: `${expressGbSeconds.toFixed(1)} GB-s`,
      formula: 'Σ ⌈span / 100 ms⌉ × 0.1 s × 64 MB / 1,024 × $0.0000166667',
      usd: expressGbSeconds * prices.expressGbSecond,
      basis: 'measured locally',
    },
    {
      item: 'Lambda requests',
      quantity: `${int(invocations)} invocations`,
      formula: 'invocations × $0.20 / 1,000,000',
      usd: invocations * prices.lambdaRequest,
      basis: 'measured',
    },
    {
      item: 'Lambda duration (arm64, 256 MB)',
      quantity: `${lambdaGbSeconds.toFixed(1)} GB-s`,
      formula: 'Σ ⌈ms⌉ / 1,000 × 0.25 GB × $0.0000133334',
      usd: lambdaGbSeconds * prices.lambdaArmGbSecond,
      basis: 'measured locally',
    },
    {
      item: 'DynamoDB writes (on demand)',
      quantity: `${int(usage.writeUnits)} WRU`,
      formula: 'WRU × $0.625 / 1,000,000',
      usd: usage.writeUnits * prices.dynamoWriteUnit,
      basis: 'measured',
    },
    {
      item: 'DynamoDB reads (on demand)',
      quantity: `${int(usage.readUnits)} RRU`,
      formula: 'RRU × $0.125 / 1,000,000',
      usd: usage.readUnits * prices.dynamoReadUnit,
      basis: 'measured',
    },
  ];
}
