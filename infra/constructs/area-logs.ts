import { Stack } from 'aws-cdk-lib';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';

/** `payouts/start-payout-run` -> `payouts`: the business area a handler module belongs to. */
export const areaOf = (handler: string) => handler.split('/')[0] ?? handler;

const pascal = (words: string) =>
  words
    .split('-')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');

/**
 * The log group the functions of a business area share: one per area in the stack, made by the
 * first of its functions. Lambda names each stream after its function, and every log line carries
 * `function_name`, so one function's logs are still found apart. One group per function would cost
 * a stack resource per route, where CloudFormation takes 500 per stack.
 */
export function areaLogGroup(scope: Construct, handler: string): LogGroup {
  const stack = Stack.of(scope);
  const id = `${pascal(areaOf(handler))}FunctionLogs`;
  const existing = stack.node.tryFindChild(id);
  if (existing instanceof LogGroup) return existing;
  return new LogGroup(stack, id, { retention: RetentionDays.ONE_MONTH });
}
