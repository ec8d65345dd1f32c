import { initialTransition, type Order, type Transition } from './order.ts';

/** What the order's workflow must be told after the order changed from `before` to `after`. */
export type WorkflowSignal =
  | { readonly kind: 'start'; readonly orderId: string; readonly transition: Transition }
  | { readonly kind: 'resume'; readonly taskToken: string; readonly transition: Transition };

/**
 * A new order starts its workflow; a decision recorded while the workflow waited (the token gone,
 * a transition pending) resumes the task that waited with that token.
 */
export function workflowSignalFor(
  before: Order | undefined,
  after: Order | undefined,
): WorkflowSignal | undefined {
  if (!after) return undefined;
  if (!before) return { kind: 'start', orderId: after.id, transition: initialTransition(after) };
  if (before.taskToken && !after.taskToken && after.pending) {
    return { kind: 'resume', taskToken: before.taskToken, transition: after.pending };
  }
  return undefined;
}
