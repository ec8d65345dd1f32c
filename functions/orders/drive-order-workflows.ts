import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { orderWorkflow } from '#shared/app/composition/workflows.ts';
import type { Order } from '#shared/domain/order.ts';
import { workflowSignalFor } from '#shared/domain/order-workflow-signal.ts';
import { entities } from '#shared/store/table.ts';
import { handleInOrder, streamImage } from '#shared/streams/batch.ts';
import { TaskNoLongerWaiting } from '#shared/workflows/port.ts';

async function signal(record: DynamoDBRecord): Promise<void> {
  const signal = workflowSignalFor(
    streamImage<Order>(record, 'OldImage', entities.order),
    streamImage<Order>(record, 'NewImage', entities.order),
  );
  if (signal?.kind === 'start') {
    await orderWorkflow.start(signal.orderId, { orderId: signal.orderId, transition: signal.transition });
  }
  if (signal?.kind === 'resume') {
    try {
      await orderWorkflow.sendTaskSuccess(signal.taskToken, signal.transition);
    } catch (error) {
      // The wait timed out first; its resolution found the recorded decision and followed it.
      if (!(error instanceof TaskNoLongerWaiting)) throw error;
    }
  }
}

/**
 * Drives order workflows from the table's stream: every new order starts its execution and every
 * decision recorded on an order resumes the task that waited for it. The order is written first
 * and the stream retries until the workflow is told, so no order waits on a lost signal.
 */
export async function handler(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  return handleInOrder(event, 'driving the order workflow', signal);
}
