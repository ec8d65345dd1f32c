import { type FunctionResources, stripeEventQueueName } from '#shared/config/function-resources.ts';

/**
 * Verified Stripe events: the webhook route stores each once and sends its id to this queue, whose
 * consumer applies it. CDK builds the queue and the consumer; the local stack serves the queue on its SQS endpoint.
 */
export const stripeEventProcessing = {
  queue: stripeEventQueueName,
  handler: 'payments/process-stripe-events',
  // Claiming and marking stored events, and what the appliers in shared/app/payments/stripe-events.ts do: record
  // payments and settle captures, post chargebacks and refunds, store accounts and bank payouts.
  uses: { table: ['GetItem', 'PutItem', 'UpdateItem', 'ConditionCheckItem', 'Query'], stripe: true },
} as const satisfies { queue: string; handler: string; uses: FunctionResources };
