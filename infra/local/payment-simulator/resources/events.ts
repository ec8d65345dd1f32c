import type { OperationContext } from '../context.ts';
import { resourceMissing } from '../errors.ts';
import type { SimEvent } from '../objects.ts';

/** An event, read as Stripe allows it: a Connect event only with its account's `Stripe-Account` header. */
export function retrieveEvent(
  context: OperationContext,
  id: string,
  stripeAccount: string | undefined,
): SimEvent {
  const event = context.state.events.get(id);
  if (!event || event.account !== stripeAccount) throw resourceMissing('event', id, 'id');
  return event;
}
