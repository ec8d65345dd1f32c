import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { tableChangeFanOut } from '#shared/app/composition/table-change-fan-out.ts';
import { eventEntryPoint } from '#shared/observability/entry-point.ts';

/**
 * Reads the table's stream for its consumers: hands each the records its filters match by invoking
 * it, and answers the earliest record any of them failed at (shared/app/streams/table-change-fan-out.ts).
 */
export const handler = eventEntryPoint(
  (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => tableChangeFanOut.deliver(event),
);
