import type Stripe from 'stripe';
import type { SimulatedClock } from './clock.ts';
import type { EventDetails } from './events.ts';
import type { SimulatorState } from './state.ts';

/** What an operation on the simulated objects works with, whether an API request or a control started it. */
export interface OperationContext {
  readonly state: SimulatorState;
  readonly clock: SimulatedClock;
  /** Where the simulator listens, for URLs it hands out (Account Links). */
  readonly baseUrl: string;
  /** Records an event about `object` (as it is now) and queues it for webhook delivery. */
  emit(type: Stripe.Event.Type, object: object, details?: EventDetails): void;
}
