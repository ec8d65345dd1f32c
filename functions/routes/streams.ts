import type { FunctionResources } from '#shared/config/function-resources.ts';

/**
 * The table stream's reader for its consumers: invokes each consumer function with the records its
 * filters match, as `TABLE_CHANGE_CONSUMERS` lists them, so the stream has one reader for them all
 * where DynamoDB advises at most two per shard (functions/streams/fan-out-table-changes.ts).
 */
export const tableChangeFanOut = {
  handler: 'streams/fan-out-table-changes',
  uses: { tableChangeConsumers: 'invoke' },
} as const satisfies { handler: string; uses: FunctionResources };
