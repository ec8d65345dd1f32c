import { LambdaClient } from '@aws-sdk/client-lambda';
import { tableChangeConsumers } from '#shared/app/streams/table-change-consumers.ts';
import { TableChangeFanOut } from '#shared/app/streams/table-change-fan-out.ts';
import { onFirstUse } from '#shared/config/on-first-use.ts';
import { traced } from '#shared/observability/tracer.ts';
import { streamConsumerInvoker } from '#shared/streams/stream-consumer-invoker.ts';

/** Composition root of the table-change fan-out: its consumers read and its Lambda client made at first use. */
export const tableChangeFanOut = onFirstUse(
  () => new TableChangeFanOut(tableChangeConsumers(), streamConsumerInvoker(traced(new LambdaClient({})))),
);
