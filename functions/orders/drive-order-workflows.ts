import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { orderWorkflow } from '#shared/app/composition/workflows.ts';
import { type Order, resumeTransition, type Transition } from '#shared/domain/order.ts';
import { workflowSignalFor } from '#shared/domain/order-workflow-signal.ts';
import { logger } from '#shared/logger.ts';
import { eventEntryPoint } from '#shared/observability/entry-point.ts';
import { orderEntity } from '#shared/store/entities/order.ts';
import { handleInOrder, streamImage } from '#shared/streams/batch.ts';
import { TaskNoLongerWaiting } from '#shared/workflows/port.ts';

/**
 * The store and Stripe load with the first decision that captures: starting and resuming, the
 * driver's every other record, need neither, and its cold start is shorter without them.
 */
const settlement = () =>
  Promise.all([
    import('#shared/app/orders/checkout-payment.ts'),
    import('#shared/app/composition/stores/order-store.ts'),
  ]);

/**
 * A decision that captures the payment needs no capture wait of its own when its checkout waits
 * for nothing else: the capture is made here, and the workflow goes straight on to what follows
 * (or to the cancellation a refused capture decides). While another order of the checkout is
 * undecided, or if settling fails, the workflow waits for the capture in AwaitCapture, which
 * retries for over an hour and keeps the capture deadline.
 */
async function captureFirst(order: Order, decided: Transition): Promise<Transition> {
  const [{ settleCheckoutPayment }, { orderStore }] = await settlement();
  try {
    const changed = await settleCheckoutPayment(order.checkoutId, { asRead: [order] });
    const settled = changed.find(({ id }) => id === order.id) ?? (await orderStore.get(order.id));
    return settled ? resumeTransition(settled) : decided;
  } catch (error) {
    logger.warn('The capture is left to the capture wait', { orderId: order.id, error });
    return decided;
  }
}

async function signal(record: DynamoDBRecord): Promise<void> {
  const order = streamImage(record, 'NewImage', orderEntity);
  const signal = workflowSignalFor(streamImage(record, 'OldImage', orderEntity), order);
  if (signal) logger.info('order workflow signalled', { orderId: order?.id, signal: signal.kind });
  if (signal?.kind === 'start') {
    await orderWorkflow.start(signal.orderId, { orderId: signal.orderId, transition: signal.transition });
  }
  if (signal?.kind === 'resume' && order) {
    const transition = signal.transition.capture
      ? await captureFirst(order, signal.transition)
      : signal.transition;
    try {
      await orderWorkflow.sendTaskSuccess(signal.taskToken, transition);
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
export const handler = eventEntryPoint(async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
  return handleInOrder(event, 'driving the order workflow', signal);
});
