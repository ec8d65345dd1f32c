import { platform } from './balances.ts';
import type { SimAccount, SimDispute, SimEvent, SimPaymentIntent, SimPayout } from './objects.ts';
import { completeOnboarding, type Rejection, rejectOnboarding } from './resources/accounts.ts';
import { fundPlatform } from './resources/balance.ts';
import { closeDispute, type DisputeOptions, openDispute } from './resources/disputes.ts';
import { completeAuthentication, expireAuthorisations } from './resources/payment-intents.ts';
import { type PayoutOptions, simulatePayout } from './resources/payouts.ts';
import type { Simulator } from './simulator.ts';
import { found } from './state.ts';
import type { DeliveryAttempt, ReleaseOrder } from './webhook-delivery.ts';

/** What Stripe would do on its own, or a buyer, seller or bank would: the levers tests and local tools pull. */
export interface PaymentSimulatorControls {
  /** Simulated Unix time in seconds. */
  now(): number;
  /** Moves simulated time forward; authorisations past seven days expire, idempotency keys past 24 h go. */
  advanceClock(seconds: number): void;
  /** Delay before every API response, e.g. 50 ms for a benchmark. */
  setLatency(ms: number): void;
  /**
   * The next `count` API requests (only those of `request`, e.g. `POST /v1/payment_intents`, if
   * given) run, but their responses are lost (the connection closes), as after a network failure:
   * the client cannot tell whether Stripe acted.
   */
  loseNextResponses(count: number, request?: string): void;
  /** The seller finished hosted onboarding: charges, payouts and transfers enabled; `account.updated`. */
  completeOnboarding(accountId: string): SimAccount;
  /** Stripe disabled the account (`rejected.*`, or information still due); `account.updated`. */
  rejectOnboarding(accountId: string, rejection?: Rejection): SimAccount;
  /** While on, every confirmation stops at `requires_action` (3D Secure). */
  requireAuthentication(required: boolean): void;
  /** The buyer passed or failed the 3D Secure challenge. */
  completeAuthentication(paymentIntentId: string, outcome?: 'succeeded' | 'failed'): SimPaymentIntent;
  /** A chargeback on a captured charge (`ch_…`) or PaymentIntent (`pi_…`); funds leave the platform balance. */
  openDispute(paymentId: string, options?: DisputeOptions): SimDispute;
  closeDispute(disputeId: string, outcome: 'won' | 'lost'): SimDispute;
  /** A connected account's payout reached its end: `payout.paid` or `payout.failed`. */
  payout(accountId: string, options: PayoutOptions): SimPayout;
  /** Adds available funds to the platform balance without simulating the sales behind them. */
  fundPlatform(amount: number, currency: string): void;
  /** Available balance per currency, of the platform or of a connected account. */
  balance(accountId?: string): Record<string, number>;
  /** Every event so far, oldest first, optionally of one type. */
  events(type?: string): SimEvent[];
  readonly webhooks: {
    /** Keeps new events back until `release`. */
    hold(): void;
    /** Sends held events in this order: `as-emitted`, `reversed`, or these ids (the rest stay held). */
    release(order?: ReleaseOrder): SimEvent[];
    /** Delivers a stored event again, `times` copies at once: duplicates. */
    resend(eventId: string, times?: number): void;
    /** Every delivery attempt and the endpoint's answer. */
    deliveries(): readonly DeliveryAttempt[];
    /** Resolves when nothing is being delivered or waiting for a retry. */
    settled(): Promise<void>;
  };
}

/** Controls hand out copies: changing them never changes the simulator's objects. */
const copy = structuredClone;

export function createControls(simulator: Simulator): PaymentSimulatorControls {
  const context = () => simulator.context();
  return {
    now: () => simulator.clock.now(),
    advanceClock(seconds) {
      simulator.clock.advance(seconds);
      expireAuthorisations(context());
      simulator.idempotency.prune();
    },
    setLatency(ms) {
      if (!Number.isInteger(ms) || ms < 0) {
        throw new RangeError(`Latency must be whole milliseconds, not ${ms}`);
      }
      simulator.latencyMs = ms;
    },
    loseNextResponses(count, request) {
      if (!Number.isInteger(count) || count < 0) throw new RangeError(`Cannot lose ${count} responses`);
      simulator.responsesToLose = { count, ...(request ? { request } : {}) };
    },
    completeOnboarding: (accountId) => copy(completeOnboarding(context(), accountId)),
    rejectOnboarding: (accountId, rejection) => copy(rejectOnboarding(context(), accountId, rejection)),
    requireAuthentication(required) {
      simulator.state.authenticationRequired = required;
    },
    completeAuthentication: (paymentIntentId, outcome) =>
      copy(completeAuthentication(context(), paymentIntentId, outcome)),
    openDispute: (paymentId, options) => copy(openDispute(context(), paymentId, options)),
    closeDispute: (disputeId, outcome) => copy(closeDispute(context(), disputeId, outcome)),
    payout: (accountId, options) => copy(simulatePayout(context(), accountId, options)),
    fundPlatform: (amount, currency) => fundPlatform(context(), amount, currency),
    balance: (accountId) =>
      Object.fromEntries(
        simulator.state.balances
          .list(accountId ?? platform)
          .map(({ currency, amount }) => [currency, amount]),
      ),
    events: (type) =>
      copy([...simulator.state.events.values()].filter((event) => !type || event.type === type)),
    webhooks: {
      hold: () => simulator.webhooks.hold(),
      release: (order) => copy(simulator.webhooks.release(order)),
      resend(eventId, times) {
        simulator.webhooks.resend(found(simulator.state.events, eventId, 'event', 'id'), times);
      },
      deliveries: () => simulator.webhooks.attempts(),
      settled: () => simulator.webhooks.settled(),
    },
  };
}
