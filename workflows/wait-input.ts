import type { Transition } from '#shared/domain/order.ts';

/** What a callback task receives: its order, its token and the wait it stands for. */
export interface WaitInput {
  readonly orderId: string;
  readonly taskToken: string;
  readonly transition: Transition;
  /** Set by the local runner (scaled clocks, resumed waits); in the cloud the wait starts now. */
  readonly deadline?: string;
}

export const deadlineOf = ({ deadline, transition }: WaitInput, now = new Date()) =>
  deadline ?? new Date(now.getTime() + (transition.timeoutSeconds ?? 0) * 1000).toISOString();
